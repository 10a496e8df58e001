"""Semantic search figures: cold hybrid/keyword search processes, peak memory, embedding throughput.

    python bench/semantic.py [--runs 7] [--big /tmp/devlog-10k-emb]

- A fresh `devlog search` process, hybrid and keyword, on the sample workspace (a copy of entries/)
  and on the generated 10,000-day workspace (`--big`: indexed WITH embeddings; made here if missing,
  which embeds ~170,000 passages and takes tens of minutes on 2 cores).
  Targets (issue 4): hybrid < 1.0 s median, keyword < 0.3 s, peak memory of search < 400 MB.
- Embedding throughput inside `devlog index` against the backend's own batch throughput on the same
  passages in the same run. Target: within 10%.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import REPO, devlog_command, ensure_workspace, median_of, row, timed

QUERIES = ["그래픽카드 빌리는 돈", "how much does renting a GPU cost", "GPU 비용"]


def search_figures(label: str, workspace: Path, runs: int) -> None:
    for query in QUERIES:
        for mode, target in (("hybrid", 1.0), ("keyword", 0.3)):
            seconds, peak = median_of(devlog_command(workspace, "search", query, "--mode", mode), runs)
            ok = seconds < target and peak < 400 * 1024
            print(
                row(
                    f"{label}: {mode} {query!r}",
                    f"{seconds:.3f} s",
                    f"peak {peak / 1024:.0f} MB",
                    f"target < {target} s, < 400 MB {'PASS' if ok else 'FAIL'}",
                )
            )


def throughput(runs_days: int = 300) -> None:
    from devlog.embedding import embed_passages, load_workspace_embedder
    from devlog.indexer import index_workspace
    from devlog.records import embed_text
    from devlog.store import Store
    from devlog.workspace import open_workspace

    with tempfile.TemporaryDirectory() as tmp:
        source = ensure_workspace()
        files = sorted((source / "entries").rglob("*.md"))[-runs_days:]
        for path in files:
            target = Path(tmp) / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        workspace = open_workspace(tmp)
        store = Store.open(workspace.db_path)
        index_workspace(workspace, store)
        embedder = load_workspace_embedder(workspace)
        texts = [embed_text(d, k, h, t) for _h, d, k, h, t in store.missing_vectors(embedder.name)]
        embedder.encode(texts[:64])  # load the model before either clock starts
        started = time.perf_counter()
        for start in range(0, len(texts), 64):
            embedder.encode(texts[start : start + 64], batch_size=64)
        direct = len(texts) / (time.perf_counter() - started)
        report = embed_passages(workspace, store, embedder)
        indexed = report.embedded / report.total_seconds
        ratio = indexed / direct
        print(row(f"embedding {len(texts)} passages: backend alone", f"{direct:.0f} /s"))
        print(
            row(
                "  ...inside devlog index (vectors stored, matrix written)",
                f"{indexed:.0f} /s",
                "",
                f"{ratio:.0%} of the backend (target >= 90%) {'PASS' if ratio >= 0.9 else 'FAIL'}",
            )
        )
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--big", type=Path, default=Path("/tmp/devlog-10k-emb"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(REPO / "entries", Path(tmp) / "entries")
        elapsed, peak, _ = timed(devlog_command(Path(tmp), "index", "--quiet"))
        print(row("sample workspace: index with embeddings", f"{elapsed:.1f} s", f"peak {peak / 1024:.0f} MB"))
        search_figures("sample", Path(tmp), args.runs)
    if not (args.big / ".devlog" / "index.db").exists():
        source = ensure_workspace()
        shutil.copytree(source / "entries", args.big / "entries", dirs_exist_ok=True)
        elapsed, peak, _ = timed(devlog_command(args.big, "index", "--quiet"))
        print(row("10k workspace: index with embeddings", f"{elapsed:.0f} s", f"peak {peak / 1024:.0f} MB"))
    search_figures("10k", args.big, args.runs)
    throughput()


if __name__ == "__main__":
    main()
