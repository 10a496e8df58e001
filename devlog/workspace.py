"""Where a team's logs live, and what its devlog.toml says.

A workspace is a folder holding `entries/` and an optional `devlog.toml`. Everything devlog derives
from the logs (index, wiki, model cache) lives under `<workspace>/.devlog/` and can be rebuilt.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devlog.errors import DevlogError

CONFIG_NAME = "devlog.toml"
STATE_DIR = ".devlog"
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DATE_FOLDER = re.compile(r"[\d\s._\-년월일]+")  # 2025, 2025-04, 2025.04, 04, 2025년, 4월


@dataclass
class Config:
    name: str = ""
    entries: str = "entries"
    author: str | None = None
    path: str = "entries/{date}.md"
    author_path: str = "entries/{author}/{date}.md"
    template: str = "entry"
    work_days: tuple[int, ...] = (0, 1, 2, 3, 4)
    kinds: dict[str, list[str]] = field(default_factory=dict)
    people: list[str] = field(default_factory=list)
    model: str = "use"
    wiki_remote: str | None = None
    wiki_branch: str | None = None
    wiki_title: str = "Team devlog"


# (table, key) -> (Config attribute, expected type, description for errors)
_SCHEMA: dict[tuple[str, str], tuple[str, type | tuple[type, ...], str]] = {
    ("workspace", "name"): ("name", str, "a string"),
    ("workspace", "entries"): ("entries", str, "a folder name"),
    ("workspace", "author"): ("author", str, "a name"),
    ("new", "path"): ("path", str, "a pattern such as 'entries/{date}.md'"),
    ("new", "author_path"): ("author_path", str, "a pattern such as 'entries/{author}/{date}.md'"),
    ("new", "template"): ("template", str, "a template name"),
    ("new", "work_days"): ("work_days", list, "a list of weekdays such as ['mon', 'tue']"),
    ("people", "names"): ("people", list, "a list of names"),
    ("search", "model"): ("model", str, "'use' or 'st:<model name or path>'"),
    ("wiki", "remote"): ("wiki_remote", str, "a git URL"),
    ("wiki", "branch"): ("wiki_branch", str, "a branch name"),
    ("wiki", "title"): ("wiki_title", str, "a string"),
}


@dataclass
class Workspace:
    root: Path
    config: Config

    @property
    def entries_dir(self) -> Path:
        return self.root / self.config.entries

    @property
    def state_dir(self) -> Path:
        return self.root / STATE_DIR

    @property
    def db_path(self) -> Path:
        return self.state_dir / "index.db"

    def relative(self, path: Path) -> str:
        """A path as shown to users and stored in the index: relative to the workspace, with '/'."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    def entry_files(self) -> Iterator[Path]:
        """Every markdown log under entries/, in a stable order; hidden folders are skipped."""
        for path, _rel, _author in self.entry_listing():
            yield path

    def entry_listing(self) -> Iterator[tuple[Path, str, str | None]]:
        """(path, path relative to the workspace, author) for every log, without a syscall per file."""
        base = self.entries_dir.resolve()
        if not base.is_dir():
            return
        root = str(self.root.resolve())
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
            folder = Path(dirpath)
            rel_folder = os.path.relpath(dirpath, root).replace(os.sep, "/")
            inside = os.path.relpath(dirpath, base).split(os.sep)
            author = _author_folder(inside[0]) if inside[0] != "." else None
            for name in sorted(filenames):
                if name.lower().endswith((".md", ".markdown")) and not name.startswith("."):
                    yield folder / name, f"{rel_folder}/{name}", author

    def author_of(self, path: Path) -> str | None:
        """Logs in `entries/<author>/...` belong to that author; top-level ones to the team."""
        try:
            parts = path.resolve().relative_to(self.entries_dir.resolve()).parts
        except ValueError:
            return None
        return _author_folder(parts[0]) if len(parts) > 1 else None


def _author_folder(name: str) -> str | None:
    """The author a top folder of entries/ names; date folders (2025, 2025-04, 4월) name none."""
    return None if _DATE_FOLDER.fullmatch(name) else name


def find_root(option: str | None, environ: dict[str, str] | os._Environ[str], cwd: Path) -> Path:
    """--workspace, else DEVLOG_WORKSPACE, else the nearest parent holding devlog.toml, else cwd."""
    chosen = option or environ.get("DEVLOG_WORKSPACE")
    if chosen:
        root = Path(chosen).expanduser()
        if not root.is_dir():
            raise DevlogError("workspace folder does not exist", str(root))
        return root.resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder.resolve()
    return cwd.resolve()


def load_config(root: Path) -> Config:
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DevlogError(f"invalid TOML: {err}", str(path)) from err
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], source: str) -> Config:
    config = Config()
    for table, values in data.items():
        if not isinstance(values, dict):
            raise DevlogError(f"'{table}' must be a table ([{table}])", source)
        if table == "kinds":
            config.kinds = _kinds(values, source)
            continue
        value: Any
        for key, value in values.items():
            spec = _SCHEMA.get((table, key))
            if spec is None:
                known = ", ".join(f"{t}.{k}" for t, k in _SCHEMA)
                raise DevlogError(f"unknown key '{table}.{key}' (known: {known}, kinds.*)", source)
            attribute, expected, description = spec
            if not isinstance(value, expected):
                raise DevlogError(f"'{table}.{key}' must be {description}, not {value!r}", source)
            setattr(config, attribute, _convert(attribute, value, source))
    return config


def _convert(attribute: str, value: Any, source: str) -> Any:
    if attribute == "work_days":
        return _work_days(value, source)
    if attribute == "people":
        return [str(name) for name in value]
    return value


def _work_days(values: list[Any], source: str) -> tuple[int, ...]:
    days = []
    for value in values:
        name = str(value).lower()[:3]
        if name not in WEEKDAY_NAMES:
            raise DevlogError(f"'new.work_days' has {value!r}: use mon, tue, wed, thu, fri, sat, sun", source)
        days.append(WEEKDAY_NAMES.index(name))
    if not days:
        raise DevlogError("'new.work_days' must name at least one day", source)
    return tuple(sorted(set(days)))


def _kinds(values: dict[str, Any], source: str) -> dict[str, list[str]]:
    from devlog.kinds import KINDS

    out = {}
    for kind, names in values.items():
        if kind not in KINDS:
            raise DevlogError(f"unknown section kind 'kinds.{kind}' (known: {', '.join(KINDS)})", source)
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise DevlogError(f"'kinds.{kind}' must be a list of headings", source)
        out[kind] = names
    return out


def open_workspace(option: str | None = None, cwd: Path | None = None) -> Workspace:
    root = find_root(option, os.environ, cwd or Path.cwd())
    return Workspace(root, load_config(root))
