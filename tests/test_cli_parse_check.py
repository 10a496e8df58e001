"""`devlog parse` and `devlog check` through click, on throwaway workspaces."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from devlog.cli import cli

REFERENCE = Path(__file__).parent / "fixtures" / "parse" / "team-format.md"
FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<code>[a-z-]+): (?P<message>.+)$")

CLEAN = "# 2025-04-10\n\n## 어제 한 일\n- [x] 리뷰\n\n## 오늘 할 일\n- [ ] 배포\n"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty workspace that is also the cwd, with no DEVLOG_WORKSPACE around."""
    root = tmp_path / "ws"
    (root / "entries").mkdir(parents=True)
    (root / "devlog.toml").write_text('[workspace]\nname = "test"\n', encoding="utf-8")
    monkeypatch.chdir(root)
    monkeypatch.delenv("DEVLOG_WORKSPACE", raising=False)
    return root


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


# ---------------------------------------------------------------- parse


def test_parse_json_shape(workspace: Path) -> None:
    _write(workspace / "entries" / "2025-04-10.md", REFERENCE.read_text(encoding="utf-8"))
    _write(workspace / "entries" / "minji" / "2025-04-11.md", CLEAN.replace("2025-04-10", "2025-04-11"))
    result = _run("parse", "--json", "entries/2025-04-10.md", "entries/minji/2025-04-11.md")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"entries", "warnings"}
    first, second = data["entries"]
    assert set(first) == {"date", "author", "title", "path", "line", "sections"}
    assert (first["date"], first["author"], first["path"], first["line"]) == (
        "2025-04-10",
        None,
        "entries/2025-04-10.md",
        1,
    )
    assert (second["date"], second["author"], second["path"]) == ("2025-04-11", "minji", "entries/minji/2025-04-11.md")

    def sections(entry: dict) -> list[dict]:
        out = []
        for section in entry["sections"]:
            out.append(section)
            out.extend(sections(section))
        return out

    for section in sections(first):
        assert set(section) == {"kind", "heading", "level", "line", "text", "items", "tables", "links", "sections"}
        for item in section["items"]:
            assert set(item) == {"text", "checked", "line", "items"}
        for table in section["tables"]:
            assert set(table) == {"header", "rows"}
        for link in section["links"]:
            assert set(link) == {"text", "url"}
    assert [s["kind"] for s in first["sections"]] == ["other", "learned", "issue", "retro", "links"]
    assert [item["checked"] for item in second["sections"][0]["items"]] == [True]
    assert data["warnings"] == [
        {
            "path": "entries/2025-04-10.md",
            "line": 60,
            "code": "placeholder-link",
            "message": "[링크 제목](URL) needs a real link",
        },
        {
            "path": "entries/2025-04-10.md",
            "line": 61,
            "code": "placeholder-link",
            "message": "[링크 제목](URL) needs a real link",
        },
    ]


def test_parse_json_equals_the_golden_file(workspace: Path) -> None:
    """The CLI prints exactly what the parser fixtures hold (path aside)."""
    log = _write(workspace / "team-format.md", REFERENCE.read_bytes())
    result = _run("parse", "--json", str(log))
    golden = json.loads(REFERENCE.with_suffix(".json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == golden


def test_parse_json_keeps_korean_readable(workspace: Path) -> None:
    _write(workspace / "entries" / "2025-04-10.md", CLEAN)
    assert "어제 한 일" in _run("parse", "--json", "entries/2025-04-10.md").stdout


def test_parse_odd_bytes(workspace: Path) -> None:
    _write(workspace / "bin.md", b"\x00\x01\x02binary")
    _write(workspace / "bad.md", b"# 2025-04-10\n- \xff\n")
    _write(workspace / "empty.md", b"")
    _write(workspace / "utf16.md", "# 2025-04-10\r\n## 회고\r\n- 좋았다\r\n".encode("utf-16"))
    result = _run("parse", "--json", "bin.md", "bad.md", "empty.md", "utf16.md")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [entry["path"] for entry in data["entries"]] == ["bad.md", "empty.md", "utf16.md"]
    assert [(w["path"], w["line"], w["code"]) for w in data["warnings"]] == [
        ("bin.md", 1, "binary"),
        ("bad.md", 2, "undecodable"),
        ("empty.md", 1, "no-date"),
    ]
    utf16 = data["entries"][2]
    assert (utf16["date"], utf16["sections"][0]["kind"], utf16["sections"][0]["items"][0]["text"]) == (
        "2025-04-10",
        "retro",
        "좋았다",
    )


def test_parse_text_view(workspace: Path) -> None:
    _write(workspace / "entries" / "2025-04-10.md", CLEAN + "\n## 참고\n- [링크 제목](URL)\n")
    result = _run("parse", "entries/2025-04-10.md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("2025-04-10  entries/2025-04-10.md:1")
    assert "  [done] 어제 한 일  (line 3)" in lines
    assert "    - [x] 리뷰" in lines
    assert "    - [ ] 배포" in lines
    assert result.stderr.strip() == "entries/2025-04-10.md:10: placeholder-link: [링크 제목](URL) needs a real link"


@pytest.mark.parametrize(
    "args",
    [["parse"], ["parse", "missing.md"], ["parse", "entries"], ["parse", "--bogus", "x.md"], ["parse", "--json"]],
)
def test_parse_usage_errors_exit_2(workspace: Path, args: list[str]) -> None:
    assert _run(*args).exit_code == 2


# ---------------------------------------------------------------- check


def test_check_clean_workspace(workspace: Path) -> None:
    _write(workspace / "entries" / "2025-04-10.md", CLEAN)
    result = _run("check")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert _run("check", "--strict").exit_code == 0


def test_check_findings_format_and_exit_codes(workspace: Path) -> None:
    _write(workspace / "entries" / "2025-04-10.md", REFERENCE.read_bytes())
    _write(workspace / "entries" / "notes.md", "# 메모\n\n## 잡담\n\n## 오늘 할 일\n- x\n")
    _write(workspace / "entries" / "2025-04-11.md", "# 날짜: 2025-13-45\n\n## 오늘 한 일\n- a\n")
    _write(workspace / "entries" / "broken.md", b"# 2025-04-12\n\n## \xed\x95\x9c \xec\x9d\xbc\n- \xff\n")
    _write(workspace / "entries" / "minji" / "2025-04-12.md", "# 2025-04-12\n## 한 일\n- b\n")
    _write(workspace / "entries" / "again-2025-04-12.md", "## 한 일\n- c\n")
    result = _run("check")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    for line in lines:
        assert FINDING.match(line), line
    found = {(m["path"], int(m["line"]), m["code"]) for m in map(FINDING.match, lines) if m}
    assert found == {
        ("entries/2025-04-10.md", 60, "placeholder-link"),
        ("entries/2025-04-10.md", 61, "placeholder-link"),
        ("entries/notes.md", 1, "no-date"),
        ("entries/notes.md", 3, "unknown-section"),
        ("entries/notes.md", 3, "empty-section"),
        ("entries/2025-04-11.md", 1, "bad-date"),
        ("entries/broken.md", 4, "undecodable"),
        ("entries/broken.md", 1, "duplicate-date"),  # the first file in path order is the original
    }
    assert "entries/again-2025-04-12.md:1" in next(line for line in lines if "duplicate-date" in line)
    assert _run("check", "--strict").exit_code == 1


def test_check_named_paths(workspace: Path) -> None:
    _write(workspace / "entries" / "2025-04-10.md", CLEAN)
    _write(workspace / "other" / "a.md", "# 메모\n- x\n")
    _write(workspace / "other" / "deeper" / "2025-04-11.md", CLEAN.replace("2025-04-10", "2025-04-11"))
    _write(workspace / "other" / ".hidden" / "x.md", "# no date\n")
    result = _run("check", "other")
    assert result.stdout.splitlines() == ["other/a.md:1: no-date: no date in front matter, headings or file name"]
    assert _run("check", "entries/2025-04-10.md").stdout == ""
    assert _run("check", "--strict", "other").exit_code == 1
    assert _run("check", "--strict", "entries").exit_code == 0


@pytest.mark.parametrize("args", [["check", "--bogus"], ["check", "--strict=yes"]])
def test_check_usage_errors_exit_2(workspace: Path, args: list[str]) -> None:
    assert _run(*args).exit_code == 2


def test_check_missing_path_is_an_error_naming_it(workspace: Path) -> None:
    result = _run("check", "nope.md")
    assert result.exit_code != 0
    assert "nope.md" in result.output


def test_check_missing_path_is_a_usage_error(workspace: Path) -> None:
    assert _run("check", "nope.md").exit_code == 2


# ---------------------------------------------------------------- workspace and devlog.toml


@pytest.mark.parametrize("command", [["check"], ["parse", "x.md"]])
@pytest.mark.parametrize(
    ("toml", "key"),
    [('[workspace]\nnmae = "x"\n', "workspace.nmae"), ('[new]\nwork_days = ["funday"]\n', "new.work_days"),
     ("[workspace\n", "invalid TOML")],
)  # fmt: skip
def test_bad_devlog_toml(workspace: Path, command: list[str], toml: str, key: str) -> None:
    _write(workspace / "x.md", CLEAN)
    config = _write(workspace / "devlog.toml", toml)
    result = _run(*command)
    assert result.exit_code == 1
    assert str(config.resolve()) in result.stderr
    assert key in result.stderr
    assert "Traceback" not in result.output


def _two_workspaces(tmp_path: Path) -> tuple[Path, Path]:
    one, two = tmp_path / "one", tmp_path / "two"
    _write(one / "entries" / "memo.md", "# 메모 하나\n")  # no-date
    _write(two / "entries" / "2025-04-10.md", CLEAN)  # clean
    _write(two / "entries" / "notes.md", "# 메모 둘\n")  # no-date
    return one, two


def test_workspace_option_and_environment(tmp_path: Path, workspace: Path) -> None:
    one, two = _two_workspaces(tmp_path)
    by_option = _run("--workspace", str(two), "check")
    assert by_option.stdout.splitlines() == [
        "entries/notes.md:1: no-date: no date in front matter, headings or file name"
    ]
    by_env = _run("check", env={"DEVLOG_WORKSPACE": str(two)})
    assert by_env.stdout == by_option.stdout
    # the option beats the environment
    assert _run("-w", str(one), "check", env={"DEVLOG_WORKSPACE": str(two)}).stdout.startswith(
        "entries/memo.md:1: no-date"
    )
    # and without either, the cwd's workspace (an empty one here) is checked
    assert _run("check").stdout == ""


def test_nearest_devlog_toml_from_a_subfolder(tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(workspace / "entries" / "notes.md", "# 메모\n")
    monkeypatch.chdir(_write(workspace / "entries" / "sub" / "x.txt", "").parent)
    assert _run("check").stdout.startswith("entries/notes.md:1: no-date")


def test_missing_workspace_folder(tmp_path: Path, workspace: Path) -> None:
    result = _run("--workspace", str(tmp_path / "nope"), "check")
    assert result.exit_code == 1
    assert "nope" in result.stderr
    assert _run("check", env={"DEVLOG_WORKSPACE": str(tmp_path / "nope")}).exit_code == 1


def test_check_of_a_folder_matches_the_default(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`check entries` reads the same files as `check`, also from a hidden parent folder or via `..`."""
    _write(workspace / "entries" / "notes.md", "# 메모\n")
    _write(workspace / "entries" / "README.markdown", "# 안내\n")
    _write(workspace / "entries" / "_drafts" / "draft.md", "# 초안\n")
    _write(workspace / "entries" / ".trash" / "old.md", "# 예전\n")
    (workspace / "entries" / "folder.md").mkdir()
    default = _run("check").stdout
    assert default.count("no-date") == 2
    assert _run("check", "entries").stdout == default
    assert _run("check", str(workspace / "entries")).stdout == default
    monkeypatch.chdir(workspace / "entries" / "_drafts")
    assert _run("check", "..").stdout == default
    hidden = workspace.parent / ".hidden-parent"
    _write(hidden / "2025-04-10.md", "# 메모\n## 잡담\n")
    assert "unknown-section" in _run("check", str(hidden)).stdout
