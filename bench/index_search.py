"""Index and keyword-search figures on the generated 10,000-day workspace, each beside a baseline.

    python bench/index_search.py [--days 10000] [--runs 5]

Targets (issue 3):
- full index (no embeddings) at most 1.3x markdown-it-py tokenising the same files in one process;
- a no-change `devlog index` under 0.5 s, one changed file under 0.5 s;
- `devlog search --mode keyword` as a fresh process under 0.3 s (median), shown beside rg;
- peak memory of index and search.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import time
from pathlib import Path

from common import devlog_command, ensure_workspace, median_of, row, timed
from markdown_it import MarkdownIt

QUERIES = ["GPU 비용", "배포", "Docker", "멘토링 조언"]


def tokenise_seconds(files: list[Path]) -> float:
    md = MarkdownIt("commonmark").enable("table")
    started = time.perf_counter()
    for path in files:
        md.parse(path.read_text(encoding="utf-8"))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    workspace = ensure_workspace(args.days)
    files = sorted((workspace / "entries").rglob("*.md"))
    shutil.rmtree(workspace / ".devlog", ignore_errors=True)

    baseline = tokenise_seconds(files)
    full, full_peak, _ = timed(devlog_command(workspace, "index", "--no-embed", "--quiet"))
    ratio = full / baseline
    print(f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB")
    print(row("", "devlog", "baseline"))
    print(
        row(
            "full index, no embeddings",
            f"{full:.2f} s",
            f"tokenise {baseline:.2f} s",
            f"{ratio:.2f}x (target <= 1.3x) {'PASS' if ratio <= 1.3 else 'FAIL'}",
        )
    )
    print(row("  peak memory of full index", f"{full_peak / 1024:.0f} MB"))

    nochange, _ = median_of(devlog_command(workspace, "index", "--no-embed", "--quiet"), args.runs)
    print(
        row(
            "no-change index (median)",
            f"{nochange:.3f} s",
            "",
            f"target < 0.5 s {'PASS' if nochange < 0.5 else 'FAIL'}",
        )
    )
    changed = files[len(files) // 2]
    original = changed.read_bytes()
    times = []
    try:
        for run in range(args.runs):
            changed.write_bytes(original + f"\n- 벤치마크 변경 {run}\n".encode())
            elapsed, _, output = timed(devlog_command(workspace, "index", "--no-embed", "--quiet"))
            assert "1 updated" in output, output
            times.append(elapsed)
    finally:
        changed.write_bytes(original)
        timed(devlog_command(workspace, "index", "--no-embed", "--quiet"))
    one = sorted(times)[len(times) // 2]
    print(row("one changed file (median)", f"{one:.3f} s", "", f"target < 0.5 s {'PASS' if one < 0.5 else 'FAIL'}"))

    rg = shutil.which("rg")
    for query in QUERIES:
        seconds, search_peak = median_of(devlog_command(workspace, "search", query, "--mode", "keyword"), args.runs)
        base = ""
        if rg:
            rg_times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                subprocess.run([rg, "-c", query.split()[0], str(workspace / "entries")], capture_output=True)
                rg_times.append(time.perf_counter() - started)
            base = f"rg {sorted(rg_times)[len(rg_times) // 2]:.3f} s"
        verdict = f"target < 0.3 s {'PASS' if seconds < 0.3 else 'FAIL'}; peak {search_peak / 1024:.0f} MB"
        print(row(f"keyword search {query!r} (median)", f"{seconds:.3f} s", base, verdict))
    print(row("index database size", f"{(workspace / '.devlog' / 'index.db').stat().st_size / 1e6:.0f} MB"))


if __name__ == "__main__":
    main()
