"""The index schema, declared with SQLModel, and its numbered migrations.

This is the only module that imports sqlmodel. It runs when an index is created or migrated;
the hot paths (`devlog index` with nothing to do, `devlog search`) use sqlite3 with the column
lists in `devlog.store.columns`, which a test checks against these declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, LargeBinary, create_engine, text
from sqlmodel import Column, Field, SQLModel


class FileRow(SQLModel, table=True):
    __tablename__ = "file"
    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(unique=True)
    size: int
    mtime_ns: int
    hash: str
    status: str  # ok | skipped | failed
    reason: str | None = None
    # The id range of this file's rows in each table, as JSON {"section": [lo, hi], ...}: a file's rows
    # are numbered contiguously, so removing a file deletes primary-key ranges and no table needs an
    # index on file_id (each cost time on every insert of a full index).
    ranges: str | None = None


class EntryRow(SQLModel, table=True):
    __tablename__ = "entry"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(index=True, foreign_key="file.id")
    date: str | None = Field(default=None, index=True)
    author: str | None = None
    title: str
    line: int
    ordinal: int


class SectionRow(SQLModel, table=True):
    __tablename__ = "section"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="file.id")
    entry_id: int = Field(index=True, foreign_key="entry.id")
    parent_id: int | None = None
    kind: str
    heading: str
    heading_path: str
    level: int
    line: int
    text: str
    ordinal: int


class ItemRow(SQLModel, table=True):
    __tablename__ = "item"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="file.id")
    section_id: int = Field(index=True, foreign_key="section.id")
    parent_id: int | None = None
    text: str
    checked: bool | None = None
    depth: int
    line: int
    ordinal: int


class TableDataRow(SQLModel, table=True):
    __tablename__ = "doc_table"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="file.id")
    section_id: int = Field(foreign_key="section.id")
    header: str  # JSON list of cells
    line: int


class TableRowRow(SQLModel, table=True):
    __tablename__ = "doc_table_row"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="file.id")
    table_id: int = Field(foreign_key="doc_table.id")
    ordinal: int
    cells: str  # JSON list of cells


class LinkRow(SQLModel, table=True):
    __tablename__ = "link"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="file.id")
    section_id: int = Field(foreign_key="section.id")
    text: str
    url: str
    line: int


class MentionRow(SQLModel, table=True):
    """A person named in a section (the people table is derived from these and the authors)."""

    __tablename__ = "mention"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="file.id")
    entry_id: int = Field(foreign_key="entry.id")
    section_id: int = Field(foreign_key="section.id")
    person: str
    line: int


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"
    name: str = Field(primary_key=True)
    source: str  # author | config | mention


class FindingRow(SQLModel, table=True):
    __tablename__ = "finding"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="file.id")
    path: str
    line: int
    code: str
    message: str


class PassageRow(SQLModel, table=True):
    """The unit of search: a section or one list item, with what results show denormalised."""

    __tablename__ = "passage"
    id: int | None = Field(default=None, primary_key=True)
    file_id: int = Field(foreign_key="file.id")
    entry_id: int = Field(foreign_key="entry.id")
    section_id: int = Field(foreign_key="section.id")
    item_id: int | None = None
    date: str | None = None
    author: str | None = None
    path: str
    line: int
    kind: str
    heading: str
    text: str
    hash: str  # of the text as embedded (with its context): the vector key


class VectorRow(SQLModel, table=True):
    __tablename__ = "vector"
    model: str = Field(primary_key=True)
    hash: str = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class MetaRow(SQLModel, table=True):
    """Small facts about the index, such as a counter bumped whenever passages change."""

    __tablename__ = "meta"
    key: str = Field(primary_key=True)
    value: str


def _v1(connection: Connection) -> None:
    first = [
        FileRow,
        EntryRow,
        SectionRow,
        ItemRow,
        TableDataRow,
        TableRowRow,
        LinkRow,
        MentionRow,
        PersonRow,
        FindingRow,
        PassageRow,
        VectorRow,
    ]
    SQLModel.metadata.create_all(connection, tables=[model.__table__ for model in first])  # type: ignore[attr-defined]
    # Our analyzer (devlog.textindex) emits the tokens; unicode61 only splits on spaces and folds case.
    connection.execute(
        text("CREATE VIRTUAL TABLE passage_fts USING fts5(tokens, tokenize = 'unicode61 remove_diacritics 2')")
    )


def _v2(connection: Connection) -> None:
    # Vectors get a derived matrix file beside the database; this counter tells it is stale.
    SQLModel.metadata.create_all(connection, tables=[MetaRow.__table__])  # type: ignore[attr-defined]
    connection.execute(text("INSERT INTO meta (key, value) VALUES ('passages_version', '0')"))


def _v3(connection: Connection) -> None:
    # Indexes no query uses (the wiki reads by file, search filters after FTS5): each one cost
    # time on every insert of a full index.
    for name in (
        "ix_entry_author",
        "ix_section_kind",
        "ix_passage_entry_id",
        "ix_passage_date",
        "ix_mention_entry_id",
        "ix_mention_person",
        "ix_link_section_id",
        "ix_doc_table_section_id",
        "ix_doc_table_row_table_id",
    ):
        connection.execute(text(f"DROP INDEX IF EXISTS {name}"))


def _v4(connection: Connection) -> None:
    # Files are removed by id ranges (file.ranges) instead of by file_id. Rows indexed before have no
    # ranges: the index is derived data, so it is emptied and the next `devlog index` refills it
    # (vectors, keyed by passage hash, are kept and not embedded again).
    # v1 creates tables from today's declarations, which already have the column.
    existing = {row[1] for row in connection.execute(text("PRAGMA table_info(file)"))}
    if "ranges" not in existing:
        connection.execute(text("ALTER TABLE file ADD COLUMN ranges VARCHAR"))
    for table in (
        "passage_fts",
        "entry",
        "section",
        "item",
        "doc_table",
        "doc_table_row",
        "link",
        "mention",
        "finding",
        "passage",
        "file",
        "person",
    ):
        connection.execute(text(f"DELETE FROM {table}"))
    for table in ("finding", "section", "item", "doc_table", "doc_table_row", "link", "mention", "passage"):
        connection.execute(text(f"DROP INDEX IF EXISTS ix_{table}_file_id"))


# Migration N brings a database from user_version N-1 to N. Append, never edit.
MIGRATIONS: list[Callable[[Connection], None]] = [_v1, _v2, _v3, _v4]


def migrate(db_path: Path, current: int) -> int:
    """Apply the migrations after `current` in one transaction; returns the new version."""
    engine = create_engine(f"sqlite:///{db_path}")
    try:
        with engine.begin() as connection:
            for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
                step(connection)
                connection.execute(text(f"PRAGMA user_version = {number}"))
    finally:
        engine.dispose()
    return len(MIGRATIONS)
