"""Plain-text views of domain objects for the terminal (no colour, no click)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from devlog.model import Entry, Item, Section

if TYPE_CHECKING:
    from devlog.embedding import EmbedReport
    from devlog.indexer import IndexReport
    from devlog.search import Hit


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


def index_summary(report: IndexReport) -> str:
    line = (
        f"{report.added} added, {report.updated} updated, {report.removed} removed, "
        f"{report.unchanged} unchanged, {report.warnings} warnings"
    )
    if report.warnings:
        line += " (devlog check lists them)"
    for path, reason in report.failed:
        line += f"\nfailed: {path}: {reason}"
    return line


def status_view(rows: list[tuple]) -> str:
    out = []
    counts: dict[str, int] = {}
    for path, status, reason, entries, findings in rows:
        counts[status] = counts.get(status, 0) + 1
        detail = f"{entries} entries, {findings} warnings" if status == "ok" else (reason or "")
        out.append(f"{status:8} {path}  {detail}")
    out.append(", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing indexed yet")
    return "\n".join(out)


def _styled(snippet_text: str) -> str:
    import click

    from devlog.textindex import END, START

    parts = []
    for chunk in snippet_text.split(START):
        if END in chunk:
            match, rest = chunk.split(END, 1)
            parts.append(click.style(match, fg="yellow", bold=True) + rest)
        else:
            parts.append(chunk)
    return "".join(parts)


def hits_view(hits: list[Hit], query: str) -> str:
    """Plain results; colours are stripped by click when not on a terminal."""
    import click

    if not hits:
        return f"no results for {query!r}"
    out = []
    for hit in hits:
        who = f" ({hit.author})" if hit.author else ""
        head = f"{hit.date or '????-??-??'}{who}  {click.style(hit.kind, fg='cyan')}  {hit.heading}"
        out.append(f"{head}\n  {hit.path}:{hit.line}\n  {_styled(hit.snippet)}")
    return "\n\n".join(out)


def entries_view(rows: list[tuple]) -> str:
    lines = [
        f"{day or '(no date)':10}  {author or '-':10}  {sections:3} sections  {items:3} items  {path}"
        for _id, day, author, path, _line, _title, sections, items in rows
    ]
    return "\n".join(lines) or "no entries indexed (run devlog index)"


def entry_view(entry: tuple, sections: list[tuple]) -> str:
    _id, day, author, path, line, title = entry
    out = [f"# {title or day}", f"{day}{' by ' + author if author else ''} · {path}:{line}"]
    for _sid, _parent, kind, heading, level, _sline, text in sections:
        if heading:
            out.append(f"\n{'#' * min(max(level, 2), 6)} {heading}  [{kind}]")
        if text:
            out.append(text)
    return "\n".join(out)


def embed_summary(report: EmbedReport) -> str:
    line = f"{report.embedded} passages embedded with {report.model}"
    if report.embedded:
        line += f" ({report.per_second:.0f}/s)"
    if report.pruned:
        line += f", {report.pruned} old vectors dropped"
    return line


def related_rows(entries: dict[int, tuple], ranked: list[tuple[int, float]]) -> list[dict[str, Any]]:
    rows = []
    for entry_id, score in ranked:
        day, author, path = entries[entry_id]
        rows.append({"date": day, "author": author, "path": path, "score": round(score, 4)})
    return rows


class ProgressBar:
    """A progress bar on stderr for long runs, nothing otherwise."""

    MIN_ITEMS = 200

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None

    def start(self, total: int, label: str = "indexing") -> Callable[[int], None] | None:
        if not self.enabled or total < self.MIN_ITEMS:
            return None
        import click

        self._bar = click.progressbar(length=total, label=label, file=sys.stderr)
        self._bar.__enter__()
        return self._bar.update

    def start_embedding(self, total: int) -> Callable[[int], None] | None:
        return self.start(total, "embedding")

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None
