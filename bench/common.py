"""Helpers shared by the benchmarks: the generated workspace, fresh processes, medians, peak memory."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SYNTH = Path(os.environ.get("DEVLOG_BENCH_WORKSPACE", "/tmp/devlog-synth-10k"))


def ensure_workspace(days: int = 10_000, path: Path = SYNTH) -> Path:
    """The generated workspace (made once; the generator is deterministic)."""
    marker = path / "entries"
    if not marker.is_dir() or sum(1 for _ in marker.rglob("*.md")) != days:
        subprocess.run(
            [sys.executable, str(REPO / "bench" / "generate.py"), str(path), "--days", str(days)], check=True
        )
    return path


def devlog_command(workspace: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "devlog", "--workspace", str(workspace), *args]


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in KB (via /usr/bin/time when present), and stdout of one fresh process."""
    wrapper = ["/usr/bin/time", "-f", "%M"] if Path("/usr/bin/time").exists() else []
    started = time.perf_counter()
    result = subprocess.run(wrapper + command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    peak = int(result.stderr.strip().splitlines()[-1]) if wrapper else 0
    return elapsed, peak, result.stdout


def median_of(command: list[str], runs: int = 5) -> tuple[float, int]:
    times, peaks = [], []
    for _ in range(runs):
        elapsed, peak, _ = timed(command)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def row(label: str, value: str, baseline: str = "", verdict: str = "") -> str:
    return f"{label:48} {value:>14} {baseline:>22} {verdict}"
