"""Section kinds: every alias maps to its kind, headings are normalised, devlog.toml extends the table."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import pytest

from devlog.kinds import KINDS, KindTable, default_table, normalize_heading
from devlog.logs import kind_table, read_log
from devlog.parser import parse_text
from devlog.workspace import open_workspace

ALIASES: dict[str, list[str]] = tomllib.loads(
    resources.files("devlog").joinpath("data/kinds.toml").read_text(encoding="utf-8")
)
ALL_ALIASES = [(kind, alias) for kind, names in ALIASES.items() for alias in names]


def test_the_table_names_only_known_kinds() -> None:
    assert set(ALIASES) == set(KINDS) - {"other"}


@pytest.mark.parametrize(("kind", "alias"), ALL_ALIASES, ids=[f"{k}:{a}" for k, a in ALL_ALIASES])
def test_every_alias_maps_to_its_kind(kind: str, alias: str) -> None:
    table = default_table()
    assert table.kind_of(alias) == kind
    # ... also dressed up as people write headings
    assert table.kind_of(f"**{alias.upper()}:**") == kind
    assert table.kind_of(f"🔖 2. {alias}") == kind


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        # the team's own format
        ("어제 완료된 업무", "done"),
        ("오늘 진행할 업무", "plan"),
        ("새로 배운 내용", "learned"),
        ("해결이 필요한 이슈 및 해결 방안", "issue"),
        ("오늘의 회고", "retro"),
        ("참고 자료 및 링크", "links"),
        ("회의록", "meeting"),
        # multi-day README and other teams
        ("1. Yesterday", "done"),
        ("1. YesterDay", "done"),
        ("1. Last Week", "done"),
        ("1. Last Weekend", "done"),
        ("2. Today Todo", "plan"),
        ("2. Today", "plan"),
        ("Today Todo", "plan"),
        ("오늘의 목표", "plan"),
        ("오늘의 목표 - age filtering", "plan"),
        ("오늘 해본 것", "done"),
        ("앞으로 할 일", "plan"),
        ("앞으로 할일", "plan"),
        ("TIL", "learned"),
        ("Key Takeaways", "learned"),
        ("KPT", "retro"),
        ("Blockers", "issue"),
        ("Action Items", "plan"),
        ("See also", "links"),
        ("Standup", "meeting"),
    ],
)
def test_common_headings(heading: str, kind: str) -> None:
    assert default_table().kind_of(heading) == kind


@pytest.mark.parametrize(
    "heading",
    [
        "회고",
        "  회고  ",
        "**회고**",
        "*회고*",
        "__회고__",
        "_회고_",
        "회고:",
        "회고 :",
        "회고：",
        "1. 회고",
        "1) 회고",
        "12. 회고",
        "🔖 2. 회고",
        "📝 회고",
        "✨✨ 회고 ✨",
        "# 회고",
        "`회고`",
        "**🔖 3. 회고:**",
        "오늘의회고",
        "오늘의   회고",
        "RETRO",
        "Retro:",
        "Retrospective",
    ],
)
def test_normalisation(heading: str) -> None:
    assert default_table().kind_of(heading) == "retro"


def test_normalize_heading() -> None:
    assert normalize_heading("**🔖 2. 배운 점:**") == "배운 점"
    assert normalize_heading("  1.  Today   Todo ") == "today todo"
    assert normalize_heading("To-Do") == "to do"
    assert normalize_heading("✅") == ""


def test_nfd_headings() -> None:
    import unicodedata

    assert default_table().kind_of(unicodedata.normalize("NFD", "어제 완료된 업무")) == "done"


@pytest.mark.parametrize(
    "heading",
    [
        "",
        "🔖 1.",
        "잡담",
        "Flu study",
        "Future directions",
        "와이어프레임",
        "Abandoned tasks",  # "done" only as a whole word
        "Next.js 마이그레이션",  # a dotted name is a name, not "next"
        "Node.js 설치",
        "this is a long sentence that happens to say done somewhere in it",
    ],
)
def test_headings_that_name_no_kind(heading: str) -> None:
    assert default_table().kind_of(heading) is None


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("미완료 업무", "plan"),  # not "완료"
        ("어제 못 한 일", "plan"),  # not "한 일"
        ("Not done", "plan"),
        ("Things done", "done"),
        ("Yesterday's work", "done"),
        ("Today I learned", "learned"),
        ("David zoom 미팅: 카카오 현직자 zoom 대화", "meeting"),
        ("오늘 회의에서 배운 점", "learned"),  # the longest alias inside wins
    ],
)
def test_aliases_inside_longer_headings(heading: str, kind: str) -> None:
    assert default_table().kind_of(heading) == kind


def test_a_section_without_a_kind_takes_its_parents() -> None:
    text = "# 2025-04-10\n## 어제 한 일\n### FE\n- a\n#### 세부\n- b\n## 잡담\n### FE\n- c\n"
    entry = parse_text(text, "x.md").entries[0]
    assert [(s.heading, s.kind, s.own_kind) for s in entry.walk()] == [
        ("어제 한 일", "done", True),
        ("FE", "done", False),
        ("세부", "done", False),
        ("잡담", "other", False),
        ("FE", "other", False),
    ]


def test_a_child_with_its_own_kind_keeps_it() -> None:
    entry = parse_text("# 2025-04-10\n## 스크럼\n**어제 한 일**\n- a\n\n**오늘 할 일**\n- b\n", "x.md").entries[0]
    assert [(s.heading, s.kind, s.level) for s in entry.walk()] == [
        ("스크럼", "other", 2),
        ("어제 한 일", "done", 3),
        ("오늘 할 일", "plan", 3),
    ]


# ---------------------------------------------------------------- devlog.toml [kinds]


def test_extended_table_adds_aliases_and_keeps_the_defaults() -> None:
    table = default_table().extended({"learned": ["스터디 정리"], "meeting": ["주간 싱크"]})
    assert table.kind_of("📚 스터디 정리:") == "learned"
    assert table.kind_of("1. 주간 싱크") == "meeting"
    assert table.kind_of("어제 완료된 업무") == "done"
    assert default_table().kind_of("스터디 정리") is None  # the default table is left alone


def test_the_workspace_wins_over_the_defaults() -> None:
    table = default_table().extended({"plan": ["회고"]})
    assert table.kind_of("회고") == "plan"
    assert table.kind_of("오늘의 회고") == "retro"  # other default aliases still stand


def test_a_workspace_may_file_headings_under_other() -> None:
    assert default_table().extended({"other": ["잡담"]}).kind_of("잡담") == "other"


def test_custom_table() -> None:
    table = KindTable({"done": ["shipped"], "plan": ["후속 작업"]})
    assert table.kind_of("Shipped!") == "done"
    assert table.kind_of("후속 작업:") == "plan"
    assert table.kind_of("어제 한 일") is None


def test_devlog_toml_kinds_reach_the_parser(tmp_path: Path) -> None:
    (tmp_path / "devlog.toml").write_text('[kinds]\nlearned = ["스터디 정리"]\n', encoding="utf-8")
    log = tmp_path / "entries" / "2025-04-10.md"
    log.parent.mkdir()
    log.write_text("# 2025-04-10\n\n## 스터디 정리\n- CRDT\n", encoding="utf-8")
    workspace = open_workspace(str(tmp_path))
    assert kind_table(workspace).kind_of("스터디 정리") == "learned"
    result = read_log(workspace, log)
    assert [s.kind for s in result.entries[0].sections] == ["learned"]
    assert result.findings == []
