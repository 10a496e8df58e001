"""Search over the index: keyword (FTS5 + bm25), semantic (embeddings), and hybrid (fusion).

Results are passages (sections and list items); one result per section, best passage kept.
"""

from __future__ import annotations

import sqlite3
from dataclasses import asdict, dataclass
from typing import Any

from devlog.store import queries
from devlog.store.queries import Filters
from devlog.textindex import END, START, build_query, snippet

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

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["snippet"] = data["snippet"].replace(START, "**").replace(END, "**")
        return {key: data[key] for key in ("date", "author", "path", "line", "kind", "heading", "snippet", "score")}


def _hit(row: tuple, score: float) -> Hit:
    pid, entry_id, section_id, _item, day, author, path, line, kind, heading, text, _rank = row
    return Hit(pid, entry_id, section_id, day, author, path, line, kind, heading, text, score)


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


def keyword_ranking(db: sqlite3.Connection, text: str, filters: Filters, depth: int) -> list[Hit]:
    """Passages for a keyword query, best first; all terms required, any term as a second chance."""
    query = build_query(text)
    if query is None:
        return []
    rows = queries.fts_passages(db, query.match, filters, depth)
    if not rows and query.any_match != query.match:
        rows = queries.fts_passages(db, query.any_match, filters, depth)
    return [_hit(row, -float(row[-1])) for row in rows]


def highlight(hits: list[Hit], text: str) -> list[Hit]:
    query = build_query(text)
    terms = query.terms if query else ()
    for hit in hits:
        hit.snippet = snippet(hit.text or hit.heading, terms)
    return hits


def keyword_search(db: sqlite3.Connection, text: str, filters: Filters, limit: int = 10) -> list[Hit]:
    hits = keyword_ranking(db, text, filters, max(limit * 4, 40))
    return highlight(_one_per_section(hits, limit), text)
