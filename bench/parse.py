"""Parse throughput: devlog's parser against markdown-it-py's own tokenising of the same files.

    python bench/parse.py [--days 10000]

Target (issue 2): devlog keeps at least 75% of markdown-it-py's raw throughput.
"""

from __future__ import annotations

import argparse
import time

from common import ensure_workspace, row
from markdown_it import MarkdownIt

from devlog.parser import parse_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=10_000)
    args = parser.parse_args()
    workspace = ensure_workspace(args.days)
    files = sorted((workspace / "entries").rglob("*.md"))
    data = [(path.read_bytes(), str(path)) for path in files]
    megabytes = sum(len(d) for d, _ in data) / 1e6
    md = MarkdownIt("commonmark").enable("table")
    tokenise, parse = [], []
    for _ in range(3):  # alternate, keep the best of each: the machine's noise hits both alike
        started = time.perf_counter()
        for raw, _ in data:
            md.parse(raw.decode("utf-8"))
        tokenise.append(time.perf_counter() - started)
        started = time.perf_counter()
        for raw, name in data:
            parse_bytes(raw, name)
        parse.append(time.perf_counter() - started)
    base, ours = min(tokenise), min(parse)
    ratio = base / ours
    print(f"{len(files)} files, {megabytes:.1f} MB")
    print(row("markdown-it-py tokenise (baseline)", f"{megabytes / base:.2f} MB/s", f"{base:.2f} s"))
    print(row("devlog parse", f"{megabytes / ours:.2f} MB/s", f"{ours:.2f} s"))
    print(row("devlog / markdown-it throughput", f"{ratio:.0%}", "target >= 75%", "PASS" if ratio >= 0.75 else "FAIL"))


if __name__ == "__main__":
    main()
