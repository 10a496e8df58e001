"""The index: a derived SQLite database at `<workspace>/.devlog/index.db`.

Opening checks the schema version (PRAGMA user_version): a new file is created, an older one is
migrated (importing SQLModel only then), and an unreadable, corrupt or too-new one is rebuilt
from the logs, with a notice the CLI prints. Reads and bulk writes use sqlite3 directly: the
search path must not pay for importing SQLModel.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from devlog.errors import DevlogError
from devlog.records import EMBED_MIN_CHARS, FileRecords
from devlog.store import columns

SCHEMA_VERSION = 4

BUSY_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class FileState:
    id: int
    size: int
    mtime_ns: int
    hash: str


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # In WAL mode NORMAL never corrupts the database; a power cut may lose the last run, which the
    # next `devlog index` redoes (the index is derived data). It spares an fsync per commit.
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


class Store:
    """An open index. `notice` says whether it had to be rebuilt, and why."""

    def __init__(self, path: Path, connection: sqlite3.Connection, notice: str | None = None) -> None:
        self.path = path
        self.db = connection
        self.notice = notice

    # ------------------------------------------------------------ opening

    @classmethod
    def open(cls, path: Path, create: bool = True) -> Store:
        if not path.exists() and not create:
            raise DevlogError("no index yet: run `devlog index` first", str(path))
        store = cls._open_current(path)
        if store is not None:
            return store
        # Creating, migrating or rebuilding: one process at a time, deciding again under the lock.
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(f"{path}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            store = cls._open_current(path)
            if store is not None:
                return store
            return cls._prepare(path)

    @classmethod
    def _open_current(cls, path: Path) -> Store | None:
        """The index as it is, when it exists, is readable and has the current schema."""
        if not path.exists():
            return None
        connection = None
        try:
            connection = _connect(path)
            if connection.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                connection.close()
                return None
            connection.execute("SELECT count(*) FROM file").fetchone()
            connection.execute("PRAGMA journal_mode = WAL")
        except sqlite3.DatabaseError:
            if connection is not None:
                connection.close()
            return None
        return cls(path, connection)

    @classmethod
    def _prepare(cls, path: Path) -> Store:
        from devlog.store.schema import migrate

        notice = None
        if path.exists():
            try:
                connection = _connect(path)
                try:
                    version = connection.execute("PRAGMA user_version").fetchone()[0]
                    connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
                finally:
                    connection.close()
            except sqlite3.DatabaseError as err:
                notice, version = f"index was unreadable ({err})", -1
            if version > SCHEMA_VERSION:
                notice = f"index was made by a newer devlog (schema {version} > {SCHEMA_VERSION})"
            if notice:
                _remove_database(path)
                notice += "; rebuilding it from the logs"
                version = 0
        else:
            version = 0
        migrate(path, version)
        connection = _connect(path)
        connection.execute("PRAGMA journal_mode = WAL")
        return cls(path, connection, notice)

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------ writing

    @contextmanager
    def bulk_load(self, rebuild: bool) -> Iterator[None]:
        """Around a run that fills an empty index: write pages once, to the database itself.

        WAL writes every page twice (log, then checkpoint); filling an empty index, a rollback journal
        has nothing to save and writes each page once. Back to WAL afterwards, for concurrent readers.
        When another connection holds the database, SQLite refuses the switch and the run stays in WAL.
        """
        empty = rebuild or self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM file)").fetchone()[0]
        switched = False
        if empty:
            with contextlib.suppress(sqlite3.OperationalError):
                switched = self.db.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        try:
            yield
        finally:
            if switched:
                self.db.execute("PRAGMA journal_mode = WAL")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; taken IMMEDIATE so a second writer waits instead of failing late."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise DevlogError(f"the index is busy ({err}): is another `devlog index` running?") from err
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def file_states(self) -> dict[str, FileState]:
        rows = self.db.execute("SELECT path, id, size, mtime_ns, hash FROM file")
        return {path: FileState(file_id, size, mtime, digest) for path, file_id, size, mtime, digest in rows}

    def touch_file(self, file_id: int, size: int, mtime_ns: int) -> None:
        self.db.execute("UPDATE file SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id))

    def remove_files(self, file_ids: Iterable[int]) -> None:
        """Delete files and every row they own, by the id ranges recorded when they were added."""
        ids = list(file_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            spans: dict[str, list[tuple[int, int]]] = {}
            for (ranges,) in self.db.execute(f"SELECT ranges FROM file WHERE id IN ({marks})", chunk):
                for table, (low, high) in json.loads(ranges or "{}").items():
                    spans.setdefault(table, []).append((low, high))
            for table, pairs in spans.items():
                self.db.executemany(f"DELETE FROM {table} WHERE id BETWEEN ? AND ?", pairs)
                if table == "passage":
                    self.db.executemany("DELETE FROM passage_fts WHERE rowid BETWEEN ? AND ?", pairs)
            self.db.execute(f"DELETE FROM file WHERE id IN ({marks})", chunk)

    def _next_ids(self) -> dict[str, int]:
        return {
            table: (self.db.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()[0])
            for table in ("file", *columns.PER_FILE)
        }

    def add_files(self, records: Iterable[FileRecords]) -> None:
        """Insert files (already removed if they existed), shifting local ids to fresh ones.

        Rows of all the files are gathered first and written with one executemany per table.
        """
        next_id = self._next_ids()
        rows: dict[str, list[tuple]] = {table: [] for table in (*columns.TABLES, "fts")}

        def opt(value: int | None, base: int) -> int | None:
            return None if value is None else value + base

        for rec in records:
            f = next_id["file"]
            e0, s0, i0, t0, p0 = (next_id[t] for t in ("entry", "section", "item", "doc_table", "passage"))
            counts = {
                "entry": len(rec.entries),
                "section": len(rec.sections),
                "item": len(rec.items),
                "doc_table": len(rec.tables),
                "doc_table_row": len(rec.table_rows),
                "link": len(rec.links),
                "mention": len(rec.mentions),
                "finding": len(rec.findings),
                "passage": len(rec.passages),
            }
            ranges = {t: [next_id[t], next_id[t] + n - 1] for t, n in counts.items() if n}
            rows["file"].append(
                (f, rec.path, rec.size, rec.mtime_ns, rec.hash, rec.status, rec.reason, json.dumps(ranges))
            )
            rows["entry"] += [(e + e0, f, *rest) for e, *rest in rec.entries]
            rows["section"] += [(s + s0, f, e + e0, opt(up, s0), *rest) for s, e, up, *rest in rec.sections]
            rows["item"] += [(i + i0, f, s + s0, opt(up, i0), *rest) for i, s, up, *rest in rec.items]
            rows["doc_table"] += [(t + t0, f, s + s0, *rest) for t, s, *rest in rec.tables]
            rows["doc_table_row"] += [
                (n + next_id["doc_table_row"], f, t + t0, *rest) for n, (t, *rest) in enumerate(rec.table_rows)
            ]
            rows["link"] += [(n + next_id["link"], f, s + s0, *rest) for n, (s, *rest) in enumerate(rec.links)]
            rows["mention"] += [
                (n + next_id["mention"], f, e + e0, s + s0, *rest) for n, (e, s, *rest) in enumerate(rec.mentions)
            ]
            rows["finding"] += [(n + next_id["finding"], f, *row) for n, row in enumerate(rec.findings)]
            for n, (e, s, item, *rest) in enumerate(rec.passages):
                rows["passage"].append((p0 + n, f, e + e0, s + s0, opt(item, i0), *rest[:-1]))
                if rest[-1] is not None:  # sections only: items are searched through their section
                    rows["fts"].append((p0 + n, rest[-1]))
            next_id["file"] += 1
            for table, count in counts.items():
                next_id[table] += count
        for table in columns.TABLES:
            self.db.executemany(columns.insert_sql(table), rows[table])
        self.db.executemany("INSERT INTO passage_fts (rowid, tokens) VALUES (?, ?)", rows["fts"])

    def refresh_people(self, configured: Iterable[str]) -> None:
        """The people table, derived from authors, devlog.toml and mentions."""
        self.db.execute("DELETE FROM person")
        self.db.executemany(
            "INSERT OR IGNORE INTO person (name, source) VALUES (?, 'config')", [(n,) for n in configured]
        )
        self.db.execute(
            "INSERT OR IGNORE INTO person (name, source) "
            "SELECT DISTINCT author, 'author' FROM entry WHERE author IS NOT NULL"
        )
        self.db.execute("INSERT OR IGNORE INTO person (name, source) SELECT DISTINCT person, 'mention' FROM mention")

    # ------------------------------------------------------------ passages and vectors

    def passages_version(self) -> int:
        """A counter bumped by every run that changes passages: derived files compare against it."""
        return int(self.db.execute("SELECT value FROM meta WHERE key = 'passages_version'").fetchone()[0])

    def bump_passages_version(self) -> None:
        self.db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'passages_version'")

    def embedding_state(self, model: str) -> str:
        """What a complete embedding run for `model` leaves behind: the passages version and the
        number of vectors. Equal to the recorded state, nothing can be missing; anything that changed
        passages or removed vectors (even by hand) changes it."""
        count = self.db.execute("SELECT count(*) FROM vector WHERE model = ?", (model,)).fetchone()[0]
        return f"{self.passages_version()}:{count}"

    def embedded_state(self, model: str) -> str | None:
        """The state recorded after the last complete embedding run for `model` (None: never)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"embedded:{model}",)).fetchone()
        return str(row[0]) if row else None

    def record_embedded_state(self, model: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (f"embedded:{model}", self.embedding_state(model))
        )

    def missing_vectors(self, model: str) -> list[tuple[str, str | None, str, str, str]]:
        """(hash, date, kind, heading path, text) of passages with no vector for `model`, one per hash."""
        return self.db.execute(
            "SELECT p.hash, p.date, p.kind, p.heading, p.text FROM passage p "
            f"WHERE length(p.text) >= {EMBED_MIN_CHARS} AND NOT EXISTS (SELECT 1 FROM vector v WHERE v.model = ? AND v.hash = p.hash) "
            "GROUP BY p.hash ORDER BY min(p.id)",
            (model,),
        ).fetchall()

    def add_vectors(self, model: str, rows: Iterable[tuple[str, bytes]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO vector (model, hash, data) VALUES (?, ?, ?)", [(model, h, d) for h, d in rows]
        )

    def prune_vectors(self) -> int:
        """Drop vectors no passage needs any more (every model); returns how many."""
        cursor = self.db.execute("DELETE FROM vector WHERE hash NOT IN (SELECT hash FROM passage)")
        return cursor.rowcount

    def vector_rows(self, model: str) -> sqlite3.Cursor:
        """(passage id, entry id, vector bytes) for every passage that has a vector for `model`."""
        return self.db.execute(
            "SELECT p.id, p.entry_id, v.data FROM passage p JOIN vector v ON v.model = ? AND v.hash = p.hash "
            "ORDER BY p.id",
            (model,),
        )

    def clear(self) -> None:
        self.db.execute("DELETE FROM passage_fts")
        for table in (*columns.PER_FILE, "file", "person"):
            self.db.execute(f"DELETE FROM {table}")
