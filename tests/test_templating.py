"""Templates and the parser must agree: every shipped template, rendered, parses back into the right kinds."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from devlog import templating
from devlog.cli import cli
from devlog.errors import DevlogError
from devlog.model import Section
from devlog.newentry import Carried, Draft
from devlog.parser import parse_text
from devlog.workspace import Config, Workspace

PACKAGE = Path(__file__).resolve().parents[1] / "devlog"
SHIPPED = sorted(templating.available(None))

DONE = [
    Carried("GPU 클라우드 비용 비교"),
    Carried("라벨링", items=[Carried("Label Studio 세팅"), Carried("1차 라벨링", items=[Carried("300건씩")])]),
    Carried("[PR #12](https://example.com/pr/12) 리뷰"),
]
PLAN = [
    Carried(
        "수집 댓글 라벨링",
        False,
        date(2025, 4, 14),
        "4/14",
        [Carried("교차 검수", False, date(2025, 4, 14)), Carried("메모", None)],
    ),
    Carried("Docker 이미지 줄이기", False, date(2025, 4, 9), "4/9"),
]
# For each shipped template: the kinds its top-level headings must parse to, in order.
EXPECTED_KINDS = {
    "entry": ["other", "learned", "issue", "retro", "links"],
    "en": ["done", "plan", "learned", "issue", "retro", "links"],
}


def context(tmp_path: Path, done: list[Carried], plan: list[Carried]) -> dict:
    workspace = Workspace(tmp_path, Config())
    draft = Draft(tmp_path / "entries" / "2025-04-15.md", date(2025, 4, 15), "minji", (0, 1, 2, 3, 4))
    draft.previous, draft.previous_day = tmp_path / "entries" / "2025-04-14.md", date(2025, 4, 14)
    draft.carried.done, draft.carried.plan = done, plan
    return draft.context(workspace)


def items_of(sections: list[Section], kind: str) -> list:
    def tree(items: list) -> list:
        return [(i.text, i.checked, tree(i.items)) for i in items]

    return [tree(s.items) for s in sections if s.kind == kind and s.own_kind]


def test_shipped_templates_are_there() -> None:
    assert {"entry", "en"} <= set(SHIPPED)
    assert set(SHIPPED) == set(EXPECTED_KINDS)


@pytest.mark.parametrize("name", SHIPPED)
def test_a_rendered_template_parses_back(tmp_path: Path, name: str) -> None:
    text = templating.render(name, context(tmp_path, DONE, PLAN), None)
    result = parse_text(text, "2025-04-15.md")
    (entry,) = result.entries
    assert entry.date == date(2025, 4, 15)
    assert [s.kind for s in entry.sections] == EXPECTED_KINDS[name]
    sections = entry.walk()
    assert items_of(sections, "done") == [
        [
            ("GPU 클라우드 비용 비교", None, []),
            ("라벨링", None, [("Label Studio 세팅", None, []), ("1차 라벨링", None, [("300건씩", None, [])])]),
            ("PR #12 리뷰", None, []),
        ]
    ]
    marker = "4/14부터" if name == "entry" else "since 4/14"
    old = "4/9부터" if name == "entry" else "since 4/9"
    assert items_of(sections, "plan") == [
        [
            (f"수집 댓글 라벨링 ({marker})", False, [("교차 검수", False, []), ("메모", None, [])]),
            (f"Docker 이미지 줄이기 ({old})", False, []),
        ]
    ]
    assert "[PR #12](https://example.com/pr/12) 리뷰" in text
    assert text.endswith("\n") and not text.endswith("\n\n")
    codes = {f.code for f in result.findings}
    assert codes <= {"empty-section"}, result.findings


@pytest.mark.parametrize("name", SHIPPED)
def test_an_empty_template_parses_back(tmp_path: Path, name: str) -> None:
    text = templating.render(name, context(tmp_path, [], []), None)
    (entry,) = parse_text(text, "2025-04-15.md").entries
    kinds = {s.kind for s in entry.walk() if s.own_kind}
    assert {"done", "plan", "learned", "issue", "retro", "links"} <= kinds
    assert not any(s.items for s in entry.walk())


def test_the_default_template_is_the_team_format(tmp_path: Path) -> None:
    text = templating.render("entry", context(tmp_path, DONE, PLAN), None)
    headings = [line for line in text.splitlines() if line.startswith(("#", "**"))]
    assert headings == [
        "# 날짜: 2025-04-15",
        "## 스크럼",
        "**어제 완료된 업무**",
        "**오늘 진행할 업무**",
        "## 새로 배운 내용<br>",
        "## 해결이 필요한 이슈 및 해결 방안",
        "## 오늘의 회고",
        "## 참고 자료 및 링크",
    ]
    assert "1. GPU 클라우드 비용 비교\n2. 라벨링\n    - Label Studio 세팅\n" in text


def test_workspace_templates_override_shipped_ones_by_name(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "entry.md.j2").write_text(
        "# {{ date_iso }} ({{ weekday_ko }}) {{ author }}\n## 한 일\n{% for i in done_items %}- {{ i.text }}\n{% endfor %}",
        encoding="utf-8",
    )
    (own / "short.md.j2").write_text("# {{ date_iso }}\n", encoding="utf-8")
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "2025-04-11.md").write_text("# 2025-04-11\n## 오늘 할 일\n- 금요일 일\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["-w", str(tmp_path), "new", "--date", "2025-04-14", "--author", "minji", "--no-edit"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["-w", str(tmp_path), "new", "--date", "2025-04-14", "--no-edit"])
    assert result.exit_code == 0, result.output
    made = (tmp_path / "entries" / "2025-04-14.md").read_text(encoding="utf-8")
    assert made == "# 2025-04-14 (월) None\n## 한 일\n- 금요일 일\n"
    assert templating.available(tmp_path) == ["en", "entry", "short"]
    assert templating.template_dirs(tmp_path)[0] == own
    # The shipped English one is still there, and a workspace can name a template in devlog.toml.
    (tmp_path / "devlog.toml").write_text('[new]\ntemplate = "short"\n', encoding="utf-8")
    result = runner.invoke(cli, ["-w", str(tmp_path), "new", "--date", "2025-04-15", "--no-edit"])
    assert (tmp_path / "entries" / "2025-04-15.md").read_text(encoding="utf-8") == "# 2025-04-15\n"
    result = runner.invoke(cli, ["-w", str(tmp_path), "new", "--date", "2025-04-16", "--template", "en", "--no-edit"])
    assert (tmp_path / "entries" / "2025-04-16.md").read_text(encoding="utf-8").startswith("# 2025-04-16 (Wednesday)")


def test_template_errors_are_domain_errors(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "broken.md.j2").write_text("# {{ date_iso }\n", encoding="utf-8")
    (own / "unknown.md.j2").write_text("# {{ nobody_knows }}\n", encoding="utf-8")
    with pytest.raises(DevlogError, match="syntax"):
        templating.render("broken", {"date_iso": "x"}, tmp_path)
    with pytest.raises(DevlogError, match="nobody_knows"):
        templating.render("unknown", {}, tmp_path)
    with pytest.raises(DevlogError, match=r"no template 'gone'.*available: broken, en, entry, unknown"):
        templating.render("gone", {}, tmp_path)


def test_environment_for_other_template_folders(tmp_path: Path) -> None:
    (tmp_path / "templates" / "wiki").mkdir(parents=True)
    (tmp_path / "templates" / "wiki" / "Home.md.j2").write_text("{{ title }}", encoding="utf-8")
    env = templating.environment(tmp_path, "wiki")
    assert env.get_template("Home.md.j2").render(title="팀 위키") == "팀 위키"
    assert templating.template_dirs(tmp_path, "wiki")[0] == tmp_path / "templates" / "wiki"


def test_newentry_stays_pure() -> None:
    """The carry-over logic imports neither click nor jinja2 (rendering is templating's job)."""
    source = (PACKAGE / "newentry.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(?:import|from) (?:click|jinja2)\b", source, re.M)
    code = "import sys, devlog.newentry; print(sorted(m for m in ('jinja2', 'click') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "public"
REAL_LOGS = sorted(CORPUS.glob("*.md")) + sorted((CORPUS.parent.parent / "reference").glob("*.md"))


@pytest.mark.skipif(not REAL_LOGS, reason="shared/corpus is not here")
@pytest.mark.parametrize("name", SHIPPED)
def test_every_plan_item_of_real_logs_survives_the_round_trip(tmp_path: Path, name: str) -> None:
    """Carry real logs over, render, parse the result: every plan item's words come back, done or open."""
    from devlog.newentry import carry_over, normalize_item, split_since
    from devlog.parser import decode, parse_bytes

    checked = 0
    for log in REAL_LOGS:
        data = log.read_bytes()
        entries = parse_bytes(data, log.name).entries
        if not entries:
            continue
        previous = entries[-1]
        day = date(2031, 1, 1)
        carried = carry_over(previous, decode(data, log.name).text.split("\n"), day)
        text = templating.render(name, context(tmp_path, carried.done, carried.plan), None)
        (entry,) = parse_text(text, "2031-01-01.md").entries
        came_back = {
            normalize_item(split_since(item.text, day)[0])
            for kind in ("done", "plan")
            for section in entry.sections_of(kind)
            for item in section.all_items()
        }
        wanted = {
            normalize_item(item.text)
            for section in previous.sections_of("plan")
            for item in section.all_items()
            if normalize_item(item.text)
        }
        assert wanted <= came_back, (log.name, wanted - came_back)
        checked += len(wanted)
    assert checked > 50


def test_an_installed_wheel_uses_its_packaged_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "site-packages" / "devlog"
    (package / "templates").mkdir(parents=True)
    (package / "templates" / "entry.md.j2").write_text("packaged {{ date_iso }}\n", encoding="utf-8")
    monkeypatch.setattr(templating, "_PACKAGE", package)
    assert templating.template_dirs(None) == [package / "templates"]
    assert templating.render("entry", {"date_iso": "2025-04-14"}, None) == "packaged 2025-04-14\n"
    monkeypatch.setattr(templating, "_PACKAGE", tmp_path / "nowhere" / "devlog")
    assert templating.template_dirs(None) == []
    with pytest.raises(DevlogError, match="available: none"):
        templating.render("entry", {}, None)
