"""`devlog index`: bring the index up to date with the logs, doing only the work that changed.

Files unchanged by size and mtime are skipped without being read; changed ones are hashed and
re-parsed only when their content differs; deleted ones leave the index. One transaction per
run, under a lock file so two runs take turns. Parsing runs in worker processes when there is
enough of it to pay for them.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from devlog.errors import DevlogError
from devlog.records import FileRecords
from devlog.store import Store
from devlog.workspace import Workspace

PARALLEL_MIN_FILES = 200
LOCK_WAIT_SECONDS = 120.0

Progress = Callable[[int], None]


@dataclass
class IndexReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    warnings: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    waited: bool = False
    to_parse: int = 0


@dataclass(frozen=True)
class _Job:
    path: str  # absolute, for reading
    rel: str  # as stored
    author: str | None
    size: int
    mtime_ns: int


@contextmanager
def index_lock(state_dir: Path, on_wait: Callable[[], None] | None = None) -> Iterator[bool]:
    """Exclusive lock for writers; yields whether it had to wait for another run."""
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / "index.lock", "w") as handle:
        waited = False
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited and on_wait:
                    on_wait()
                waited = True
                if time.monotonic() > deadline:
                    raise DevlogError("another `devlog index` has held the index for too long; try again") from None
                time.sleep(0.05)
        try:
            yield waited
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_worker_kinds: dict[str, list[str]] = {}


def _init_worker(kinds: dict[str, list[str]]) -> None:
    global _worker_kinds
    _worker_kinds = kinds


def _parse_job(job: _Job) -> FileRecords:
    from devlog.kinds import default_table
    from devlog.parser import parse_bytes
    from devlog.records import build_records, content_hash

    try:
        data = Path(job.path).read_bytes()
    except OSError as err:
        # mtime -1 makes the next run try again.
        return FileRecords(job.rel, job.size, -1, "", status="failed", reason=err.strerror or str(err))
    table = default_table().extended(_worker_kinds) if _worker_kinds else default_table()
    result = parse_bytes(data, job.rel, job.author, table)
    return build_records(result, job.rel, len(data), job.mtime_ns, content_hash(data))


def _parse_all(jobs: list[_Job], kinds: dict[str, list[str]], workers: int) -> Iterator[FileRecords]:
    if workers <= 1 or len(jobs) < PARALLEL_MIN_FILES:
        _init_worker(kinds)
        yield from map(_parse_job, jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(kinds,)) as pool:
        yield from pool.map(_parse_job, jobs, chunksize=32)


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def index_workspace(
    workspace: Workspace,
    store: Store,
    rebuild: bool = False,
    progress: Callable[[int], Progress | None] | None = None,
    on_wait: Callable[[], None] | None = None,
    workers: int | None = None,
) -> IndexReport:
    """Update the index; `progress(total)` may return a callback advanced once per parsed file."""
    report = IndexReport()
    with index_lock(workspace.state_dir, on_wait) as waited, store.bulk_load(rebuild), store.transaction():
        report.waited = waited
        if rebuild:
            store.clear()
        known = store.file_states()
        seen: set[str] = set()
        jobs: list[_Job] = []
        for path, rel, author in workspace.entry_listing():
            seen.add(rel)
            stat = path.stat()
            state = known.get(rel)
            if state and state.size == stat.st_size and state.mtime_ns == stat.st_mtime_ns:
                report.unchanged += 1
                continue
            jobs.append(_Job(str(path), rel, author, stat.st_size, stat.st_mtime_ns))
        gone = [state.id for rel, state in known.items() if rel not in seen]
        store.remove_files(gone)
        report.removed = len(gone)
        report.to_parse = len(jobs)
        tick = progress(len(jobs)) if progress and jobs else None
        batch: list[FileRecords] = []
        for rec in _parse_all(jobs, workspace.config.kinds, workers or default_workers()):
            if tick:
                tick(1)
            state = known.get(rec.path)
            if state and state.hash == rec.hash:
                store.touch_file(state.id, rec.size, rec.mtime_ns)
                report.unchanged += 1
                continue
            if state:
                store.remove_files([state.id])
                report.updated += 1
            elif rec.status != "failed":
                report.added += 1
            if rec.status == "failed":
                report.failed.append((rec.path, rec.reason or "unreadable"))
            batch.append(rec)
            if len(batch) >= 256:
                store.add_files(batch)
                batch = []
        store.add_files(batch)
        if jobs or gone:
            store.refresh_people(workspace.config.people)
            store.bump_passages_version()
        report.warnings = store.db.execute("SELECT count(*) FROM finding").fetchone()[0]
    return report
