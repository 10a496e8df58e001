"""Plain-text views of domain objects for the terminal (no colour, no click)."""

from __future__ import annotations

from devlog.model import Entry, Item, Section


def _items(items: list[Item], depth: int, out: list[str]) -> None:
    for item in items:
        box = "" if item.checked is None else ("[x] " if item.checked else "[ ] ")
        out.append(f"{'  ' * depth}- {box}{item.text}")
        _items(item.items, depth + 1, out)


def _section(section: Section, depth: int, out: list[str]) -> None:
    pad = "  " * depth
    out.append(f"{pad}[{section.kind}] {section.heading or '(untitled)'}  (line {section.line})")
    _items(section.items, depth + 1, out)
    for table in section.tables:
        out.append(f"{pad}  table: {' | '.join(table.header)} ({len(table.rows)} rows)")
    for link in section.links:
        out.append(f"{pad}  link: {link.text} <{link.url}>")
    for child in section.sections:
        _section(child, depth + 1, out)


def parse_text_view(entries: list[Entry]) -> str:
    out: list[str] = []
    for entry in entries:
        when = entry.date.isoformat() if entry.date else "(no date)"
        who = f" by {entry.author}" if entry.author else ""
        out.append(f"{when}{who}  {entry.path}:{entry.line}  {entry.title}")
        for section in entry.sections:
            _section(section, 1, out)
        out.append("")
    return "\n".join(out).rstrip("\n")
