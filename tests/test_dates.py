"""Dates in text, in paths, in whole logs (which source wins), and on the command line."""

from __future__ import annotations

from datetime import date

import pytest

from devlog.dates import date_from_path, find_date, parse_date_arg
from devlog.errors import DevlogError
from devlog.parser import parse_bytes, parse_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# 날짜: 2025-04-10", date(2025, 4, 10)),
        ("날짜: 2023년 7월 10일", date(2023, 7, 10)),
        ("# 2025-09-09", date(2025, 9, 9)),
        ("# 25 July 2018", date(2018, 7, 25)),
        ("# 📅 Daily Log - [April 10, 2025]", date(2025, 4, 10)),
        ("2025.04.10", date(2025, 4, 10)),
        ("25.04.10", date(2025, 4, 10)),
        ("2025년 4월 10일 (목)", date(2025, 4, 10)),
        ("25년 4월 10일", date(2025, 4, 10)),
        ("2025/04/10", date(2025, 4, 10)),
        ("2025-4-9", date(2025, 4, 9)),
        ("2025. 4. 10.", date(2025, 4, 10)),
        ("유저 플로우 작성 (24.07.19)", date(2024, 7, 19)),
        ("April 10th, 2025", date(2025, 4, 10)),
        ("10 Apr 2025", date(2025, 4, 10)),
        ("Mon, 14 Apr 2025", date(2025, 4, 14)),
        ("Sept. 3, 2021", date(2021, 9, 3)),
        ("2025-04-10T09:00", date(2025, 4, 10)),
        # the first date written wins
        ("2025-04-10 ~ 2025-04-12", date(2025, 4, 10)),
        ("25 July 2018 (2018-07-26)", date(2018, 7, 25)),
    ],
)
def test_find_date_shapes(text: str, expected: date) -> None:
    found = find_date(text)
    assert found is not None
    assert found.value == expected


@pytest.mark.parametrize(
    "text", ["", "Day 54", "버전 1.2", "3/4", "v2.0.1", "Python 3.11.4", "2025", "4월 10일", "250410"]
)
def test_find_date_ignores_what_is_no_date(text: str) -> None:
    assert find_date(text) is None


@pytest.mark.parametrize("text", ["2025-13-45", "2025-02-30", "25.13.40", "2023년 2월 29일"])
def test_impossible_dates_are_found_but_have_no_value(text: str) -> None:
    found = find_date(text)
    assert found is not None
    assert found.value is None
    assert found.raw == text


def test_compact_digit_runs_only_when_asked() -> None:
    assert find_date("20250410") is None
    assert find_date("20250410", compact=True).value == date(2025, 4, 10)  # type: ignore[union-attr]
    assert find_date("240716 오전 회의", compact=True).value == date(2024, 7, 16)  # type: ignore[union-attr]
    # a digit run that is no date is not reported as a bad date
    assert find_date("ticket 999999", compact=True) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("2025-04-10.md", date(2025, 4, 10)),
        ("250410.md", date(2025, 4, 10)),
        ("20250410.md", date(2025, 4, 10)),
        ("2025/04/10.md", date(2025, 4, 10)),
        ("entries/2025/04/10.md", date(2025, 4, 10)),
        ("entries/2025/4/9.md", date(2025, 4, 9)),
        ("entries/2025/04/10/standup.md", date(2025, 4, 10)),
        ("entries/alice/2025-04-10.md", date(2025, 4, 10)),
        ("entries\\2025\\04\\10.md", date(2025, 4, 10)),
        ("dev-log/200410_dev_log.md", date(2020, 4, 10)),
        ("2025-04-10-retro.md", date(2025, 4, 10)),
    ],
)
def test_date_from_path(path: str, expected: date) -> None:
    assert date_from_path(path) == expected


@pytest.mark.parametrize(
    "path", ["notes.md", "0715/0715.md", "P-Stage-1/Day1.md", "2025-13-45.md", "20251399.md", "12345678.md", ""]
)
def test_no_date_from_path(path: str) -> None:
    assert date_from_path(path) is None


# ---------------------------------------------------------------- the date of a log: first source wins


def _date_of(text: str, path: str = "notes.md") -> tuple[date | None, list[str]]:
    result = parse_text(text, path)
    assert len(result.entries) == 1
    return result.entries[0].date, [finding.code for finding in result.findings if "date" in finding.code]


def test_front_matter_beats_everything() -> None:
    text = "---\ndate: 2025-03-07\n---\n날짜: 2025-01-02\n# 2025-01-01\n"
    assert _date_of(text, "2024-12-31.md") == (date(2025, 3, 7), [])


def test_quoted_front_matter_date() -> None:
    assert _date_of('---\ntitle: x\ndate: "2025-03-07"\n---\n# hi\n') == (date(2025, 3, 7), [])


def test_property_line_beats_heading_and_path() -> None:
    text = "# 📅 Daily Log - [April 10, 2025]\n\n날짜: 2023년 7월 10일\n"
    assert _date_of(text, "2024-12-31.md") == (date(2023, 7, 10), [])


@pytest.mark.parametrize(
    "line",
    [
        "# 날짜: 2025-04-10",
        "날짜: 2025-04-10",
        "**날짜**: 2025-04-10",
        "- 일자: 2025.04.10",
        "Date: April 10, 2025",
        "> 작성일 : 2025년 4월 10일",
        "__date__: 2025-04-10",
    ],
)
def test_property_line_shapes(line: str) -> None:
    assert _date_of(f"{line}\n\n## 오늘 한 일\n- x\n") == (date(2025, 4, 10), [])


def test_first_heading_beats_path() -> None:
    assert _date_of("# 2025년 4월 10일 (목)\n- x\n", "2024-12-31.md") == (date(2025, 4, 10), [])


def test_path_beats_first_line_stamp() -> None:
    assert _date_of("240716 오전 회의\n\n내용\n", "2025-04-10.md") == (date(2025, 4, 10), [])


def test_first_line_stamp_is_the_last_resort() -> None:
    assert _date_of("240716 오전 회의\n\n내용\n", "0716/0716.md") == (date(2024, 7, 16), [])
    assert _date_of("> - 200410 log\n> - project\n") == (date(2020, 4, 10), [])


def test_a_date_deep_in_the_text_is_no_date_of_the_log() -> None:
    text = "# 회의\n\n" + "내용\n\n" * 30 + "다음 회의: 2025-05-01\n"
    assert _date_of(text) == (None, ["no-date"])


def test_bad_date_warns_once_and_falls_back() -> None:
    result = parse_text("# 날짜: 2025-13-45\n- x\n", "entries/2025-04-11.md")
    assert result.entries[0].date == date(2025, 4, 11)
    assert [(f.line, f.code) for f in result.findings] == [(1, "bad-date")]


def test_bad_front_matter_date_points_at_its_line() -> None:
    result = parse_text("---\ntitle: x\ndate: 2025-02-30\n---\n# 2025-04-10\n", "notes.md")
    assert result.entries[0].date == date(2025, 4, 10)
    assert [(f.line, f.code) for f in result.findings] == [(3, "bad-date")]


def test_no_date_is_null_with_a_warning() -> None:
    result = parse_bytes("# 회의 메모\n- 내용\n".encode(), "notes.md")
    assert result.entries[0].date is None
    assert result.entries[0].to_dict()["date"] is None
    assert [(f.line, f.code) for f in result.findings] == [(1, "no-date")]


def test_several_dated_days_in_one_file() -> None:
    text = "# 스크럼\n\n## 2023-04-18\n### 1. Yesterday\n- a\n\n## 2023-04-19\n### 2. Today Todo\n- b\n"
    result = parse_text(text, "README.md")
    assert [(e.date, e.line, e.title) for e in result.entries] == [
        (date(2023, 4, 18), 3, "2023-04-18"),
        (date(2023, 4, 19), 7, "2023-04-19"),
    ]
    assert [[s.kind for s in e.sections] for e in result.entries] == [["done"], ["plan"]]
    assert result.findings == []


def test_one_dated_heading_among_others_is_not_a_split() -> None:
    result = parse_text("# 2025-04-10\n## 오늘 한 일\n- 2025-04-01 배포 확인\n", "x.md")
    assert len(result.entries) == 1


def test_a_bad_date_heading_in_a_multi_day_file() -> None:
    text = "## 2023-04-18\n- a\n\n## 2023-04-31\n- b\n\n## 2023-05-01\n- c\n"
    result = parse_text(text, "README.md")
    assert [e.date for e in result.entries] == [date(2023, 4, 18), None, date(2023, 5, 1)]
    assert [(f.line, f.code) for f in result.findings] == [(4, "bad-date"), (4, "no-date")]


# ---------------------------------------------------------------- command-line dates

TODAY = date(2025, 4, 10)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", TODAY),
        ("  TODAY ", TODAY),
        ("오늘", TODAY),
        ("yesterday", date(2025, 4, 9)),
        ("어제", date(2025, 4, 9)),
        ("내일", date(2025, 4, 11)),
        ("tomorrow", date(2025, 4, 11)),
        ("그제", date(2025, 4, 8)),
        ("모레", date(2025, 4, 12)),
        ("7d", date(2025, 4, 3)),
        ("2w", date(2025, 3, 27)),
        ("2 weeks ago", date(2025, 3, 27)),
        ("3일 전", date(2025, 4, 7)),
        ("1주", date(2025, 4, 3)),
        ("1m", date(2025, 3, 11)),
        ("last week", date(2025, 3, 31)),
        ("지난주", date(2025, 3, 31)),
        ("지난 주", date(2025, 3, 31)),
        ("this week", date(2025, 4, 7)),
        ("이번주", date(2025, 4, 7)),
        ("mon", date(2025, 4, 7)),
        ("월", date(2025, 4, 7)),
        ("월요일", date(2025, 4, 7)),
        ("thu", TODAY),
        ("sun", date(2025, 4, 6)),
        ("2025-04-01", date(2025, 4, 1)),
        ("April 1, 2025", date(2025, 4, 1)),
        ("2025년 4월 1일", date(2025, 4, 1)),
    ],
)
def test_parse_date_arg(text: str, expected: date) -> None:
    assert parse_date_arg(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("mon", date(2025, 4, 14)), ("월", date(2025, 4, 14)), ("thu", TODAY), ("fri", date(2025, 4, 11))],
)
def test_weekdays_forward(text: str, expected: date) -> None:
    assert parse_date_arg(text, TODAY, forward=True) == expected


def test_not_a_real_date_is_an_error() -> None:
    with pytest.raises(DevlogError, match="not a real date"):
        parse_date_arg("2025-02-30", TODAY)


@pytest.mark.parametrize("text", ["", "garbage", "10", "2025-04-10 회의"])
def test_unreadable_date_is_an_error_that_says_what_works(text: str) -> None:
    with pytest.raises(DevlogError, match="YYYY-MM-DD"):
        parse_date_arg(text, TODAY)
