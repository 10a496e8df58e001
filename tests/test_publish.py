"""`devlog publish` against real git: bare repositories on disk are the wiki remotes, no mocks.

The wiki build is injected: a small fake with the contract of devlog.wiki.build_wiki (write pages and
`.devlog-manifest.json` into out_dir, touch nothing else, remove owned pages it no longer makes).
"""

from __future__ import annotations

import hashlib
import http.server
import json
import logging
import os
import subprocess
import sys
import threading
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from devlog.cli import cli
from devlog.errors import DevlogError
from devlog.publish import MANIFEST, PublishReport, publish_wiki, scrub, url_secrets
from devlog.workspace import Config, Workspace

HAND = ["-c", "user.name=Hand Writer", "-c", "user.email=hand@example.com"]


# ------------------------------------------------------------------ helpers


@pytest.fixture(autouse=True)
def _no_machine_git_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh machine: no global or system git config, no identity in the environment."""
    empty = tmp_path_factory.mktemp("home") / "gitconfig"
    empty.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_DIR"):
        monkeypatch.delenv(name, raising=False)


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def bare(tmp_path: Path, name: str = "wiki.git") -> tuple[Path, str]:
    path = tmp_path / name
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=master", str(path)], check=True)
    return path, path.as_uri()


def hand_push(remote: str, work: Path, files: dict[str, str | None], branch: str = "master") -> str:
    """Someone editing the wiki by hand (or in the browser): clone, write or delete files, push."""
    if not work.exists():
        subprocess.run(["git", "clone", "--quiet", remote, str(work)], check=True, capture_output=True)
    git(work, "fetch", "--quiet", "origin")
    if git(work, "ls-remote", "origin", f"refs/heads/{branch}"):
        git(work, "checkout", "--quiet", "-B", branch, f"origin/{branch}")
    else:
        git(work, "checkout", "--quiet", "--orphan", branch)
    for name, text in files.items():
        if text is None:
            (work / name).unlink()
        else:
            (work / name).write_text(text, encoding="utf-8")
    git(work, "add", "--all")
    git(work, *HAND, "commit", "--quiet", "-m", "hand edit")
    git(work, "push", "--quiet", "origin", f"HEAD:refs/heads/{branch}")
    return git(work, "rev-parse", "HEAD")


def remote_head(path: Path, branch: str = "master") -> str | None:
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", branch], cwd=path, capture_output=True, text=True)
    return done.stdout.strip() or None


def remote_file(path: Path, name: str, branch: str = "master") -> str:
    return git(path, "show", f"{branch}:{name}")


def remote_files(path: Path, branch: str = "master") -> set[str]:
    return set(git(path, "ls-tree", "-r", "--name-only", branch).splitlines())


def make_workspace(root: Path, days: dict[str, str], toml: str = "") -> Workspace:
    (root / "entries").mkdir(parents=True)
    for day, text in days.items():
        (root / "entries" / f"{day}.md").write_text(f"# {day}\n\n{text}\n", encoding="utf-8")
    if toml:
        (root / "devlog.toml").write_text(toml, encoding="utf-8")
    from devlog.workspace import load_config

    return Workspace(root, load_config(root) if toml else Config())


@dataclass
class FakeReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def fake_build(workspace: Workspace, store: object, out_dir: Path) -> FakeReport:
    """devlog.wiki.build_wiki's contract: a Home page and a page per log, plus the manifest."""
    logs = list(workspace.entry_files())
    pages = {"Home.md": "# Home\n\n" + "".join(f"- [[Day-{p.stem}]]\n" for p in logs)}
    for path in logs:
        pages[f"Day-{path.stem}.md"] = path.read_text(encoding="utf-8")
    manifest = out_dir / MANIFEST
    owned = json.loads(manifest.read_text())["pages"] if manifest.exists() else {}
    report = FakeReport()
    for name, text in pages.items():
        path = out_dir / name
        data = text.encode()
        if path.exists() and path.read_bytes() == data:
            report.unchanged += 1
            continue
        (report.changed if path.exists() else report.added).append(name)
        path.write_bytes(data)
    for name in owned:
        if name not in pages:
            (out_dir / name).unlink(missing_ok=True)
            report.removed.append(name)
    hashes = {name: hashlib.sha256(text.encode()).hexdigest() for name, text in sorted(pages.items())}
    text = json.dumps({"version": 1, "pages": hashes}, indent=2, sort_keys=True) + "\n"
    if not manifest.exists() or manifest.read_text() != text:
        manifest.write_text(text)
    return report


def publish(workspace: Workspace, remote: str, **kwargs: object) -> tuple[PublishReport, list[str]]:
    notices: list[str] = []
    report = publish_wiki(workspace, None, fake_build, remote=remote, on_notice=notices.append, **kwargs)  # type: ignore[arg-type]
    return report, notices


def clone_of(workspace: Workspace) -> Path:
    return workspace.state_dir / "wiki-repo"


# ------------------------------------------------------------------ the ordinary path


def test_first_publish_into_an_empty_wiki(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "did things", "2025-04-08": "more things"})

    report, notices = publish(ws, remote)

    assert notices == []
    assert report.created_branch and report.branch == "master"
    assert report.commit == remote_head(remote_path)
    assert sorted(report.added) == ["Day-2025-04-07.md", "Day-2025-04-08.md", "Home.md"]
    assert remote_files(remote_path) == {"Day-2025-04-07.md", "Day-2025-04-08.md", "Home.md", MANIFEST}
    manifest = json.loads(remote_file(remote_path, MANIFEST))
    assert set(manifest["pages"]) == {"Day-2025-04-07.md", "Day-2025-04-08.md", "Home.md"}
    subject = git(remote_path, "log", "-1", "--format=%s")
    assert "2025-04-07, 2025-04-08" in subject and "3 pages" in subject and "3 added" in subject
    # a fresh machine without git config: devlog sets the author, and leaves the global config alone
    assert git(remote_path, "log", "-1", "--format=%an <%ae>|%cn <%ce>") == (
        "devlog <devlog@localhost>|devlog <devlog@localhost>"
    )
    assert Path(os.environ["GIT_CONFIG_GLOBAL"]).read_text() == ""
    lines = report.lines()
    assert lines[0].startswith(f"published {report.commit[:12]} to {remote} (master)")
    assert any(line.startswith("  added (3): Day-2025-04-07.md") for line in lines)


def test_a_configured_identity_is_used(tmp_path: Path) -> None:
    _, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "x"})
    Path(os.environ["GIT_CONFIG_GLOBAL"]).write_text("[user]\n\tname = Min Ji\n\temail = minji@example.com\n")

    report, _ = publish(ws, remote)

    assert git(clone_of(ws), "log", "-1", "--format=%an <%ae>") == "Min Ji <minji@example.com>"
    assert report.commit


def test_hand_written_pages_are_never_touched(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    hand = {"Guide.md": "# Our guide\n\nwritten by hand\n", "Onboarding.md": "welcome\n"}
    hand_commit = hand_push(remote, tmp_path / "hand", dict(hand))
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a", "2025-04-08": "b"})

    first, _ = publish(ws, remote)
    (ws.entries_dir / "2025-04-08.md").unlink()  # devlog removes the page it no longer makes
    second, _ = publish(ws, remote)

    assert first.commit and second.commit and second.removed == ["Day-2025-04-08.md"]
    assert git(remote_path, "rev-parse", "master~2") == hand_commit
    for name, text in hand.items():
        assert remote_file(remote_path, name) + "\n" == text
        assert git(remote_path, "log", "--format=%H", "master", "--", name).splitlines() == [hand_commit]
    assert "Day-2025-04-08.md" not in remote_files(remote_path)


def test_publishing_twice_makes_no_second_commit(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    first, _ = publish(ws, remote)

    second, notices = publish(ws, remote)

    assert notices == []
    assert not second.changed_anything and second.commit is None
    assert second.lines() == [f"nothing to publish: {remote} (master) is up to date"]
    assert remote_head(remote_path) == first.commit
    assert git(clone_of(ws), "status", "--porcelain") == ""


def test_a_changed_log_changes_its_page_and_says_which_day(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a", "2025-04-08": "b"})
    publish(ws, remote)
    (ws.entries_dir / "2025-04-08.md").write_text("# 2025-04-08\n\nchanged\n")

    report, _ = publish(ws, remote, message="Wiki for sprint 1")

    assert report.changed == ["Day-2025-04-08.md"] and report.added == report.removed == []
    assert git(remote_path, "log", "-1", "--format=%s") == "Wiki for sprint 1"
    assert git(remote_path, "log", "-1", "--format=%b").startswith(
        "devlog: publish day 2025-04-08: 1 page (0 added, 1 changed, 0 removed)"
    )


def test_a_hand_edited_owned_page_is_reported_by_name_then_replaced(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a", "2025-04-08": "b"})
    publish(ws, remote)
    hand_push(remote, tmp_path / "hand", {"Day-2025-04-07.md": "I fixed a typo on the wiki\n"})

    report, notices = publish(ws, remote)

    assert report.hand_edited == ["Day-2025-04-07.md"]
    assert [n for n in notices if "edited on the wiki by hand" in n] == [
        "Day-2025-04-07.md was edited on the wiki by hand since the last publish; it is replaced by devlog's page"
    ]
    assert report.changed == ["Day-2025-04-07.md"] and report.commit
    assert remote_file(remote_path, "Day-2025-04-07.md") == "# 2025-04-07\n\na"


def test_dry_run_shows_everything_and_changes_nothing(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    publish(ws, remote)
    hand_push(remote, tmp_path / "hand", {"Day-2025-04-07.md": "hand edit\n", "Notes.md": "mine\n"})
    (ws.entries_dir / "2025-04-08.md").write_text("# 2025-04-08\n\nnew day\n")
    before = remote_head(remote_path)
    refs_before = git(remote_path, "for-each-ref")

    report, notices = publish(ws, remote, dry_run=True)

    assert report.dry_run and report.changed_anything and report.commit is None
    assert report.added == ["Day-2025-04-08.md"] and report.changed == ["Day-2025-04-07.md", "Home.md"]
    assert report.hand_edited == ["Day-2025-04-07.md"]
    assert any("Day-2025-04-07.md was edited on the wiki by hand" in n and "would be replaced" in n for n in notices)
    assert report.lines()[0] == f"dry run: would publish to {remote} (master), nothing committed or pushed"
    assert "day 2025-04-08" in report.lines()[1] or "2025-04-07, 2025-04-08" in report.lines()[1]
    assert remote_head(remote_path) == before and git(remote_path, "for-each-ref") == refs_before
    clone = clone_of(ws)
    assert git(clone, "rev-parse", "HEAD") == before  # no local commit either
    assert git(clone, "status", "--porcelain") == ""
    assert (clone / "Day-2025-04-07.md").read_text() == "hand edit\n"


def test_dry_run_of_a_first_publish_pushes_nothing(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})

    report, _ = publish(ws, remote, dry_run=True)

    assert report.changed_anything and report.created_branch and report.commit is None
    assert remote_head(remote_path) is None
    assert [p.name for p in clone_of(ws).iterdir()] == [".git"]


# ------------------------------------------------------------------ races


def test_a_push_racing_a_hand_edit_is_rebuilt_on_top_of_it(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    publish(ws, remote)
    (ws.entries_dir / "2025-04-08.md").write_text("# 2025-04-08\n\nb\n")
    raced: list[str] = []

    def push_from_elsewhere(attempt: int) -> None:
        if attempt == 1:  # after devlog fetched, built and committed; before it pushes
            raced.append(hand_push(remote, tmp_path / "hand", {"Team.md": "written in the browser\n"}))

    report, notices = publish(ws, remote, before_push=push_from_elsewhere)

    assert report.attempts == 2 and report.commit == remote_head(remote_path)
    assert any("remote moved on" in n for n in notices)
    assert git(remote_path, "rev-parse", "master~1") == raced[0]  # linear: devlog's commit on top
    assert remote_file(remote_path, "Team.md") == "written in the browser"
    assert {"Day-2025-04-07.md", "Day-2025-04-08.md", "Home.md"} <= remote_files(remote_path)


@pytest.mark.parametrize("seeded", [False, True], ids=["empty-remote", "wiki-with-pages"])
def test_two_publishers_at_the_same_moment_both_succeed(tmp_path: Path, seeded: bool) -> None:
    remote_path, remote = bare(tmp_path)
    if seeded:
        hand_push(remote, tmp_path / "hand", {"Guide.md": "by hand\n"})
    alice = make_workspace(tmp_path / "alice", {"2025-04-07": "shared", "2025-04-08": "alice's day"})
    bob = make_workspace(tmp_path / "bob", {"2025-04-07": "shared", "2025-04-09": "bob's day"})
    both_committed = threading.Barrier(2, timeout=30)
    results: dict[str, PublishReport] = {}
    errors: list[BaseException] = []

    def run(name: str, ws: Workspace) -> None:
        def wait_for_the_other(attempt: int) -> None:
            if attempt == 1:  # both have fetched the same head and committed: the pushes collide
                both_committed.wait()

        try:
            results[name] = publish(ws, remote, before_push=wait_for_the_other)[0]
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=run, args=item) for item in (("alice", alice), ("bob", bob))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(r.attempts for r in results.values()) == [1, 2]
    assert all(r.commit for r in results.values())
    first, second = sorted(results.values(), key=lambda r: r.attempts)
    assert second.commit == remote_head(remote_path)
    assert git(remote_path, "rev-parse", "master~1") == first.commit  # nobody's commit was lost
    files = remote_files(remote_path)
    assert {"Day-2025-04-07.md", "Day-2025-04-08.md", "Day-2025-04-09.md", "Home.md"} <= files
    assert ("Guide.md" in files) == seeded
    # the page only the first publisher makes is kept, and stays devlog's
    only_first = ({"Day-2025-04-08.md", "Day-2025-04-09.md"} - set(second.added)).pop()
    assert second.kept == [only_first]
    assert only_first in json.loads(remote_file(remote_path, MANIFEST))["pages"]


BARRIER_HOOK = """#!/bin/sh
# first push only: say we are ready, wait for the other publisher, so the two pushes collide
rm -f "$0"
touch "{mine}"
i=0
while [ ! -e "{theirs}" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done
exit 0
"""


LAUNCH = """
import sys, types
sys.path.insert(0, {tests!r})
import test_publish
wiki = types.ModuleType("devlog.wiki")
wiki.build_wiki = test_publish.fake_build
sys.modules["devlog.wiki"] = wiki
from devlog.cli import main
sys.argv = ["devlog", "--workspace", {workspace!r}, "publish"]
main()
"""


def test_two_publisher_processes_at_the_same_moment_both_succeed(tmp_path: Path) -> None:
    """Two `devlog publish` processes (the fake build injected), pushes made to collide by pre-push hooks."""
    remote_path, remote = bare(tmp_path)
    hand_push(remote, tmp_path / "hand", {"Guide.md": "by hand\n"})
    people = {"alice": "2025-04-25", "bob": "2025-04-28"}
    for name in people:
        make_workspace(tmp_path / name, {"2025-04-24": "shared"}, f'[wiki]\nremote = "{remote}"\n')

    def cli_process(name: str) -> subprocess.Popen[str]:
        code = LAUNCH.format(tests=str(Path(__file__).parent), workspace=str(tmp_path / name))
        return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    for name in people:  # the first publishes, one after the other, make the two clones
        _, err = cli_process(name).communicate(timeout=120)
        assert "Error" not in err and "Traceback" not in err, err
    for name, day in people.items():
        (tmp_path / name / "entries" / f"{day}.md").write_text(f"# {day}\n\n{name}'s new day\n")
        other = next(n for n in people if n != name)
        hook = tmp_path / name / ".devlog" / "wiki-repo" / ".git" / "hooks" / "pre-push"
        hook.write_text(BARRIER_HOOK.format(mine=tmp_path / f"{name}.ready", theirs=tmp_path / f"{other}.ready"))
        hook.chmod(0o755)

    running = {name: cli_process(name) for name in people}
    outputs = {name: proc.communicate(timeout=120) for name, proc in running.items()}

    for name, proc in running.items():
        assert proc.returncode == 0, outputs[name]
        assert outputs[name][0].startswith("published"), outputs[name]
    assert sum("remote moved on" in err for _, err in outputs.values()) == 1  # exactly one had to rebuild
    assert {"Day-2025-04-25.md", "Day-2025-04-28.md", "Guide.md", "Home.md"} <= remote_files(remote_path)
    assert remote_file(remote_path, "Guide.md") == "by hand"
    # hand, the first publish (the second one found nothing new), the two racing ones
    assert git(remote_path, "rev-list", "--count", "master") == "4"


def test_a_remote_that_keeps_moving_gives_up_after_the_bounded_attempts(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    count = iter(range(100))

    def always_race(attempt: int) -> None:
        hand_push(remote, tmp_path / "hand", {f"Hand-{next(count)}.md": "x\n"})

    with pytest.raises(DevlogError, match="kept moving: gave up after 3 attempts"):
        publish(ws, remote, before_push=always_race, max_attempts=3)
    assert "Home.md" not in remote_files(remote_path)
    assert git(clone_of(ws), "status", "--porcelain") == ""


def test_a_push_the_remote_refuses_is_one_line_and_leaves_the_clone_clean(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    hook = remote_path / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'the wiki is frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})

    with pytest.raises(DevlogError) as caught:
        publish(ws, remote)

    assert str(caught.value) == (
        f"git push failed with the wiki remote {remote}: [remote rejected] (pre-receive hook declined)"
    )
    assert remote_head(remote_path) is None
    hook.unlink()
    report, notices = publish(ws, remote)  # the refused commit was dropped: no repair needed
    assert notices == [] and report.commit == remote_head(remote_path)


# ------------------------------------------------------------------ the local clone


def test_a_detached_and_diverged_clone_is_repaired_and_said_so(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    first, _ = publish(ws, remote)
    clone = clone_of(ws)
    # an interrupted publish: a local commit never pushed, then a detached HEAD and a stray file
    (clone / "Stray.md").write_text("never pushed\n")
    git(clone, "add", "--all")
    git(clone, *HAND, "commit", "--quiet", "-m", "local only")
    git(clone, "checkout", "--quiet", "--detach", "HEAD")
    (clone / "Leftover.md").write_text("half-built\n")

    report, notices = publish(ws, remote)

    assert len(notices) == 1 and notices == report.repaired
    assert "was on a detached HEAD" in notices[0] and "had 1 local commit the remote does not have" in notices[0]
    assert "had uncommitted changes" in notices[0] and "reset it to the remote's master" in notices[0]
    assert not report.changed_anything and remote_head(remote_path) == first.commit
    assert "Stray.md" not in remote_files(remote_path)
    assert git(clone, "symbolic-ref", "HEAD") == "refs/heads/master"
    assert not (clone / "Leftover.md").exists()


def test_a_new_remote_is_followed_and_said_so(tmp_path: Path) -> None:
    _, first_remote = bare(tmp_path, "old.git")
    new_path, new_remote = bare(tmp_path, "new.git")
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    publish(ws, first_remote)
    with pytest.raises(DevlogError):
        publish(ws, (tmp_path / "missing.git").as_uri())  # a typo changes nothing
    back, notices_back = publish(ws, first_remote)
    assert notices_back == [] and not back.changed_anything

    report, notices = publish(ws, new_remote)

    assert notices == [f"the wiki clone followed another remote before: it now follows {new_remote}"]
    assert report.created_branch and report.commit == remote_head(new_path)
    assert sorted(report.added) == ["Day-2025-04-07.md", "Home.md"]


def test_a_clone_that_is_not_a_git_repository_is_one_clear_error(tmp_path: Path) -> None:
    _, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    clone_of(ws).mkdir(parents=True)
    (clone_of(ws) / "something.txt").write_text("not ours\n")

    with pytest.raises(DevlogError, match="the wiki clone is not a git repository: remove it") as caught:
        publish(ws, remote)
    assert "\n" not in str(caught.value)
    assert (clone_of(ws) / "something.txt").exists()


def test_a_build_touching_a_page_it_does_not_own_is_refused(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    hand_push(remote, tmp_path / "hand", {"Guide.md": "by hand\n"})
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    before = remote_head(remote_path)

    def rogue_build(workspace: Workspace, store: object, out_dir: Path) -> FakeReport:
        report = fake_build(workspace, store, out_dir)
        (out_dir / "Guide.md").write_text("overwritten\n")
        return report

    with pytest.raises(DevlogError, match=r"changed Guide\.md, which devlog does not own"):
        publish_wiki(ws, None, rogue_build, remote=remote)  # type: ignore[arg-type]
    assert remote_head(remote_path) == before
    assert git(clone_of(ws), "status", "--porcelain") == ""


# ------------------------------------------------------------------ branches and config


def test_remote_and_branch_come_from_devlog_toml(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"}, f'[wiki]\nremote = "{remote}"\nbranch = "pages"\n')

    report = publish_wiki(ws, None, fake_build)  # type: ignore[arg-type]

    assert report.branch == "pages" and report.commit == remote_head(remote_path, "pages")


def test_the_branch_defaults_to_the_remote_head(tmp_path: Path) -> None:
    remote_path, remote = bare(tmp_path)
    hand_push(remote, tmp_path / "hand", {"Home.md": "welcome\n"}, branch="main")
    git(remote_path, "symbolic-ref", "HEAD", "refs/heads/main")
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})

    report, notices = publish(ws, remote)

    assert report.branch == "main" and report.commit == remote_head(remote_path, "main")
    assert remote_head(remote_path, "master") is None
    # GitHub makes a wiki's first page, Home, in the browser: taking it over is said by name
    assert report.taken_over == ["Home.md"]
    assert any("Home.md was written on the wiki by hand" in n for n in notices)


def test_no_remote_anywhere_is_a_clear_error(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    with pytest.raises(DevlogError, match=r"no wiki remote: pass --remote URL or set `remote` under \[wiki\]"):
        publish_wiki(ws, None, fake_build)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the command line


def run_cli(ws: Workspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--workspace", str(ws.root), "publish", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture
def fake_wiki_module(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("devlog.wiki")
    module.build_wiki = fake_build  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "devlog.wiki", module)


def test_cli_publishes_and_prints_the_commit_and_pages(tmp_path: Path, fake_wiki_module: None) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})

    code, output = run_cli(ws, "--remote", remote)
    again_code, again = run_cli(ws, "--remote", remote)

    assert code == 0, output
    assert f"published {remote_head(remote_path)[:12]} to {remote} (master) (new branch)" in output
    assert "  added (2): Day-2025-04-07.md, Home.md" in output
    assert ws.db_path.exists()  # the index was refreshed first
    assert again_code == 0 and again.strip() == f"nothing to publish: {remote} (master) is up to date"


def test_cli_dry_run(tmp_path: Path, fake_wiki_module: None) -> None:
    remote_path, remote = bare(tmp_path)
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    code, output = run_cli(ws, "--remote", remote, "--dry-run")
    assert code == 0 and output.startswith("dry run: would publish") and remote_head(remote_path) is None


def test_cli_a_remote_that_does_not_exist(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    missing = (tmp_path / "no-such-wiki.git").as_uri()

    code, output = run_cli(ws, "--remote", missing)

    assert code == 1
    assert output.splitlines() == [
        f"Error: the wiki remote {missing} does not exist or is not a git repository "
        f"(a new GitHub wiki needs its first page made in the browser): "
        f"'{tmp_path / 'no-such-wiki.git'}' does not appear to be a git repository"
    ]


def test_cli_a_folder_that_is_not_a_repository(tmp_path: Path) -> None:
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    (tmp_path / "plain").mkdir()
    code, output = run_cli(ws, "--remote", (tmp_path / "plain").as_uri())
    assert code == 1 and len(output.splitlines()) == 1 and "is not a git repository" in output


class _Refuse(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="wiki"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def refusing_server() -> object:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Refuse)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://user:s3cr3t@127.0.0.1:9/x.wiki.git",
            "cannot reach the wiki remote https://***@127.0.0.1:9/x.wiki.git",
        ),
        ("file://user:s3cr3t@/nonexistent", "file://***@/nonexistent"),
        ("http://user:s3cr3t@127.0.0.1:{port}/x.wiki.git", "authentication refused by the wiki remote http://***@"),
        ("http://s3cr3t-token-as-user@127.0.0.1:{port}/x.wiki.git", "authentication refused"),
    ],
    ids=["unreachable", "file-url", "auth-refused", "token-as-user"],
)
def test_cli_credentials_never_appear(tmp_path: Path, refusing_server: int, url: str, expected: str) -> None:
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    url = url.format(port=refusing_server)

    code, output = run_cli(ws, "--remote", url)

    assert code == 1 and len(output.splitlines()) == 1, output
    assert expected in output
    assert "s3cr3t" not in output
    leftovers = "".join(p.read_text(errors="replace") for p in clone_of(ws).rglob("*") if p.is_file())
    assert "s3cr3t" not in leftovers  # the URL is never written into the clone's config


def test_credentials_never_reach_the_git_debug_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
    caplog.set_level(logging.DEBUG)

    with pytest.raises(DevlogError) as caught:
        publish(ws, "https://user:s3cr3t@127.0.0.1:9/x.wiki.git")

    assert "Popen" in caplog.text  # GitPython did log its commands
    assert "s3cr3t" not in caplog.text and "s3cr3t" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no chained git error shown


def test_scrub_removes_user_info_and_known_secrets() -> None:
    secret_url = "https://user:s3cr3t@example.invalid/x.wiki.git"
    assert scrub(f"fatal: unable to access '{secret_url}': boom", url_secrets(secret_url)) == (
        "fatal: unable to access 'https://***@example.invalid/x.wiki.git': boom"
    )
    assert scrub("cmdline: git push s3cr3t", url_secrets(secret_url)) == "cmdline: git push ***"
    assert url_secrets("https://ghp_abcdefgh1234@github.com/o/r.wiki.git") == ["ghp_abcdefgh1234"]
    assert url_secrets("https://github.com/o/r.wiki.git") == []
    assert scrub("see http://a:b%40c@host/x") == "see http://***@host/x"


class _GitOverHttp(http.server.BaseHTTPRequestHandler):
    """git's smart HTTP through `git http-backend`, behind Basic auth (any user and password)."""

    root = ""

    def _serve(self) -> None:
        if "Authorization" not in self.headers:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="wiki"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        env = {
            **os.environ,
            "GIT_PROJECT_ROOT": self.root,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REMOTE_USER": "user",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
        }
        done = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True, check=True)
        head, _, payload = done.stdout.partition(b"\r\n\r\n")
        headers = [line.split(": ", 1) for line in head.decode().split("\r\n") if line]
        status = next((int(v.split()[0]) for k, v in headers if k.lower() == "status"), 200)
        self.send_response(status)
        for key, value in headers:
            if key.lower() != "status":
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _serve

    def log_message(self, *args: object) -> None:
        pass


def test_a_url_with_credentials_publishes_and_shows_them_nowhere(tmp_path: Path) -> None:
    remote_path, _ = bare(tmp_path)
    handler = type("Handler", (_GitOverHttp,), {"root": str(tmp_path)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://user:s3cr3t@127.0.0.1:{server.server_address[1]}/wiki.git"
    try:
        ws = make_workspace(tmp_path / "ws", {"2025-04-07": "a"})
        first, first_notices = publish(ws, url)
        hand_push(url, tmp_path / "hand", {"Day-2025-04-07.md": "edited by hand\n"})
        (ws.entries_dir / "2025-04-08.md").write_text("# 2025-04-08\n\nb\n")
        second, second_notices = publish(ws, url)
    finally:
        server.shutdown()
        server.server_close()

    assert first.commit and second.commit == remote_head(remote_path)
    assert second.hand_edited == ["Day-2025-04-07.md"]
    shown = "\n".join([*first.lines(), *first_notices, *second.lines(), *second_notices, repr(second)])
    assert f"http://***@127.0.0.1:{server.server_address[1]}/wiki.git" in shown
    assert "s3cr3t" not in shown
    stored = "".join(p.read_text(errors="replace") for p in (clone_of(ws) / ".git").rglob("*") if p.is_file())
    assert "s3cr3t" not in stored  # the URL is never written into the clone


# ------------------------------------------------------------------ the real wiki build


def test_the_real_wiki_build_publishes_the_sample_workspace(tmp_path: Path) -> None:
    import shutil

    import devlog.wiki as wiki

    remote_path, remote = bare(tmp_path)
    root = tmp_path / "ws"
    shutil.copytree(Path(__file__).resolve().parents[1] / "entries", root / "entries")
    ws = Workspace(root, Config())
    from devlog.indexer import index_workspace
    from devlog.store import Store

    store = Store.open(ws.db_path)
    index_workspace(ws, store)
    first = publish_wiki(ws, store, wiki.build_wiki, remote=remote)
    second = publish_wiki(ws, store, wiki.build_wiki, remote=remote)

    assert first.commit == remote_head(remote_path) and first.added and "Home.md" in first.added
    assert MANIFEST in remote_files(remote_path)
    assert not second.changed_anything and second.commit is None
