"""Reading a workspace's logs: bytes from disk through the parser, and checks across files."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from devlog.errors import DevlogError
from devlog.kinds import KindTable, default_table
from devlog.model import Entry, Finding, ParseResult
from devlog.parser import parse_bytes
from devlog.workspace import Workspace


@lru_cache(maxsize=8)
def _table_for(extra: tuple[tuple[str, tuple[str, ...]], ...]) -> KindTable:
    return default_table().extended(dict(extra)) if extra else default_table()


def kind_table(workspace: Workspace) -> KindTable:
    extra = tuple(sorted((kind, tuple(names)) for kind, names in workspace.config.kinds.items()))
    return _table_for(extra)


def read_log(workspace: Workspace, path: Path, data: bytes | None = None) -> ParseResult:
    """Parse one log file of the workspace (its author comes from its folder)."""
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as err:
            raise DevlogError(f"cannot read: {err.strerror}", str(path)) from err
    return parse_bytes(data, workspace.relative(path), workspace.author_of(path), kind_table(workspace))


def expand_paths(workspace: Workspace, paths: Iterable[str]) -> list[Path]:
    """Files named on the command line; folders stand for the markdown files inside them."""
    out: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if _is_log(p.relative_to(path).parts) and p.is_file()))
        elif path.is_file():
            out.append(path)
        else:
            raise DevlogError("no such file or folder", name)
    return out


def _is_log(parts: tuple[str, ...]) -> bool:
    """A markdown file, not hidden, in no hidden or `_` folder below the folder named (as entry_files)."""
    *folders, name = parts
    return (
        name.lower().endswith((".md", ".markdown"))
        and not name.startswith(".")
        and not any(folder.startswith((".", "_")) for folder in folders)
    )


def duplicate_findings(entries: Iterable[Entry]) -> list[Finding]:
    """The same author's same day written in two files."""
    first: dict[tuple[object, str | None], Entry] = {}
    out = []
    for entry in entries:
        if entry.date is None:
            continue
        key = (entry.date, entry.author)
        seen = first.setdefault(key, entry)
        if seen is not entry and seen.path != entry.path:
            out.append(
                Finding(
                    entry.path, entry.line, "duplicate-date", f"{entry.date} is also written in {seen.path}:{seen.line}"
                )
            )
    return out


def check(workspace: Workspace, files: list[Path]) -> list[Finding]:
    """Every finding for these files, in path and line order."""
    findings: list[Finding] = []
    entries: list[Entry] = []
    for path in files:
        result = read_log(workspace, path)
        findings.extend(result.findings)
        entries.extend(result.entries)
    findings.extend(duplicate_findings(entries))
    return sorted(findings, key=lambda f: (f.path, f.line, f.code))


def check_indexed(workspace: Workspace) -> list[Finding]:
    """Findings kept in the index, after bringing it up to date (no parsing of unchanged files)."""
    from devlog.indexer import index_workspace
    from devlog.store import Store, queries

    store = Store.open(workspace.db_path)
    try:
        index_workspace(workspace, store)
        return [Finding(*row) for row in queries.findings(store.db)]
    finally:
        store.close()
