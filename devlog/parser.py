"""Daily logs in, domain objects out: markdown-it-py tokens, never rendered HTML.

`parse_bytes` never raises on file content: every oddity becomes a Finding with its line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from devlog.dates import DateMatch, date_from_path, find_date
from devlog.kinds import KindTable, default_table
from devlog.model import Entry, Finding, Item, Link, ParseResult, Section, Table

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_BINARY_SNIFF = 8192
_BOLD_HEADING_MAX = 80
_PROPERTY_SCAN_LINES = 15
# One character class per stretch: nested quantifiers here backtrack exponentially on a line of dashes.
_PROPERTY = re.compile(r"^[\s#>*\-_]*(?:날짜|일자|일시|작성일|date)[\s*_]*[:：]\s*(.+)$", re.I)
_FIRST_LINE_MAX = 80
_CHECKBOX = re.compile(r"^\[([ xX])\](?:\s+|$)")
_TAG = re.compile(r"<[^<>]*>")
_DIGIT = re.compile(r"\d")
_PLACEHOLDER_URLS = {"", "url", "#", "링크", "link", "http://", "https://", "todo"}
_PLACEHOLDER_TEXTS = {"링크 제목", "link title", "title"}

_md: MarkdownIt | None = None


def _markdown() -> MarkdownIt:
    global _md
    if _md is None:
        from markdown_it import MarkdownIt

        _md = MarkdownIt("commonmark").enable("table")
    return _md


# ---------------------------------------------------------------- decoding


@dataclass
class Decoded:
    text: str
    findings: list[Finding] = field(default_factory=list)
    binary: bool = False


def decode(data: bytes, path: str) -> Decoded:
    """Bytes of a log to NFC text with LF line ends; never raises."""
    findings = []
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a BOM (Notepad's "Unicode"): text, not binary
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            findings.append(Finding(path, 1, "undecodable", "invalid UTF-16, bad bytes replaced with U+FFFD"))
            data = data.decode("utf-16", errors="replace").encode("utf-8")
    if b"\x00" in data[:_BINARY_SNIFF]:
        return Decoded("", [Finding(path, 1, "binary", "binary file, skipped")], binary=True)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        findings.append(Finding(path, line, "undecodable", "invalid UTF-8, bad bytes replaced with U+FFFD"))
        text = data.decode("utf-8", errors="replace")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return Decoded(text, findings)


def _split_front_matter(text: str) -> tuple[dict[str, str], dict[str, int], str]:
    """Simple `key: value` YAML front matter and the line of each key; its lines are blanked so
    line numbers stay true."""
    if not text.startswith("---\n"):
        return {}, {}, text
    lines = text.split("\n")
    for end in range(1, min(len(lines), 200)):
        if lines[end].strip() in ("---", "..."):
            meta = {}
            key_lines = {}
            for number, raw in enumerate(lines[1:end], start=2):
                key, sep, value = raw.partition(":")
                if sep and key.strip() and not raw.startswith((" ", "\t")):
                    meta[key.strip().lower()] = value.strip().strip("\"'")
                    key_lines[key.strip().lower()] = number
            return meta, key_lines, "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    return {}, {}, text


def _line(token: Token) -> int:
    """1-based first line of a block token (0 when markdown-it gives none)."""
    return token.map[0] + 1 if token.map else 0


# ---------------------------------------------------------------- inline text


def _inline_text(token: Token, links: list[Link] | None, line: int, breaks: str = "\n") -> str:
    """Plain text of an inline token; links found on the way are appended to `links`."""
    children = token.children
    if not children:
        return token.content
    parts: list[str] = []
    link_start = -1
    href = ""
    for child in children:
        kind = child.type
        if kind == "text" or kind == "code_inline" or kind == "image":
            parts.append(child.content)  # an image's content is its alt text
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append(breaks)
        elif kind == "link_open":
            link_start = len(parts)
            href = str(child.attrs.get("href", ""))
        elif kind == "link_close":
            if links is not None and link_start >= 0:
                links.append(Link("".join(parts[link_start:]).strip(), href, line))
            link_start = -1
        elif kind == "html_inline" and child.content.lower().startswith("<br"):
            parts.append(breaks)
    return "".join(parts).strip()


def _bold_heading(token: Token) -> tuple[str, list[Token]] | None:
    """If the first line of a paragraph is only bold text, that text and the rest of the paragraph."""
    children = token.children or []
    depth = 0
    started = False
    words: list[str] = []
    for index, child in enumerate(children):
        kind = child.type
        if kind == "strong_open":
            if not started and depth == 0:
                started = True
            elif depth == 0:
                return None
            depth += 1
        elif kind == "strong_close":
            depth -= 1
        elif kind in ("softbreak", "hardbreak"):
            if depth == 0 and started:
                return _bold_result(words, children[index + 1 :])
            if not started:
                return None
            words.append(" ")
        elif kind == "html_inline" and child.content.lower().startswith("<br"):
            if depth == 0 and started:
                return _bold_result(words, children[index + 1 :])
        elif kind == "text" and depth == 0:
            rest = child.content.strip()
            if rest and not (started and rest in (":", "：")):  # "**회고**:" is still a bold line
                return None
        elif depth == 0:
            return None
        elif kind in ("text", "code_inline"):
            words.append(child.content)
    return _bold_result(words, []) if started and depth == 0 else None


def _bold_result(words: list[str], rest: list[Token]) -> tuple[str, list[Token]] | None:
    text = "".join(words).strip()
    if not text or len(text) > _BOLD_HEADING_MAX:
        return None
    return text, rest


# ---------------------------------------------------------------- structure


@dataclass
class _Heading:
    index: int  # token index of heading_open
    level: int
    text: str
    line: int
    date: DateMatch | None


class _Builder:
    """Walks the token stream once, keeping a stack of open sections per entry."""

    def __init__(self, path: str, kinds: KindTable) -> None:
        self.path = path
        self.kinds = kinds
        self.entries: list[Entry] = []
        self.findings: list[Finding] = []
        self.entry: Entry | None = None
        self.stack: list[Section] = []
        self.base_level = 0
        self.heading_level = 0  # level of the last real heading: bold-line sections nest below it
        self.entry_kind: str | None = None
        self.texts: dict[int, list[str]] = {}

    # -- sections
    def start_entry(self, line: int, title: str, base_level: int, kind: str | None = None) -> None:
        self.close_sections()
        self.entry = Entry(path=self.path, line=line, title=title)
        self.entries.append(self.entry)
        self.stack = []
        self.base_level = base_level
        self.heading_level = base_level
        self.entry_kind = kind  # a title that names a kind ("# 2025-04-10 회고") is the parent of every section

    def open_section(self, heading: str, level: int, line: int) -> Section:
        # The untitled section (level 0) of content before any heading is no parent of what follows.
        while self.stack and (self.stack[-1].level >= level or self.stack[-1].level == 0):
            self._close(self.stack.pop())
        own = self.kinds.kind_of(heading)
        parent = self.stack[-1] if self.stack else None
        kind = own or (parent.kind if parent else self.entry_kind or "other")
        section = Section(heading=heading, level=level, line=line, kind=kind, own_kind=own is not None)
        if parent is not None:
            parent.sections.append(section)
        else:
            self.current_entry(line).sections.append(section)
        self.stack.append(section)
        return section

    def current_entry(self, line: int) -> Entry:
        if self.entry is None:
            self.start_entry(line, "", 0)
        assert self.entry is not None
        return self.entry

    def current(self, line: int) -> Section:
        """The section that content at `line` belongs to; content before any heading gets an untitled one."""
        if self.stack:
            return self.stack[-1]
        return self.open_section("", 0, line)

    def add_text(self, section: Section, text: str) -> None:
        if text:
            self.texts.setdefault(id(section), []).append(text)

    def _close(self, section: Section) -> None:
        parts = self.texts.pop(id(section), None)
        if parts:
            section.text = "\n".join(parts)

    def close_sections(self) -> None:
        while self.stack:
            self._close(self.stack.pop())

    # -- blocks
    def list_block(self, tokens: list[Token], start: int, section: Section, depth: int) -> tuple[list[Item], int]:
        """Items of the list opening at `start`, and the index just after it."""
        close_type = tokens[start].type.replace("_open", "_close")
        level = tokens[start].level
        items: list[Item] = []
        i = start + 1
        current: Item | None = None
        indent = "  " * depth
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == close_type and token.level == level:
                return items, i + 1
            if kind == "list_item_open":
                line = _line(token)
                current = Item(text="", line=line)
                items.append(current)
            elif kind == "inline" and current is not None:
                text = _inline_text(token, section.links, current.line, " ")
                if not current.text and not current.items:
                    match = _CHECKBOX.match(text)
                    if match:
                        current.checked = match.group(1) != " "
                        text = text[match.end() :]
                    current.text = text
                    self.add_text(section, f"{indent}- {text}")
                else:
                    current.text = f"{current.text} {text}".strip()
                    self.add_text(section, f"{indent}  {text}")
            elif kind in ("bullet_list_open", "ordered_list_open") and current is not None:
                children, i = self.list_block(tokens, i, section, depth + 1)
                current.items.extend(children)
                continue
            elif kind == "table_open":
                i = self.table_block(tokens, i, section)
                continue
            elif kind in ("fence", "code_block"):
                self.add_text(section, token.content.rstrip("\n"))
            elif kind == "html_block":
                self.add_text(section, _TAG.sub("", token.content).strip())
            i += 1
        return items, i

    def table_block(self, tokens: list[Token], start: int, section: Section) -> int:
        line = _line(tokens[start])
        header: list[str] = []
        rows: list[list[str]] = []
        row: list[str] = []
        in_head = False
        i = start + 1
        while i < len(tokens):
            token = tokens[i]
            kind = token.type
            if kind == "table_close":
                break
            if kind == "thead_open":
                in_head = True
            elif kind == "thead_close":
                in_head = False
            elif kind == "tr_open":
                row = []
            elif kind == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(row)
            elif kind == "inline":
                row.append(_inline_text(token, section.links, line, " "))
            i += 1
        section.tables.append(Table(header, rows, line))
        self.add_text(section, " | ".join(header))
        for cells in rows:
            self.add_text(section, " | ".join(cells))
        return i + 1


def _headings(tokens: list[Token]) -> list[_Heading]:
    out = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            inline = tokens[index + 1]
            text = _inline_text(inline, None, 0, " ")
            line = _line(token)
            dated = find_date(text) if _DIGIT.search(text) else None  # every date form has digits
            out.append(_Heading(index, int(token.tag[1]), text, line, dated))
    return out


def _entry_headings(headings: list[_Heading]) -> dict[int, _Heading]:
    """Headings that each open an entry, when a file holds several dated days."""
    dated = [h for h in headings if h.date is not None]
    if len(dated) < 2:
        return {}
    top = min(h.level for h in dated)
    same_level = [h for h in dated if h.level == top]
    if len(same_level) < 2 or len({h.date for h in same_level}) < 2:
        return {}
    return {h.index: h for h in same_level}


def _title_heading(tokens: list[Token], headings: list[_Heading]) -> _Heading | None:
    """The heading that titles a one-day file: the first block, dated or alone at its level."""
    if not headings:
        return None
    first = headings[0]
    for token in tokens[: first.index]:
        if token.type not in ("html_block",) and token.level == 0:
            return None
    if first.date is not None or not any(h.level <= first.level for h in headings[1:]):
        return first
    return None


def _subtitle(title: _Heading, headings: list[_Heading], kinds: KindTable) -> _Heading | None:
    """`# 25 July 2018` + `# or, a braindump`: a heading right after the title, at its level,
    that names neither a date nor a section kind, continues the title."""
    following = headings[1] if len(headings) > 1 and headings[0] is title else None
    if following is None or following.index != title.index + 3 or following.level != title.level:
        return None
    if following.date is not None or kinds.kind_of(following.text) is not None:
        return None
    return following


def parse_text(text: str, path: str, author: str | None = None, kinds: KindTable | None = None) -> ParseResult:
    """Parse one log's text into entries (usually one; several for a file of dated days)."""
    kinds = kinds or default_table()
    meta, meta_lines, body = _split_front_matter(text)
    tokens = _markdown().parse(body)
    headings = _headings(tokens)
    builder = _Builder(path, kinds)
    splits = _entry_headings(headings)
    title = None if splits else _title_heading(tokens, headings)
    subtitle = _subtitle(title, headings, kinds) if title is not None else None
    if title is not None:
        text_of = f"{title.text} — {subtitle.text}" if subtitle is not None else title.text
        builder.start_entry(title.line, text_of, title.level, kinds.kind_of(title.text))

    i = 0
    count = len(tokens)
    while i < count:
        token = tokens[i]
        kind = token.type
        if kind == "heading_open":
            heading_line = _line(token)
            text_of = _inline_text(tokens[i + 1], None, heading_line, " ")
            if i in splits:
                builder.start_entry(heading_line, text_of, int(token.tag[1]), kinds.kind_of(text_of))
                builder.entry.date = _checked_date(splits[i].date, path, heading_line, builder.findings)  # type: ignore[union-attr]
            elif (title is not None and i == title.index) or (subtitle is not None and i == subtitle.index):
                pass
            else:
                level = max(int(token.tag[1]), builder.base_level + 1)
                builder.open_section(text_of, level, heading_line)
                builder.heading_level = level
            i += 3
            continue
        line = _line(token)
        if kind == "paragraph_open":
            inline = tokens[i + 1]
            bold = _bold_heading(inline) if token.level == 0 else None
            if bold is not None:
                heading, rest = bold
                # A bold line nests under the last real heading, beside other bold lines.
                section = builder.open_section(heading, builder.heading_level + 1, line)
                if rest:
                    inline.children = rest
                    builder.add_text(section, _inline_text(inline, section.links, line))
            else:
                section = builder.current(line)
                builder.add_text(section, _inline_text(inline, section.links, line))
            i += 3
            continue
        if kind in ("bullet_list_open", "ordered_list_open"):
            section = builder.current(line)
            items, i = builder.list_block(tokens, i, section, 0)
            section.items.extend(items)
            continue
        if kind == "table_open":
            i = builder.table_block(tokens, i, builder.current(line))
            continue
        if kind in ("fence", "code_block"):
            builder.add_text(builder.current(line), token.content.rstrip("\n"))
        elif kind == "html_block":
            stripped = _TAG.sub("", token.content).strip()
            if stripped:
                builder.add_text(builder.current(line), stripped)
        i += 1
    builder.close_sections()

    if splits and builder.entries and builder.entries[0].line < min(splits.values(), key=lambda h: h.line).line:
        _fold_preamble(builder.entries)
    if not builder.entries:
        builder.start_entry(1, "", 0)
        builder.close_sections()
    findings = builder.findings
    if not splits:
        entry = builder.entries[0]
        entry.date = _single_date(meta, meta_lines.get("date", 1), body, headings, path, findings)
        entry.title = meta.get("title") or entry.title or (headings[0].text if headings else "")
    for entry in builder.entries:
        entry.author = meta.get("author") or author
    _lint(builder.entries, findings, path)
    return ParseResult(builder.entries, findings)


def _fold_preamble(entries: list[Entry]) -> None:
    """What stands before the first dated heading is the file's title: a bare heading is dropped,
    anything with content joins the first day rather than becoming a day without a date."""
    preamble = entries.pop(0)
    kept = [section for section in preamble.sections if not section.is_empty()]
    entries[0].sections[:0] = kept


def _checked_date(found: DateMatch | None, path: str, line: int, findings: list[Finding]) -> date | None:
    if found is None:
        return None
    if found.value is None:
        findings.append(Finding(path, line, "bad-date", f"{found.raw!r} is not a real date"))
    return found.value


def _single_date(
    meta: dict[str, str], meta_line: int, body: str, headings: list[_Heading], path: str, findings: list[Finding]
) -> date | None:
    """The date of a one-day file; the first source that names one wins."""
    if meta.get("date"):
        value = _checked_date(find_date(meta["date"], compact=True), path, meta_line, findings)
        if value:
            return value
    lines = body.split("\n", 60)[:60]
    seen = 0
    property_lines: set[int] = set()  # already read (and reported when bad) as a `날짜:` line
    first_content: tuple[int, str] | None = None
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if first_content is None:
            first_content = (number, raw)
        seen += 1
        if seen > _PROPERTY_SCAN_LINES:
            break
        match = _PROPERTY.match(raw)
        if match:
            value = _checked_date(find_date(match.group(1), compact=True), path, number, findings)
            if value:
                return value
            property_lines.add(number)
    if headings and headings[0].date is not None and headings[0].line not in property_lines:
        value = _checked_date(headings[0].date, path, headings[0].line, findings)
        if value:
            return value
    from_path = date_from_path(path)
    if from_path is not None:
        return from_path
    # Last resort, after the file name: a short first line that carries a stamp ("240716 오전 회의").
    if first_content is not None and len(first_content[1]) <= _FIRST_LINE_MAX:
        found = find_date(first_content[1], compact=True)
        if found and found.value:
            return found.value
    return None


def _lint(entries: list[Entry], findings: list[Finding], path: str) -> None:
    seen: dict[tuple[date | None, str | None], int] = {}
    for entry in entries:
        top_level = {id(section) for section in entry.sections}
        if entry.date is None:
            findings.append(Finding(path, entry.line, "no-date", "no date in front matter, headings or file name"))
        else:
            key = (entry.date, entry.author)
            if key in seen:
                findings.append(
                    Finding(path, entry.line, "duplicate-date", f"{entry.date} already appears at line {seen[key]}")
                )
            else:
                seen[key] = entry.line
        for section in entry.walk():
            named_children = any(child.own_kind for child in section.sections)
            if section.heading and section.kind == "other" and id(section) in top_level and not named_children:
                findings.append(
                    Finding(path, section.line, "unknown-section", f"no known kind for {section.heading!r}")
                )
            if section.heading and section.is_empty():
                findings.append(Finding(path, section.line, "empty-section", f"{section.heading!r} is empty"))
            for link in section.links:
                if link.url.strip().lower() in _PLACEHOLDER_URLS or link.text.strip().lower() in _PLACEHOLDER_TEXTS:
                    findings.append(
                        Finding(path, link.line, "placeholder-link", f"[{link.text}]({link.url}) needs a real link")
                    )
    findings.sort(key=lambda f: f.line)


def parse_bytes(data: bytes, path: str, author: str | None = None, kinds: KindTable | None = None) -> ParseResult:
    """Parse a log file's raw bytes. Never raises on content; problems become findings."""
    decoded = decode(data, path)
    if decoded.binary:
        return ParseResult([], decoded.findings)
    result = parse_text(decoded.text, path, author, kinds)
    result.findings[:0] = decoded.findings
    return result
