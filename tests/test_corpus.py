"""Real logs from public repositories (shared/corpus, read in place, never copied here).

Every file parses without an exception, and gets the date it states. The expectations below were
written by reading each file and corpus/manifest.tsv, not by running the parser:

- beaniejoy: the date is the YYMMDD of the file name (also in a leading `> - 200410 log`
  blockquote, which 200412 copied from the day before: the file name wins);
- clairew99 YYMMDD.md: the file name; clairew99 MMDD/MMDD.md: no year anywhere, so no date, except
  0716 ("240716 오전 회의" on the first line) and 0719 ("유저 플로우 작성 (24.07.19)");
- peter-shlee: "Day N" counters only, no calendar date;
- tsibley: "# 25 July 2018" headings, agreeing with the YYYY-MM-DD file names;
- PROJECT-OPENER: one README holding 22 days, each a "## YYYY-MM-DD" heading.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from devlog.parser import parse_bytes

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PUBLIC = SHARED / "public"

_OPENER_DAYS = [
    "2023-04-18", "2023-04-19", "2023-04-20", "2023-04-21", "2023-04-24", "2023-04-25", "2023-04-26",
    "2023-04-27", "2023-04-28", "2023-05-01", "2023-05-02", "2023-05-03", "2023-05-04", "2023-05-05",
    "2023-05-08", "2023-05-09", "2023-05-10", "2023-05-11", "2023-05-12", "2023-05-15", "2023-05-16",
    "2023-05-17",
]  # fmt: skip

_DEV_LOG = "beaniejoy__daily-dev-log__project__cagong-ranking-project__dev-log__"

EXPECTED: dict[str, str | list[str] | None] = {
    "PROJECT-OPENER__Opener__docs__dailyScrum__README.md": _OPENER_DAYS,
    f"{_DEV_LOG}200410_dev_log.md": "2020-04-10",
    f"{_DEV_LOG}200411_dev_log.md": "2020-04-11",
    f"{_DEV_LOG}200412_dev_log.md": "2020-04-12",
    f"{_DEV_LOG}200413_dev_log.md": "2020-04-13",
    f"{_DEV_LOG}200425_dev_log.md": "2020-04-25",
    f"{_DEV_LOG}200426_dev_log.md": "2020-04-26",
    f"{_DEV_LOG}200427_dev_log.md": "2020-04-27",
    f"{_DEV_LOG}200509_dev_log.md": "2020-05-09",
    f"{_DEV_LOG}200516_dev_log.md": "2020-05-16",
    f"{_DEV_LOG}200521_dev_log.md": "2020-05-21",
    "clairew99__GiutGiot__0715__0715.md": None,
    "clairew99__GiutGiot__0716__0716.md": "2024-07-16",
    "clairew99__GiutGiot__0717__0717.md": None,
    "clairew99__GiutGiot__0719__0719.md": "2024-07-19",
    "clairew99__GiutGiot__0722__0722.md": None,
    "clairew99__GiutGiot__0723__0723.md": None,
    "clairew99__GiutGiot__0724__0724.md": None,
    "clairew99__GiutGiot__0726__0726.md": None,
    "clairew99__GiutGiot__0729__0729.md": None,
    "clairew99__GiutGiot__0730__0730.md": None,
    "clairew99__GiutGiot__0801__0801.md": None,
    "clairew99__GiutGiot__0802__0802.md": None,
    "clairew99__GiutGiot__240715.md": "2024-07-15",
    "clairew99__GiutGiot__240716.md": "2024-07-16",
    "clairew99__GiutGiot__240717.md": "2024-07-17",
    "clairew99__GiutGiot__240718.md": "2024-07-18",
    "clairew99__GiutGiot__240719.md": "2024-07-19",
    "clairew99__GiutGiot__240722.md": "2024-07-22",
    "clairew99__GiutGiot__240723.md": "2024-07-23",
    "clairew99__GiutGiot__240724.md": "2024-07-24",
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-1__Day1.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-1__Day2.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-1__Day3.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-1__Day4.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-1__Day5.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-1__Day7.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-1__Day9.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-2__Day54.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-2__Day55.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-2__Day56.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-2__Day57.md": None,
    "peter-shlee__Boostcamp_AI_Tech__P-Stage-2__Day59.md": None,
    "tsibley__blab-standup__2018-07-25.md": "2018-07-25",
    "tsibley__blab-standup__2018-10-03.md": "2018-10-03",
    "tsibley__blab-standup__2020-05-22.md": "2020-05-22",
    "tsibley__blab-standup__2021-09-07.md": "2021-09-07",
    "tsibley__blab-standup__2021-10-06.md": "2021-10-06",
    "tsibley__blab-standup__2022-04-05.md": "2022-04-05",
    "tsibley__blab-standup__2022-05-03.md": "2022-05-03",
    "tsibley__blab-standup__2022-09-14.md": "2022-09-14",
    "tsibley__blab-standup__2024-09-26.md": "2024-09-26",
    "tsibley__blab-standup__2024-10-31.md": "2024-10-31",
    "tsibley__blab-standup__2025-03-11.md": "2025-03-11",
    "tsibley__blab-standup__2025-10-14.md": "2025-10-14",
}


def _require_corpus() -> None:
    if not PUBLIC.is_dir():
        pytest.skip(f"no corpus at {PUBLIC}")


def _manifest_paths() -> dict[str, str]:
    """saved file name -> the file's path in its own repository."""
    manifest = SHARED / "manifest.tsv"
    if not manifest.is_file():
        return {}
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    return {row[4]: row[2] for row in rows if len(row) > 4}


def _dates(data: bytes, path: str) -> list[str | None]:
    result = parse_bytes(data, path)
    return [entry.date.isoformat() if entry.date else None for entry in result.entries]


def test_the_table_covers_the_corpus() -> None:
    _require_corpus()
    assert sorted(p.name for p in PUBLIC.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name: str) -> None:
    _require_corpus()
    path = PUBLIC / name
    if not path.is_file():
        pytest.skip(f"{name} is not in this corpus")
    data = path.read_bytes()
    result = parse_bytes(data, name)  # never raises
    lines = data.count(b"\n") + 1
    assert result.entries
    for finding in result.findings:
        assert 1 <= finding.line <= lines
        assert finding.code != "undecodable"
    expected = EXPECTED[name]
    got = _dates(data, name)
    if isinstance(expected, list):
        assert got == expected
        assert len({entry.line for entry in result.entries}) == len(expected)
    else:
        assert got == [expected]
        no_date = [finding for finding in result.findings if finding.code == "no-date"]
        assert bool(no_date) == (expected is None)
    # Under the name it has in its own repository the file gets the same date.
    original = _manifest_paths().get(name)
    if original is not None:
        assert _dates(data, original) == got


def test_multi_day_readme_sections() -> None:
    _require_corpus()
    path = PUBLIC / "PROJECT-OPENER__Opener__docs__dailyScrum__README.md"
    if not path.is_file():
        pytest.skip("README not in this corpus")
    entries = parse_bytes(path.read_bytes(), path.name).entries
    for entry in entries:
        kinds = [section.kind for section in entry.sections]
        assert kinds[0] == "done", (entry.date, kinds)  # Yesterday / Last Week / Last Weekend / YesterDay
        if entry.date != date(2023, 5, 10):  # that day has only "### 1. Yesterday"
            assert "plan" in kinds, (entry.date, kinds)  # Today / Today Todo
    may_first = next(entry for entry in entries if entry.date == date(2023, 5, 1))
    fe_be = [(s.heading, s.kind) for s in may_first.sections[0].sections]
    assert fe_be == [("FE", "done"), ("BE", "done"), ("공통", "done")]


def test_team_structure_of_day_logs() -> None:
    """Sections come out of the shapes these authors use, not just dates."""
    _require_corpus()
    day4 = PUBLIC / "peter-shlee__Boostcamp_AI_Tech__P-Stage-1__Day4.md"
    english = PUBLIC / "tsibley__blab-standup__2018-07-25.md"
    topics = PUBLIC / f"{_DEV_LOG}200410_dev_log.md"
    if not (day4.is_file() and english.is_file() and topics.is_file()):
        pytest.skip("corpus files missing")
    entry = parse_bytes(day4.read_bytes(), day4.name).entries[0]
    assert [s.kind for s in entry.sections] == ["plan", "done", "plan"]
    entry = parse_bytes(english.read_bytes(), english.name).entries[0]
    assert entry.title.startswith("25 July 2018 — or, thoughts on a")
    entry = parse_bytes(topics.read_bytes(), topics.name).entries[0]
    # code fences full of `#` lines and `**bold**` never open sections: only the three 🔖 topics do
    assert [s.heading for s in entry.sections if s.heading] == ["🔖 1.", "🔖 2.", "🔖 3."]
