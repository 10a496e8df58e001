"""Column lists for the sqlite3 fast paths, in the order devlog.records builds its tuples.

tests/test_store.py checks each list against the SQLModel declarations in schema.py.
"""

FILE = ("id", "path", "size", "mtime_ns", "hash", "status", "reason", "ranges")
ENTRY = ("id", "file_id", "date", "author", "title", "line", "ordinal")
SECTION = (
    "id",
    "file_id",
    "entry_id",
    "parent_id",
    "kind",
    "heading",
    "heading_path",
    "level",
    "line",
    "text",
    "ordinal",
)
ITEM = ("id", "file_id", "section_id", "parent_id", "text", "checked", "depth", "line", "ordinal")
TABLE = ("id", "file_id", "section_id", "header", "line")
TABLE_ROW = ("id", "file_id", "table_id", "ordinal", "cells")
LINK = ("id", "file_id", "section_id", "text", "url", "line")
MENTION = ("id", "file_id", "entry_id", "section_id", "person", "line")
FINDING = ("id", "file_id", "path", "line", "code", "message")
PASSAGE = (
    "id",
    "file_id",
    "entry_id",
    "section_id",
    "item_id",
    "date",
    "author",
    "path",
    "line",
    "kind",
    "heading",
    "text",
    "hash",
)

TABLES = {
    "file": FILE,
    "entry": ENTRY,
    "section": SECTION,
    "item": ITEM,
    "doc_table": TABLE,
    "doc_table_row": TABLE_ROW,
    "link": LINK,
    "mention": MENTION,
    "finding": FINDING,
    "passage": PASSAGE,
}
# Tables whose rows belong to one file, cleared when the file changes or goes.
PER_FILE = ("entry", "section", "item", "doc_table", "doc_table_row", "link", "mention", "finding", "passage")


def insert_sql(table: str) -> str:
    columns = TABLES[table]
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
