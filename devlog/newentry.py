"""`devlog new` and `devlog todo`: the morning's entry and the list of work planned but never done.

Pure logic: no click, no jinja2 (cli.py wires, devlog.templating renders).

Paths. The day's file is `[new] path` (default `entries/{date}.md`), or `[new] author_path` (default
`entries/{author}/{date}.md`) when an author is configured (`[workspace] author`) or given. Patterns
may use {date} (ISO), {year}, {month}, {day} and {author}. The previous entry is found by scanning
the file names the pattern allows (one folder listing, no parsing); only that one file is parsed.
Files in the same folder whose names are not in the pattern's shape but carry a date (`250410.md`)
count too.

Carry-over. The plan items of the author's most recent earlier entry (whatever the gap: weekends,
holidays and days off are normal) are split into two trees that keep their nesting:
- "yesterday done": plan items without a checkbox (the team's habit: what was planned is reported
  done the next morning) and checked ones `[x]`;
- "today's plan": unchecked items `[ ]`, still unchecked, each with the date it was first planned as
  a marker at its end: `- [ ] Docker 이미지 줄이기 (4/14부터)` (English template: `(since 4/14)`;
  a date in another year is written in full). A marker already there is kept, so the date is the
  first one; a nested item without its own marker is as old as its parent. `devlog todo` reads it.
A parent whose children went different ways appears in both trees, as context (without a checkbox
where it is not itself in that state). The previous entry's own "done" list is never carried again.

Work days (`[new] work_days`, Mon-Fri by default) only shape messages and the template variables
`previous_workday` and `is_work_day`: dates are taken literally (on a Friday `tomorrow` is Saturday;
`--date mon` is next Monday), and the previous entry is simply the latest earlier one.

Todo. An item is open from the first time it is planned until an item with the same normalised text
is reported done later (in a "done" section, or checked anywhere); a done text that contains the
planned text also closes it (`GPU 비용 비교` is closed by `GPU 비용 비교표 작성`) when it was planned in
the two weeks before. Within one day, the done list is read before the plan, so an item carried as
context and still planned stays open. Nested items are items of their own: reporting a parent done
does not close its unchecked children (carry-over keeps them too).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from devlog.dates import WEEKDAY_EN, WEEKDAY_KO, date_from_path
from devlog.errors import DevlogError
from devlog.model import Entry, Item
from devlog.workspace import Workspace

# ---------------------------------------------------------------- the "first planned" marker

_MARK_DATE = r"(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2})"
_SINCE = re.compile(r"\s*\(\s*(?:since\s+" + _MARK_DATE + r"|" + _MARK_DATE + r"\s*부터)\s*\)\s*$", re.I)


def split_since(text: str, reference: date) -> tuple[str, date | None]:
    """An item's text without its `(4/14부터)` / `(since 4/14)` marker, and the marker's date.

    A month/day marker means the latest such date on or before `reference` (the entry's date).
    """
    match = _SINCE.search(text)
    if not match:
        return text, None
    raw = match.group(1) or match.group(2)
    try:
        if "-" in raw:
            year, month, day = (int(part) for part in raw.split("-"))
            found = date(year, month, day)
        else:
            month, day = (int(part) for part in raw.split("/"))
            found = date(reference.year, month, day)
            if found > reference:
                found = date(reference.year - 1, month, day)
    except ValueError:
        return text, None  # (2/30부터) is no date: the words stay as they are
    return text[: match.start()].rstrip(), found


def since_label(since: date, day: date) -> str:
    """How a marker writes `since` in an entry dated `day`: 4/14, or in full for another year."""
    return f"{since.month}/{since.day}" if since.year == day.year else since.isoformat()


# ---------------------------------------------------------------- carry-over (pure)


@dataclass
class Carried:
    """An item as the new entry's template receives it."""

    text: str  # markdown, as written (links and code kept), without a marker
    checked: bool | None = None  # None: written without a checkbox
    since: date | None = None  # first planned (open items)
    since_label: str = ""  # the marker to show ("4/14"); empty when the parent shows the same date
    items: list[Carried] = field(default_factory=list)


@dataclass
class CarryOver:
    done: list[Carried] = field(default_factory=list)
    plan: list[Carried] = field(default_factory=list)

    def counts(self) -> tuple[int, int]:
        def count(items: list[Carried]) -> int:
            return sum(1 + count(item.items) for item in items)

        return count(self.done), count(self.plan)


_BULLET = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s+\[[ xX]\])?(?:\s+|$)")
_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|>|```|~~~|\||<)")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")  # the (url "title") of [text](url "title")
_NOT_WORD = re.compile(r"[\W_]+")


def _words(text: str) -> str:
    """Only the letters and digits, lower case (texts come NFC from the parser's decode)."""
    return _NOT_WORD.sub("", text.lower())


def _source(item: Item, lines: list[str]) -> str:
    """The item's own markdown (links, code, emphasis kept) when its source lines give exactly its words;
    else the parser's plain text, `<` escaped so no word can turn into an HTML tag.

    An item of several paragraphs comes out as one line; a code block inside it is not carried."""
    plain = item.text.replace("<", "&lt;")
    if not 0 < item.line <= len(lines):
        return plain
    first = lines[item.line - 1]
    bullet = _BULLET.match(first)
    if not bullet:
        return plain
    parts = [first[bullet.end() :].strip()]
    for line in lines[item.line :]:
        if not line.strip() or _BULLET.match(line) or _BLOCK_START.match(line):
            break
        parts.append(line.strip())
    raw = " ".join(parts)
    return raw if _words(_LINK_TARGET.sub("", raw)) == _words(item.text) else plain


def _split(
    item: Item, inherited: str, lines: list[str], day: date, entry_day: date, parent_since: date | None
) -> tuple[Carried | None, Carried | None]:
    """(the part reported done, the part still open) of one plan item and its children."""
    text, marked = split_since(_source(item, lines), entry_day)
    if not text.strip() and not item.items:
        return None, None
    # A line without a checkbox shares its parent's state (top-level ones were done: the team's habit).
    state = inherited if item.checked is None else "done" if item.checked else "open"
    since = (marked or parent_since or entry_day) if item.checked is False else None
    parts = [_split(child, state, lines, day, entry_day, since or parent_since) for child in item.items]
    done_children = [d for d, _ in parts if d is not None]
    open_children = [o for _, o in parts if o is not None]
    if item.checked is None and state == "done" and open_children and not done_children:
        state = "group"  # a plain heading over open work is not itself done
    done = Carried(text, None, items=done_children) if state == "done" or done_children else None
    still = None
    if state == "open" or open_children:
        label = since_label(since, day) if since is not None and since != parent_since else ""
        still = Carried(text, False if item.checked is False else None, since, label, open_children)
    return done, still


def carry_over(entry: Entry, lines: list[str], day: date) -> CarryOver:
    """What the entry for `day` takes from `entry` (the previous one), whose source `lines` keep
    each item's markdown."""
    entry_day = entry.date or day
    out = CarryOver()
    for section in entry.sections_of("plan"):
        for item in section.items:
            done, still = _split(item, "done", lines, day, entry_day, None)
            if done is not None:
                out.done.append(done)
            if still is not None:
                out.plan.append(still)
    return out


# ---------------------------------------------------------------- paths

_FIELD = re.compile(r"\{(\w*)\}")
_FIELD_PATTERNS = {"date": r"\d{4}-\d{2}-\d{2}", "year": r"\d{4}", "month": r"\d{2}", "day": r"\d{2}"}
_FIELDS = (*_FIELD_PATTERNS, "author")


def _check_author(author: str) -> str:
    name = author.strip()
    if not name or name.startswith(".") or any(ch in name for ch in "/\\\0"):
        raise DevlogError(f"not a usable author name for a folder: {author!r}")
    return name


def _pattern(workspace: Workspace, author: str | None) -> str:
    config = workspace.config
    pattern, key = (config.author_path, "author_path") if author else (config.path, "path")
    unknown = [name for name in _FIELD.findall(pattern) if name not in _FIELDS]
    if unknown:
        raise DevlogError(
            f"'new.{key}' = {pattern!r} uses {{{unknown[0]}}}: use {{date}}, {{year}}, {{month}}, {{day}}, {{author}}"
        )
    fields = set(_FIELD.findall(pattern))
    if "date" not in fields and not {"year", "month", "day"} <= fields:
        raise DevlogError(f"'new.{key}' = {pattern!r} must contain {{date}} (or {{year}}, {{month}} and {{day}})")
    if author:
        pattern = pattern.replace("{author}", _check_author(author))
    if pattern.startswith("/") or ".." in Path(pattern).parts:
        raise DevlogError(f"'new.{key}' = {pattern!r} must stay inside the workspace")
    return pattern


def entry_path(workspace: Workspace, day: date, author: str | None) -> Path:
    """Where the entry of `day` by `author` (None: the team) is written."""
    pattern = _pattern(workspace, author)
    values = {"date": day.isoformat(), "year": f"{day.year:04d}", "month": f"{day.month:02d}", "day": f"{day.day:02d}"}
    return workspace.root / _FIELD.sub(lambda match: values[match.group(1)], pattern)


def _component_regex(component: str) -> re.Pattern[str]:
    out, last = [], 0
    for match in _FIELD.finditer(component):
        out.append(re.escape(component[last : match.start()]))
        name = match.group(1)
        out.append(f"(?P<{name}>{_FIELD_PATTERNS[name]})")
        last = match.end()
    out.append(re.escape(component[last:]))
    return re.compile("".join(out) + "$")


def _date_of(groups: dict[str, str]) -> date | None:
    try:
        if "date" in groups:
            return date.fromisoformat(groups["date"])
        return date(int(groups["year"]), int(groups["month"]), int(groups["day"]))
    except (KeyError, ValueError):
        return None


def _scan(folder: str, parts: list[str], groups: dict[str, str]) -> Iterator[tuple[date, str]]:
    """(date, path) of every file the remaining pattern `parts` allows below `folder` (plain strings:
    a team folder holds thousands of files)."""
    head, rest = parts[0], parts[1:]
    if "{" not in head:
        if rest:
            yield from _scan(os.path.join(folder, head), rest, groups)
        return
    regex = _component_regex(head)
    try:
        children = list(os.scandir(folder))
    except OSError:
        return
    suffix = os.path.splitext(head)[1].lower()
    for child in children:
        match = regex.match(child.name)
        if rest:
            if match and child.is_dir():
                yield from _scan(child.path, rest, {**groups, **match.groupdict()})
            continue
        if match:
            found = _date_of({**groups, **match.groupdict()})
        elif suffix and child.name.lower().endswith(suffix) and not child.name.startswith("."):
            found = date_from_path(child.name)  # a hand-named file (250410.md) in the same folder
        else:
            continue
        if found is not None and child.is_file():
            yield found, child.path


def dated_files(workspace: Workspace, author: str | None) -> list[tuple[date, str]]:
    """The author's (None: the team's) entry files with their dates, by the path pattern, oldest first."""
    parts = [part for part in _pattern(workspace, author).split("/") if part not in ("", ".")]
    return sorted(_scan(str(workspace.root), parts, {}))


def previous_workday(day: date, work_days: Iterable[int]) -> date:
    """The latest work day before `day` (work days as weekday numbers, Monday 0)."""
    days = set(work_days) or set(range(7))
    before = day - timedelta(days=1)
    while before.weekday() not in days:
        before -= timedelta(days=1)
    return before


# ---------------------------------------------------------------- the new entry


@dataclass
class Draft:
    """Everything the new entry needs before it is rendered."""

    path: Path
    day: date
    author: str | None
    work_days: tuple[int, ...]
    previous: Path | None = None
    previous_day: date | None = None
    carried: CarryOver = field(default_factory=CarryOver)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def context(self, workspace: Workspace) -> dict[str, Any]:
        """The template's variables."""
        day, before = self.day, self.previous_day
        return {
            "date": day,
            "date_iso": day.isoformat(),
            "weekday_ko": WEEKDAY_KO[day.weekday()],
            "weekday_en": WEEKDAY_EN[day.weekday()],
            "author": self.author,
            "is_work_day": day.weekday() in self.work_days,
            "previous_workday": previous_workday(day, self.work_days),
            "previous_date": before,
            "previous_date_iso": before.isoformat() if before else None,
            "previous_weekday_ko": WEEKDAY_KO[before.weekday()] if before else None,
            "previous_weekday_en": WEEKDAY_EN[before.weekday()] if before else None,
            "previous_path": workspace.relative(self.previous) if self.previous else None,
            "done_items": self.carried.done,
            "plan_items": self.carried.plan,
        }


def _short(day: date) -> str:
    return f"{day.isoformat()} ({WEEKDAY_KO[day.weekday()]})"


def draft(workspace: Workspace, day: date, author: str | None) -> Draft:
    """Find the author's previous entry and carry its plan over; never fails on that entry's content."""
    from devlog.logs import read_log
    from devlog.parser import decode

    work_days = workspace.config.work_days
    out = Draft(entry_path(workspace, day, author), day, author, work_days)
    if day.weekday() not in work_days:
        out.notes.append(f"{_short(day)} is not a work day ([new] work_days)")
    files = dated_files(workspace, author)
    for same_day, name in files:
        if same_day == day and Path(name) != out.path:
            out.warnings.append(f"{workspace.relative(Path(name))} is already dated {day}")
    earlier = [(found, name) for found, name in files if found < day]
    if not earlier:
        out.notes.append(f"no earlier entry{f' by {author}' if author else ''}: nothing to carry over")
        return out
    out.previous_day, out.previous = earlier[-1][0], Path(earlier[-1][1])
    shown = workspace.relative(out.previous)
    expected = previous_workday(day, work_days)
    if out.previous_day < expected:
        out.notes.append(f"the last entry is from {_short(out.previous_day)}; none since")
    try:
        data = out.previous.read_bytes()
        result = read_log(workspace, out.previous, data)
        if not result.entries:
            reason = "; ".join(f.message for f in result.findings) or "no content"
            out.warnings.append(f"cannot read the previous entry {shown} ({reason}): nothing carried over")
            return out
        entry = max(result.entries, key=lambda e: (e.date is not None and e.date < day, e.date or date.min))
        out.carried = carry_over(entry, decode(data, shown).text.split("\n"), day)
    except Exception as err:  # the morning's entry must not fail on yesterday's file, whatever is in it
        out.warnings.append(f"cannot read the previous entry {shown} ({err}): nothing carried over")
        return out
    if not entry.sections_of("plan"):
        out.notes.append(f"{shown} has no plan section: nothing to carry over")
        return out
    done, still = out.carried.counts()
    out.notes.append(f"from {shown} {_short(out.previous_day)}: {done} done, {still} still open")
    return out


def create(path: Path, text: str) -> bool:
    """Write a new file, atomically refusing to replace one: False when it already exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = open(path, "x", encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
    except FileExistsError:
        return False
    try:
        with handle:
            handle.write(text)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return True


@dataclass
class NewEntry:
    """What `devlog new` did: the day's path, whether it was created now, and what to tell the user."""

    path: Path
    created: bool
    messages: list[str]


def new_entry(workspace: Workspace, day: date, author: str | None, template: str | None = None) -> NewEntry:
    """Create the day's log from its template with carry-over, unless it exists (then nothing is written)."""
    path = entry_path(workspace, day, author)
    if path.exists():
        return NewEntry(path, False, [])
    from devlog.templating import render

    prepared = draft(workspace, day, author)
    text = render(template or workspace.config.template, prepared.context(workspace), workspace.root)
    if not create(path, text):  # another terminal was faster
        return NewEntry(path, False, [])
    return NewEntry(path, True, [*(f"warning: {w}" for w in prepared.warnings), *prepared.notes])


# ---------------------------------------------------------------- todo

_CONTAINS_MIN = 6  # shorter planned texts are closed only by an exact match
_CONTAINS_DAYS = 14  # ... and so are texts not planned in the two weeks before the done report


def normalize_item(text: str) -> str:
    """An item's identity for matching across days: words only, without case, spacing, markup or marker."""
    return _words(_LINK_TARGET.sub("", text))


@dataclass(frozen=True)
class Todo:
    author: str | None
    text: str
    since: date
    days: int
    path: str
    line: int


@dataclass
class _Open:
    since: date
    text: str
    last: date  # the last day it was planned


# Row shape (devlog.store.todo_queries.todo_rows): item id, parent id, text, checked, kind, date, author, path, line
Row = tuple[int, int | None, str, int | None, str, str, str | None, str, int]


def open_items(rows: Iterable[Row], today: date) -> list[Todo]:
    """Items planned and never reported done after, oldest first.

    `rows` are the plan items, done items and checked items of the entries in scope, by date, parents
    before their children.
    """
    events = []
    since_of: dict[int, date] = {}  # item id -> first planned, for children without their own marker
    days: dict[str, date] = {}
    keys: dict[str, str] = {}  # texts repeat day after day: normalise each once
    for item_id, parent, text, checked, kind, day_iso, author, path, line in rows:
        day = days.get(day_iso) or days.setdefault(day_iso, date.fromisoformat(day_iso))
        plain, marked = split_since(text, day) if "(" in text else (text, None)
        key = keys.get(plain)
        if key is None:
            key = keys[plain] = normalize_item(plain)
        if not key:
            continue
        opens = kind == "plan" and not checked
        since = day
        if opens:
            since = marked or (since_of.get(parent) if parent is not None else None) or day
            since_of[item_id] = since
        events.append((day, author or "", opens, path, line, key, plain, since))
    events.sort(key=lambda event: event[:5])  # within a day, the done list before the plan
    state: dict[str, dict[str, _Open]] = {}
    seen: dict[tuple[str, str], list[tuple[date, str, int]]] = {}  # where each text was planned
    for day, who, opens, path, line, key, plain, since in events:
        items = state.setdefault(who, {})  # in the order they were last planned
        if opens:
            seen.setdefault((who, key), []).append((day, path, line))
            known = items.pop(key, None)
            items[key] = _Open(min(since, known.since) if known else since, plain, day)
            continue
        items.pop(key, None)
        recent = day - timedelta(days=_CONTAINS_DAYS)
        closed = []
        for other, item in reversed(items.items()):
            if item.last < recent:
                break
            if len(other) >= _CONTAINS_MIN and other in key:
                closed.append(other)
        for other in closed:
            del items[other]
    out = []
    for who, items in state.items():
        for key, item in items.items():
            history = seen[(who, key)]
            day, path, line = next((h for h in history if h[0] >= item.since), history[-1])
            out.append(Todo(who or None, item.text, item.since, (today - item.since).days, path, line))
    return sorted(out, key=lambda todo: (todo.since, todo.path, todo.line))


def todo_view(todos: list[Todo], show_author: bool) -> str:
    """One line per open item: days open, first planned, (author,) text, where it first appeared."""
    lines = []
    for todo in todos:
        who = f"{todo.author or '(team)'}  " if show_author else ""
        lines.append(f"{todo.days:>4}d  {todo.since.isoformat()}  {who}{todo.text}  ({todo.path}:{todo.line})")
    return "\n".join(lines)
