"""Property tests: the parser takes any bytes, never raises, and every line it reports is in the file."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devlog.model import Item, ParseResult, Section
from devlog.parser import decode, parse_bytes

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
WORDS = st.text(alphabet=st.one_of(HANGUL, st.sampled_from("abcXYZ019 .:-*_`[]()|#<>!~\\/\t")), min_size=0, max_size=20)
BLOCKS = st.sampled_from(
    [
        "",
        "# 2025-04-10",
        "# 날짜: 2025-13-45",
        "## 2023-04-18",
        "## 2023-04-19",
        "### 1. Yesterday",
        "### 2. Today Todo",
        "## 🔖 1. 주제",
        "# 25 July 2018",
        "# or, subtitle",
        "**어제 완료된 업무**",
        "**오늘 진행할 업무** ",
        "**회고**: 같은 줄",
        "- item",
        "- [ ] todo",
        "  - [x] nested done",
        "    - [X] deeper",
        "1. first",
        "2) second",
        "* star",
        "| a | **b** |",
        "| --- | --- |",
        "| 1 | [x](y) |",
        "```",
        "```python",
        "~~~",
        "    indented code",
        "<details>",
        "<summary>요약</summary>",
        "</details>",
        "<br>",
        "<!-- comment",
        "-->",
        "> - 200410 log",
        "> quote",
        "---",
        "date: 2025-04-10",
        "===",
        "[링크 제목](URL)",
        "![alt text](image.png)",
        "날짜: 2023년 7월 10일",
        "\t- tab item",
        "#",
        "######## too deep",
    ]
)
LINE = st.one_of(BLOCKS, WORDS, st.tuples(BLOCKS, WORDS).map(" ".join))
NEWLINE = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])


@st.composite
def markdownish(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.tuples(LINE, NEWLINE), max_size=40))
    text = "".join(line + end for line, end in lines)
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if data and draw(st.booleans()):  # a few bad bytes somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82"])) + data[at:]
    return data


def _line_count(data: bytes) -> int:
    decoded = decode(data, "x.md")
    return decoded.text.count("\n") + 1


def _items(items: list[Item]) -> list[Item]:
    return [nested for item in items for nested in item.walk()]


def _assert_lines_in_file(result: ParseResult, data: bytes) -> None:
    lines = _line_count(data)
    for finding in result.findings:
        assert 1 <= finding.line <= lines, finding
        assert finding.code and finding.message
    for entry in result.entries:
        assert 1 <= entry.line <= lines
        section: Section
        for section in entry.walk():
            assert 0 <= section.level <= 6
            assert 1 <= section.line <= lines, section.heading
            for item in _items(section.items):
                assert 1 <= item.line <= lines, item.text
            for table in section.tables:
                assert 1 <= table.line <= lines
            for link in section.links:
                assert 1 <= link.line <= lines


@SETTINGS
@given(markdownish())
def test_markdownish_text_never_raises_and_lines_are_in_the_file(data: bytes) -> None:
    result = parse_bytes(data, "entries/2025-04-10.md")
    _assert_lines_in_file(result, data)
    assert result.entries  # a readable file always yields at least one entry


@SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_never_raise(data: bytes) -> None:
    result = parse_bytes(data, "notes.md")
    _assert_lines_in_file(result, data)
    if b"\x00" in data and data[:2] not in (b"\xff\xfe", b"\xfe\xff"):  # (with a BOM it is UTF-16 text)
        assert not result.entries
        assert [finding.code for finding in result.findings] == ["binary"]


@SETTINGS
@given(markdownish(), st.sampled_from(["", "x.md", "2025/04/10.md", "250410.md", "a/b/c.markdown"]))
def test_output_is_json_ready_and_text_is_nfc(data: bytes, path: str) -> None:
    result = parse_bytes(data, path)
    for entry in result.entries:
        shape = entry.to_dict()
        assert set(shape) == {"date", "author", "title", "path", "line", "sections"}
        for section in entry.walk():
            for text in (section.heading, section.text):
                assert unicodedata.is_normalized("NFC", text)
            assert "\r" not in section.text


@pytest.mark.parametrize(
    "text",
    [
        "-" * 30,  # a separator line once backtracked exponentially in the `날짜:` line pattern
        "*-" * 15 + "#" * 15,
        "> " * 40 + "**",
        "date" + " " * 20_000,
        "**" + " " * 20_000 + "날짜",
        "<div>\n" + "<" * 20_000,
        "# " + "Next.js" * 5_000,
        "## " + "a" * 50_000 + ".b",
        "- " * 2_000 + "x",
        "**" * 5_000,
    ],
    ids=lambda text: repr(text[:12]),
)
def test_pathological_lines_parse_fast(text: str) -> None:
    start = time.perf_counter()
    parse_bytes(text.encode(), "x.md")
    assert time.perf_counter() - start < 1.0
