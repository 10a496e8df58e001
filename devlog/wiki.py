"""`devlog build`: the team's logs as a GitHub (or GitLab) wiki of markdown pages.

Like mkdocs, in three steps:

1. this module: plain rows from the index (`devlog.store.wiki_queries`) -> one digest per entry
   (`devlog.wiki_body`: plain data, log text already markdown-safe) -> a `Site` -> the list of
   `Page(name, template, context)`. Contexts are plain data (dicts, lists, str, int, bool, None);
2. `devlog.wiki_render` renders each page with its jinja2 template (`templates/wiki/`, a workspace's
   own `templates/wiki/` overriding the shipped ones by name);
3. `devlog.wiki_write.write_pages` writes only what changed, removes the pages devlog made before and
   no longer makes, and keeps the manifest (`.devlog-manifest.json`) of the pages devlog owns.

The same logs give byte-identical pages: everything is sorted, nothing depends on the clock.

Pages (flat names, spaces as `-`; links in GitHub's wiki form `[[text|Page-Name]]`):
`Home`, `_Sidebar`, `_Footer`; one per entry (`2025-04-14`, `2025-04-14-minji`); topic hubs
`Learnings`, `Issues`, `Retrospectives`, `References` with one page per month each
(`Learnings-2025-04`, so no page grows without bound); `People` and one page per person mentioned
in learned or meeting sections (`Person-David`); `Weeks` and one page per ISO week (`Week-2025-W16`).

Incremental builds. Pages are first made as *specs*: their contexts hold, in place of the heavy
parts (section bodies, tasks), small placeholders `{"$": ..., "k": <entry key>}` naming the entry
content they stand for. A spec's fingerprint is thus a cheap, exact key of everything the page is
made of. `build_wiki` keeps digests and page fingerprints in `.devlog/wiki-cache.db`
(devlog.wiki_cache): a rebuild re-reads from the index only the logs that changed, and fills in and
renders only the pages whose fingerprint changed or whose file was touched since. Related days by
meaning are kept too (each entry's vector sum and best related entries with their exact scores):
a rebuild updates them for the entries whose vectors changed ("related days by meaning" below).
"""

from __future__ import annotations

import gc
import hashlib
import marshal
import math
import os
import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devlog import wiki_md as md
from devlog.store import wiki_queries
from devlog.wiki_body import TOPIC_KINDS, digest_rows, shown_sections
from devlog.wiki_write import MANIFEST, WriteReport, read_manifest, sha256_hex, write_pages

if TYPE_CHECKING:
    import numpy as np

    from devlog.store import Store
    from devlog.wiki_cache import WikiCache
    from devlog.workspace import Workspace

__all__ = [
    "MANIFEST",
    "Page",
    "Site",
    "WriteReport",
    "build_pages",
    "build_wiki",
    "load_site",
    "related_by_keywords",
    "write_pages",
]

RECENT_DAYS = 10  # on Home
RECENT_WEEKS = 8  # on Home and in the sidebar
SIDEBAR_PEOPLE = 20  # the most mentioned, in the sidebar
HUB_DETAIL_MONTHS = 3  # topic hubs list the headings of this many recent months
PERSON_FULL_MENTIONS = 100  # a person page shows this many recent mentions in full, older ones as links
RELATED_LIMIT = 5
RELATED_MAX_DF = 50
READ_BATCH = 500  # files whose rows are read from the index at once
CACHE_NAME = "wiki-cache.db"
JINJA_CACHE = "wiki-templates-cache"  # compiled templates (jinja2's bytecode cache)
CACHE_VERSION = "4"
# Sources whose change makes cached digests stale (with the devlog version and the kinds config).
_DIGEST_SOURCES = (
    "wiki.py",
    "wiki_cache.py",
    "wiki_body.py",
    "wiki_md.py",
    "textindex.py",
    "parser.py",
    "records.py",
    "kinds.py",
)

TOPICS: dict[str, tuple[str, str]] = {
    # topic: (hub page name, title); the kinds gathered are devlog.wiki_body.TOPIC_KINDS
    "learnings": ("Learnings", "새로 배운 내용 · Learnings"),
    "issues": ("Issues", "이슈와 해결 방안 · Issues"),
    "retros": ("Retrospectives", "회고 · Retrospectives"),
    "references": ("References", "참고 자료 · References"),
}

Digest = dict[str, Any]
HeavyLoader = Callable[[Sequence[int]], Mapping[int, Digest]]


@dataclass(frozen=True)
class Page:
    """One wiki page before rendering: its name (file name without `.md`), template and plain context."""

    name: str
    template: str
    context: dict[str, Any]

    @property
    def filename(self) -> str:
        return f"{self.name}.md"


@dataclass
class Site:
    """What the pages are made of: every entry's light digest (by date, author, path), the related
    entries of each (indexes, best first), and a loader of heavy digests by entry index."""

    title: str
    entries: list[Digest]
    related: list[list[int]]
    heavy: HeavyLoader


# ---------------------------------------------------------------------------- reading the index


@dataclass
class _Read:
    rows: list[tuple]  # wiki_queries.entries
    light: dict[str, list[Any]]  # path -> [file hash, entry ids, light digests], every file
    fresh: dict[str, tuple[str, list[int], list[Digest], list[Digest], list[Any]]]  # files read now: path ->
    # (file hash, entry ids, light, heavy, terms)
    gone: list[str] = field(default_factory=list)  # files cached that are no longer indexed


def _read(db: sqlite3.Connection, light: Mapping[str, list[Any]] | None = None) -> _Read:
    """Digests of every file: the light ones from `light` (cached) when the file's hash and entry ids
    match, else everything read from the index."""
    rows = wiki_queries.entries(db)
    per_file: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        per_file[row[3]].append(row)
    out = _Read(rows, {}, {})
    stale: list[str] = []
    for path, file_rows in per_file.items():
        file_rows.sort(key=lambda r: r[0])
        old = light.get(path) if light else None
        if old is not None and old[0] == file_rows[0][7] and old[1] == [r[0] for r in file_rows]:
            out.light[path] = old
        else:
            stale.append(path)
    everything = len(stale) == len(per_file) and len(stale) <= READ_BATCH
    for start in range(0, len(stale), READ_BATCH):
        batch = stale[start : start + READ_BATCH]
        file_ids = None if everything else sorted({per_file[path][0][6] for path in batch})
        digests = digest_rows(
            [row for path in batch for row in per_file[path]],
            wiki_queries.sections(db, file_ids),
            wiki_queries.items(db, file_ids),
            wiki_queries.tables(db, file_ids),
            wiki_queries.table_rows(db, file_ids),
            wiki_queries.links(db, file_ids),
            wiki_queries.mentions(db, file_ids),
        )
        for path in batch:
            file_rows = per_file[path]
            file_hash, ids = file_rows[0][7], [r[0] for r in file_rows]
            parts = [digests[entry_id] for entry_id in ids]
            lights, heavies, terms = [p[0] for p in parts], [p[1] for p in parts], [p[2] for p in parts]
            out.light[path] = [file_hash, ids, lights]
            out.fresh[path] = (file_hash, ids, lights, heavies, terms)
    return out


def _ordered(data: _Read, table: Mapping[str, Sequence[Any]]) -> list[Any]:
    """Per entry, in site order, the value `table` (path -> [hash, ids, values, ...]) holds for it."""
    out = []
    for entry_id, path in ((row[0], row[3]) for row in data.rows):
        ids, values = table[path][1], table[path][2]
        out.append(values[ids.index(entry_id)] if len(ids) > 1 else values[0])
    return out


RelatedFn = Callable[[Sequence[int]], Mapping[int, list[int]]]  # entry ids -> entry id -> related entry ids


def load_site(db: sqlite3.Connection, title: str, related: RelatedFn | None = None) -> Site:
    """Read the whole index into a Site (no cache). `related(entry_ids)`, when given, gives each
    entry's related entries (by meaning, see `_by_meaning`) instead of `related_by_keywords`."""
    data = _read(db)
    entries = _ordered(data, data.light)
    heavy_all = _ordered(data, {path: (h, ids, heavy) for path, (h, ids, _, heavy, _) in data.fresh.items()})
    vocab: dict[str, int] = {}
    terms = [
        _term_ids(text, vocab) for text in _ordered(data, {p: (h, i, t) for p, (h, i, _, _, t) in data.fresh.items()})
    ]
    found = related([row[0] for row in data.rows]) if related is not None else None
    return Site(
        title, entries, _related(data, entries, found, terms), lambda indexes: {i: heavy_all[i] for i in indexes}
    )


def _related(
    data: _Read, entries: list[Digest], found: Mapping[int, list[int]] | None, terms: list[bytes] | None
) -> list[list[int]]:
    """Each entry's related entries as site indexes: from `found` (entry id -> related entry ids)
    when given, else by keywords from `terms`."""
    if found is not None:
        index = {row[0]: n for n, row in enumerate(data.rows)}
        return [[index[r] for r in found.get(row[0], []) if r in index] for row in data.rows]
    assert terms is not None
    return related_by_ids(terms, days=[_ordinal(entry["date"]) for entry in entries])


def _term_ids(text: str, vocab: dict[str, int]) -> bytes:
    """An entry's terms (space-separated) as sorted int32 ids of `vocab`, which grows as needed."""
    return array("i", sorted({vocab.setdefault(term, len(vocab)) for term in text.split()})).tobytes()


def _ordinal(day: str | None) -> int:
    return date.fromisoformat(day).toordinal() if day else 0


# ---------------------------------------------------------------------------- related days


def related_by_keywords(
    terms: Sequence[Iterable[str]],
    limit: int = RELATED_LIMIT,
    max_df: int | None = None,
    days: Sequence[int] | None = None,
    min_score: int = 2,
) -> list[list[int]]:
    """For every entry (by index), the entries sharing the most rare terms with it, best first.

    A term is rare when 2 to `max_df` entries hold it (default: the square root of the number of
    entries, between 3 and RELATED_MAX_DF); rarer terms weigh more ((max_df // df).bit_length(),
    that is 1 + floor(log2(max_df / df))), and a pair needs `min_score` to count. Ties go to the
    entry closest in time (`days`: a day number per entry), then the earlier one. Deterministic.
    """
    vocab: dict[str, int] = {}
    ids = [sorted({vocab.setdefault(term, len(vocab)) for term in entry_terms}) for entry_terms in terms]
    return related_by_ids(ids, limit, max_df, days, min_score)


_PAIR_CHUNK = 2_000_000  # entry pairs scored at once: bounds memory


def related_by_ids(
    terms: Sequence[Sequence[int] | bytes],
    limit: int = RELATED_LIMIT,
    max_df: int | None = None,
    days: Sequence[int] | None = None,
    min_score: int = 2,
) -> list[list[int]]:
    """`related_by_keywords` over term ids (each entry's ids distinct; a list, or bytes of int32),
    vectorised with numpy.

    An inverted index over the rare terms: every pair of entries holding one is scored, so the work
    is the sum of df² over rare terms, at most (rare terms) x max_df², never all pairs of entries.
    """
    import numpy as np

    count = len(terms)
    out: list[list[int]] = [[] for _ in range(count)]
    cap = max_df if max_df is not None else max(3, min(RELATED_MAX_DF, math.isqrt(count)))
    sizes = np.fromiter((len(ids) // 4 if isinstance(ids, bytes) else len(ids) for ids in terms), np.int64, count)
    if count < 2 or not sizes.sum():
        return out
    flat = np.concatenate(
        [
            np.frombuffer(ids, dtype=np.int32) if isinstance(ids, bytes) else np.asarray(ids, dtype=np.int64)
            for ids in terms
        ]
    ).astype(np.int64)
    owner = np.repeat(np.arange(count, dtype=np.int64), sizes)
    df = np.bincount(flat)[flat]
    rare = (df >= 2) & (df <= cap)
    term, owner = flat[rare], owner[rare]
    if not len(term):
        return out
    order = np.lexsort((owner, term))
    term, owner = term[order], owner[order]
    starts = np.flatnonzero(np.r_[True, term[1:] != term[:-1]])
    group = np.diff(np.r_[starts, len(term)])
    table = np.array([(cap // n).bit_length() if n else 0 for n in range(cap + 1)], dtype=np.int64)
    weight = table[group]
    pairs = group * group
    keys: list[Any] = []
    scores: list[Any] = []
    first = 0
    while first < len(group):  # groups in chunks of about _PAIR_CHUNK pairs
        last = first + max(1, int(np.searchsorted(np.cumsum(pairs[first:]), _PAIR_CHUNK, side="right")))
        g_pairs, g_size = pairs[first:last], group[first:last]
        g = np.repeat(np.arange(first, last), g_pairs)
        within = np.arange(int(g_pairs.sum())) - np.repeat(np.cumsum(g_pairs) - g_pairs, g_pairs)
        k = np.repeat(g_size, g_pairs)
        a = owner[starts[g] + within // k]
        b = owner[starts[g] + within % k]
        keep = a != b
        chunk_keys, inverse = np.unique(a[keep] * count + b[keep], return_inverse=True)
        keys.append(chunk_keys)
        scores.append(np.bincount(inverse, weights=weight[g][keep]))
        first = last
    pair_keys, inverse = np.unique(np.concatenate(keys), return_inverse=True)
    score = np.bincount(inverse, weights=np.concatenate(scores)).astype(np.int64)
    ok = score >= min_score
    pair_keys, score = pair_keys[ok], score[ok]
    a, b = pair_keys // count, pair_keys % count
    day = np.asarray(list(days) if days is not None else [0] * count, dtype=np.int64)
    order = np.lexsort((b, np.abs(day[a] - day[b]), -score, a))
    a, b = a[order], b[order]
    heads = np.flatnonzero(np.r_[True, a[1:] != a[:-1]])
    rank = np.arange(len(a)) - np.repeat(heads, np.diff(np.r_[heads, len(a)]))
    chosen = rank < limit
    for x, y in zip(a[chosen].tolist(), b[chosen].tolist(), strict=True):
        out[x].append(y)
    return out


# ---------------------------------------------------------------------------- related days by meaning
#
# With vectors in the index, an entry's related days are the entries whose mean passage vector is
# closest (cosine) to its own: what `devlog related` ranks. Vectors are int8, so an entry's *sum* of
# passage vectors is a vector of integers, and the dot product of two sums, computed in float64, is
# exact whatever the order of the additions (every partial sum is an integer below 2**53). A cosine
# is then `dot / (norm_a * norm_b)`, the same double however it is reached: by one row or a block,
# from either side of the pair. Rankings (cosine, then the lower entry id) are thus exact, and a
# rebuild can update the lists it kept instead of comparing all pairs again, with the same result.
#
# Each entry keeps its RELATED_LIMIT + RELATED_MARGIN best (`_Related`). When a few entries change,
# their rows are computed in full and every other row only takes in their new scores and drops the
# entries gone or changed; a row that drops so many that fewer than RELATED_LIMIT known ones are
# left is computed in full. Many changes: every pair again (float32 to find candidates, exact
# float64 to rank them).

RELATED_MARGIN = 10  # related entries kept beyond the RELATED_LIMIT shown, to update rows in place
VECTOR_CHANGES_MIN = 64  # a rebuild compares all pairs again only when more entries than this changed
VECTOR_CHANGES_SHARE = 16  # ... and more than one in this many (at 10,000 entries updating 625 costs a full pass)
_VECTOR_BLOCK = 1024  # rows compared at once in a full computation (memory: this x entries)
_EXACT_LIMIT = 2**52  # squared norm of a sum below which its dot products are exact in float64
_SQL_BATCH = 900  # values bound in one IN (...)


@dataclass
class _Related:
    """Per entry with vectors (`ids`, ascending): its best related entries `top` and their cosines
    `score`, best first (ties to the lower id), `length` of them (then -1 / -inf). A row is exact:
    the entries ranked first among all the others; it holds RELATED_LIMIT of them or more unless
    it holds all the others (length == len(ids) - 1)."""

    ids: np.ndarray
    top: np.ndarray
    score: np.ndarray
    length: np.ndarray

    @classmethod
    def empty(cls, ids: np.ndarray, width: int) -> _Related:
        import numpy as np

        count = len(ids)
        return cls(
            np.asarray(ids, dtype=np.int64),
            np.full((count, width), -1, dtype=np.int64),
            np.full((count, width), -np.inf, dtype=np.float64),
            np.zeros(count, dtype=np.int64),
        )

    def set_row(self, row: int, ids: np.ndarray, scores: np.ndarray) -> None:
        """Row `row` from candidates and their exact scores: the best `width` of them."""
        import numpy as np

        width = self.top.shape[1]
        order = np.lexsort((ids, -scores))[:width]
        self.top[row] = -1
        self.score[row] = -np.inf
        self.top[row, : len(order)] = ids[order]
        self.score[row, : len(order)] = scores[order]
        self.length[row] = len(order)

    def lists(self, limit: int = RELATED_LIMIT) -> dict[int, list[int]]:
        """entry id -> its `limit` best related entry ids."""
        shown = self.top[:, :limit].tolist()
        return {
            entry: row[: min(limit, length)]
            for entry, row, length in zip(self.ids.tolist(), shown, self.length.tolist(), strict=True)
        }

    def dump(self) -> list[Any]:
        return [self.top.shape[1], *(part.tobytes() for part in (self.ids, self.top, self.score, self.length))]

    @classmethod
    def load(cls, value: Any) -> _Related | None:
        import numpy as np

        try:
            width, ids, top, score, length = value
            out = cls(
                np.frombuffer(ids, dtype=np.int64),
                np.frombuffer(top, dtype=np.int64).reshape(-1, width).copy(),
                np.frombuffer(score, dtype=np.float64).reshape(-1, width).copy(),
                np.frombuffer(length, dtype=np.int64).copy(),
            )
        except (TypeError, ValueError):
            return None
        return out if len(out.ids) == len(out.top) == len(out.length) else None


def _exact(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer vector sums as float64 rows whose dot products are exact, and their norms (0 -> 1).

    Exact while every squared norm is below _EXACT_LIMIT; a row whose is not (some hundred thousand
    passages in one entry) is halved until it is: that depends on the row alone, so every build
    gets the same rows."""
    import numpy as np

    rows = np.asarray(sums)
    if rows.size and max(int(rows.max()), -int(rows.min())) ** 2 * rows.shape[1] >= _EXACT_LIMIT:
        big = rows.astype(np.int64)
        for n in range(len(big)):
            while sum(int(x) ** 2 for x in big[n]) >= _EXACT_LIMIT:
                big[n] >>= 1
        rows = big
    exact = rows.astype(np.float64)
    norms = np.sqrt(np.einsum("ij,ij->i", exact, exact))
    norms[norms == 0] = 1.0
    return exact, norms


def _cosines(rows: np.ndarray, exact: np.ndarray, norms: np.ndarray) -> np.ndarray:
    """Cosines of the entries at positions `rows` with every entry (themselves -inf), exact."""
    import numpy as np

    out = (exact[rows] @ exact.T) / (norms[rows][:, None] * norms[None, :])
    out[np.arange(len(rows)), rows] = -np.inf
    return out


def _set_full_rows(out: _Related, rows: np.ndarray, cosines: np.ndarray) -> None:
    """Rows `rows` of `out` from their exact cosines with every entry."""
    import numpy as np

    count = cosines.shape[1]
    keep = min(out.top.shape[1], count - 1)
    if keep <= 0:
        return
    cut = np.partition(cosines, count - keep, axis=1)[:, count - keep]
    for n, row in enumerate(rows.tolist()):
        candidates = np.flatnonzero(cosines[n] >= cut[n])  # the best, and all tied with the last
        out.set_row(row, out.ids[candidates], cosines[n, candidates])


def related_by_sums(entry_ids: Any, sums: Any, width: int = RELATED_LIMIT + RELATED_MARGIN) -> _Related:
    """For each entry (`entry_ids`, ascending, with the integer sums of its passage vectors), the
    `width` entries of highest cosine, best first, ties to the lower id, comparing all pairs.

    float32 products of unit vectors find the candidates, the exact cosines of these rank them. A
    float32 cosine of unit vectors of d dimensions is off by less than (d + 2) * 2**-24, so every
    entry more than twice that below the `width`-th best float32 score is beaten, exactly, by all
    `width` of them: the candidates (all others within 4 times that) hold the exact best `width`."""
    import numpy as np

    ids = np.asarray(entry_ids, dtype=np.int64)
    out = _Related.empty(ids, width)
    count = len(ids)
    keep = min(width, count - 1)
    if keep <= 0:
        return out
    exact, norms = _exact(sums)
    unit = (exact / norms[:, None]).astype(np.float32)
    slack = (exact.shape[1] + 2) * 2.0**-22
    for start in range(0, count, _VECTOR_BLOCK):
        block = unit[start : start + _VECTOR_BLOCK] @ unit.T
        rows = np.arange(len(block))
        block[rows, start + rows] = -np.inf
        cut = np.partition(block, count - keep, axis=1)[:, count - keep] - slack
        for r in rows.tolist():
            row = start + r
            candidates = np.flatnonzero(block[r] >= cut[r])
            scores = (exact[candidates] @ exact[row]) / (norms[candidates] * norms[row])
            out.set_row(row, ids[candidates], scores)
    return out


def update_related(old: _Related, entry_ids: Any, sums: Any, added: Any, limit: int = RELATED_LIMIT) -> _Related:
    """`old` brought up to date with the entries now (`entry_ids`, ascending, and their `sums`):
    the rows of `added` (entries whose vector is new or changed) in full; every other row (each
    in `old`) without the entries gone or changed, with the added ones that rank before its last
    known entry. Equal to `related_by_sums(entry_ids, sums)` in every row's first `limit`."""
    import numpy as np

    ids = np.asarray(entry_ids, dtype=np.int64)
    added = np.asarray(added, dtype=np.int64)
    count, width = len(ids), old.top.shape[1]
    out = _Related.empty(ids, width)
    exact, norms = _exact(sums)
    removed = np.union1d(np.setdiff1d(old.ids, ids), added)
    at = np.searchsorted(ids, added)
    cosines = _cosines(at, exact, norms)
    _set_full_rows(out, at, cosines)
    carried = np.flatnonzero(~np.isin(ids, added))
    source = np.searchsorted(old.ids, ids[carried])
    if len(carried) and not (source.max() < len(old.ids) and np.array_equal(old.ids[source], ids[carried])):
        raise ValueError("an entry neither added nor known before")
    out.top[carried], out.score[carried], out.length[carried] = old.top[source], old.score[source], old.length[source]
    if not len(carried):
        return out
    # the rows that change: they hold an entry removed, or an added one ranks before their last
    last = np.maximum(out.length[carried] - 1, 0)
    last_score, last_id = out.score[carried, last], out.top[carried, last]
    column = cosines[:, carried]
    before = (column > last_score) | ((column == last_score) & (added[:, None] < last_id))
    old_count = len(old.ids)
    touched = carried[
        np.isin(out.top[carried], removed).any(axis=1) | before.any(axis=0) | (out.length[carried] >= old_count - 1)
    ]
    again = []
    for row in touched.tolist():
        length = int(out.length[row])
        row_ids, row_scores = out.top[row, :length], out.score[row, :length]
        was_all = length >= old_count - 1
        kept = ~np.isin(row_ids, removed)
        row_ids, row_scores = row_ids[kept], row_scores[kept]
        if was_all:
            take = np.ones(len(added), dtype=bool)
        elif len(row_ids):
            take = (cosines[:, row] > row_scores[-1]) | ((cosines[:, row] == row_scores[-1]) & (added < row_ids[-1]))
        else:
            again.append(row)
            continue
        candidates = np.concatenate([row_ids, added[take]])
        if len(candidates) < min(limit, count - 1):
            again.append(row)
            continue
        out.set_row(row, candidates, np.concatenate([row_scores, cosines[take, row]]))
    if again:
        rows = np.asarray(again, dtype=np.int64)
        _set_full_rows(out, rows, _cosines(rows, exact, norms))
    return out


def _sum_vectors(rows: Iterable[tuple[int, str, bytes | None]]) -> tuple[dict[int, bytes], dict[int, list[str]]]:
    """From (entry id, passage hash, int8 vector or None) rows: per entry the sum of its vectors
    (`_pack_sum`; entries without any left out), and per entry the hashes of passages without one."""
    import numpy as np

    entries: list[int] = []
    blobs: list[bytes] = []
    missing: dict[int, list[str]] = {}
    for entry_id, passage_hash, blob in rows:
        if blob is None:
            missing.setdefault(entry_id, []).append(passage_hash)
        else:
            entries.append(entry_id)
            blobs.append(blob)
    if not blobs:
        return {}, missing
    owner = np.asarray(entries, dtype=np.int64)
    data = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), -1)
    del blobs
    if len(owner) > 1 and (owner[1:] < owner[:-1]).any():
        order = np.argsort(owner, kind="stable")
        owner, data = owner[order], data[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]).tolist()
    ends = [*starts[1:], len(owner)]
    return {
        int(owner[a]): _pack_sum(data[a:b].sum(axis=0, dtype=np.int32)) for a, b in zip(starts, ends, strict=True)
    }, missing


def _pack_sum(row: np.ndarray) -> bytes:
    """An int32 sum as bytes: int16 when it fits (most do: half the size), after a byte telling which."""
    import numpy as np

    if row.size and max(int(row.max()), -int(row.min())) <= 32767:
        return b"\x02" + row.astype(np.int16).tobytes()
    return b"\x04" + row.astype(np.int32).tobytes()


def _read_vectors(
    db: sqlite3.Connection, model: str, file_ids: Sequence[int] | None = None
) -> tuple[dict[int, bytes], dict[int, list[str]]]:
    """`_sum_vectors` of the passages of the files `file_ids` (None: all)."""
    sql = "SELECT p.entry_id, p.hash, v.data FROM passage p LEFT JOIN vector v ON v.model = ? AND v.hash = p.hash"
    if file_ids is None:
        return _sum_vectors(db.execute(f"{sql} ORDER BY p.id", (model,)))
    ids = sorted(file_ids)
    rows: list[tuple[int, str, bytes | None]] = []
    for start in range(0, len(ids), _SQL_BATCH):
        batch = ids[start : start + _SQL_BATCH]
        marks = ",".join("?" * len(batch))
        rows += db.execute(f"{sql} WHERE p.file_id IN ({marks}) ORDER BY p.id", (model, *batch)).fetchall()
    return _sum_vectors(rows)


def _with_vectors(db: sqlite3.Connection, model: str, hashes: Iterable[str]) -> set[str]:
    """Which of these passage hashes have a vector for `model` now."""
    wanted = sorted(set(hashes))
    found: set[str] = set()
    for start in range(0, len(wanted), _SQL_BATCH):
        batch = wanted[start : start + _SQL_BATCH]
        marks = ",".join("?" * len(batch))
        found.update(
            row[0]
            for row in db.execute(f"SELECT hash FROM vector WHERE model = ? AND hash IN ({marks})", (model, *batch))
        )
    return found


def _sums_matrix(sums: Mapping[int, bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(entry ids ascending, int32 sums one row each) from entry id -> `_pack_sum` bytes."""
    import numpy as np

    ids = sorted(sums)
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.int32)
    blobs = [sums[i] for i in ids]
    if all(blob[:1] == b"\x02" for blob in blobs):
        data = np.frombuffer(b"".join(blob[1:] for blob in blobs), dtype=np.int16).reshape(len(ids), -1)
    else:
        data = np.stack(
            [np.frombuffer(blob, dtype=np.int16 if blob[:1] == b"\x02" else np.int32, offset=1) for blob in blobs]
        )
    return np.asarray(ids, dtype=np.int64), data.astype(np.int32)


@dataclass
class _Meaning:
    """Relatedness by meaning: the vectors of `model` in the index. Called with entry ids (a
    RelatedFn, for `load_site`), it reads every vector and compares all pairs."""

    db: sqlite3.Connection
    model: str

    def __call__(self, _entry_ids: Sequence[int]) -> Mapping[int, list[int]]:
        sums, _ = _read_vectors(self.db, self.model)
        return related_by_sums(*_sums_matrix(sums)).lists()

    def cached(self, cache: WikiCache, data: _Read) -> Mapping[int, list[int]]:
        """The related entries of every entry, from what the cache kept and the entries that changed
        since (the logs re-read, and entries some of whose passages got their vector since)."""
        width = RELATED_LIMIT + RELATED_MARGIN
        header = ["meaning", 1, self.model, width, RELATED_LIMIT]
        current = [row[0] for row in data.rows]
        file_of = {row[0]: row[6] for row in data.rows}
        saved = cache.get("vectors")  # [header, entries, missing hashes, _Related.dump(), shown lists]
        if not (isinstance(saved, list) and len(saved) == 5 and saved[0] == header):
            return self._full(cache, header, current)
        covered, missing = set(saved[1]), dict(saved[2])
        stale = {entry for path in data.fresh for entry in data.fresh[path][1]} | (set(current) - covered)
        gone = covered - set(current)
        waiting: dict[str, list[int]] = defaultdict(list)  # passages that had no vector, of entries not stale
        for entry, hashes in missing.items():
            if entry not in stale and entry not in gone:
                for passage_hash in hashes:
                    waiting[passage_hash].append(entry)
        for passage_hash in _with_vectors(self.db, self.model, waiting):
            stale.update(waiting[passage_hash])
        if not stale and not gone:
            return dict(saved[4])
        if len(stale) + len(gone) > max(VECTOR_CHANGES_MIN, len(current) // VECTOR_CHANGES_SHARE):
            return self._full(cache, header, current)
        files = sorted({file_of[entry] for entry in stale})
        in_files = set(files)
        stale.update(entry for entry in current if file_of[entry] in in_files)
        new_sums, new_missing = _read_vectors(self.db, self.model, files)
        old_sums = cache.vector_sums(sorted((stale & covered) | gone))
        added = sorted(entry for entry in stale if entry in new_sums and new_sums[entry] != old_sums.get(entry))
        dropped = sorted(entry for entry in old_sums if entry not in new_sums)
        for entry in stale | gone:
            missing.pop(entry, None)
        missing.update({entry: new_missing[entry] for entry in stale if entry in new_missing})
        shown = saved[4]
        dump = saved[3]
        if added or dropped:
            cache.put_vector_sums({entry: new_sums[entry] for entry in added}, dropped)
            ids, sums = _sums_matrix(cache.vector_sums())
            old = _Related.load(saved[3])
            try:
                if old is None:
                    raise ValueError("no lists kept")
                if len(added) + len(dropped) > max(VECTOR_CHANGES_MIN, len(ids) // VECTOR_CHANGES_SHARE):
                    raise ValueError("many changes")
                related = update_related(old, ids, sums, added)
            except ValueError:
                related = related_by_sums(ids, sums, width)
            shown, dump = related.lists(), related.dump()
        cache.put("vectors", [header, sorted(current), missing, dump, shown])
        return dict(shown)

    def _full(self, cache: WikiCache, header: list[Any], current: list[int]) -> Mapping[int, list[int]]:
        sums, missing = _read_vectors(self.db, self.model)
        cache.clear_vectors()
        cache.put_vector_sums(sums, [])
        related = related_by_sums(*_sums_matrix(sums), header[3])
        shown = related.lists(header[4])
        cache.put("vectors", [header, sorted(current), missing, related.dump(), shown])
        return shown


def _by_meaning(workspace: Workspace, store: Store) -> _Meaning | None:
    """Relatedness by meaning when devlog.search.related exists and the index holds vectors of the
    workspace's model: the mean passage vector of each entry is what `devlog related` compares;
    entries without vectors get no related days (a log changed since the last `devlog index`
    without --no-embed counts with the vectors its unchanged passages have)."""
    from devlog import search
    from devlog.errors import DevlogError

    if getattr(search, "related", None) is None or not wiki_queries.has_vectors(store.db):
        return None
    try:
        from devlog.embedding import load_workspace_embedder

        model = load_workspace_embedder(workspace).name
    except (ImportError, AttributeError, DevlogError):
        return None
    return _Meaning(store.db, model)


# ---------------------------------------------------------------------------- pages


class _Names:
    """Unique page names, compared case-insensitively (wikis on case-insensitive file systems)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, wanted: str) -> str:
        base = md.page_name(wanted)
        name, number = base, 1
        while name.casefold() in self.taken:
            number += 1
            name = f"{base}-{number}"
        self.taken.add(name.casefold())
        return name


def _entry_base_name(entry: Digest) -> str:
    if entry["date"]:
        base = entry["date"]
    else:
        stem = entry["path"].rsplit("/", 1)[-1].rsplit(".", 1)[0]
        base = f"Undated-{stem}"
    return f"{base}-{entry['author']}" if entry["author"] else base


@lru_cache(maxsize=65536)
def _week_of(day: str) -> tuple[str, date, date]:
    value = date.fromisoformat(day)
    year, week, weekday = value.isocalendar()
    start = date.fromordinal(value.toordinal() - weekday + 1)
    return f"{year}-W{week:02d}", start, date.fromordinal(start.toordinal() + 6)


def _link(name: str, title: str) -> dict[str, str]:
    """A link as templates get it: page name and plain-text title (`{{ link | link }}` renders it)."""
    return {"name": name, "title": title}


class _Builder:
    """Makes the page specs (contexts with placeholders) and fills placeholders in."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.entries = site.entries
        names = _Names()
        self.hubs = {topic: names.claim(hub) for topic, (hub, _) in TOPICS.items()}
        self.people_hub = names.claim("People")
        self.weeks_hub = names.claim("Weeks")
        names.claim("Home")
        self.pages_of = [names.claim(_entry_base_name(entry)) for entry in self.entries]
        self.links = [_link(page, entry["label"]) for page, entry in zip(self.pages_of, self.entries, strict=True)]
        self.weeks: dict[str, list[int]] = defaultdict(list)
        self.months: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(self.entries):
            if entry["date"]:
                self.weeks[_week_of(entry["date"])[0]].append(index)
            self.months[entry["date"][:7] if entry["date"] else "undated"].append(index)
        self.week_pages = {week: names.claim(f"Week-{week}") for week in sorted(self.weeks)}
        self.people: dict[str, list[tuple[int, int, str]]] = defaultdict(list)  # person -> (entry, section, heading)
        for index, entry in enumerate(self.entries):
            for person, number, heading in entry["persons"]:
                self.people[person].append((index, number, heading))
        self.person_pages = {person: names.claim(f"Person-{person}") for person in sorted(self.people)}
        self.month_pages = {
            (topic, month): names.claim(f"{hub}-{month}")
            for topic, (hub, _) in TOPICS.items()
            for month in sorted(self.months)
        }

    # -- placeholders
    def _ph(self, kind: str, index: int, **extra: Any) -> dict[str, Any]:
        return {"$": kind, "i": index, "k": self.entries[index]["key"], **extra}

    def fill(self, page: Page, heavy: Mapping[int, Digest]) -> Page:
        return Page(page.name, page.template, self._fill(page.context, heavy))

    def _fill(self, value: Any, heavy: Mapping[int, Digest]) -> Any:
        if isinstance(value, dict):
            if len(value) == 2 and "name" in value:  # a link: nothing inside
                return value
            if "$" in value:
                return self._resolve(value, heavy)
            return {key: self._fill(item, heavy) for key, item in value.items()}
        if isinstance(value, list):
            return [self._fill(item, heavy) for item in value]
        return value

    def _resolve(self, ph: dict[str, Any], heavy: Mapping[int, Digest]) -> Any:
        kind = ph["$"]
        if kind == "open_tasks":
            return self._open_tasks(ph["is"], heavy)
        sections = heavy[ph["i"]]["sections"]
        if kind == "entry_sections":
            return [
                {"heading": heading, "depth": depth, "kind": kind_, "body": body}
                for heading, depth, kind_, body, *_ in sections
                if heading or body
            ]
        if kind == "sections":
            return shown_sections(sections, TOPIC_KINDS[ph["topic"]], issue_style=ph["topic"] == "issues")
        if kind == "headings":
            shown = shown_sections(sections, TOPIC_KINDS[ph.get("topic", "learnings")])
            return [s["heading"] for s in shown if s["heading"] and (s["depth"] == 0 or not ph["top"])][: ph["limit"]]
        if kind == "mention":
            heading, _depth, kind_, body, *_ = sections[ph["n"]]
            return {"entry": self.links[ph["i"]], "heading": heading, "kind": kind_, "body": body}
        raise ValueError(f"unknown placeholder {kind!r}")

    @staticmethod
    def needs(value: Any, out: set[int]) -> set[int]:
        """Indexes of the entries whose heavy digests the placeholders in `value` need."""
        if isinstance(value, dict):
            if len(value) == 2 and "name" in value:  # a link
                return out
            if "$" in value:
                out.update(value["is"] if "is" in value else [value["i"]])
            else:
                for item in value.values():
                    _Builder.needs(item, out)
        elif isinstance(value, list):
            for item in value:
                _Builder.needs(item, out)
        return out

    def _open_tasks(self, indexes: list[int], heavy: Mapping[int, Digest]) -> list[dict[str, Any]]:
        """Checkbox items left unchecked in the week, unless the same author checked them later that week."""
        latest: dict[tuple[str, str], tuple[bool, int, str]] = {}
        for index in indexes:  # oldest first: later entries win
            author = self.entries[index]["author"] or ""
            for checked, text, markdown in heavy[index]["tasks"]:
                latest[(author, text)] = (checked, index, markdown)
        open_items = sorted(
            (self.pages_of[index], text, index, markdown)
            for (_, text), (checked, index, markdown) in latest.items()
            if not checked
        )
        return [{"entry": self.links[index], "text": markdown} for _, _, index, markdown in open_items]

    # -- specs
    def week_link(self, week: str) -> dict[str, str]:
        return _link(self.week_pages[week], week)

    def specs(self) -> list[Page]:
        pages: list[Page] = []
        pages += self.entry_pages()
        counts: dict[str, int] = {}
        for topic in TOPICS:
            topic_pages, counts[topic] = self.topic_pages(topic)
            pages += topic_pages
        pages += self.person_pages_list()
        pages += self.week_pages_list()
        pages.append(self.home(counts))
        pages.append(self.sidebar())
        pages.append(self.footer())
        return sorted(pages, key=lambda page: page.name)

    def entry_pages(self) -> list[Page]:
        chains: dict[str | None, list[int]] = defaultdict(list)
        same_day: dict[str, list[int]] = defaultdict(list)
        for index, entry in enumerate(self.entries):
            chains[entry["author"]].append(index)
            if entry["date"]:
                same_day[entry["date"]].append(index)
        neighbours: dict[int, tuple[int | None, int | None]] = {}
        for chain in chains.values():
            for position, index in enumerate(chain):
                before = chain[position - 1] if position > 0 else None
                after = chain[position + 1] if position + 1 < len(chain) else None
                neighbours[index] = (before, after)
        pages = []
        for index, entry in enumerate(self.entries):
            before, after = neighbours[index]
            context = {
                "title": entry["title_md"],
                "date": entry["date"] or "",
                "author": entry["author_md"],
                "source": entry["source_md"],
                "prev": self.links[before] if before is not None else None,
                "next": self.links[after] if after is not None else None,
                "week": self.week_link(_week_of(entry["date"])[0]) if entry["date"] else None,
                "same_day": [self.links[i] for i in same_day.get(entry["date"] or "", []) if i != index],
                "sections": self._ph("entry_sections", index),
                "related": [self.links[i] for i in self.site.related[index]],
            }
            pages.append(Page(self.pages_of[index], "entry.md.j2", context))
        return pages

    def topic_pages(self, topic: str) -> tuple[list[Page], int]:
        hub, title = TOPICS[topic]
        order = sorted(self.months)  # "undated" sorts after the digits
        records: dict[str, Any] = self.references() if topic == "references" else {}
        if topic != "references":
            for month in order:
                days = [
                    {"entry": self.links[i], "sections": self._ph("sections", i, topic=topic)}
                    for i in self.months[month]
                    if self.entries[i]["counts"][topic]
                ]
                if days:
                    records[month] = days
        months = [month for month in order if month in records]
        pages = []
        total = 0
        hub_months = []
        for position, month in enumerate(months):
            before = months[position - 1] if position else None
            after = months[position + 1] if position + 1 < len(months) else None
            context: dict[str, Any] = {
                "topic": topic,
                "title": f"{title} — {month}",
                "month": month,
                "hub": _link(hub, title),
                "prev": _link(self.month_pages[topic, before], before) if before else None,
                "next": _link(self.month_pages[topic, after], after) if after else None,
            }
            headlines: list[dict[str, Any]] = []
            if topic == "references":
                links, fixes = records[month]
                context["links"] = links
                context["to_fix"] = fixes
                count, to_fix, days_count = len(links), len(fixes), 0
            else:
                days = records[month]
                context["days"] = days
                indexes = [i for i in self.months[month] if self.entries[i]["counts"][topic]]
                count = sum(self.entries[i]["counts"][topic] for i in indexes)
                to_fix, days_count = 0, len(days)
                if topic == "learnings" and position >= len(months) - HUB_DETAIL_MONTHS:
                    headlines = [
                        {"entry": self.links[i], "headings": self._ph("headings", i, topic=topic, top=False, limit=100)}
                        for i in indexes
                    ]
            total += count
            pages.append(Page(self.month_pages[topic, month], f"{topic}.md.j2", context))
            hub_months.append(
                {
                    "link": _link(self.month_pages[topic, month], month),
                    "count": count,
                    "days": days_count,
                    "to_fix": to_fix,
                    "headlines": headlines,
                }
            )
        hub_months.reverse()
        pages.append(Page(hub, "topic_hub.md.j2", {"topic": topic, "title": title, "months": hub_months}))
        return pages, total

    def references(self) -> dict[str, Any]:
        """month -> (links first cited that month, each URL once; links to fix written that month)."""
        first: dict[str, dict[str, Any]] = {}
        fixes: dict[str, list[dict[str, Any]]] = defaultdict(list)
        month_of: dict[str, str] = {}
        for month in sorted(self.months):
            for index in self.months[month]:
                entry = self.entries[index]
                for where, text, url in entry["fixes"]:
                    fixes[month].append({"entry": self.links[index], "where": where, "text": text, "url": url})
                for key, title, url in entry["refs"]:
                    if key not in first:
                        first[key] = {"title": title, "url": url, "cited": []}
                        month_of[key] = month
                    cited = first[key]["cited"]
                    if not cited or cited[-1] is not self.links[index]:
                        cited.append(self.links[index])
        out: dict[str, Any] = {}
        for key in sorted(first, key=lambda k: (first[k]["title"].casefold(), k)):
            out.setdefault(month_of[key], ([], []))[0].append(first[key])
        for month, rows in fixes.items():
            out.setdefault(month, ([], []))[1].extend(rows)
        return out

    def person_pages_list(self) -> list[Page]:
        pages = []
        people: list[tuple[tuple[str, str], dict[str, Any]]] = []
        for person in sorted(self.people):
            mentions = self.people[person]
            full = mentions[-PERSON_FULL_MENTIONS:]
            earlier = mentions[: len(mentions) - len(full)]
            dates = sorted({self.entries[index]["date"] or "" for index, _, _ in mentions})
            context = {
                "name": md.inline(person),
                "title": md.heading(person),
                "count": len(mentions),
                "days": len({self.entries[index]["date"] or str(index) for index, _, _ in mentions}),
                "earlier": [{"entry": self.links[index], "heading": heading} for index, _, heading in earlier],
                "mentions": [self._ph("mention", index, n=number) for index, number, _ in full],
                "people": _link(self.people_hub, "People"),
            }
            pages.append(Page(self.person_pages[person], "person.md.j2", context))
            row = {
                "link": _link(self.person_pages[person], person),
                "count": len(mentions),
                "first": dates[0],
                "last": dates[-1],
            }
            people.append(((person.casefold(), person), row))
        context = {"title": "사람들 · People", "people": [row for _, row in sorted(people, key=lambda p: p[0])]}
        pages.append(Page(self.people_hub, "people.md.j2", context))
        return pages

    def week_pages_list(self) -> list[Page]:
        pages = []
        order = sorted(self.weeks)
        for position, week in enumerate(order):
            indexes = self.weeks[week]
            _, start, end = _week_of(self.entries[indexes[0]]["date"])
            parts: dict[str, list[dict[str, Any]]] = {}
            for topic in ("done", "issues", "retros"):
                parts[topic] = [
                    {"entry": self.links[i], "sections": self._ph("sections", i, topic=topic)}
                    for i in indexes
                    if self.entries[i]["counts"][topic]
                ]
            context = {
                "week": week,
                "title": f"{week} ({start.isoformat()} – {end.isoformat()})",
                "start": start.isoformat(),
                "end": end.isoformat(),
                "prev": self.week_link(order[position - 1]) if position else None,
                "next": self.week_link(order[position + 1]) if position + 1 < len(order) else None,
                "entries": [self.links[i] for i in indexes],
                "done": parts["done"],
                "issues": parts["issues"],
                "open": {"$": "open_tasks", "is": indexes, "ks": [self.entries[i]["key"] for i in indexes]},
                "retro": parts["retros"],
                "weeks": _link(self.weeks_hub, "Weeks"),
            }
            pages.append(Page(self.week_pages[week], "week.md.j2", context))
        years: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for week in reversed(order):
            years[week[:4]].append({"link": self.week_link(week), "count": len(self.weeks[week])})
        context = {
            "title": "주간 기록 · Weeks",
            "years": [{"year": year, "weeks": years[year]} for year in sorted(years, reverse=True)],
        }
        pages.append(Page(self.weeks_hub, "weeks.md.j2", context))
        return pages

    def topic_links(self) -> list[dict[str, str]]:
        links = [_link(hub, title) for hub, title in TOPICS.values()]
        links.append(_link(self.people_hub, "사람들 · People"))
        links.append(_link(self.weeks_hub, "주간 기록 · Weeks"))
        return links

    def home(self, counts: dict[str, int]) -> Page:
        recent = [
            {"entry": self.links[i], "headings": self._ph("headings", i, top=True, limit=3)}
            for i in range(len(self.entries) - 1, max(-1, len(self.entries) - 1 - RECENT_DAYS), -1)
        ]
        dated = [entry["date"] for entry in self.entries if entry["date"]]
        context = {
            "title": md.heading(self.site.title),
            "first": dated[0] if dated else "",
            "last": dated[-1] if dated else "",
            "counts": {
                "entries": len(self.entries),
                "days": len(set(dated)),
                "authors": len({entry["author"] or "" for entry in self.entries}),
                "weeks": len(self.weeks),
                "learnings": counts["learnings"],
                "issues": counts["issues"],
                "retros": counts["retros"],
                "references": counts["references"],
                "to_fix": sum(len(entry["fixes"]) for entry in self.entries),
                "people": len(self.people),
            },
            "recent": recent,
            "topics": self.topic_links(),
            "weeks": [self.week_link(w) for w in sorted(self.weeks, reverse=True)[:RECENT_WEEKS]],
            "people": [_link(self.person_pages[p], p) for p in sorted(self.people)],
        }
        return Page("Home", "home.md.j2", context)

    def sidebar(self) -> Page:
        top = sorted(self.people, key=lambda p: (-len(self.people[p]), p))[:SIDEBAR_PEOPLE]
        context = {
            "home": _link("Home", "Home"),
            "title": self.site.title,
            "recent_weeks": [self.week_link(w) for w in sorted(self.weeks, reverse=True)[:RECENT_WEEKS]],
            "weeks": _link(self.weeks_hub, "모든 주 · All weeks"),
            "topics": [_link(hub, title) for hub, title in TOPICS.values()],
            "people": [_link(self.person_pages[p], p) for p in sorted(top)],
            "all_people": _link(self.people_hub, "모든 사람 · All people"),
        }
        return Page("_Sidebar", "sidebar.md.j2", context)

    def footer(self) -> Page:
        return Page("_Footer", "footer.md.j2", {"title": md.inline(self.site.title)})


def build_pages(site: Site) -> list[Page]:
    """Every page of the wiki with its full context, sorted by name."""
    builder = _Builder(site)
    specs = builder.specs()
    heavy = site.heavy(range(len(site.entries)))
    return [builder.fill(page, heavy) for page in specs]


def fingerprint(page: Page) -> str:
    """A hash of a page's template and (spec) context. marshal version 0 writes no object references,
    so equal plain data always gives equal bytes."""
    return hashlib.blake2b(marshal.dumps((page.template, page.context), 0), digest_size=16).hexdigest()


# ---------------------------------------------------------------------------- the build, with its cache


def site_title(workspace: Workspace) -> str:
    """[wiki] title, else [workspace] name, else "Team devlog"."""
    config = workspace.config
    if config.wiki_title and config.wiki_title != "Team devlog":
        return config.wiki_title
    return config.name or config.wiki_title


def _cache_key(workspace: Workspace) -> str:
    from devlog import __version__

    package = Path(__file__).resolve().parent
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{CACHE_VERSION}:{__version__}:{sorted(workspace.config.kinds.items())!r}".encode())
    for name in _DIGEST_SOURCES:
        try:
            hasher.update((package / name).read_bytes())
        except OSError:
            hasher.update(name.encode())
    return hasher.hexdigest()


def _templates_key(workspace: Workspace) -> str:
    from devlog import templating
    from devlog.wiki_render import RENDER_VERSION, SUBDIR

    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(RENDER_VERSION.encode())
    for folder in templating.template_dirs(workspace.root, SUBDIR):
        hasher.update(str(folder).encode())
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    hasher.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _cached_site(workspace: Workspace, store: Store, cache: WikiCache, title: str) -> tuple[Site, _Read]:
    """The Site from the cache and the index (only changed logs read)."""
    db = store.db
    meaning = _by_meaning(workspace, store)
    cached_light = cache.light()
    data = _read(db, cached_light)
    data.gone = sorted(set(cached_light) - set(data.light))
    entries = _ordered(data, data.light)
    if data.fresh:  # terms as ids of the cache's vocabulary, as the cache keeps them
        vocab = cache.get("vocab") or {}
        size = len(vocab)
        for path, (file_hash, ids, lights, heavies, texts) in list(data.fresh.items()):
            data.fresh[path] = (file_hash, ids, lights, heavies, [_term_ids(text, vocab) for text in texts])
        if len(vocab) != size:
            cache.put("vocab", vocab)
    related: list[list[int]]
    if meaning is not None:
        related = _related(data, entries, meaning.cached(cache, data), None)
    else:
        cache.clear_vectors()  # kept only while every build updates them
        related_key = ["keywords", [entry["key"] for entry in entries]]
        cached = cache.get("related")
        if cached is not None and cached[0] == related_key:
            related = cached[1]
        else:
            table = cache.terms() if len(data.fresh) < len(data.light) else {}
            table.update({path: [h, ids, t] for path, (h, ids, _, _, t) in data.fresh.items()})
            related = _related(data, entries, None, _ordered(data, table))
            cache.put("related", [related_key, related])
    paths = [row[3] for row in data.rows]

    def heavy(indexes: Sequence[int]) -> dict[int, Digest]:
        wanted = {paths[i] for i in indexes}
        found = {path: (data.fresh[path][0], data.fresh[path][3]) for path in wanted if path in data.fresh}
        found.update(cache.heavy(wanted - set(found)))
        missing = sorted(path for path in wanted if found.get(path, ("",))[0] != data.light[path][0])
        if missing:  # not in the cache (damaged or deleted meanwhile): read them from the index again
            again = _read(db, {p: v for p, v in data.light.items() if p not in missing})
            found.update({path: (again.fresh[path][0], again.fresh[path][3]) for path in missing})
        out = {}
        for i in indexes:
            path = paths[i]
            ids = data.light[path][1]
            out[i] = found[path][1][ids.index(data.rows[i][0])]
        return out

    return Site(title, entries, related, heavy), data


def build_wiki(workspace: Workspace, store: Store, out_dir: Path) -> WriteReport:
    """Build the wiki from the index into `out_dir`: only changed pages are written, pages devlog
    made before and no longer makes are removed, nothing else in the folder is touched."""
    from devlog.wiki_cache import WikiCache
    from devlog.wiki_render import render_pages

    cache = WikiCache(workspace.state_dir / CACHE_NAME, _cache_key(workspace))
    collecting = gc.isenabled()
    gc.disable()  # a build makes millions of small acyclic objects: cycle collection only slows it down
    try:
        cache.begin()
        site, data = _cached_site(workspace, store, cache, site_title(workspace))
        if data.fresh or data.gone:
            cache.put_files(data.fresh, data.light)
        builder = _Builder(site)
        specs = builder.specs()

        out = str(out_dir.resolve())
        templates_key = _templates_key(workspace)
        cached_pages = cache.pages(out, templates_key)
        manifest = read_manifest(out_dir) if out_dir.is_dir() else {}
        keep: dict[str, str] = {}
        todo: list[tuple[Page, str]] = []
        for page in specs:
            key = fingerprint(page)
            old = cached_pages.get(page.filename)
            if (
                old is not None
                and old[0] == key
                and manifest.get(page.filename) == old[1]
                and _stat(os.path.join(out_dir, page.filename)) == (old[2], old[3])
            ):
                keep[page.filename] = old[1]
            else:
                todo.append((page, key))
        needed: set[int] = set()
        if len(todo) == len(specs):
            needed.update(range(len(site.entries)))
        else:
            for page, _ in todo:
                builder.needs(page.context, needed)
        heavy = site.heavy(sorted(needed))
        rendered = render_pages(
            [builder.fill(page, heavy) for page, _ in todo], workspace.root, workspace.state_dir / JINJA_CACHE
        )
        report = write_pages(out_dir, rendered, keep=keep)

        changed: dict[str, tuple[str, str, int, int]] = {}
        for page, key in todo:
            stat = _stat(os.path.join(out_dir, page.filename))
            if stat is not None:
                changed[page.filename] = (key, sha256_hex(rendered[page.filename].encode("utf-8")), *stat)
        if changed or set(cached_pages) != {page.filename for page in specs}:
            cache.put_pages(out, templates_key, changed, [page.filename for page in specs])
        cache.commit()
    finally:
        cache.close()
        if collecting:
            gc.enable()
    return report
