"""`devlog new`: the morning's entry, carry-over, never overwriting, the editor, the index; `devlog todo`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from devlog import cli as cli_module
from devlog import newentry
from devlog.cli import cli
from devlog.parser import parse_text
from devlog.workspace import Config, Workspace

FRIDAY = """# 날짜: 2025-04-11

## 스크럼
**어제 완료된 업무**
1. AI 모델 후보 조사
2. David zoom 미팅

**오늘 진행할 업무**
1. GPU 클라우드 비용 비교
2. [GPU 신청서](https://example.com/gpu) 작성 및 `제출`
3. 1주차 팀 회고

## 새로 배운 내용
- GPU 인스턴스는 받기까지 2주 걸림.
"""

MONDAY_PLAN = """**오늘 진행할 업무**
- [x] 라벨링 가이드 작성
- [ ] 수집 댓글 라벨링
  - [x] Label Studio 세팅
  - [ ] 교차 검수
- [ ] Docker 이미지 줄이기 (4/9부터)
- [x] Jenny 멘토 미팅
"""


def run(root: Path, *args: str, today: date | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> Result:
    if today is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(cli_module, "_today", lambda: today)
    result = CliRunner().invoke(cli, ["--workspace", str(root), *args])
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def sections(path: Path) -> dict[str, list]:
    """kind -> items of every section of that kind in the file, parsed by devlog's own parser."""
    entry = parse_text(path.read_text(encoding="utf-8"), path.name).entries[0]
    out: dict[str, list] = {}
    for section in entry.walk():
        out.setdefault(section.kind, []).extend(section.items)
    return out


def tree(items: list) -> list:
    return [(item.text, item.checked, tree(item.items)) if item.items else (item.text, item.checked) for item in items]


def index(root: Path) -> None:
    """Bring the workspace's index up to date (the library call behind `devlog index`)."""
    from devlog.indexer import index_workspace
    from devlog.store import Store
    from devlog.workspace import open_workspace

    workspace = open_workspace(str(root))
    store = Store.open(workspace.db_path, create=True)
    try:
        index_workspace(workspace, store)
    finally:
        store.close()


def editor_script(tmp_path: Path, line: str) -> Path:
    script = tmp_path / "fake-editor.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "{line}" >> "$1"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


# ---------------------------------------------------------------- a whole week


def test_a_week_of_mornings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "team"
    write(root, "entries/2025-04-11.md", FRIDAY)

    # Monday: Friday's plan (no checkboxes: the team's habit) is Monday's "yesterday done".
    result = run(root, "new", "--date", "2025-04-14", "--no-edit")
    monday = root / "entries" / "2025-04-14.md"
    assert result.stdout.strip() == str(monday)
    assert "2025-04-11" in result.stderr and "3 done" in result.stderr
    kinds = sections(monday)
    assert tree(kinds["done"]) == [
        ("GPU 클라우드 비용 비교", None),
        ("GPU 신청서 작성 및 제출", None),
        ("1주차 팀 회고", None),
    ]
    assert "[GPU 신청서](https://example.com/gpu) 작성 및 `제출`" in monday.read_text(encoding="utf-8")
    assert kinds["plan"] == []
    assert {"learned", "issue", "retro", "links"} <= set(kinds)

    # Monday's work: the plan is written with checkboxes, some checked.
    text = monday.read_text(encoding="utf-8").replace("**오늘 진행할 업무**\n", MONDAY_PLAN)
    monday.write_text(text, encoding="utf-8")

    # Tuesday: checked items are done; unchecked ones stay planned with the day they were first planned.
    run(root, "new", "--date", "2025-04-15", "--no-edit")
    tuesday = root / "entries" / "2025-04-15.md"
    kinds = sections(tuesday)
    assert tree(kinds["done"]) == [
        ("라벨링 가이드 작성", None),
        ("수집 댓글 라벨링", None, [("Label Studio 세팅", None)]),
        ("Jenny 멘토 미팅", None),
    ]
    assert tree(kinds["plan"]) == [
        ("수집 댓글 라벨링 (4/14부터)", False, [("교차 검수", False)]),
        ("Docker 이미지 줄이기 (4/9부터)", False),
    ]

    # Running it again touches nothing: same bytes, same mtime.
    before = (tuesday.read_bytes(), tuesday.stat().st_mtime_ns)
    again = run(root, "new", "--date", "2025-04-15", "--no-edit")
    assert "already exists" in again.stderr
    assert again.stdout.strip() == str(tuesday)
    assert (tuesday.read_bytes(), tuesday.stat().st_mtime_ns) == before

    # An existing day opens in the editor (a real executable), and what the editor wrote stays.
    monkeypatch.setenv("EDITOR", str(editor_script(tmp_path, "- 에디터가 쓴 줄")))
    monkeypatch.delenv("VISUAL", raising=False)
    run(root, "new", "--date", "2025-04-15", "--edit")
    assert tuesday.read_text(encoding="utf-8").endswith("- 에디터가 쓴 줄\n")

    # Wednesday, created and edited in one go; Docker was done on Tuesday.
    tuesday.write_text(tuesday.read_text(encoding="utf-8").replace("- [ ] Docker", "- [x] Docker"), encoding="utf-8")
    run(root, "new", "--date", "2025-04-16", "--edit")
    wednesday = root / "entries" / "2025-04-16.md"
    assert wednesday.read_text(encoding="utf-8").endswith("- 에디터가 쓴 줄\n")
    kinds = sections(wednesday)
    assert ("Docker 이미지 줄이기", None) in tree(kinds["done"])
    assert tree(kinds["plan"]) == [("수집 댓글 라벨링 (4/14부터)", False, [("교차 검수", False)])]

    # The blocker list: still open since Monday, where it first appeared.
    index(root)
    todo = run(root, "todo", today=date(2025, 4, 16), monkeypatch=monkeypatch)
    lines = todo.stdout.strip().splitlines()
    assert len(lines) == 2
    assert "2d  2025-04-14  수집 댓글 라벨링" in lines[0] and "entries/2025-04-14.md:" in lines[0]
    assert "교차 검수" in lines[1]


# ---------------------------------------------------------------- carry-over rules


def carried(previous: str, day: date = date(2025, 4, 15)) -> newentry.CarryOver:
    entry = parse_text(previous, "2025-04-14.md").entries[0]
    return newentry.carry_over(entry, previous.split("\n"), day)


def shape(items: list[newentry.Carried]) -> list:
    return [(i.text, i.checked, i.since_label, shape(i.items)) for i in items]


def test_checked_parent_with_open_child_keeps_the_child_open_under_its_parent() -> None:
    out = carried("# 2025-04-14\n## 오늘 할 일\n- [x] 배포\n  - [x] 빌드\n  - [ ] 롤백 문서\n")
    assert shape(out.done) == [("배포", None, "", [("빌드", None, "", [])])]
    assert shape(out.plan) == [("배포", None, "", [("롤백 문서", False, "4/14", [])])]


def test_plain_heading_over_open_work_is_not_reported_done() -> None:
    out = carried("# 2025-04-14\n## Todo\n- 프론트\n  - [ ] 라우팅\n    - 메모\n")
    assert out.done == []
    assert shape(out.plan) == [("프론트", None, "", [("라우팅", False, "4/14", [("메모", None, "", [])])])]


def test_markers_are_kept_and_children_inherit_them() -> None:
    out = carried("# 2025-04-14\n## Todo\n- [ ] 큰 일 (since 2024-12-30)\n  - [ ] 작은 일\n  - [ ] 새 일 (4/13부터)\n")
    (item,) = out.plan
    assert item.since == date(2024, 12, 30) and item.since_label == "2024-12-30"
    assert [(c.text, c.since, c.since_label) for c in item.items] == [
        ("작은 일", date(2024, 12, 30), ""),
        ("새 일", date(2025, 4, 13), "4/13"),
    ]


def test_the_previous_done_list_and_other_sections_are_not_carried() -> None:
    out = carried("# 2025-04-14\n## 어제 한 일\n- 옛날 일\n## 오늘 할 일\n1. 새 일\n## 이슈\n- [ ] 이슈 항목\n")
    assert shape(out.done) == [("새 일", None, "", [])]
    assert out.plan == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Docker 줄이기 (4/14부터)", ("Docker 줄이기", date(2025, 4, 14))),
        ("Docker 줄이기 (since 4/14)", ("Docker 줄이기", date(2025, 4, 14))),
        ("Docker 줄이기 (2024-12-30부터)", ("Docker 줄이기", date(2024, 12, 30))),
        ("Docker 줄이기 ( Since 2025-4-2 )", ("Docker 줄이기", date(2025, 4, 2))),
        ("연말 정리 (12/30부터)", ("연말 정리", date(2024, 12, 30))),  # a month/day after the entry: last year
        ("Docker (2/30부터)", ("Docker (2/30부터)", None)),
        ("회의 (4/14)", ("회의 (4/14)", None)),
    ],
)
def test_since_markers(text: str, expected: tuple[str, date | None]) -> None:
    assert newentry.split_since(text, date(2025, 4, 20)) == expected


# ---------------------------------------------------------------- dates, paths, authors


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("today", "2025-04-11"),
        ("tomorrow", "2025-04-12"),
        ("내일", "2025-04-12"),
        ("yesterday", "2025-04-10"),
        ("어제", "2025-04-10"),
        ("mon", "2025-04-14"),
        ("월", "2025-04-14"),
        ("fri", "2025-04-11"),
        ("2025-05-01", "2025-05-01"),
    ],
)
def test_date_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, arg: str, expected: str) -> None:
    result = run(tmp_path, "new", "--date", arg, "--no-edit", today=date(2025, 4, 11), monkeypatch=monkeypatch)
    assert result.stdout.strip() == str(tmp_path / "entries" / f"{expected}.md")
    assert f"# 날짜: {expected}\n" in (tmp_path / "entries" / f"{expected}.md").read_text(encoding="utf-8")


def test_a_bad_date_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "new", "--date", "someday", "--no-edit"])
    assert result.exit_code == 1
    assert "cannot read the date" in result.output
    assert not (tmp_path / "entries").exists()


def test_author_from_config_and_option(tmp_path: Path) -> None:
    write(tmp_path, "devlog.toml", '[workspace]\nauthor = "minji"\n')
    write(tmp_path, "entries/minji/2025-04-11.md", "# 날짜: 2025-04-11\n\n**오늘 진행할 업무**\n1. 민지 일\n")
    write(tmp_path, "entries/2025-04-11.md", "# 날짜: 2025-04-11\n\n**오늘 진행할 업무**\n1. 팀 일\n")
    run(tmp_path, "new", "--date", "2025-04-14", "--no-edit")
    assert tree(sections(tmp_path / "entries/minji/2025-04-14.md")["done"]) == [("민지 일", None)]
    run(tmp_path, "new", "--date", "2025-04-14", "--no-edit", "--author", "jihoon")
    assert sections(tmp_path / "entries/jihoon/2025-04-14.md")["done"] == []
    bad = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "new", "--author", "../x", "--no-edit"])
    assert bad.exit_code == 1 and "author" in bad.output


def test_custom_path_pattern_finds_the_previous_entry_across_folders(tmp_path: Path) -> None:
    write(tmp_path, "devlog.toml", '[new]\npath = "entries/{year}/{month}/{date}.md"\n')
    write(tmp_path, "entries/2024/12/2024-12-30.md", "# 2024-12-30\n## Todo\n- [ ] 연말 정리\n")
    write(tmp_path, "entries/2024/12/notes.md", "# 메모\n")
    run(tmp_path, "new", "--date", "2025-01-02", "--no-edit")
    made = tmp_path / "entries/2025/01/2025-01-02.md"
    assert tree(sections(made)["plan"]) == [("연말 정리 (2024-12-30부터)", False)]


def test_a_hand_named_file_counts_as_the_previous_entry(tmp_path: Path) -> None:
    write(tmp_path, "entries/250411.md", "# 250411\n## 오늘 할 일\n- 손으로 쓴 일\n")
    write(tmp_path, "entries/2025-04-09.md", "# 2025-04-09\n## 오늘 할 일\n- 오래된 일\n")
    run(tmp_path, "new", "--date", "2025-04-14", "--no-edit")
    assert tree(sections(tmp_path / "entries/2025-04-14.md")["done"]) == [("손으로 쓴 일", None)]


def test_bad_path_patterns(tmp_path: Path) -> None:
    for pattern, message in (
        ("entries/{when}.md", "{when}"),
        ("entries/today.md", "{date}"),
        ("../{date}.md", "inside"),
    ):
        workspace = Workspace(tmp_path, Config(path=pattern))
        with pytest.raises(newentry.DevlogError, match=message):
            newentry.entry_path(workspace, date(2025, 4, 14), None)


def test_work_days_and_gaps(tmp_path: Path) -> None:
    write(tmp_path, "entries/2025-04-07.md", "# 2025-04-07\n## 오늘 할 일\n- 월요일 일\n")
    workspace = Workspace(tmp_path, Config())
    monday = newentry.draft(workspace, date(2025, 4, 14), None)
    assert monday.context(workspace)["previous_workday"] == date(2025, 4, 11)
    assert monday.context(workspace)["previous_date"] == date(2025, 4, 7)
    assert any("last entry is from 2025-04-07" in note for note in monday.notes)
    saturday = newentry.draft(workspace, date(2025, 4, 12), None)
    assert not saturday.context(workspace)["is_work_day"]
    assert any("not a work day" in note for note in saturday.notes)
    assert newentry.previous_workday(date(2025, 4, 14), (0, 2, 4)) == date(2025, 4, 11)
    assert newentry.previous_workday(date(2025, 4, 16), (0, 2, 4)) == date(2025, 4, 14)


# ---------------------------------------------------------------- failure is not an option in the morning


def test_a_corrupt_previous_entry_gives_a_warning_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "2025-04-11.md").write_bytes(b"\x00\x01binary\xff" * 100)
    result = run(tmp_path, "new", "--date", "2025-04-14", "--no-edit")
    assert "warning: cannot read the previous entry entries/2025-04-11.md" in result.stderr
    made = tmp_path / "entries" / "2025-04-14.md"
    assert sections(made)["done"] == [] and "# 날짜: 2025-04-14" in made.read_text(encoding="utf-8")


def test_a_failing_read_gives_a_warning_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "entries/2025-04-11.md", FRIDAY)

    def broken(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("devlog.logs.read_log", broken)
    result = run(tmp_path, "new", "--date", "2025-04-14", "--no-edit")
    assert "maximum recursion depth" in result.stderr
    assert (tmp_path / "entries" / "2025-04-14.md").exists()


def test_invalid_utf8_previous_entry_still_carries(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "2025-04-11.md").write_bytes(FRIDAY.encode() + b"\n- \xff\xfe\n")
    run(tmp_path, "new", "--date", "2025-04-14", "--no-edit")
    assert len(sections(tmp_path / "entries" / "2025-04-14.md")["done"]) == 3


def test_exactly_one_of_many_threads_creates() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entries" / "2025-04-14.md"
        barrier = threading.Barrier(8)
        results: list[bool] = []

        def racer(n: int) -> None:
            barrier.wait()
            results.append(newentry.create(path, f"writer {n}\n" * 1000))

        threads = [threading.Thread(target=racer, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 7 + [True]
        lines = set(path.read_text(encoding="utf-8").splitlines())
        assert len(lines) == 1  # one writer's text, whole


def test_two_processes_racing_one_creates_the_other_reports_existing(tmp_path: Path) -> None:
    write(tmp_path, "entries/2025-04-11.md", FRIDAY)
    devlog = [sys.executable, "-m", "devlog", "--workspace", str(tmp_path), "new", "--date", "2025-04-14", "--no-edit"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    procs = [subprocess.Popen(devlog, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in "ab"]
    outputs = [proc.communicate(timeout=60) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0]
    made = tmp_path / "entries" / "2025-04-14.md"
    assert [out.strip() for out, _ in outputs] == [str(made)] * 2
    assert sorted("already exists" in err for _, err in outputs) == [False, True]
    assert len(sections(made)["done"]) == 3


def test_a_missing_template_lists_the_available_ones(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "new", "--template", "nope", "--no-edit"])
    assert result.exit_code == 1
    assert "no template 'nope'" in result.output and "en, entry" in result.output
    assert not list(tmp_path.rglob("*.md"))


# ---------------------------------------------------------------- the index


def test_new_updates_the_index_without_heavy_imports(tmp_path: Path) -> None:
    write(tmp_path, "entries/2025-04-11.md", FRIDAY)
    index(tmp_path)
    code = (
        "import sys; from devlog.cli import main\n"
        f"sys.argv = ['devlog', '--workspace', {str(tmp_path)!r}, 'new', '--date', '2025-04-14', '--no-edit']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'numpy', 'git') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().endswith("[]"), done.stdout + done.stderr
    shown = run(tmp_path, "show", "2025-04-14")
    assert "GPU 클라우드 비용 비교" in shown.stdout
    from devlog.indexer import index_workspace
    from devlog.store import Store
    from devlog.workspace import open_workspace

    workspace = open_workspace(str(tmp_path))
    report = index_workspace(workspace, Store.open(workspace.db_path))
    assert (report.added, report.updated, report.unchanged) == (0, 0, 2)  # nothing left for a full index to do


# ---------------------------------------------------------------- todo


def test_todo_items_open_across_days_and_close_when_reported_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "entries/2025-04-07.md", "# 2025-04-07\n## 오늘 할 일\n1. GPU 클라우드 비용 비교\n2. 회고\n")
    write(tmp_path, "entries/2025-04-08.md", "# 2025-04-08\n## 어제 한 일\n- 회고\n## 오늘 할 일\n- [ ] 교차 검수\n")
    write(
        tmp_path,
        "entries/2025-04-09.md",
        "# 2025-04-09\n## 어제 한 일\n- GPU 클라우드 비용 비교표 작성 (AWS/GCP)\n## 오늘 할 일\n- [ ] 교차 검수 (4/8부터)\n- [ ] 배포\n",
    )
    write(tmp_path, "entries/minji/2025-04-09.md", "# 2025-04-09\n## 오늘 할 일\n- [ ] 민지의 일\n")
    index(tmp_path)
    today = date(2025, 4, 10)
    lines = run(tmp_path, "todo", today=today, monkeypatch=monkeypatch).stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("   2d  2025-04-08  교차 검수  (entries/2025-04-08.md:5)")
    assert lines[1].startswith("   1d  2025-04-09  배포  (entries/2025-04-09.md:")

    everyone = run(tmp_path, "todo", "--all").stdout
    assert "minji  민지의 일" in everyone and "(team)  배포" in everyone
    assert "민지의 일" in run(tmp_path, "todo", "--author", "minji").stdout

    write(tmp_path, "entries/2025-04-10.md", "# 2025-04-10\n## 오늘 할 일\n- [x] 교차 검수\n- [x] 배포\n")
    index(tmp_path)
    result = run(tmp_path, "todo")
    assert result.stdout == "" and "nothing open for the team" in result.stderr


def test_todo_without_an_index_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "todo"])
    assert result.exit_code == 1
    assert "devlog index" in result.output


def test_open_items_pure() -> None:
    rows = [
        (1, None, "A 작업", None, "plan", "2025-04-01", None, "e/1.md", 3),
        (2, 1, "A 하위", 0, "plan", "2025-04-01", None, "e/1.md", 4),
        (3, None, "A 작업", None, "done", "2025-04-02", None, "e/2.md", 3),
        (4, None, "A 작업 (4/1부터)", 0, "plan", "2025-04-02", None, "e/2.md", 6),
        (5, None, "**굵은** [링크](http://x) 일", 0, "plan", "2025-04-02", "minji", "e/m/2.md", 6),
        (6, None, "굵은 링크 일!", 1, "other", "2025-04-03", "minji", "e/m/3.md", 9),
    ]
    todos = newentry.open_items(rows, date(2025, 4, 5))
    assert [(t.text, t.since, t.days, t.path, t.line) for t in todos] == [
        ("A 작업", date(2025, 4, 1), 4, "e/1.md", 3),
        ("A 하위", date(2025, 4, 1), 4, "e/1.md", 4),
    ]


def test_an_index_that_cannot_be_updated_does_not_fail_the_morning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "entries/2025-04-11.md", FRIDAY)
    index(tmp_path)

    def busy(*args: object, **kwargs: object) -> None:
        raise newentry.DevlogError("the index is busy")

    monkeypatch.setattr("devlog.indexer.index_workspace", busy)
    result = run(tmp_path, "new", "--date", "2025-04-14", "--no-edit")
    assert "index not updated (the index is busy)" in result.stderr
    assert (tmp_path / "entries" / "2025-04-14.md").exists()
