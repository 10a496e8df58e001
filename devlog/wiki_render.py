"""Render wiki pages with jinja2 through devlog.templating (templates in `templates/wiki/`).

A workspace's `templates/wiki/<name>` overrides the shipped template of that name. Templates get
the page's plain context plus two filters: `link` (`{{ page | link }}` -> `[[title|Page-Name]]`,
with an optional prefix and suffix for arrows) and `heading` (`{{ depth | heading }}` -> the `#`s
for a section `depth` levels below the page's `##`), and the global `home` (the Home page's link). Output is tidied so whitespace in templates
never shows: trailing spaces go, blank lines collapse to one (outside code fences), one final newline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devlog import wiki_md as md
from devlog.errors import DevlogError

if TYPE_CHECKING:
    import jinja2

    from devlog.wiki import Page

SUBDIR = "wiki"
RENDER_VERSION = "1"  # bump when rendering changes in code (filters, tidy): cached pages are rendered again
_FENCE = re.compile(r"^(`{3,}|~{3,})")


def _link(page: dict[str, str] | None, prefix: str = "", suffix: str = "") -> str:
    """The one place links between pages are written: GitHub's wiki form `[[title|Page-Name]]`
    (devlog.wiki_md.page_link); link titles in contexts are plain text."""
    if not page:
        return ""
    return md.page_link(f"{prefix}{page['title']}{suffix}", page["name"])


def _heading(depth: int, base: int = 2) -> str:
    return "#" * max(1, min(6, base + int(depth)))


def environment(workspace_root: Path | None, bytecode_dir: Path | None = None) -> jinja2.Environment:
    """devlog.templating's markdown environment for `templates/wiki/`, with the wiki's filters; compiled
    templates are kept in `bytecode_dir` when given."""
    from devlog import templating

    env = templating.environment(workspace_root, SUBDIR)
    env.filters["link"] = _link
    env.filters["heading"] = _heading
    env.globals["home"] = {"name": "Home", "title": "Home"}
    if bytecode_dir is not None:
        import jinja2

        bytecode_dir.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir))
    return env


_TRAILING = re.compile(r"[^\S\n]+$", re.MULTILINE)
_BLANKS = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Trailing spaces off, runs of blank lines to one, one final newline; code fences kept as they are."""
    if "```" not in text and "~~~" not in text:
        text = _BLANKS.sub("\n\n", _TRAILING.sub("", text)).strip("\n")
        return text + "\n"
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is None:
            line = line.rstrip()
            opening = _FENCE.match(line.lstrip())
            if opening:
                fence = opening.group(1)
            if not line and (not out or not out[-1]):
                continue
            out.append(line)
        else:
            out.append(line)
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = None
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def render_pages(
    pages: Iterable[Page], workspace_root: Path | None, bytecode_dir: Path | None = None
) -> dict[str, str]:
    """File name (`Home.md`) -> markdown, for every page."""
    import jinja2

    pages = list(pages)
    if not pages:
        return {}
    env = environment(workspace_root, bytecode_dir)
    templates: dict[str, Any] = {}
    out: dict[str, str] = {}
    for page in pages:
        template = templates.get(page.template)
        if template is None:
            try:
                template = templates[page.template] = env.get_template(page.template)
            except jinja2.TemplateNotFound:
                raise DevlogError(f"no wiki template {page.template!r} in templates/{SUBDIR}/") from None
            except jinja2.TemplateSyntaxError as err:
                raise DevlogError(
                    f"wiki template syntax error: {err.message}", err.filename or page.template, err.lineno
                ) from err
        try:
            out[page.filename] = tidy(template.render(page.context))
        except jinja2.UndefinedError as err:
            raise DevlogError(f"wiki template uses an unknown variable: {err.message}", template.filename) from err
    return out
