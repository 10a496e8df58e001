"""Dates as people write them in logs, and as they type them on the command line.

Everything here is pure: `today` is always passed in, so tests never depend on the clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from devlog.errors import DevlogError

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)

# Each pattern yields (year, month, day) groups through a small adapter below.
_ISO = re.compile(r"(?<!\d)(\d{4})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{1,2})(?!\d)")
_KOREAN = re.compile(r"(?<!\d)(\d{2}|\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
_SHORT_DOTTED = re.compile(r"(?<![\d.])(\d{2})\.(\d{1,2})\.(\d{1,2})(?![\d.])")
_DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(\d{4})(?!\d)", re.I)
_MONTH_DAY_YEAR = re.compile(r"\b" + _MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", re.I)
_COMPACT8 = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?!\d)")
_COMPACT6 = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})(?!\d)")


@dataclass(frozen=True)
class DateMatch:
    """A date found in text; `value` is None when the text names an impossible date."""

    value: date | None
    raw: str


def _make(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, compact: bool = False) -> DateMatch | None:
    """The first written date in `text`, in any of the shapes teams use.

    `compact` also accepts digit runs like `20250410` and `250410` (file names, log stamps),
    which would be too eager in free prose.
    """
    candidates: list[tuple[int, DateMatch]] = []
    for pattern in (_ISO, _KOREAN, _SHORT_DOTTED):
        match = pattern.search(text)
        if match:
            y, m, d = (int(g) for g in match.groups())
            candidates.append((match.start(), DateMatch(_make(y, m, d), match.group(0))))
    match = _DAY_MONTH_YEAR.search(text)
    if match:
        day, month, year = match.groups()
        value = _make(int(year), _MONTHS[month.lower().rstrip(".")], int(day))
        candidates.append((match.start(), DateMatch(value, match.group(0))))
    match = _MONTH_DAY_YEAR.search(text)
    if match:
        month, day, year = match.groups()
        value = _make(int(year), _MONTHS[month.lower().rstrip(".")], int(day))
        candidates.append((match.start(), DateMatch(value, match.group(0))))
    if compact:
        for pattern in (_COMPACT8, _COMPACT6):
            match = pattern.search(text)
            if match:
                y, m, d = (int(g) for g in match.groups())
                value = _make(y, m, d)
                if value is not None:  # a digit run that is no date is simply not a date
                    candidates.append((match.start(), DateMatch(value, match.group(0))))
                    break
    if not candidates:
        return None
    return min(candidates, key=lambda pair: pair[0])[1]


_PATH_YMD = re.compile(r"(?<!\d)(\d{4})[/\\](\d{1,2})[/\\](\d{1,2})(?!\d)")


def date_from_path(path: str) -> date | None:
    """A date written in a file name or its folders: 2025-04-10.md, 250410.md, 2025/04/10.md."""
    normalized = path.replace("\\", "/")
    stem = normalized.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    found = find_date(stem, compact=True)
    if found and found.value:
        return found.value
    match = _PATH_YMD.search(normalized.rsplit(".", 1)[0])
    if match:
        return _make(*(int(g) for g in match.groups()))
    return None


# ---------------------------------------------------------------- command-line dates

_WEEKDAYS = {
    "mon": 0,
    "monday": 0,
    "월": 0,
    "월요일": 0,
    "tue": 1,
    "tues": 1,
    "tuesday": 1,
    "화": 1,
    "화요일": 1,
    "wed": 2,
    "wednesday": 2,
    "수": 2,
    "수요일": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "thursday": 3,
    "목": 3,
    "목요일": 3,
    "fri": 4,
    "friday": 4,
    "금": 4,
    "금요일": 4,
    "sat": 5,
    "saturday": 5,
    "토": 5,
    "토요일": 5,
    "sun": 6,
    "sunday": 6,
    "일": 6,
    "일요일": 6,
}
_OFFSETS = {
    "today": 0,
    "오늘": 0,
    "yesterday": -1,
    "어제": -1,
    "tomorrow": 1,
    "내일": 1,
    "그제": -2,
    "그저께": -2,
    "모레": 2,
}
_AGO = re.compile(r"^(\d+)\s*(d|w|m|days?|weeks?|months?|일|주|개월)(?:\s*(?:ago|전))?$")
WEEKDAY_KO = ["월", "화", "수", "목", "금", "토", "일"]
WEEKDAY_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def parse_date_arg(text: str, today: date, forward: bool = False) -> date:
    """A date typed by a user: ISO, `today`, `어제`, `7d`, `2w`, `last week`, `지난주`, `mon`, `월`.

    Weekday names mean the most recent such day (today included), or with `forward`
    the next one (today included), which is what `devlog new --date mon` wants on a Friday.
    """
    word = " ".join(text.strip().lower().split())
    if word in _OFFSETS:
        return today + timedelta(days=_OFFSETS[word])
    if word in _WEEKDAYS:
        delta = (_WEEKDAYS[word] - today.weekday()) % 7 if forward else -((today.weekday() - _WEEKDAYS[word]) % 7)
        return today + timedelta(days=delta)
    if word in ("last week", "지난주", "지난 주"):
        return today - timedelta(days=today.weekday() + 7)  # Monday of last week
    if word in ("this week", "이번주", "이번 주"):
        return today - timedelta(days=today.weekday())
    match = _AGO.match(word)
    if match:
        count, unit = int(match.group(1)), match.group(2)
        days = {"d": 1, "day": 1, "days": 1, "일": 1, "w": 7, "week": 7, "weeks": 7, "주": 7}.get(unit, 30)
        return today - timedelta(days=count * days)
    found = find_date(word)
    if found and found.raw.strip() == word.strip():
        if found.value is None:
            raise DevlogError(f"not a real date: {text!r}")
        return found.value
    raise DevlogError(
        f"cannot read the date {text!r}: use YYYY-MM-DD, today, yesterday, tomorrow, 어제, 내일, "
        "7d, 2w, last week, 지난주, or a weekday (mon, 월)"
    )
