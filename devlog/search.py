"""Search over the index: keyword (FTS5 + bm25), semantic (embeddings), and hybrid (fusion).

Results are passages (sections and list items); one result per section, best passage kept.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from devlog.errors import DevlogError
from devlog.store import queries
from devlog.store.queries import Filters
from devlog.textindex import END, START, build_query, highlighter, snippet

if TYPE_CHECKING:
    from devlog.vectors import VectorMatrix

MODES = ("hybrid", "keyword", "semantic")


@dataclass
class Hit:
    passage_id: int
    entry_id: int
    section_id: int
    date: str | None
    author: str | None
    path: str
    line: int
    kind: str
    heading: str
    text: str
    score: float
    snippet: str = ""
    item_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["snippet"] = data["snippet"].replace(START, "**").replace(END, "**")
        return {key: data[key] for key in ("date", "author", "path", "line", "kind", "heading", "snippet", "score")}


def _hit(row: tuple, score: float) -> Hit:
    pid, entry_id, section_id, item_id, day, author, path, line, kind, heading, text, _rank = row
    return Hit(pid, entry_id, section_id, day, author, path, line, kind, heading, text, score, item_id=item_id)


def _one_per_section(hits: list[Hit], limit: int) -> list[Hit]:
    seen: set[int] = set()
    out = []
    for hit in hits:
        if hit.section_id in seen:
            continue
        seen.add(hit.section_id)
        out.append(hit)
        if len(out) == limit:
            break
    return out


def keyword_ranking(
    db: sqlite3.Connection, text: str, filters: Filters, depth: int, second_chance: bool = True
) -> list[Hit]:
    """Passages for a keyword query, best first; all terms required, then (with `second_chance`) any term."""
    query = build_query(text)
    if query is None:
        return []
    rows = queries.fts_passages(db, query.match, filters, depth)
    if not rows and second_chance and query.any_match != query.match:
        rows = queries.fts_passages(db, query.any_match, filters, depth)
    return [_hit(row, -float(row[-1])) for row in rows]


def highlight(db: sqlite3.Connection, hits: list[Hit], text: str) -> list[Hit]:
    """Snippets with the query's words marked; a section hit points at the first item that matches."""
    query = build_query(text)
    terms = query.terms if query else ()
    for hit in hits:
        hit.snippet = snippet(hit.text or hit.heading, terms)
        if terms and hit.item_id is None:
            hit.line = queries.first_matching_item_line(db, hit.section_id, highlighter(terms)) or hit.line
    return hits


def keyword_search(db: sqlite3.Connection, text: str, filters: Filters, limit: int = 10) -> list[Hit]:
    hits = keyword_ranking(db, text, filters, max(limit * 4, 40))
    return highlight(db, _one_per_section(hits, limit), text)


def semantic_ranking(
    db: sqlite3.Connection, matrix: VectorMatrix, query_vector: Any, filters: Filters, depth: int
) -> list[Hit]:
    """Passages closest in meaning to the query, best first (score: cosine similarity)."""
    if not len(matrix.ids):
        return []
    allowed = queries.filtered_passage_ids(db, filters)
    if allowed is not None:
        import numpy as np

        allowed_ids = np.asarray(allowed, dtype=np.int64)
    top = matrix.top(query_vector, depth, allowed_ids if allowed is not None else None, FEEDBACK_ROWS, FEEDBACK_WEIGHT)
    rows = queries.passages_by_id(db, [pid for pid, _ in top])
    return [_hit(rows[pid], score) for pid, score in top if pid in rows]


RRF_K = 60  # the usual reciprocal-rank-fusion constant: ranks matter, raw scores do not
KEYWORD_WEIGHT = 0.5  # measured on bench/queries.json (BENCHMARKS.md)
# Pseudo-relevance feedback for the semantic ranking: query + 0.3 x mean of its 3 best passages
# (paraphrase hit@5 0.62 -> 0.77 on bench/queries.json, MRR unchanged; BENCHMARKS.md).
FEEDBACK_ROWS = 3
FEEDBACK_WEIGHT = 0.3
ENTRIES_PER_FILE = 2  # a file of many dated days must not fill the results alone


def fuse(rankings: list[list[Hit]], weights: list[float] | None = None) -> list[Hit]:
    """Reciprocal-rank fusion at section level: a section's score sums 1/(k + rank) over rankings.

    The passage shown for a section is the one the first ranking (keyword) liked best, whose
    words match what the user typed.
    """
    weights = weights or [1.0] * len(rankings)
    scores: dict[int, float] = {}
    shown: dict[int, Hit] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        seen: set[int] = set()
        for hit in ranking:
            if hit.section_id in seen:
                continue
            seen.add(hit.section_id)
            scores[hit.section_id] = scores.get(hit.section_id, 0.0) + weight / (RRF_K + len(seen))
            shown.setdefault(hit.section_id, hit)
    fused = []
    for section_id, hit in shown.items():
        hit.score = scores[section_id]
        fused.append(hit)
    fused.sort(key=lambda h: -h.score)
    return fused


def group_by_entry(hits: list[Hit], limit: int, per_entry: int = 3) -> list[Hit]:
    """The best `limit` entries, each with up to `per_entry` passages, entries in order of their best;
    at most ENTRIES_PER_FILE entries come from one file."""
    groups: dict[int, list[Hit]] = {}
    entries_of_file: dict[str, set[int]] = {}
    for hit in hits:
        entries = entries_of_file.setdefault(hit.path, set())
        if hit.entry_id not in entries and len(entries) >= ENTRIES_PER_FILE:
            continue
        entries.add(hit.entry_id)
        group = groups.setdefault(hit.entry_id, [])
        if len(group) < per_entry:
            group.append(hit)
    ordered = list(groups.values())[:limit]
    return [hit for group in ordered for hit in group]


def search(
    db: sqlite3.Connection,
    text: str,
    mode: str,
    filters: Filters,
    limit: int,
    semantic: Callable[[], tuple[VectorMatrix, Any] | None] | None = None,
) -> tuple[list[Hit], str | None]:
    """Search in any mode; `semantic()` gives (matrix, query vector), or None when there are no vectors.

    Returns the hits and a notice when hybrid had to fall back to keyword search.
    """
    if mode == "keyword":
        return keyword_search(db, text, filters, limit), None
    loaded = semantic() if semantic else None
    if loaded is None or not len(loaded[0].ids):
        if mode == "semantic":
            raise DevlogError("the index has no vectors yet: run `devlog index` (without --no-embed)")
        return keyword_search(
            db, text, filters, limit
        ), "no vectors in the index yet (run `devlog index`): keyword results"
    matrix, vector = loaded
    depth = max(limit * 10, 100)
    meaning = semantic_ranking(db, matrix, vector, filters, depth)
    if mode == "semantic":
        hits = group_by_entry(_one_per_section(meaning, depth), limit)
    else:
        # Only passages with every word take part: "any word" matches of a paraphrase are stop words
        # and common syllables, and fusion would weigh that noise like the semantic ranking.
        words = keyword_ranking(db, text, filters, depth, second_chance=False)
        hits = group_by_entry(fuse([words, meaning], [KEYWORD_WEIGHT, 1.0]), limit)
    return highlight(db, hits, text), None


def related(matrix: VectorMatrix, entry_id: int, limit: int) -> list[tuple[int, float]]:
    """Entries closest in meaning to one entry: (entry id, cosine of mean passage vectors)."""
    entries, vectors = matrix.entry_vectors()
    where = {int(e): i for i, e in enumerate(entries)}
    if entry_id not in where:
        return []
    scores = vectors @ vectors[where[entry_id]]
    order = [i for i in scores.argsort()[::-1] if int(entries[i]) != entry_id][:limit]
    return [(int(entries[i]), float(scores[i])) for i in order]
