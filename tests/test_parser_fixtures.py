"""Golden-file tests: each tests/fixtures/parse/NAME.md is parsed and compared with NAME.json beside it.

The file name is the path the parser sees (it is the date of last resort). To regenerate the golden
files after a deliberate change, run `DEVLOG_UPDATE_GOLDEN=1 pytest tests/test_parser_fixtures.py`
and review every diff by eye: a golden file says what a user expects, not whatever the code does.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from devlog.parser import parse_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
CASES = sorted(FIXTURES.glob("*.md"))
UPDATE = os.environ.get("DEVLOG_UPDATE_GOLDEN") == "1"


def _parsed(case: Path) -> dict[str, Any]:
    result = parse_bytes(case.read_bytes(), case.name)
    return {
        "entries": [entry.to_dict() for entry in result.entries],
        "warnings": [finding.to_dict() for finding in result.findings],
    }


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.stem)
def test_fixture(case: Path) -> None:
    got = _parsed(case)
    golden = case.with_suffix(".json")
    if UPDATE:
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.name}: run with DEVLOG_UPDATE_GOLDEN=1 and review it"
    assert got == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.stem)
def test_fixture_lines_are_in_the_file(case: Path) -> None:
    """Every line number in the golden output points into the file (1-based)."""
    data = case.read_bytes()
    lines = data.replace(b"\r\n", b"\n").count(b"\n") + (0 if data.endswith(b"\n") else 1)
    parsed = _parsed(case)

    def check_items(items: list[dict[str, Any]]) -> None:
        for item in items:
            assert 1 <= item["line"] <= lines
            check_items(item["items"])

    def check_sections(sections: list[dict[str, Any]]) -> None:
        for section in sections:
            assert 1 <= section["line"] <= lines
            check_items(section["items"])
            check_sections(section["sections"])

    for entry in parsed["entries"]:
        assert 1 <= entry["line"] <= lines
        check_sections(entry["sections"])
    for warning in parsed["warnings"]:
        assert 1 <= warning["line"] <= lines
