"""Read queries on the index (sqlite3 only: this is the search path)."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None
    author: str | None = None

    def sql(self, alias: str = "p") -> tuple[str, list[Any]]:
        """` AND ...` conditions on a passage table alias, and their parameters."""
        wanted = [
            ("kind", "=", self.kind),
            ("date", ">=", self.since),
            ("date", "<=", self.until),
            ("author", "=", self.author),
        ]
        used = [(column, op, value) for column, op, value in wanted if value]
        return "".join(f" AND {alias}.{column} {op} ?" for column, op, _ in used), [value for *_, value in used]


PASSAGE_FIELDS = (
    "p.id, p.entry_id, p.section_id, p.item_id, p.date, p.author, p.path, p.line, p.kind, p.heading, p.text"
)


def fts_passages(db: sqlite3.Connection, match: str, filters: Filters, limit: int) -> list[tuple]:
    """Passages matching an FTS5 expression, best bm25 first (rank is bm25: lower is better)."""
    where, params = filters.sql()
    sql = (
        f"SELECT {PASSAGE_FIELDS}, bm25(passage_fts) AS rank FROM passage_fts "
        f"JOIN passage p ON p.id = passage_fts.rowid WHERE passage_fts MATCH ?{where} ORDER BY rank LIMIT ?"
    )
    return db.execute(sql, [match, *params, limit]).fetchall()


def passages_by_id(db: sqlite3.Connection, ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT {PASSAGE_FIELDS}, 0 FROM passage p WHERE p.id IN ({marks})", ids)
    return {row[0]: row for row in rows}


def filtered_passage_ids(db: sqlite3.Connection, filters: Filters) -> list[int] | None:
    """Ids allowed by the filters, or None when nothing is filtered."""
    where, params = filters.sql()
    if not where:
        return None
    return [row[0] for row in db.execute(f"SELECT p.id FROM passage p WHERE 1{where}", params)]


def entries(db: sqlite3.Connection, author: str | None = None) -> list[tuple]:
    """(id, date, author, path, line, title, sections, items) per entry, by date."""
    where, params = ("WHERE e.author = ?", [author]) if author else ("", [])
    return db.execute(
        "SELECT e.id, e.date, e.author, f.path, e.line, e.title, "
        "(SELECT count(*) FROM section s WHERE s.entry_id = e.id), "
        "(SELECT count(*) FROM item i JOIN section s ON s.id = i.section_id WHERE s.entry_id = e.id) "
        f"FROM entry e JOIN file f ON f.id = e.file_id {where} ORDER BY e.date, e.author, f.path, e.ordinal",
        params,
    ).fetchall()


def entries_on(db: sqlite3.Connection, day: str, author: str | None) -> list[tuple]:
    sql = "SELECT e.id, e.date, e.author, f.path, e.line, e.title FROM entry e JOIN file f ON f.id = e.file_id "
    if author:
        return db.execute(sql + "WHERE e.date = ? AND e.author = ?", (day, author)).fetchall()
    return db.execute(sql + "WHERE e.date = ? ORDER BY e.author IS NOT NULL, e.author", (day,)).fetchall()


def sections_of(db: sqlite3.Connection, entry_id: int) -> list[tuple]:
    """(id, parent_id, kind, heading, level, line, text) in document order."""
    return db.execute(
        "SELECT id, parent_id, kind, heading, level, line, text FROM section WHERE entry_id = ? ORDER BY ordinal",
        (entry_id,),
    ).fetchall()


def file_status(db: sqlite3.Connection) -> list[tuple]:
    """(path, status, reason, entries, findings) per indexed file."""
    return db.execute(
        "SELECT f.path, f.status, f.reason, (SELECT count(*) FROM entry e WHERE e.file_id = f.id), "
        "(SELECT count(*) FROM finding x WHERE x.file_id = f.id) FROM file f ORDER BY f.path"
    ).fetchall()


def findings(db: sqlite3.Connection) -> list[tuple]:
    """(path, line, code, message) of every parser warning, plus days written twice across files."""
    rows: list[tuple] = db.execute("SELECT path, line, code, message FROM finding").fetchall()
    rows += db.execute(
        "SELECT f.path, e.line, 'duplicate-date', e.date || ' is also written in ' || f0.path || ':' || e0.line, "
        "min(f0.path) "
        "FROM entry e JOIN file f ON f.id = e.file_id "
        "JOIN entry e0 ON e0.date = e.date AND e0.author IS e.author AND e0.file_id != e.file_id "
        "JOIN file f0 ON f0.id = e0.file_id "
        "WHERE e.date IS NOT NULL AND (f0.path < f.path) GROUP BY e.id"
    ).fetchall()
    rows = [row[:4] for row in rows]
    return sorted(rows, key=lambda r: (r[0], r[1], r[2]))


def entries_by_id(db: sqlite3.Connection) -> dict[int, tuple]:
    """id -> (date, author, path) for every entry."""
    rows = db.execute("SELECT e.id, e.date, e.author, f.path FROM entry e JOIN file f ON f.id = e.file_id")
    return {entry_id: (day, author, path) for entry_id, day, author, path in rows}


def first_matching_item_line(db: sqlite3.Connection, section_id: int, pattern: re.Pattern[str]) -> int | None:
    """Line of the section's first list item that `pattern` finds something in."""
    for line, text in db.execute("SELECT line, text FROM item WHERE section_id = ? ORDER BY ordinal", (section_id,)):
        if pattern.search(text):
            return int(line)
    return None
