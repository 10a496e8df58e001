"""Plain domain objects that every other module speaks.

They carry no behaviour beyond conversion to the stable JSON shape that
`devlog parse --json` prints (see README, "JSON interface").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class Link:
    text: str
    url: str
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "url": self.url}


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"header": self.header, "rows": self.rows}


@dataclass
class Item:
    text: str
    line: int
    checked: bool | None = None
    items: list[Item] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "checked": self.checked,
            "line": self.line,
            "items": [child.to_dict() for child in self.items],
        }

    def walk(self) -> list[Item]:
        """This item and all nested items, depth first."""
        out = [self]
        for child in self.items:
            out.extend(child.walk())
        return out


@dataclass
class Section:
    heading: str
    level: int
    line: int
    kind: str = "other"
    own_kind: bool = False  # kind came from this heading, not inherited from the parent
    text: str = ""
    items: list[Item] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "heading": self.heading,
            "level": self.level,
            "line": self.line,
            "text": self.text,
            "items": [item.to_dict() for item in self.items],
            "tables": [table.to_dict() for table in self.tables],
            "links": [link.to_dict() for link in self.links],
            "sections": [section.to_dict() for section in self.sections],
        }

    def walk(self) -> list[Section]:
        """This section and all nested sections, depth first (document order)."""
        out = [self]
        for child in self.sections:
            out.extend(child.walk())
        return out

    def all_items(self) -> list[Item]:
        """Every item of this section (not of subsections), nested ones included."""
        return [nested for item in self.items for nested in item.walk()]

    def is_empty(self) -> bool:
        return not (self.text.strip() or self.items or self.tables or self.links or self.sections)


@dataclass
class Entry:
    path: str
    line: int
    date: date | None = None
    author: str | None = None
    title: str = ""
    sections: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "author": self.author,
            "title": self.title,
            "path": self.path,
            "line": self.line,
            "sections": [section.to_dict() for section in self.sections],
        }

    def walk(self) -> list[Section]:
        """Every section of the entry, depth first."""
        return [nested for section in self.sections for nested in section.walk()]

    def sections_of(self, kind: str) -> list[Section]:
        return [section for section in self.walk() if section.kind == kind]


@dataclass(frozen=True)
class Finding:
    """A warning about a log: where it is and what is wrong (codes as in `devlog check`)."""

    path: str
    line: int
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "code": self.code, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}: {self.message}"


@dataclass
class ParseResult:
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
