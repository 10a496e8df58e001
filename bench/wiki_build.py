"""Benchmark `devlog build` on a large generated workspace.

    python bench/wiki_build.py [--workspace /tmp/devlog-synth-10k] [--days 10000]

The workspace is generated when missing (bench/generate.py) and indexed, then copied (logs with
their mtimes, and the index) into a scratch folder, so the benchmark never changes it. Measured,
each as its own `devlog build` process (wall time, CPU time, peak RSS, via /usr/bin/time -v when
available, else getrusage):

1. a full build (no wiki, no wiki cache);
2. a rebuild with nothing changed;
3. a rebuild after one log changed (a learned item added to a log in the middle of the history):
   the pages rewritten are counted and named by comparing the manifest before and after;
4. by meaning only: another log changed, `devlog index` (which embeds its new passages: timed
   apart), then the rebuild. In 3, `devlog build` refreshed the index without embedding, so the
   changed log's new passages had no vector yet (the `devlog index` of 4 embeds them too).

Twice: with related days by shared rare keywords (the copy's vectors removed), and, when the
workspace's index holds vectors, by meaning (the mean passage vectors `devlog related` compares).
Then (unless --no-verify) the incrementally built wiki is compared page by page with a build from
scratch (no wiki cache) of the same index.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVLOG = [sys.executable, "-m", "devlog"]
TIME = Path("/usr/bin/time")


def run(args: list[str], cwd: Path) -> dict[str, object]:
    """Run a command, return wall seconds, cpu seconds, peak RSS (MiB) and its stdout."""
    if TIME.exists():
        start = time.perf_counter()
        proc = subprocess.run([str(TIME), "-v", *args], cwd=cwd, capture_output=True, text=True)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"failed: {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")

        def field(name: str) -> str:
            match = re.search(rf"{re.escape(name)}: (.+)", proc.stderr)
            return match.group(1).strip() if match else "0"

        cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
        rss = int(field("Maximum resident set size (kbytes)")) / 1024
        return {"wall": wall, "cpu": cpu, "rss": rss, "out": proc.stdout.strip()}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{proc.stdout}\n{proc.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "rss": after.ru_maxrss / 1024, "out": proc.stdout.strip()}


def manifest(out: Path) -> dict[str, str]:
    path = out / ".devlog-manifest.json"
    return json.loads(path.read_text(encoding="utf-8"))["pages"] if path.exists() else {}


def change_one_log(workspace: Path, where: float = 0.5) -> Path:
    """Add a learned item to a log `where` in the history (0.5: the middle); return the log."""
    logs = sorted((workspace / "entries").rglob("*.md"))
    for path in logs[int(len(logs) * where) :]:
        text = path.read_text(encoding="utf-8")
        if "## 새로 배운 내용" in text:
            marker = text.index("## 새로 배운 내용")
            end = text.index("\n", marker)
            addition = "\n- 벤치마크로 추가한 항목: pgvector HNSW 인덱스는 ef_search 로 재현율과 속도를 조절한다."
            path.write_text(text[:end] + addition + text[end:], encoding="utf-8")
            return path
    raise SystemExit("no log with a 새로 배운 내용 section")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", type=Path, default=Path("/tmp/devlog-synth-10k"))
    parser.add_argument("--days", type=int, default=10000)
    parser.add_argument("--keep", action="store_true", help="Keep the scratch copy and print its path.")
    parser.add_argument("--no-verify", action="store_true", help="Skip the comparison with a build from scratch.")
    parser.add_argument("--mode", choices=["keywords", "meaning"], help="Only this mode.")
    args = parser.parse_args()
    env_python = {"PYTHONPATH": str(ROOT), **os.environ}
    os.environ.update(env_python)

    source = args.workspace
    if not (source / "entries").is_dir():
        print(f"generating {source} ({args.days} days)...", flush=True)
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "generate.py"), str(source), "--days", str(args.days)], check=True
        )
    print(f"indexing {source} (incremental, no embedding)...", flush=True)
    indexed = run([*DEVLOG, "-w", str(source), "index", "-q", "--no-embed"], ROOT)
    print(f"  {indexed['out']} ({indexed['wall']:.1f} s)")

    try:
        db = sqlite3.connect(source / ".devlog" / "index.db")
        has_vectors = bool(db.execute("SELECT count(*) FROM vector").fetchone()[0])
        db.close()
    except sqlite3.Error:
        has_vectors = False
    modes = ["keywords", "meaning"] if has_vectors else ["keywords"]
    for mode in modes:
        if args.mode in (None, mode):
            bench_mode(source, mode, args.keep, not args.no_verify)


def rewritten(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))


def bench_mode(source: Path, mode: str, keep: bool, verify: bool) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="devlog-wiki-bench-"))
    workspace = scratch / "ws"
    shutil.copytree(source, workspace, ignore=shutil.ignore_patterns("wiki", "wiki-cache.db*", "wiki-repo"))
    if mode == "keywords":
        db = sqlite3.connect(workspace / ".devlog" / "index.db")
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'vector'").fetchone():
            db.execute("DELETE FROM vector")
            db.commit()
        db.close()
        shutil.rmtree(workspace / ".devlog" / "vectors", ignore_errors=True)
    out = scratch / "wiki"
    logs = sum(1 for _ in (workspace / "entries").rglob("*.md"))
    build = [*DEVLOG, "-w", str(workspace), "build", "--out", str(out)]

    figures = []
    full = run(build, ROOT)
    pages = len(manifest(out))
    figures.append(("full build", full))
    same = run(build, ROOT)
    figures.append(("rebuild, nothing changed", same))
    before = manifest(out)
    changed = [change_one_log(workspace)]
    one = run(build, ROOT)
    after = manifest(out)
    figures.append(("rebuild, one log changed", one))
    pages_rewritten = [rewritten(before, after)]
    if mode == "meaning":
        changed.append(change_one_log(workspace, 0.25))
        embed = run([*DEVLOG, "-w", str(workspace), "index", "-q"], ROOT)
        figures.append(("devlog index (embeds)", embed))
        before = after
        figures.append(("rebuild after devlog index", run(build, ROOT)))
        after = manifest(out)
        pages_rewritten.append(rewritten(before, after))

    print(f"\nrelated days by {mode}: {logs} logs -> {pages} wiki pages ({os.cpu_count()} CPUs)")
    print(f"{'':28} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}   devlog says")
    for label, figure in figures:
        said = str(figure["out"]).replace("\n", "; ")
        print(f"{label:28} {figure['wall']:8.2f} {figure['cpu']:8.2f} {figure['rss']:9.0f}   {said}")
    for log, names in zip(changed, pages_rewritten, strict=True):
        print(f"changed log: {log.relative_to(workspace)}: {len(names)} pages rewritten: {', '.join(names)}")
    if verify:
        cache = workspace / ".devlog" / "wiki-cache.db"
        cache.rename(cache.with_name("wiki-cache.db.incremental"))
        fresh = scratch / "wiki-fresh"
        run([*DEVLOG, "-w", str(workspace), "build", "--out", str(fresh)], ROOT)
        differ = rewritten(manifest(out), manifest(fresh))
        print(
            f"same as a build from scratch: {'yes' if not differ else f'NO, {len(differ)} pages differ: {differ[:10]}'}"
        )
    if keep:
        print(f"scratch copy kept: {scratch}")
    else:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
