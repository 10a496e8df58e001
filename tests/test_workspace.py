"""Workspace discovery, devlog.toml, and which files are logs of whom."""

from __future__ import annotations

from pathlib import Path

import pytest

from devlog.errors import DevlogError
from devlog.workspace import Config, Workspace, find_root, load_config, open_workspace, parse_config


def _touch(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- discovery


def test_option_beats_environment_and_config(tmp_path: Path) -> None:
    chosen, env, nested = tmp_path / "chosen", tmp_path / "env", tmp_path / "ws" / "a" / "b"
    chosen.mkdir()
    env.mkdir()
    nested.mkdir(parents=True)
    _touch(tmp_path / "ws" / "devlog.toml")
    assert find_root(str(chosen), {"DEVLOG_WORKSPACE": str(env)}, nested) == chosen.resolve()


def test_environment_beats_config(tmp_path: Path) -> None:
    env, nested = tmp_path / "env", tmp_path / "ws" / "a"
    env.mkdir()
    nested.mkdir(parents=True)
    _touch(tmp_path / "ws" / "devlog.toml")
    assert find_root(None, {"DEVLOG_WORKSPACE": str(env)}, nested) == env.resolve()


def test_empty_environment_variable_is_unset(tmp_path: Path) -> None:
    _touch(tmp_path / "devlog.toml")
    assert find_root(None, {"DEVLOG_WORKSPACE": ""}, tmp_path) == tmp_path.resolve()


def test_nearest_parent_with_devlog_toml(tmp_path: Path) -> None:
    outer, inner = tmp_path / "outer", tmp_path / "outer" / "inner"
    deep = inner / "entries" / "2025"
    deep.mkdir(parents=True)
    _touch(outer / "devlog.toml")
    _touch(inner / "devlog.toml")
    assert find_root(None, {}, deep) == inner.resolve()
    assert find_root(None, {}, inner) == inner.resolve()
    assert find_root(None, {}, outer) == outer.resolve()


def test_a_folder_named_devlog_toml_is_no_config(tmp_path: Path) -> None:
    (tmp_path / "a" / "devlog.toml").mkdir(parents=True)
    assert find_root(None, {}, tmp_path / "a") == (tmp_path / "a").resolve()


def test_cwd_when_nothing_else(tmp_path: Path) -> None:
    assert find_root(None, {}, tmp_path) == tmp_path.resolve()


@pytest.mark.parametrize("source", ["option", "env"])
def test_missing_workspace_folder_is_an_error(tmp_path: Path, source: str) -> None:
    missing = str(tmp_path / "nope")
    option, environ = (missing, {}) if source == "option" else (None, {"DEVLOG_WORKSPACE": missing})
    with pytest.raises(DevlogError) as caught:
        find_root(option, environ, tmp_path)
    assert missing in str(caught.value)


def test_open_workspace_reads_the_config(tmp_path: Path) -> None:
    _touch(tmp_path / "devlog.toml", '[workspace]\nname = "팀"\nentries = "logs"\n')
    workspace = open_workspace(str(tmp_path))
    assert workspace.root == tmp_path.resolve()
    assert workspace.config.name == "팀"
    assert workspace.entries_dir == tmp_path.resolve() / "logs"
    assert workspace.state_dir == tmp_path.resolve() / ".devlog"


def test_open_workspace_without_config(tmp_path: Path) -> None:
    workspace = open_workspace(cwd=tmp_path)
    assert workspace.root == tmp_path.resolve()
    assert workspace.config == Config()


# ---------------------------------------------------------------- devlog.toml


def test_full_config(tmp_path: Path) -> None:
    _touch(
        tmp_path / "devlog.toml",
        """
[workspace]
name = "pumati"
entries = "daily"
author = "minji"

[new]
path = "daily/{date}.md"
author_path = "daily/{author}/{date}.md"
template = "short"
work_days = ["Mon", "tue", "WED", "thursday", "fri", "sat"]

[people]
names = ["David", "민지"]

[search]
model = "st:all-MiniLM-L6-v2"

[wiki]
remote = "git@example.com:team/wiki.git"
branch = "main"
title = "Pumati devlog"

[kinds]
learned = ["스터디 정리"]
""",
    )
    config = load_config(tmp_path)
    assert config.name == "pumati"
    assert config.entries == "daily"
    assert config.author == "minji"
    assert config.path == "daily/{date}.md"
    assert config.author_path == "daily/{author}/{date}.md"
    assert config.template == "short"
    assert config.work_days == (0, 1, 2, 3, 4, 5)
    assert config.people == ["David", "민지"]
    assert config.model == "st:all-MiniLM-L6-v2"
    assert config.wiki_remote == "git@example.com:team/wiki.git"
    assert config.wiki_branch == "main"
    assert config.wiki_title == "Pumati devlog"
    assert config.kinds == {"learned": ["스터디 정리"]}


def test_defaults() -> None:
    config = parse_config({}, "devlog.toml")
    assert config.entries == "entries"
    assert config.work_days == (0, 1, 2, 3, 4)
    assert config.kinds == {}


@pytest.mark.parametrize(
    ("toml", "names"),
    [
        ('[workspace]\nnmae = "x"\n', ["workspace.nmae"]),
        ('[wikii]\nremote = "x"\n', ["wikii.remote"]),
        ("[workspace]\nname = 3\n", ["workspace.name"]),
        ("[workspace]\nauthor = true\n", ["workspace.author"]),
        ('[new]\nwork_days = "mon"\n', ["new.work_days"]),
        ('[new]\nwork_days = ["funday"]\n', ["new.work_days", "funday"]),
        ("[new]\nwork_days = []\n", ["new.work_days"]),
        ('[people]\nnames = "David"\n', ["people.names"]),
        ('[kinds]\nlearnd = ["x"]\n', ["kinds.learnd"]),
        ('[kinds]\nlearned = "스터디"\n', ["kinds.learned"]),
        ("[kinds]\nlearned = [1, 2]\n", ["kinds.learned"]),
        ('name = "x"\n', ["'name'"]),
        ("[workspace\nname = 1\n", ["invalid TOML", "line 1"]),
        ('[workspace]\nname = "a"\nname = "b"\n', ["invalid TOML"]),
    ],
)
def test_config_errors_name_the_file_and_the_key(tmp_path: Path, toml: str, names: list[str]) -> None:
    config_file = _touch(tmp_path / "devlog.toml", toml)
    with pytest.raises(DevlogError) as caught:
        load_config(tmp_path)
    message = str(caught.value)
    assert str(config_file) in message
    assert caught.value.path == str(config_file)
    for name in names:
        assert name in message


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "devlog.toml").write_bytes(b'[workspace]\nname = "\xff"\n')
    with pytest.raises(DevlogError, match="invalid TOML"):
        load_config(tmp_path)


# ---------------------------------------------------------------- entry files and authors


def test_entry_files_are_markdown_in_a_stable_order(tmp_path: Path) -> None:
    entries = tmp_path / "entries"
    for name in [
        "2025-04-10.md",
        "2025-04-09.md",
        "README.markdown",
        "UPPER.MD",
        "notes.txt",
        ".hidden.md",
        "bob/2025-04-10.md",
        "alice/2025-04-10.md",
        "alice/2025/04/11.md",
        ".git/x.md",
        "_drafts/draft.md",
        "image.png",
    ]:
        _touch(entries / name)
    workspace = Workspace(tmp_path, Config())
    found = [path.relative_to(entries).as_posix() for path in workspace.entry_files()]
    assert found == [
        "2025-04-09.md",
        "2025-04-10.md",
        "README.markdown",
        "UPPER.MD",
        "alice/2025-04-10.md",
        "alice/2025/04/11.md",
        "bob/2025-04-10.md",
    ]


def test_entry_files_without_entries_folder(tmp_path: Path) -> None:
    assert list(Workspace(tmp_path, Config()).entry_files()) == []


def test_entry_files_follow_the_configured_folder(tmp_path: Path) -> None:
    _touch(tmp_path / "daily" / "2025-04-10.md")
    _touch(tmp_path / "entries" / "2025-04-11.md")
    workspace = Workspace(tmp_path, Config(entries="daily"))
    assert [path.name for path in workspace.entry_files()] == ["2025-04-10.md"]


@pytest.mark.parametrize(
    ("relative", "author"),
    [
        ("2025-04-10.md", None),
        ("alice/2025-04-10.md", "alice"),
        ("민지/2025-04-10.md", "민지"),
        ("alice/2025/04/10.md", "alice"),
        ("2025/04/10.md", None),
        ("2025-04/2025-04-10.md", None),
        ("2025.04/10.md", None),
        ("2025년/4월/10일.md", None),
    ],
)
def test_author_of(tmp_path: Path, relative: str, author: str | None) -> None:
    workspace = Workspace(tmp_path, Config())
    path = _touch(tmp_path / "entries" / relative)
    assert workspace.author_of(path) == author


def test_author_of_a_file_outside_the_entries(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path, Config())
    assert workspace.author_of(_touch(tmp_path / "elsewhere" / "alice" / "x.md")) is None


def test_relative_paths_use_slashes(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path, Config())
    path = _touch(tmp_path / "entries" / "alice" / "2025-04-10.md")
    assert workspace.relative(path) == "entries/alice/2025-04-10.md"
    outside = tmp_path.parent / "x.md"
    assert workspace.relative(outside) == outside.as_posix()


def test_entry_listing_agrees_with_author_of_and_relative(tmp_path: Path) -> None:
    for relative in ["2025-04-10.md", "alice/2025-04-10.md", "alice/2025/04/11.md", "2025/04/12.md", "2025-04/13.md"]:
        _touch(tmp_path / "entries" / relative)
    workspace = Workspace(tmp_path, Config())
    listing = list(workspace.entry_listing())
    assert [path for path, _, _ in listing] == list(workspace.entry_files())
    for path, relative, author in listing:
        assert relative == workspace.relative(path)
        assert author == workspace.author_of(path)
    assert [author for _, _, author in listing] == [None, None, None, "alice", "alice"]
