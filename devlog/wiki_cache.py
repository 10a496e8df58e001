"""What `devlog build` remembers between builds, in `.devlog/wiki-cache.db` (derived data, safe to delete).

- per log file (by path, content hash and entry ids): the entries' digests, split into the light
  part every build needs (names, labels, counts, references, mentions), the heavy part only pages
  being rebuilt need (section bodies, tasks), and the words relatedness is computed from;
- the related days, with the entry keys they were computed for (by keywords); by meaning, per entry
  the sum of its passage vectors (`vector` table), the passages still without one, and its best
  related entries with their scores, so that a rebuild only updates them (devlog.wiki);
- per output folder and page: the page's input fingerprint, and the sha256, size and mtime of the
  file written, so an unchanged page whose file nobody touched is neither rendered nor read.

Everything is stored with marshal (plain data only). A cache made by another devlog version, other
digest code or another kinds configuration is dropped whole (`key`).
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB)",
    "CREATE TABLE IF NOT EXISTS file (path TEXT PRIMARY KEY, hash TEXT, ids BLOB, light BLOB, heavy BLOB, terms BLOB)",
    "CREATE TABLE IF NOT EXISTS page (out TEXT, name TEXT, key TEXT, sha TEXT, size INTEGER, mtime INTEGER, "
    "PRIMARY KEY (out, name))",
    "CREATE TABLE IF NOT EXISTS vector (entry INTEGER PRIMARY KEY, sums BLOB)",
)
_TABLES = ("meta", "file", "page", "vector")


class WikiCache:
    def __init__(self, path: Path, key: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path, key)
        except sqlite3.DatabaseError:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.db = self._open(path, key)

    @staticmethod
    def _open(path: Path, key: str) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            row = db.execute("SELECT value FROM meta WHERE name = 'key'").fetchone()
        except sqlite3.OperationalError:  # a new file
            row = None
        if row is None or row[0] != key:
            db.execute("BEGIN IMMEDIATE")
            for table in _TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _SCHEMA:
                db.execute(statement)
            db.execute("INSERT INTO meta (name, value) VALUES ('key', ?)", (key,))
            db.execute("COMMIT")
        return db

    def close(self) -> None:
        self.db.close()

    # -- blobs
    def get(self, name: str) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        if row is None:
            return None
        try:
            return marshal.loads(row[0])
        except (EOFError, ValueError, TypeError):
            return None

    def put(self, name: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (name, value) VALUES (?, ?)", (name, marshal.dumps(value)))

    # -- digests per file
    def light(self) -> dict[str, list[Any]]:
        """path -> [file hash, entry ids, light digests] of every file cached."""
        return {
            path: [digest, marshal.loads(ids), marshal.loads(light)]
            for path, digest, ids, light in self.db.execute("SELECT path, hash, ids, light FROM file")
        }

    def terms(self) -> dict[str, list[Any]]:
        """path -> [file hash, entry ids, terms strings] of every file cached."""
        return {
            path: [digest, marshal.loads(ids), marshal.loads(terms)]
            for path, digest, ids, terms in self.db.execute("SELECT path, hash, ids, terms FROM file")
        }

    def heavy(self, paths: Iterable[str]) -> dict[str, tuple[str, Any]]:
        """path -> (file hash, heavy digests) for the paths cached."""
        wanted = sorted(set(paths))
        out: dict[str, tuple[str, Any]] = {}
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            marks = ",".join("?" * len(batch))
            for path, digest, blob in self.db.execute(
                f"SELECT path, hash, heavy FROM file WHERE path IN ({marks})", batch
            ):
                out[path] = (digest, marshal.loads(blob))
        return out

    def put_files(self, rows: Mapping[str, tuple[str, Any, Any, Any, Any]], keep: Iterable[str]) -> None:
        """Store files' digests, path -> (hash, entry ids, light, heavy, terms); drop files not in `keep`."""
        self.db.executemany(
            "INSERT OR REPLACE INTO file (path, hash, ids, light, heavy, terms) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (path, digest, *(marshal.dumps(part) for part in parts))
                for path, (digest, *parts) in sorted(rows.items())
            ],
        )
        known = {row[0] for row in self.db.execute("SELECT path FROM file")}
        gone = known - set(keep)
        self.db.executemany("DELETE FROM file WHERE path = ?", [(path,) for path in sorted(gone)])

    # -- relatedness by meaning: per entry, the sum of its passage vectors
    def vector_sums(self, entries: Iterable[int] | None = None) -> dict[int, bytes]:
        """entry id -> sum of its passage vectors (bytes), of `entries` (None: every entry kept)."""
        if entries is None:
            return dict(self.db.execute("SELECT entry, sums FROM vector"))
        wanted = sorted(set(entries))
        out: dict[int, bytes] = {}
        for start in range(0, len(wanted), 500):
            batch = wanted[start : start + 500]
            marks = ",".join("?" * len(batch))
            out.update(self.db.execute(f"SELECT entry, sums FROM vector WHERE entry IN ({marks})", batch))
        return out

    def put_vector_sums(self, rows: Mapping[int, bytes], drop: Iterable[int]) -> None:
        self.db.executemany("DELETE FROM vector WHERE entry = ?", [(entry,) for entry in sorted(set(drop))])
        self.db.executemany("INSERT OR REPLACE INTO vector (entry, sums) VALUES (?, ?)", sorted(rows.items()))

    def clear_vectors(self) -> None:
        """Forget the vector sums and what was computed from them (`vectors` in meta)."""
        if self.db.execute("SELECT 1 FROM meta WHERE name = 'vectors'").fetchone() is not None:
            self.db.execute("DELETE FROM meta WHERE name = 'vectors'")
        if self.db.execute("SELECT 1 FROM vector LIMIT 1").fetchone() is not None:
            self.db.execute("DELETE FROM vector")

    # -- pages per output folder
    def pages(self, out: str, key: str) -> dict[str, tuple[str, str, int, int]]:
        """name -> (input key, sha256, size, mtime_ns) of the pages last written to `out` with templates `key`."""
        if self.get(f"templates:{out}") != key:
            return {}
        return {
            name: (page_key, sha, size, mtime)
            for name, page_key, sha, size, mtime in self.db.execute(
                "SELECT name, key, sha, size, mtime FROM page WHERE out = ?", (out,)
            )
        }

    def put_pages(
        self, out: str, key: str, changed: Mapping[str, tuple[str, str, int, int]], keep: Iterable[str]
    ) -> None:
        self.put(f"templates:{out}", key)
        self.db.executemany(
            "INSERT OR REPLACE INTO page (out, name, key, sha, size, mtime) VALUES (?, ?, ?, ?, ?, ?)",
            [(out, name, *state) for name, state in sorted(changed.items())],
        )
        known = {row[0] for row in self.db.execute("SELECT name FROM page WHERE out = ?", (out,))}
        self.db.executemany(
            "DELETE FROM page WHERE out = ? AND name = ?", [(out, name) for name in sorted(known - set(keep))]
        )

    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.execute("COMMIT")
