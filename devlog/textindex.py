"""Text analysis for keyword search in SQLite FTS5, made for Korean as much as for English.

FTS5's own tokenizers fail Korean: `unicode61` keeps a whole eojeol (`비용을`) as one token, so
`비용` finds nothing inside it, and `trigram` cannot match the two-syllable words most Korean
queries are made of. So devlog analyses text itself before FTS5 sees it:

- a run of Hangul (or other CJK) becomes its overlapping syllable bigrams, then its last syllable:
  `클라우드` -> `클라 라우 우드 드`. A query word becomes the phrase of its bigrams
  (`"클라 라우 우드"`), so it matches inside longer words and across attached particles;
  a one-syllable query `드` becomes the prefix query `드*`.
- a query word with a particle attached (`비용을`, `배포가`, `서버에서`) is also tried without it.
- Latin words and numbers stay whole and are lower-cased (FTS5's unicode61 does the folding).

Everything here is pure and stdlib-only: the search path imports it on every call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Hangul syllables, compatibility jamo, CJK ideographs, kana: scripts written without spaces
# between morphemes, where n-grams stand in for a morphological analyser.
_CJK = "\uac00-\ud7a3\u3131-\u318e\u4e00-\u9fff\u3400-\u4dbf\u3040-\u30ff"
_RUN = re.compile(rf"([{_CJK}]+)|([^\W{_CJK}_]+)", re.UNICODE)
_CJK_BIGRAM = re.compile(rf"(?=([{_CJK}]{{2}}))")
_CJK_FINAL = re.compile(rf"[{_CJK}](?![{_CJK}])")
_WORD = re.compile(rf"[^\W{_CJK}_]+", re.UNICODE)
_is_cjk = re.compile(rf"[{_CJK}]").match

# Longest first, so `에서` is tried before `서`. Only stripped when two syllables remain,
# so that `회의` is not cut to `회`.
_PARTICLES = sorted(
    [
        "은",
        "는",
        "이",
        "가",
        "을",
        "를",
        "의",
        "에",
        "에서",
        "에게",
        "께서",
        "으로",
        "로",
        "와",
        "과",
        "도",
        "만",
        "까지",
        "부터",
        "보다",
        "처럼",
        "이나",
        "나",
        "랑",
        "이랑",
        "하고",
        "이다",
        "입니다",
        "으로서",
        "로서",
        "으로써",
        "로써",
        "한테",
        "이라",
        "라",
        "요",
        "들",
        "들이",
        "들을",
        "들의",
    ],
    key=len,
    reverse=True,
)


def analyze(text: str) -> str:
    """The token string FTS5 indexes for `text` (space-separated)."""
    # Latin words, then every CJK bigram, then the last syllable of each CJK run (a one-syllable
    # query `q` is the prefix query `q*`, which matches every bigram starting with q and these final
    # unigrams, so every position is covered). Three C-level scans, no Python loop per token: this
    # runs over every section of every log.
    return " ".join(_WORD.findall(text) + _CJK_BIGRAM.findall(text) + _CJK_FINAL.findall(text))


def strip_particle(word: str) -> str:
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


@dataclass(frozen=True)
class Query:
    """A user's keyword query, ready for FTS5 and for highlighting."""

    match: str  # FTS5 MATCH expression (all terms)
    any_match: str  # the same terms OR-ed, for a second chance when nothing has them all
    terms: tuple[str, ...]  # surface forms to highlight in snippets


def _phrase(cjk: str) -> str:
    if len(cjk) == 1:
        return f'"{cjk}"*'
    return '"' + " ".join(cjk[i : i + 2] for i in range(len(cjk) - 1)) + '"'


def build_query(text: str) -> Query | None:
    """Turn what a user typed into FTS5 expressions; None when it holds no searchable word."""
    clauses: list[str] = []
    terms: list[str] = []
    for match in _RUN.finditer(text):
        cjk, word = match.groups()
        if cjk:
            stem = strip_particle(cjk)
            clause = _phrase(stem) if stem == cjk else f"({_phrase(cjk)} OR {_phrase(stem)})"
            terms.append(stem)
        else:
            clause = '"' + word.lower().replace('"', "") + '"'
            terms.append(word)
        if clause not in clauses:
            clauses.append(clause)
    if not clauses:
        return None
    return Query(" AND ".join(clauses), " OR ".join(clauses), tuple(dict.fromkeys(terms)))


START, END = "\x02", "\x03"  # highlight markers; views turn them into colour or **bold**


def highlighter(terms: tuple[str, ...]) -> re.Pattern[str]:
    """Korean stems match inside words (particles attach to them); Latin words match whole."""
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        parts.append(re.escape(term) if _is_cjk(term[0]) else rf"\b{re.escape(term)}\b")
    return re.compile("|".join(parts), re.IGNORECASE)


def snippet(text: str, terms: tuple[str, ...], width: int = 120) -> str:
    """A one-line window of `text` around the first match, every term wrapped in markers."""
    flat = " ".join(text.split())
    if not terms:
        return flat[:width]
    pattern = highlighter(terms)
    first = pattern.search(flat)
    if first is None:
        window, prefix, suffix = flat[:width], "", "…" if len(flat) > width else ""
    else:
        start = max(0, first.start() - width // 3)
        end = min(len(flat), start + width)
        start = max(0, min(start, end - width))
        window = flat[start:end]
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(flat) else ""
    return prefix + pattern.sub(lambda m: f"{START}{m.group(0)}{END}", window) + suffix
