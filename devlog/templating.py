"""Jinja2 templates: the only module that imports jinja2.

Templates are looked up by name in `<workspace>/templates/` first, then in the templates devlog
ships (`devlog/templates` in an installed wheel, the repository's `templates/` in an editable
install), so a workspace overrides a shipped template by giving its file the same name. Entry
templates are `<name>.md.j2` (`devlog new --template en` renders `en.md.j2`); other features use
a subfolder (`environment(root, "wiki")` looks in `templates/wiki/`).

The environment renders markdown, not HTML: no autoescaping, the file's last newline kept, an
unknown variable is an error (StrictUndefined), and block tags take their own line with them
(trim_blocks, lstrip_blocks).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from devlog.errors import DevlogError

if TYPE_CHECKING:
    import jinja2

ENTRY_SUFFIX = ".md.j2"
_PACKAGE = Path(__file__).resolve().parent


def shipped_dir() -> Path | None:
    """The templates devlog ships: packaged in the wheel, else the repository's (editable install)."""
    for folder in (_PACKAGE / "templates", _PACKAGE.parent / "templates"):
        if folder.is_dir():
            return folder
    return None


def template_dirs(workspace_root: Path | None, subdir: str = "") -> list[Path]:
    """Folders searched for templates, first match wins: the workspace's, then the shipped ones."""
    dirs = []
    if workspace_root is not None:
        own = workspace_root / "templates"
        if own.is_dir():
            dirs.append(own / subdir if subdir else own)
    shipped = shipped_dir()
    if shipped is not None:
        folder = shipped / subdir if subdir else shipped
        if folder not in dirs:
            dirs.append(folder)
    return dirs


def environment(workspace_root: Path | None, subdir: str = "") -> jinja2.Environment:
    """A markdown environment loading from `template_dirs(workspace_root, subdir)`."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(folder) for folder in template_dirs(workspace_root, subdir)]),
        autoescape=False,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def available(workspace_root: Path | None, suffix: str = ENTRY_SUFFIX, subdir: str = "") -> list[str]:
    """Names of the templates found (without `suffix`), workspace and shipped together."""
    names = {
        path.name[: -len(suffix)]
        for folder in template_dirs(workspace_root, subdir)
        if folder.is_dir()
        for path in folder.iterdir()
        if path.name.endswith(suffix) and path.is_file()
    }
    return sorted(names)


def render(name: str, context: dict[str, Any], workspace_root: Path | None) -> str:
    """Render the entry template `name` (`entry` -> entry.md.j2) with `context`."""
    import jinja2

    file_name = name if name.endswith(".j2") else name + ENTRY_SUFFIX
    env = environment(workspace_root)
    try:
        template = env.get_template(file_name)
    except jinja2.TemplateNotFound:
        names = ", ".join(available(workspace_root)) or "none"
        where = " or ".join(str(folder) for folder in template_dirs(workspace_root)) or "no template folder"
        raise DevlogError(f"no template {name!r} (in {where}); available: {names}") from None
    except jinja2.TemplateSyntaxError as err:
        raise DevlogError(f"template syntax error: {err.message}", err.filename or file_name, err.lineno) from err
    try:
        return template.render(context)
    except jinja2.UndefinedError as err:
        raise DevlogError(f"template uses an unknown variable: {err.message}", template.filename) from err
