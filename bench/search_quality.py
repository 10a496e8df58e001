"""Search quality benchmark: hit@1, hit@5 and MRR@10 per search mode and per query type.

    python bench/search_quality.py                      # default embedder of a workspace ("use")
    python bench/search_quality.py --model st:/path/to/model
    python bench/search_quality.py --json /tmp/quality.json
    python bench/search_quality.py --keep /tmp/qws      # keep the indexed workspace for digging
    python bench/search_quality.py --check              # only lint the labels (no index, no model)

Labelled queries live in ``bench/queries.json``: ``{"query", "type", "answers", "note"}`` with
``type`` one of ``keyword`` (the words occur in the answer), ``paraphrase`` (same language, other
words) or ``cross-language`` (query in English for a Korean log or the other way round).
Answers are file paths: ``entries/...`` are the sample logs of this repo, ``corpus/<name>.md`` the
public logs in ``../shared/corpus/public`` (read at run time, never copied into the repo).

The benchmark builds a temporary workspace whose ``entries/`` holds a copy of the repo's
``entries/`` plus the corpus under ``entries/corpus/`` (so ``corpus/X.md`` is found as
``entries/corpus/X.md``), indexes it with embeddings through the library, and runs every query in
every mode with a limit of 10 entries. Scores are at FILE level: a query's rank is the position
of its first answer among the unique paths of the results, in order (1-based; a miss counts 0
for MRR@10). Without ``../shared`` the queries with a corpus answer are skipped (with a note).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MODES = ("keyword", "semantic", "hybrid")
TYPES = ("keyword", "paraphrase", "cross-language")
LIMIT = 10
CORPUS_PREFIX = "corpus/"


def code_version() -> str:
    """The devlog commit measured (read-only git), '+dirty' when devlog/ has local changes."""
    import subprocess

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + ("+dirty" if git("status", "--porcelain", "--", "devlog") else "")


def corpus_dir() -> Path:
    return REPO.parent / "shared" / "corpus" / "public"


def load_queries(path: Path) -> list[dict[str, Any]]:
    queries = json.loads(path.read_text(encoding="utf-8"))
    for i, q in enumerate(queries):
        missing = {"query", "type", "answers"} - q.keys()
        if missing or q["type"] not in TYPES or not q["answers"]:
            raise SystemExit(f"{path}: query #{i} is malformed ({q!r})")
    return queries


def workspace_path(answer: str) -> str:
    """An answer as a path relative to the benchmark workspace."""
    if answer.startswith(CORPUS_PREFIX):
        return "entries/corpus/" + answer[len(CORPUS_PREFIX) :]
    return answer


def short(path: str) -> str:
    """A compact name for tables: entries/2025-04-11.md -> 2025-04-11, corpus files -> author/last part."""
    name = path.removeprefix("entries/")
    if name.startswith(CORPUS_PREFIX):
        stem = name[len(CORPUS_PREFIX) :].removesuffix(".md")
        parts = stem.split("__")
        owner = parts[0].split("-")[0] if parts[0] else "?"
        return f"{owner}/{parts[-1].removesuffix('_dev_log')}"
    return name.removesuffix(".md")


def build_workspace(root: Path, with_corpus: bool, model: str | None) -> None:
    shutil.copytree(REPO / "entries", root / "entries")
    if with_corpus:
        target = root / "entries" / "corpus"
        target.mkdir()
        for src in sorted(corpus_dir().glob("*.md")):
            shutil.copy2(src, target / src.name)
    if model:
        (root / "devlog.toml").write_text(f"[search]\nmodel = {json.dumps(model)}\n", encoding="utf-8")


def import_library(retries: int = 3, wait: float = 60.0) -> dict[str, Any]:
    """The devlog API; devlog.embedder may be mid-edit by a colleague, so retry a few times."""
    for attempt in range(retries + 1):
        try:
            from devlog.embedding import embed_passages, load_workspace_embedder, semantic_loader
            from devlog.indexer import index_workspace
            from devlog.search import search
            from devlog.store import Store
            from devlog.store.queries import Filters
            from devlog.workspace import open_workspace
        except ImportError as err:  # pragma: no cover - depends on the state of the tree
            if attempt == retries:
                raise
            print(f"import failed ({err}); retrying in {wait:.0f} s", file=sys.stderr)
            time.sleep(wait)
            for name in [m for m in sys.modules if m == "devlog" or m.startswith("devlog.")]:
                del sys.modules[name]
            continue
        return {
            "embed_passages": embed_passages,
            "load_workspace_embedder": load_workspace_embedder,
            "semantic_loader": semantic_loader,
            "index_workspace": index_workspace,
            "search": search,
            "Store": Store,
            "Filters": Filters,
            "open_workspace": open_workspace,
        }
    raise AssertionError("unreachable")


def file_ranking(hits: list[Any]) -> list[str]:
    """Unique paths of the hits, in order of first appearance."""
    return list(dict.fromkeys(hit.path for hit in hits))


def rank_of(files: list[str], answers: set[str]) -> int | None:
    for position, path in enumerate(files, 1):
        if path in answers:
            return position
    return None


def metrics(ranks: list[int | None]) -> dict[str, float | int]:
    n = len(ranks)
    if not n:
        return {"n": 0, "hit@1": 0.0, "hit@5": 0.0, "mrr@10": 0.0}
    return {
        "n": n,
        "hit@1": sum(1 for r in ranks if r is not None and r <= 1) / n,
        "hit@5": sum(1 for r in ranks if r is not None and r <= 5) / n,
        "mrr@10": sum(1.0 / r for r in ranks if r is not None and r <= LIMIT) / n,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    queries = load_queries(Path(args.queries))
    with_corpus = corpus_dir().is_dir()
    skipped: list[str] = []
    if not with_corpus:
        skipped = [q["query"] for q in queries if any(a.startswith(CORPUS_PREFIX) for a in q["answers"])]
        queries = [q for q in queries if q["query"] not in skipped]
        print(f"note: {corpus_dir()} is absent: skipping the {len(skipped)} queries with a corpus answer")

    lib = import_library()
    tmp = Path(tempfile.mkdtemp(prefix="devlog-quality-"))
    try:
        build_workspace(tmp, with_corpus, args.model)
        ws = lib["open_workspace"](str(tmp))
        store = lib["Store"].open(ws.db_path)
        try:
            t0 = time.perf_counter()
            report = lib["index_workspace"](ws, store)
            t_index = time.perf_counter() - t0
            embedder = lib["load_workspace_embedder"](ws)
            t0 = time.perf_counter()
            embedded = lib["embed_passages"](ws, store, embedder)
            t_embed = time.perf_counter() - t0
            files = sum(1 for _ in ws.entry_files())
            passages = store.db.execute("SELECT count(*) FROM passage").fetchone()[0]
            not_ok = store.db.execute("SELECT path, status, reason FROM file WHERE status != 'ok'").fetchall()
            print(
                f"workspace {tmp}: {files} files ({report.added} indexed, {len(report.failed)} failed, "
                f"{report.warnings} warnings), {passages} passages"
            )
            print(
                f"embedder {embedder.name}: {embedded.embedded} passages embedded in {t_embed:.1f} s "
                f"({embedded.per_second:.0f}/s in the model); index {t_index:.1f} s"
            )
            for path, status, reason in not_ok:
                print(f"  {status}: {path} ({reason})")
            indexed = {row[0] for row in store.db.execute("SELECT DISTINCT path FROM passage")}
            unindexed = sorted({workspace_path(a) for q in queries for a in q["answers"]} - indexed)
            if unindexed:
                print(
                    f"warning: answers with no entry in the index (cannot be found): {', '.join(map(short, unindexed))}"
                )

            per_query: list[dict[str, Any]] = []
            t0 = time.perf_counter()
            for q in queries:
                answers = {workspace_path(a) for a in q["answers"]}
                # One query embedding serves semantic and hybrid alike.
                loader = lib["semantic_loader"](ws, store, q["query"])
                cache: list[Any] = []

                def semantic(loader: Any = loader, cache: list[Any] = cache) -> Any:
                    if not cache:
                        cache.append(loader())
                    return cache[0]

                row: dict[str, Any] = {
                    "query": q["query"],
                    "type": q["type"],
                    "answers": q["answers"],
                    "ranks": {},
                    "top": {},
                }
                for mode in MODES:
                    hits, notice = lib["search"](store.db, q["query"], mode, lib["Filters"](), LIMIT, semantic)
                    ranking = file_ranking(hits)
                    row["ranks"][mode] = rank_of(ranking, answers)
                    row["top"][mode] = ranking
                    if notice:
                        row.setdefault("notices", {})[mode] = notice
                per_query.append(row)
            t_search = time.perf_counter() - t0
        finally:
            store.close()
    finally:
        if args.keep:
            dest = Path(args.keep)
            if dest.exists():
                shutil.rmtree(dest)
            shutil.move(str(tmp), dest)
            print(f"kept the workspace in {dest}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    groups: dict[str, list[dict[str, Any]]] = {t: [r for r in per_query if r["type"] == t] for t in TYPES}
    groups["paraphrase+cross"] = [r for r in per_query if r["type"] != "keyword"]
    groups["all"] = per_query
    groups["set: team"] = [r for r in per_query if not any(a.startswith(CORPUS_PREFIX) for a in r["answers"])]
    groups["set: corpus"] = [r for r in per_query if any(a.startswith(CORPUS_PREFIX) for a in r["answers"])]
    figures = {
        mode: {name: metrics([r["ranks"][mode] for r in rows]) for name, rows in groups.items()} for mode in MODES
    }
    return {
        "model": args.model or "use (workspace default)",
        "devlog": code_version(),
        "embedder": embedder.name,
        "corpus": with_corpus,
        "skipped": skipped,
        "timings": {"index_s": t_index, "embed_s": t_embed, "search_s": t_search, "passages": passages},
        "metrics": figures,
        "per_query": per_query,
    }


def targets(figures: dict[str, dict[str, dict[str, float | int]]]) -> list[tuple[str, bool, str]]:
    allq = {mode: figures[mode]["all"] for mode in MODES}
    h = allq["hybrid"]
    beats = all(h[m] > allq[other][m] for other in ("keyword", "semantic") for m in ("mrr@10", "hit@5"))
    out = [
        (
            "hybrid beats both keyword and semantic alone on the whole set (MRR@10 and hit@5)",
            beats,
            "MRR@10 "
            + " / ".join(f"{m} {allq[m]['mrr@10']:.3f}" for m in MODES)
            + "; hit@5 "
            + " / ".join(f"{m} {allq[m]['hit@5']:.3f}" for m in MODES),
        ),
    ]
    kw = figures["hybrid"]["keyword"]
    out.append(
        (
            "hybrid hit@5 >= 0.9 on keyword queries",
            bool(kw["n"]) and kw["hit@5"] >= 0.9,
            f"{kw['hit@5']:.3f} (n={kw['n']})",
        )
    )
    para = figures["hybrid"]["paraphrase"]
    out.append(
        (
            "hybrid hit@5 >= 0.8 on paraphrase queries",
            bool(para["n"]) and para["hit@5"] >= 0.8,
            f"{para['hit@5']:.3f} (n={para['n']})",
        )
    )
    both = figures["hybrid"]["paraphrase+cross"]
    out.append(
        (
            "(same bar on paraphrase + cross-language together)",
            bool(both["n"]) and both["hit@5"] >= 0.8,
            f"{both['hit@5']:.3f} (n={both['n']})",
        )
    )
    return out


_STOP_WORDS = (
    "a an and are as at be by did do does for from how in is it its my not of on or our so "
    "that the this to was we were what when which with"
)
_STOP = frozenset(_STOP_WORDS.split())


def check_labels(queries: list[dict[str, Any]]) -> int:
    """Lint the labels: answers exist; keyword words occur in an answer; paraphrase
    words (Korean stems of 2+ syllables, Latin words but stop words) do not; words a
    cross-language query shares with its answer are only noted."""
    import re

    from devlog.textindex import strip_particle

    hangul = re.compile("[\uac00-\ud7a3]")
    token = re.compile("[\uac00-\ud7a3]+|[^\\W\uac00-\ud7a3_]+")
    problems = 0
    for i, q in enumerate(queries):
        texts = []
        for answer in q["answers"]:
            path = corpus_dir() / answer[len(CORPUS_PREFIX) :] if answer.startswith(CORPUS_PREFIX) else REPO / answer
            if not path.is_file():
                print(f"#{i} {q['query']!r}: answer {answer} does not exist")
                problems += 1
                continue
            text = path.read_text(encoding="utf-8")
            texts.append((text, {t.lower() for t in token.findall(text)}))
        found: list[str] = []
        absent: list[str] = []
        for word in token.findall(q["query"]):
            if hangul.match(word):
                stem = strip_particle(word)
                hit = len(stem) >= 2 and any(stem in text for text, _ in texts)
            else:
                stem = word.lower()
                hit = stem not in _STOP and any(stem in words for _, words in texts)
            (found if hit else absent).append(stem)
        if q["type"] == "keyword" and absent:
            print(f"#{i} keyword query {q['query']!r}: {absent} in no answer")
            problems += 1
        elif q["type"] == "paraphrase" and found:
            print(f"#{i} paraphrase query {q['query']!r} reuses the answer's words {found}")
            problems += 1
        elif q["type"] == "cross-language" and found:
            # Korean logs write tech terms in English, so a shared term (GPU) is only worth a note.
            print(f"#{i} note: cross-language query {q['query']!r} shares {found} with its answer")
    print(f"{len(queries)} queries checked, {problems} to look at")
    return problems


def fmt_rank(rank: int | None) -> str:
    return "-" if rank is None else str(rank)


def print_report(result: dict[str, Any]) -> list[tuple[str, bool, str]]:
    figures = result["metrics"]
    print()
    print(f"Search quality at file level, limit {LIMIT} (embedder {result['embedder']}, devlog {result['devlog']})")
    head = f"{'query type':<18}{'n':>4} |"
    sub = f"{'':<22} |"
    for mode in MODES:
        head += f" {mode:^20} |"
        sub += f" {'hit@1':>6}{'hit@5':>7}{'MRR':>7} |"
    print(head)
    print(sub)
    print("-" * len(sub))
    for name in (*TYPES, "paraphrase+cross", "all", "set: team", "set: corpus"):
        n = figures["hybrid"][name]["n"]
        line = f"{name:<18}{n:>4} |"
        for mode in MODES:
            m = figures[mode][name]
            line += f" {m['hit@1']:>6.3f}{m['hit@5']:>7.3f}{m['mrr@10']:>7.3f} |"
        print(line)
        if name == "all":
            print("-" * len(sub))

    print()
    print("Per-query file rank (K keyword, S semantic, H hybrid; '-' = not in the top 10 files; ✗ = hybrid rank > 5)")
    print(f"{'#':>3} {'type':<6} {'K':>2} {'S':>2} {'H':>2}   query  ->  answers")
    abbrev = {"keyword": "kw", "paraphrase": "para", "cross-language": "xlang"}
    for i, row in enumerate(result["per_query"]):
        r = row["ranks"]
        bad = r["hybrid"] is None or r["hybrid"] > 5
        answers = ", ".join(short(workspace_path(a)) for a in row["answers"])
        print(
            f"{i:>3} {abbrev[row['type']]:<6} {fmt_rank(r['keyword']):>2} {fmt_rank(r['semantic']):>2} "
            f"{fmt_rank(r['hybrid']):>2} {'✗' if bad else ' '} {row['query']}  ->  {answers}"
        )

    failures = [
        (i, row)
        for i, row in enumerate(result["per_query"])
        if row["ranks"]["hybrid"] is None or row["ranks"]["hybrid"] > 5
    ]
    print()
    print(f"Hybrid failures (rank > 5 or missing): {len(failures)}")
    for i, row in failures:
        print(
            f"  #{i} [{row['type']}] {row['query']!r}  answers: {', '.join(short(workspace_path(a)) for a in row['answers'])}"
        )
        for mode in MODES:
            top = ", ".join(short(p) for p in row["top"][mode][:5]) or "(nothing)"
            print(f"      {mode:<8} rank {fmt_rank(row['ranks'][mode]):>2}: {top}")

    checks = targets(figures)
    print()
    print("Targets")
    for label, ok, detail in checks:
        print(f"  [{'PASS' if ok else 'FAIL'}] {label}: {detail}")
    t = result["timings"]
    print()
    print(
        f"{len(result['per_query'])} queries; {t['passages']} passages; index {t['index_s']:.1f} s, "
        f"embed {t['embed_s']:.1f} s, searches {t['search_s']:.1f} s"
    )
    return checks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", help="embedder spec, e.g. 'use' (default) or 'st:/path/to/model'")
    parser.add_argument("--json", metavar="OUT", help="write the figures and per-query ranks to OUT")
    parser.add_argument("--queries", default=str(REPO / "bench" / "queries.json"), help="labelled queries (JSON)")
    parser.add_argument("--keep", metavar="DIR", help="keep the indexed workspace in DIR (replaced if it exists)")
    parser.add_argument("--check", action="store_true", help="only lint the labels of the queries, then exit")
    args = parser.parse_args(argv)
    if args.check:
        if not corpus_dir().is_dir():
            print(f"note: {corpus_dir()} is absent: corpus answers cannot be checked")
        return 1 if check_labels(load_queries(Path(args.queries))) else 0
    result = run(args)
    checks = print_report(result)
    if args.json:
        result["targets"] = [{"target": label, "pass": ok, "detail": detail} for label, ok, detail in checks]
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
