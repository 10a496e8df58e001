"""Read queries for the wiki (`devlog build`): plain tuples, in a stable order.

sqlite3 only. Queries that take `file_ids` read only those files' rows (the wiki re-reads only
the logs that changed since its last build); None reads every file. Rows come in id order, which
is document order within a file (the indexer numbers a file's rows in the order it reads them).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence


def _where(file_ids: Sequence[int] | None, column: str = "file_id") -> tuple[str, list[int]]:
    if file_ids is None:
        return "", []
    return f" WHERE {column} IN ({','.join('?' * len(file_ids))})", list(file_ids)


def entries(db: sqlite3.Connection) -> list[tuple]:
    """(id, date, author, path, line, title, file_id, file_hash) per entry: by date, author, path, order in file."""
    return db.execute(
        "SELECT e.id, e.date, e.author, f.path, e.line, e.title, f.id, f.hash FROM entry e "
        "JOIN file f ON f.id = e.file_id "
        "ORDER BY e.date IS NULL, e.date, coalesce(e.author, ''), f.path, e.ordinal"
    ).fetchall()


def sections(db: sqlite3.Connection, file_ids: Sequence[int] | None = None) -> list[tuple]:
    """(id, entry_id, parent_id, kind, heading, level, line, text) in document order."""
    where, params = _where(file_ids)
    return db.execute(
        f"SELECT id, entry_id, parent_id, kind, heading, level, line, text FROM section{where} ORDER BY id", params
    ).fetchall()


def items(db: sqlite3.Connection, file_ids: Sequence[int] | None = None) -> list[tuple]:
    """(id, section_id, parent_id, text, checked, depth, line) in document order."""
    where, params = _where(file_ids)
    return db.execute(
        f"SELECT id, section_id, parent_id, text, checked, depth, line FROM item{where} ORDER BY id", params
    ).fetchall()


def tables(db: sqlite3.Connection, file_ids: Sequence[int] | None = None) -> list[tuple]:
    """(id, section_id, header_json, line) per table, in document order."""
    where, params = _where(file_ids)
    return db.execute(f"SELECT id, section_id, header, line FROM doc_table{where} ORDER BY id", params).fetchall()


def table_rows(db: sqlite3.Connection, file_ids: Sequence[int] | None = None) -> list[tuple]:
    """(table_id, cells_json) in row order."""
    where, params = _where(file_ids)
    return db.execute(f"SELECT table_id, cells FROM doc_table_row{where} ORDER BY table_id, ordinal", params).fetchall()


def links(db: sqlite3.Connection, file_ids: Sequence[int] | None = None) -> list[tuple]:
    """(section_id, text, url, line) per link, in document order."""
    where, params = _where(file_ids)
    return db.execute(f"SELECT section_id, text, url, line FROM link{where} ORDER BY id", params).fetchall()


def mentions(db: sqlite3.Connection, file_ids: Sequence[int] | None = None) -> list[tuple]:
    """(person, entry_id, section_id), once per person and section."""
    where, params = _where(file_ids)
    return db.execute(
        f"SELECT DISTINCT person, entry_id, section_id FROM mention{where} ORDER BY person, entry_id, section_id",
        params,
    ).fetchall()


def has_vectors(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT 1 FROM vector LIMIT 1").fetchone() is not None
