"""Markdown for GitHub / GitLab wikis: page names, links, and log text made safe to insert.

Text in the index is the plain text of the logs (inline markup already read away by the parser).
It goes into pages as markdown, but anything in it that could break the page's structure is
escaped: HTML tags (`<script>`, a stray `</details>`, `<!--`), a block marker at the start of a
line (`#`, `>`, `-`, `1.`, a fence, `|`), brackets (which could start a link, an image or a
`[[wiki link]]`), and `|` in table cells. Emphasis marks and backticks are left alone: at worst
they style a few words of one item. Pure and stdlib-only.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

MAX_NAME = 100

_SPACES = re.compile(r"\s+")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_BRACKETS = re.compile(r"([\[\]])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")
_BLOCK_CHARS = frozenset("#>+-*=_|~`")
_CLOSING_HASHES = re.compile(r"(\s)(#+)$")
_DASHES = re.compile(r"-{2,}")
_SIMPLE_NAME = re.compile(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*")
_LINK_SCHEMES = ("http", "https", "mailto")


def page_name(text: str) -> str:
    """A flat wiki page name: letters (Korean too), digits, `_` and `-`; spaces and anything else
    become `-`. Never empty, never starting with `_` (GitHub reserves `_Sidebar`, `_Footer`)."""
    if len(text) <= MAX_NAME and _SIMPLE_NAME.fullmatch(text):
        return text
    text = unicodedata.normalize("NFC", text)
    chars = [ch if (ch.isalnum() or ch == "_") else "-" for ch in text]
    name = _DASHES.sub("-", "".join(chars)).strip("-_")
    return name[:MAX_NAME].rstrip("-_") or "page"


def link(label: str, url: str) -> str:
    """A markdown link to a web page: `[label](url)` (label markdown, url from `url()`)."""
    return f"[{label}]({url})"


def page_link(label: str, page: str) -> str:
    """A link to another page of the wiki in GitHub's wiki form, `[[label|Page-Name]]`: the wiki
    resolves it by page name from any page (Home and _Sidebar too) and shows it red when the page
    is missing; GitLab wikis read it too. `label` is plain text."""
    return f"[[{wiki_label(label) or page}|{page}]]"


def wiki_label(text: str) -> str:
    """Plain text fit for a `[[label|page]]`: one line, without the brackets and bar that end it."""
    return _SPACES.sub(" ", text.replace("[", "(").replace("]", ")").replace("|", "/")).strip()


def inline(text: str, line_start: bool = True) -> str:
    """Log text for one line of a page (a list item, a heading, a sentence): newlines and runs of
    spaces become one space; HTML tags, brackets and (at the line's start) block markers are escaped."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    if line_start:
        text = text.lstrip()
    if "<" in text:
        text = _TAG_START.sub("&lt;", text)
    if "[" in text or "]" in text:
        text = _BRACKETS.sub(r"\\\1", text)
    if line_start and text and (text[0] in _BLOCK_CHARS or text[0].isdigit()):
        text = _escape_line_start(text)
    return text


def _escape_line_start(text: str) -> str:
    if not text:
        return text
    ordered = _ORDERED.match(text)
    if ordered:
        return f"{ordered.group(1)}\\{text[ordered.end(1) :]}"
    if text[0] in _BLOCK_CHARS:
        return "\\" + text
    return text


def heading(text: str) -> str:
    """Text for an ATX heading: inline-safe, and a trailing ` #` is not taken as the closing sequence."""
    escaped = inline(text).strip()
    return _CLOSING_HASHES.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped) or "(untitled)"


def cell(text: str) -> str:
    """Text for a table cell: inline-safe and `|` escaped."""
    return inline(text, line_start=False).strip().replace("|", "\\|")


def label(text: str) -> str:
    """Text for a link label: inline-safe (brackets escaped)."""
    return inline(text).strip()


def is_web_url(url: str) -> bool:
    """Whether a URL can be linked from a wiki page: absolute http(s) with a host, or mailto."""
    url = url.strip()
    if not url or _SPACES.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme.lower() not in _LINK_SCHEMES:
        return False
    return parts.scheme.lower() == "mailto" or bool(parts.netloc)


def url(value: str) -> str:
    """A web URL as a markdown link destination (characters that would end it percent-encoded)."""
    out = value.strip()
    for raw, encoded in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), (" ", "%20")):
        out = out.replace(raw, encoded)
    return out


def code_fence(lines: list[str]) -> str:
    """A fenced code block whose fence is longer than any backtick run inside it."""
    longest = max((len(run) for text in lines for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return "\n".join([fence + "text", *lines, fence])
