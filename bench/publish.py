"""`devlog publish` timings on the sample workspace.

    python bench/publish.py            # median of 5
    python bench/publish.py --runs 9

The sample `entries/` is copied into a temporary workspace whose wiki remote is a bare repository
in the same temporary folder (a file URL: no network, so this measures devlog and git, not a link).
After a first publish that fills the remote, it times, median of N:

* no-op publish: refresh the index, fetch, reset the clone, build, find nothing changed;
* one changed log: append a line to one log, then refresh the index, build, commit and push;
* the same two through the command line (`python -m devlog publish`, a fresh process each time:
  interpreter start and imports included).

"build" is the part of each in-process run spent inside devlog.wiki.build_wiki; the rest is git
and the index refresh.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def _median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from devlog.indexer import index_workspace
    from devlog.publish import publish_wiki
    from devlog.store import Store
    from devlog.wiki import build_wiki
    from devlog.workspace import open_workspace

    with tempfile.TemporaryDirectory(prefix="devlog-bench-publish-") as tmp:
        root = Path(tmp) / "ws"
        shutil.copytree(REPO / "entries", root / "entries")
        remote = Path(tmp) / "wiki.git"
        subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=master", str(remote)], check=True)
        url = remote.as_uri()
        (root / "devlog.toml").write_text(f'[wiki]\nremote = "{url}"\n', encoding="utf-8")
        workspace = open_workspace(str(root))
        store = Store.open(workspace.db_path)
        build_seconds: list[float] = []

        def timed_build(ws: Any, st: Any, out_dir: Path) -> Any:
            start = time.perf_counter()
            try:
                return build_wiki(ws, st, out_dir)
            finally:
                build_seconds.append(time.perf_counter() - start)

        def publish_once() -> tuple[float, float, Any]:
            build_seconds.clear()
            start = time.perf_counter()
            index_workspace(workspace, store)
            report = publish_wiki(workspace, store, timed_build)
            return time.perf_counter() - start, sum(build_seconds), report

        logs = sorted(workspace.entry_files())
        first_total, _, first = publish_once()
        pages = len(first.added)
        print(f"sample workspace: {len(logs)} logs -> {pages} pages; first publish {first_total * 1000:.1f} ms")

        noop, noop_build, changed, changed_build = [], [], [], []
        target = logs[len(logs) // 2]
        for run in range(args.runs):
            total, build, report = publish_once()
            assert not report.changed_anything, report.lines()
            noop.append(total)
            noop_build.append(build)
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"\n- bench edit {run}\n")
            total, build, report = publish_once()
            assert report.commit and report.changed, report.lines()
            changed.append(total)
            changed_build.append(build)

        cli_noop, cli_changed = [], []
        command = [sys.executable, "-m", "devlog", "--workspace", str(root), "publish"]
        for run in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            cli_noop.append(time.perf_counter() - start)
            assert done.stdout.startswith("nothing to publish"), done.stdout
            with target.open("a", encoding="utf-8") as handle:
                handle.write(f"\n- cli edit {run}\n")
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            cli_changed.append(time.perf_counter() - start)
            assert done.stdout.startswith("published"), done.stdout

        print(f"median of {args.runs}, {target.name} changed each time:")
        print(f"  no-op publish (in process)        {_median_ms(noop)}   build {_median_ms(noop_build)}")
        print(f"  one changed log (in process)      {_median_ms(changed)}   build {_median_ms(changed_build)}")
        print(f"  no-op `devlog publish` (CLI)      {_median_ms(cli_noop)}")
        print(f"  one changed log (CLI)             {_median_ms(cli_changed)}")


if __name__ == "__main__":
    main()
