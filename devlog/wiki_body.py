"""From an entry's rows in the index to its *digest*: everything the wiki's pages need from it, as
plain data (dicts, lists, str, int, bool, None) with every log text already markdown-safe.

A digest depends only on the entry's own rows (and the code), so `devlog build` keeps digests
between builds and recomputes only those of logs that changed. Pure: rows in, data out.

A digest comes in three parts:

- light (every build needs it for every entry): key (file hash and entry id: the content's
  identity), date, author, path, line, title (the log's), label (plain text, "2025-04-14 (월) ·
  minji"), title_md / author_md / source_md (markdown for the entry's page), counts (of
  shown sections per topic), persons ([[person, section index, heading]]), refs ([[key, title,
  url]], usable links), fixes ([[where, text, url]], placeholder or unusable links);
- heavy (only pages being rebuilt need it): sections ([[heading, depth, kind, body, issue_body,
  parent, generic]] in document order, `issue_body` with `**problem**: solution` items for issue
  sections, else None, `parent` the index of the parent section or -1, `generic` whether it is a
  top-level section whose heading only names its kind) and tasks ([[checked, text, markdown]],
  checkbox items);
- terms: the words relatedness is computed from, space-separated.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from devlog import wiki_md as md
from devlog.textindex import strip_particle

WEEKDAYS_KO = "월화수목금토일"
# Placeholders the log template leaves behind (as devlog.parser's `placeholder-link` check).
PLACEHOLDER_URLS = frozenset({"", "url", "#", "링크", "link", "http://", "https://", "todo"})
PLACEHOLDER_TEXTS = frozenset({"링크 제목", "link title", "title"})
# Sections whose words say what a day was about (plans and done lists repeat the neighbours).
# Retrospectives are mostly feelings ("진짜 뿌듯하다"), which would relate every day to every other.
TERM_KINDS = frozenset({"learned", "issue", "meeting", "links", "other"})
_TERM = re.compile(r"[A-Za-z][A-Za-z0-9+#]*(?:[._-][A-Za-z0-9+#]+)*|[\uac00-\ud7a3]{2,}")
_MAX_TERMS = 400
# Korean words that say nothing about a topic: verb and connective endings, and common fillers.
# (A small corpus cannot tell them from topic words by document frequency alone.)
_KO_ENDINGS = (
    "니까",
    "는데",
    "은데",
    "해서",
    "어서",
    "아서",
    "워서",
    "으면",
    "하고",
    "했다",
    "했음",
    "한다",
    "된다",
    "됐다",
    "있다",
    "없다",
    "하기",
    "해야",
    "려고",
    "지만",
    "면서",
    "니다",
    "었다",
    "았다",
    "였다",
    "겠다",
    "하는",
    "했는데",
    "하면",
    "해도",
    "라고",
    "다고",
    "하게",
    "되는",
    "있는",
    "없는",
    "같은",
    "같다",
)
_KO_STOP = frozenset(
    [
        "그래",
        "그리고",
        "근데",
        "그냥",
        "진짜",
        "정말",
        "너무",
        "다들",
        "다음",
        "계속",
        "많이",
        "이거",
        "저거",
        "그거",
        "이번",
        "오늘",
        "내일",
        "어제",
        "처음",
        "나중",
        "일단",
        "바로",
        "같이",
        "보고",
        "이라",
        "안에",
        "개씩",
        "우리",
        "각자",
        "모두",
        "하나",
        "정도",
        "먼저",
        "이제",
        "아직",
        "다시",
        "거의",
        "전부",
        "조금",
        "많은",
        "가장",
        "제일",
        "드디어",
        "생각",
        "부분",
        "경우",
    ]
)


@dataclass
class ItemRow:
    id: int
    parent_id: int | None
    text: str
    checked: bool | None
    depth: int
    line: int


@dataclass
class LinkRow:
    text: str
    url: str
    line: int
    usable: bool = field(init=False)  # a real web link (not a placeholder, not relative, not javascript:)

    def __post_init__(self) -> None:
        self.usable = not is_placeholder(self.text, self.url) and md.is_web_url(self.url)


@dataclass
class TableRow:
    header: list[str]
    rows: list[list[str]]
    line: int


@dataclass
class SectionRow:
    id: int
    entry_id: int
    parent_id: int | None
    kind: str
    heading: str
    level: int
    line: int
    text: str
    items: list[ItemRow] = field(default_factory=list)
    tables: list[TableRow] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)


def is_placeholder(text: str, url: str) -> bool:
    return url.strip().lower() in PLACEHOLDER_URLS or text.strip().lower() in PLACEHOLDER_TEXTS


def entry_label(day: str | None, author: str | None) -> str:
    """How a day is named in links (plain text): `2025-04-14 (월)`, `2025-04-14 (월) · minji`."""
    when = f"{day} ({WEEKDAYS_KO[date.fromisoformat(day).weekday()]})" if day else "날짜 없음"
    return md.wiki_label(f"{when} · {author}" if author else when)


def url_key(url: str) -> str:
    """URLs that differ only in the case of scheme and host, a trailing slash or a fragment are one reference."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}" + (f"?{parts.query}" if parts.query else "")


# ---------------------------------------------------------------------------- rows -> digests

# topic -> section kinds shown on its pages (learnings, issues, retros) or week sections (done).
TOPIC_KINDS: dict[str, tuple[str, ...]] = {
    "learnings": ("learned", "meeting"),
    "issues": ("issue",),
    "retros": ("retro",),
    "done": ("done",),
}


def digest_rows(
    entries: list[tuple],
    sections: list[tuple],
    items: list[tuple],
    tables: list[tuple],
    table_rows: list[tuple],
    links: list[tuple],
    mentions: list[tuple],
) -> dict[int, tuple[dict[str, Any], dict[str, Any], str]]:
    """Entry id -> (light, heavy, terms), for the entries given (rows as devlog.store.wiki_queries returns them)."""
    by_section: dict[int, SectionRow] = {}
    per_entry: dict[int, list[SectionRow]] = defaultdict(list)
    for sid, eid, parent, kind, heading, level, line, text in sections:
        section = SectionRow(sid, eid, parent, kind, heading or "", level, line, text or "")
        by_section[sid] = section
        per_entry[eid].append(section)
    for iid, sid, parent, text, checked, depth, line in items:
        owner = by_section.get(sid)
        if owner is not None:
            owner.items.append(
                ItemRow(iid, parent, text or "", None if checked is None else bool(checked), depth, line)
            )
    by_table: dict[int, TableRow] = {}
    for tid, sid, header, line in tables:
        owner = by_section.get(sid)
        if owner is not None:
            by_table[tid] = TableRow([str(c) for c in json.loads(header)], [], line)
            owner.tables.append(by_table[tid])
    for tid, cells in table_rows:
        if tid in by_table:
            by_table[tid].rows.append([str(c) for c in json.loads(cells)])
    for sid, text, url, line in links:
        owner = by_section.get(sid)
        if owner is not None:
            owner.links.append(LinkRow(text or "", url or "", line))
    for person, _eid, sid in mentions:
        owner = by_section.get(sid)
        if owner is not None and person not in owner.persons:
            owner.persons.append(person)
    out = {}
    for eid, day, author, path, line, title, _file_id, file_hash, *_ in entries:
        out[eid] = entry_digest(f"{file_hash}:{eid}", day, author, path, line, title or "", per_entry.get(eid, []))
    return out


def entry_digest(
    key: str, day: str | None, author: str | None, path: str, line: int, title: str, sections: list[SectionRow]
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """(light, heavy, terms) of one entry from its sections (document order, items, tables, links attached)."""
    index_of = {section.id: n for n, section in enumerate(sections)}
    depth: dict[int, int] = {}
    rows: list[list[Any]] = []
    persons: list[list[Any]] = []
    refs, fixes, tasks = [], [], []
    words: list[str] = []
    for number, section in enumerate(sections):
        parent = index_of.get(section.parent_id, -1) if section.parent_id is not None else -1
        depth[section.id] = depth[section.parent_id] + 1 if section.parent_id in depth else 0
        heading = md.heading(section.heading) if section.heading else ""
        body = render_body(section)
        issue_body = render_body(section, issue_style=True) if section.kind == "issue" else None
        generic = parent == -1 and is_kind_name(section.heading, section.kind)
        rows.append([heading, depth[section.id], section.kind, body, issue_body, parent, generic])
        for person in sorted(section.persons):
            persons.append([person, number, heading])
        for found in section.links:
            if found.usable:
                refs.append([url_key(found.url), md.label(found.text or found.url), md.url(found.url)])
            else:
                where = md.inline(f"{path}:{found.line}")
                fixes.append([where, md.inline(found.text) or "(no text)", md.inline(found.url) or "(no URL)"])
        for item in section.items:
            text = " ".join(item.text.split())
            if item.checked is not None and text:
                tasks.append([item.checked, text, md.inline(text)])
        if section.kind in TERM_KINDS:
            words.append(section.heading)
            words.append(section.text)
    label = entry_label(day, author)
    light = {
        "key": key,
        "date": day,
        "author": author,
        "path": path,
        "line": line,
        "title": title,
        "label": label,
        "title_md": md.heading(label),
        "author_md": md.label(author or ""),
        "source_md": md.inline(f"{path}:{line}"),
        "counts": {topic: len(shown_sections(rows, kinds)) for topic, kinds in TOPIC_KINDS.items()},
        "persons": persons,
        "refs": refs,
        "fixes": fixes,
    }
    heavy = {"sections": rows, "tasks": tasks}
    return light, heavy, " ".join(terms_of("\n".join(words)))


def shown_sections(
    sections: list[list[Any]], kinds: tuple[str, ...], issue_style: bool = False
) -> list[dict[str, Any]]:
    """An entry's sections of these kinds that have content (heavy `sections` rows), each with its
    depth counted among the sections shown."""
    out: list[dict[str, Any]] = []
    shown: dict[int, int] = {}
    for number, (heading, _depth, kind, body, issue_body, parent, generic) in enumerate(sections):
        if kind not in kinds:
            continue
        text = issue_body if issue_style and issue_body is not None else body
        while parent >= 0 and parent not in shown:
            parent = sections[parent][5]
        if text:
            shown[number] = shown[parent] + 1 if parent >= 0 else 0
            out.append({"heading": "" if generic else heading, "depth": shown[number], "kind": kind, "body": text})
    return out


@lru_cache(maxsize=1)
def _kind_names() -> dict[str, str]:
    from devlog.kinds import _default_aliases, normalize_heading

    return {
        normalize_heading(name).replace(" ", ""): kind for kind, names in _default_aliases().items() for name in names
    }


def is_kind_name(heading: str, kind: str) -> bool:
    """Whether a heading only names its section's kind ("오늘의 회고", "Issues"): topic pages, which
    gather sections of that kind, leave such headings out."""
    from devlog.kinds import normalize_heading

    return _kind_names().get(normalize_heading(heading).replace(" ", "")) == kind


def terms_of(text: str) -> list[str]:
    """Words for relatedness: Latin words of 3+ letters (lower-cased) and Korean words of 2+ syllables
    without their particle, sorted; at most _MAX_TERMS of them."""
    out = set()
    for word in set(_TERM.findall(text)):
        if word.isascii():
            if len(word) >= 3:
                out.add(word.lower())
        else:
            stem = _korean_term(word)
            if stem:
                out.add(stem)
    return sorted(out)[:_MAX_TERMS]


@lru_cache(maxsize=65536)
def _korean_term(word: str) -> str:
    """The word without its particle, or "" when it says nothing about a topic."""
    if word.endswith(_KO_ENDINGS):
        return ""
    stem = strip_particle(word)
    return stem if len(stem) >= 2 and stem not in _KO_STOP else ""


# ---------------------------------------------------------------------------- section bodies


@dataclass
class _Block:
    kind: str  # items | table | text
    items: list[ItemRow] = field(default_factory=list)
    table: TableRow | None = None
    lines: list[str] = field(default_factory=list)


def section_blocks(section: SectionRow) -> list[_Block]:
    """The section's content in document order: lists, tables and the other text between them.

    The index keeps a section's text (paragraphs, list lines, table rows, code) and its items and
    tables; the text's lines are matched against the items and tables in order, and what is left
    in between is paragraph or code text.
    """
    lines = section.text.split("\n") if section.text else []
    items = section.items
    tables = section.tables
    blocks: list[_Block] = []
    ii = ti = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip(" ")
        if ii < len(items) and stripped.startswith("-"):
            item = items[ii]
            first = stripped[2:] if stripped.startswith("- ") else ""
            if (stripped == "-" and not item.text) or (first and item.text.startswith(first)):
                rest = item.text[len(first) :].strip()
                i += 1
                while rest and i < len(lines) and lines[i].strip() and rest.startswith(lines[i].strip()):
                    rest = rest[len(lines[i].strip()) :].strip()
                    i += 1
                if blocks and blocks[-1].kind == "items":
                    blocks[-1].items.append(item)
                else:
                    blocks.append(_Block("items", items=[item]))
                ii += 1
                continue
        if ti < len(tables) and line == " | ".join(tables[ti].header):
            table = tables[ti]
            i += 1
            for row in table.rows:
                if i < len(lines) and lines[i] == " | ".join(row):
                    i += 1
            blocks.append(_Block("table", table=table))
            ti += 1
            continue
        if blocks and blocks[-1].kind == "text":
            blocks[-1].lines.append(line)
        elif line.strip():
            blocks.append(_Block("text", lines=[line]))
        i += 1
    if ii < len(items):
        blocks.append(_Block("items", items=items[ii:]))
    for table in tables[ti:]:
        blocks.append(_Block("table", table=table))
    return blocks


class _Linker:
    """Puts a section's links back into its text: `[text](url)` where the text shows the link's words."""

    def __init__(self, links: list[LinkRow]) -> None:
        self.links = [link for link in links if link.usable and link.text.strip()]
        self.used = [False] * len(self.links)
        self.placeholders = {(link.line, link.text.strip()) for link in links if not link.usable}

    def render(self, raw: str, line: int | None, line_start: bool = True) -> str:
        raw = " ".join(raw.split())
        if not self.links:
            return md.inline(raw, line_start)
        out: list[str] = []
        cursor = 0
        for index, found in enumerate(self.links):
            if self.used[index] or (line is not None and found.line != line):
                continue
            text = " ".join(found.text.split())
            pos = raw.find(text, cursor)
            if pos < 0:
                continue
            self.used[index] = True
            out.append(md.inline(raw[cursor:pos], line_start and cursor == 0))
            out.append(md.link(md.label(text), md.url(found.url)))
            cursor = pos + len(text)
        out.append(md.inline(raw[cursor:], line_start and cursor == 0))
        return "".join(out).strip()

    def is_placeholder_item(self, item: ItemRow) -> bool:
        """An item that is only a placeholder link (`[링크 제목](URL)`): left out of the cleaned-up log."""
        return bool(self.placeholders) and (item.line, item.text.strip()) in self.placeholders


def _issue_text(rendered: str) -> str:
    """`problem: what was done` -> `**problem**: what was done` (short plain problems only)."""
    head, sep, rest = rendered.partition(": ")
    balanced = head.count("(") == head.count(")") and head.count('"') % 2 == 0
    if sep and balanced and 0 < len(head) <= 50 and not any(ch in head for ch in "*_`[]\\") and rest.strip():
        return f"**{head}**: {rest}"
    return rendered


def render_body(section: SectionRow, issue_style: bool = False) -> str:
    """The section's own content (not its subsections) as markdown."""
    if not section.text and not section.items and not section.tables:
        return ""
    linker = _Linker(section.links)
    parts: list[str] = []
    for block in section_blocks(section):
        if block.kind == "items":
            lines = []
            keep = [item for item in block.items if not linker.is_placeholder_item(item)]
            base = min((item.depth for item in keep), default=0)
            for item in keep:
                box = "" if item.checked is None else ("[x] " if item.checked else "[ ] ")
                text = linker.render(item.text, item.line)
                if issue_style and item.depth == base:
                    text = _issue_text(text)
                lines.append(f"{'  ' * (item.depth - base)}- {box}{text}".rstrip())
            if lines:
                parts.append("\n".join(lines))
        elif block.kind == "table" and block.table is not None:
            parts.append(_table(block.table, linker))
        else:
            text_lines = _trim_blank(block.lines)
            if not text_lines:
                continue
            if any(line[:1] in (" ", "\t") for line in text_lines):
                parts.append(md.code_fence([line.rstrip() for line in text_lines]))
                continue
            for paragraph in "\n".join(text_lines).split("\n\n"):
                rendered = [linker.render(line, None) for line in paragraph.split("\n") if line.strip()]
                if rendered:
                    parts.append("\\\n".join(rendered))
    return "\n\n".join(parts)


def _trim_blank(lines: list[str]) -> list[str]:
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _table(table: TableRow, linker: _Linker) -> str:
    width = max([len(table.header), 1, *(len(row) for row in table.rows)])

    def row_md(cells: list[str]) -> str:
        padded = [*cells, *([""] * (width - len(cells)))][:width]
        return "| " + " | ".join(linker.render(c, table.line, False).replace("|", "\\|") for c in padded) + " |"

    lines = [row_md(table.header), "|" + " --- |" * width]
    lines += [row_md(row) for row in table.rows]
    return "\n".join(lines)
