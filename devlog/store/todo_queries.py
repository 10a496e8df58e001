"""Read query behind `devlog todo` (sqlite3 only): the items that open and close work across days."""

from __future__ import annotations

import sqlite3


def todo_rows(db: sqlite3.Connection, author: str | None = None, everyone: bool = False) -> list[tuple]:
    """(item id, parent id, text, checked, kind, date, author, path, line) of every plan item, done item
    and checked item of dated entries, by date, parents before children.

    The rows are one author's (`author` None: the team's, entries written without an author), or with
    `everyone` all authors'.
    """
    sql = (
        "SELECT i.id, i.parent_id, i.text, i.checked, s.kind, e.date, e.author, f.path, i.line "
        "FROM item i JOIN section s ON s.id = i.section_id JOIN entry e ON e.id = s.entry_id "
        "JOIN file f ON f.id = i.file_id "
        "WHERE e.date IS NOT NULL AND (s.kind IN ('plan', 'done') OR i.checked IS NOT NULL)"
    )
    params: list[object] = []
    if not everyone:
        sql += " AND e.author IS ?"
        params.append(author)
    return db.execute(sql + " ORDER BY e.date, f.path, i.id", params).fetchall()
