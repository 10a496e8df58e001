"""Section kinds: which heading means "yesterday's work", "today's plan", "what we learned"...

The alias table is data (`devlog/data/kinds.toml`), extended per workspace by `[kinds]` in devlog.toml.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from importlib import resources

KINDS = ("done", "plan", "learned", "issue", "retro", "links", "meeting", "other")

_NUMBERING = re.compile(r"^\s*(?:\d+|[ivx]+|[a-z])\s*[.)]\s*|^\s*\d+\s+(?=\D)", re.I)
_NOT_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_SPLITTERS = re.compile(r"\s*(?:[:：]|\s-\s|\s–\s|\s—\s)\s*")
_DOTTED_NAME = re.compile(r"(?<![\w-])[A-Za-z][\w-]*(?:\.[A-Za-z]\w*)+")  # Next.js, Node.js, socket.io


def normalize_heading(text: str) -> str:
    """Lower-case words of a heading with emoji, marks, numbering and punctuation taken away."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _NOT_WORD.sub(" ", text.replace("*", " ").replace("`", " "))
    text = " ".join(text.split())
    # Numbering may come after an emoji ("🔖 2. topic"): emoji are gone by now, so strip it here.
    previous = None
    while previous != text:
        previous, text = text, _NUMBERING.sub("", text).strip()
    return text


class KindTable:
    """Maps headings to kinds: exact alias first, then the part before a colon, then the longest alias inside."""

    def __init__(self, aliases: Mapping[str, Sequence[str]]) -> None:
        self._memo: dict[str, str | None] = {}
        self._exact: dict[str, str] = {}
        self._contained: list[tuple[str, str, re.Pattern[str] | None]] = []
        for kind, names in aliases.items():
            for name in names:
                norm = normalize_heading(name)
                if not norm:
                    continue
                self._exact[norm.replace(" ", "")] = kind
                # Latin aliases must match whole words ("done" must not match "abandoned").
                word = None if _HANGUL.search(norm) else re.compile(r"\b" + re.escape(norm) + r"\b")
                self._contained.append((norm.replace(" ", ""), kind, word))
        self._contained.sort(key=lambda row: -len(row[0]))

    def kind_of(self, heading: str) -> str | None:
        """The kind a heading names, or None when it names none (the section inherits its parent's)."""
        # Logs repeat the same few headings day after day: remember the answers.
        try:
            return self._memo[heading]
        except KeyError:
            pass
        found = self._kind_of(heading)
        if len(self._memo) < 50_000:
            self._memo[heading] = found
        return found

    def _kind_of(self, heading: str) -> str | None:
        norm = normalize_heading(heading)
        if not norm:
            return None
        found = self._exact.get(norm.replace(" ", ""))
        if found:
            return found
        part = _SPLITTERS.split(heading, maxsplit=1)[0]
        head = normalize_heading(part)
        found = self._exact.get(head.replace(" ", ""))
        if found:
            return found
        # A dotted name is a name: "Next.js 설정" is no plan.
        head = normalize_heading(_DOTTED_NAME.sub(" ", part))
        if len(head.split()) > 6:  # a sentence, not a section title
            return None
        compact = head.replace(" ", "")
        for alias, kind, word in self._contained:
            if word is not None:
                if word.search(head):
                    return kind
            elif alias in compact:
                return kind
        return None

    def extended(self, extra: Mapping[str, Sequence[str]]) -> KindTable:
        """The default table plus a workspace's aliases; a heading the workspace names wins over the defaults."""
        claimed = {normalize_heading(name).replace(" ", "") for names in extra.values() for name in names}
        merged = {
            kind: [name for name in names if normalize_heading(name).replace(" ", "") not in claimed]
            for kind, names in _default_aliases().items()
        }
        for kind, names in extra.items():
            merged.setdefault(kind, []).extend(names)
        return KindTable(merged)


@lru_cache(maxsize=1)
def _default_aliases() -> dict[str, list[str]]:
    data = resources.files("devlog").joinpath("data/kinds.toml").read_text(encoding="utf-8")
    return tomllib.loads(data)


@lru_cache(maxsize=1)
def default_table() -> KindTable:
    return KindTable(_default_aliases())
