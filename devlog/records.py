"""A parsed log flattened into rows for the index: pure data, computed where the parsing happens.

Ids are local (0-based per table, per file); the store shifts them to real ids when it inserts,
so a worker process can build every row of a file without talking to the database.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from devlog.model import Entry, Item, ParseResult, Section
from devlog.people import find_people
from devlog.textindex import analyze

PEOPLE_KINDS = ("learned", "meeting")
# Sections are the keyword unit (FTS5 rows); list items long enough to say something on their own
# ("GPU 클라우드 비용: 2주 전에 신청해야…") are extra passages for semantic search. Shorter passages
# ("wrap up report 작성", a bare link) are not embedded: their vectors sit close to everything and
# crowd the semantic ranking (bench/search_quality.py).
EMBED_MIN_CHARS = 40


@dataclass
class FileRecords:
    path: str
    size: int
    mtime_ns: int
    hash: str
    status: str = "ok"
    reason: str | None = None
    # Each list holds tuples in the column order of devlog.store.columns, ids local.
    entries: list[tuple] = field(default_factory=list)
    sections: list[tuple] = field(default_factory=list)
    items: list[tuple] = field(default_factory=list)
    tables: list[tuple] = field(default_factory=list)
    table_rows: list[tuple] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)
    mentions: list[tuple] = field(default_factory=list)
    findings: list[tuple] = field(default_factory=list)
    passages: list[tuple] = field(default_factory=list)  # (... columns ..., fts tokens or None)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def embed_text(date: str | None, kind: str, heading_path: str, text: str) -> str:
    """What the embedder sees for a passage: its words with their context."""
    return f"{date or ''} [{kind}] {heading_path}\n{text}".strip()


def _item_text(item: Item) -> str:
    lines = [item.text]
    for child in item.items:
        lines.append(_item_text(child))
    return "\n".join(line for line in lines if line)


def build_records(result: ParseResult, path: str, size: int, mtime_ns: int, digest: str) -> FileRecords:
    rec = FileRecords(path, size, mtime_ns, digest)
    if not result.entries:
        rec.status = "skipped"
        rec.reason = "; ".join(f.message for f in result.findings) or "no content"
    for finding in result.findings:
        rec.findings.append((finding.path, finding.line, finding.code, finding.message))
    for ordinal, entry in enumerate(result.entries):
        entry_id = len(rec.entries)
        day = entry.date.isoformat() if entry.date else None
        rec.entries.append((entry_id, day, entry.author, entry.title, entry.line, ordinal))
        for section in entry.sections:
            _add_section(rec, entry, entry_id, day, section, None, [])
    return rec


def _add_section(
    rec: FileRecords,
    entry: Entry,
    entry_id: int,
    day: str | None,
    section: Section,
    parent: int | None,
    trail: list[str],
) -> None:
    section_id = len(rec.sections)
    heading_path = " > ".join([*trail, section.heading] if section.heading else trail)
    rec.sections.append(
        (
            section_id,
            entry_id,
            parent,
            section.kind,
            section.heading,
            heading_path,
            section.level,
            section.line,
            section.text,
            section_id,
        )
    )
    body = section.text
    if body:  # a bare heading is searched through its children's heading path
        context = embed_text(day, section.kind, heading_path, body)
        rec.passages.append(
            (
                entry_id,
                section_id,
                None,
                day,
                entry.author,
                entry.path,
                section.line,
                section.kind,
                heading_path,
                body,
                content_hash(context.encode()),
                analyze(f"{section.heading}\n{body}"),
            )
        )
    _add_items(rec, entry, entry_id, day, section, section_id, heading_path, section.items, None, 0)
    for table in section.tables:
        table_id = len(rec.tables)
        rec.tables.append((table_id, section_id, json.dumps(table.header, ensure_ascii=False), table.line))
        for ordinal, cells in enumerate(table.rows):
            rec.table_rows.append((table_id, ordinal, json.dumps(cells, ensure_ascii=False)))
    for link in section.links:
        rec.links.append((section_id, link.text, link.url, link.line))
    if section.kind in PEOPLE_KINDS:
        for name in find_people(f"{section.heading}\n{body}"):
            rec.mentions.append((entry_id, section_id, name, section.line))
    for child in section.sections:
        _add_section(
            rec, entry, entry_id, day, child, section_id, [*trail, section.heading] if section.heading else trail
        )


def _add_items(
    rec: FileRecords,
    entry: Entry,
    entry_id: int,
    day: str | None,
    section: Section,
    section_id: int,
    heading_path: str,
    items: list[Item],
    parent: int | None,
    depth: int,
) -> None:
    for item in items:
        item_id = len(rec.items)
        rec.items.append((item_id, section_id, parent, item.text, item.checked, depth, item.line, item_id))
        text = _item_text(item)
        if len(text) >= EMBED_MIN_CHARS:
            context = embed_text(day, section.kind, heading_path, text)
            rec.passages.append(
                (
                    entry_id,
                    section_id,
                    item_id,
                    day,
                    entry.author,
                    entry.path,
                    item.line,
                    section.kind,
                    heading_path,
                    text,
                    content_hash(context.encode()),
                    None,  # searched by keyword through its section; embedded on its own
                )
            )
        _add_items(rec, entry, entry_id, day, section, section_id, heading_path, item.items, item_id, depth + 1)
