"""`devlog publish`: put the built wiki on the team's wiki remote, a git repository, through GitPython.

This is the only module that imports git. One publish, under a lock per workspace:

1. fetch the remote into the clone at `<workspace>/.devlog/wiki-repo` (made on first use);
2. reset the clone to the remote's branch. The clone is derived data like the index: a clone left
   detached, with local commits the remote does not have (an interrupted publish) or with uncommitted
   changes is repaired by this reset, and a one-line notice says what was discarded. Nothing is lost:
   devlog rebuilds its own pages, and every other page comes from the remote;
3. report, by name, the pages devlog owns that were edited by hand on the wiki since the last publish
   (their content no longer matches the hash the committed manifest recorded): the build replaces them;
4. run the build into the clone, stage, and check that only pages devlog owns changed;
5. commit when something changed (author `devlog <devlog@localhost>` when git has none configured)
   and push. A push rejected because the remote moved on starts again from 1 on the new remote head,
   at most MAX_ATTEMPTS times: the pages are built again, never rebased, so pages written by hand on
   the other side are kept. Pages another publisher added during the race (days whose logs we do not
   have yet) are kept too, so two publishers racing both get their pages on the remote.

The remote URL reaches git only through the environment (GIT_CONFIG_COUNT), never a command line or
a config file, and every message that leaves this module has credentials scrubbed from it.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from devlog.errors import DevlogError
from devlog.wiki_write import MANIFEST, manifest_text, read_manifest
from devlog.workspace import Workspace

try:
    import git
except ImportError as _err:  # GitPython refuses to import when there is no git executable
    raise DevlogError(f"publishing needs git: {_err}") from None

CLONE_DIR = "wiki-repo"
DEFAULT_BRANCH = "master"  # what GitHub wikis use
MAX_ATTEMPTS = 5
AUTHOR_NAME = "devlog"
AUTHOR_EMAIL = "devlog@localhost"
NETWORK_TIMEOUT = 300.0  # seconds, for fetch / ls-remote / push
LOCK_WAIT_SECONDS = 300.0
MAX_LISTED = 50  # page names printed per category


class BuildReport(Protocol):
    """What a wiki build returns (devlog.wiki.WriteReport): page file names, relative to out_dir."""

    @property
    def added(self) -> Sequence[str]: ...
    @property
    def changed(self) -> Sequence[str]: ...
    @property
    def removed(self) -> Sequence[str]: ...
    @property
    def unchanged(self) -> int: ...


# build(workspace, store, out_dir): writes the pages and MANIFEST into out_dir, touches nothing else.
BuildFn = Callable[[Workspace, Any, Path], BuildReport]
Notice = Callable[[str], None]


@dataclass
class PublishReport:
    remote: str  # credentials scrubbed
    branch: str = ""
    dry_run: bool = False
    changed_anything: bool = False
    commit: str | None = None
    message: str = ""
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    hand_edited: list[str] = field(default_factory=list)  # owned pages edited on the wiki, replaced
    taken_over: list[str] = field(default_factory=list)  # pages written by hand that devlog now makes
    kept: list[str] = field(default_factory=list)  # pages a racing publisher added, kept
    repaired: list[str] = field(default_factory=list)
    created_branch: bool = False
    attempts: int = 0

    def lines(self) -> list[str]:
        where = f"{self.remote} ({self.branch})"
        if not self.changed_anything:
            return [f"nothing to publish: {where} is up to date"]
        subject = " / ".join(line for line in self.message.splitlines() if line.strip())
        if self.dry_run:
            head = [f"dry run: would publish to {where}, nothing committed or pushed", f"  message: {subject}"]
        else:
            short = (self.commit or "")[:12]
            head = [f"published {short} to {where}" + (" (new branch)" if self.created_branch else "")]
            head.append(f"  message: {subject}")
        for label, names in (("added", self.added), ("changed", self.changed), ("removed", self.removed)):
            if names:
                shown = ", ".join(names[:MAX_LISTED])
                more = f", ... and {len(names) - MAX_LISTED} more" if len(names) > MAX_LISTED else ""
                head.append(f"  {label} ({len(names)}): {shown}{more}")
        if self.kept:
            head.append(f"  kept from a concurrent publish ({len(self.kept)}): {', '.join(self.kept)}")
        return head


# ------------------------------------------------------------------ credentials

_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s'\"]*@")


def url_secrets(url: str) -> list[str]:
    """The parts of a URL that must never be shown: the user-info, the password, a token as user."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    netloc = parts.netloc
    if "@" not in netloc:
        return []
    info = netloc.rsplit("@", 1)[0]
    user, _, password = info.partition(":")
    found = {info, unquote(info)}
    if password:
        found |= {password, unquote(password)}
    elif len(user) >= 8:  # https://<token>@host
        found |= {user, unquote(user)}
    return sorted((s for s in found if len(s) >= 3), key=len, reverse=True)


def scrub(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """`text` without credentials: known secrets and any `scheme://user:pass@` user-info become ***."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return _USERINFO.sub(r"\g<scheme>***@", text)


def display_url(url: str) -> str:
    return scrub(url, url_secrets(url))


# ------------------------------------------------------------------ git errors


def _git_lines(err: git.GitCommandError) -> list[str]:
    """The lines git printed, without GitPython's `stderr: '...'` wrapping."""
    lines = []
    for raw in f"{err.stderr or ''}\n{err.stdout or ''}".splitlines():
        line = raw.strip()
        for prefix in ("stderr: '", "stdout: '"):
            if line.startswith(prefix):
                line = line[len(prefix) :]
        line = line.rstrip("'").strip()
        if line:
            lines.append(line)
    return lines


_AUTH = (
    "authentication failed",
    "could not read username",
    "could not read password",
    "terminal prompts disabled",
    "permission denied",
    "access denied",
    "invalid username or password",
    "returned error: 401",
    "returned error: 403",
)
_MISSING = (
    "does not appear to be a git repository",
    "not a git repository",
    "repository not found",
    "returned error: 404",
    "' not found",
)
_UNREACHABLE = (
    "could not resolve",
    "failed to connect",
    "couldn't connect",
    "connection refused",
    "connection timed out",
    "timed out",
    "network is unreachable",
    "no route to host",
    "did not complete in",
    "unable to access",
    "could not read from remote repository",
)
_REJECTED = (
    "[rejected]",
    "non-fast-forward",
    "fetch first",
    "failed to update ref",
    "cannot lock ref",
    "incorrect old value",
    "stale info",
)


def _detail(lines: list[str]) -> str:
    """The line of git's output that says what went wrong, without its prefix."""
    for line in lines:
        refused = re.match(r"^!\s+\S+\s+(.+)$", line)  # `git push --porcelain`: ! <ref> [remote rejected] (why)
        if refused:
            return refused.group(1)
    for line in lines:
        if line.lower().startswith(("fatal:", "error:")):
            text = line.split(":", 1)[1].strip()
            return re.sub(r"^unable to access '[^']*': ", "", text)
    return lines[-1] if lines else "no output"


def _remote_error(err: git.GitCommandError, remote: str) -> str:
    lines = _git_lines(err)
    text = "\n".join(lines).lower()
    detail = _detail(lines)
    if any(key in text for key in _AUTH):
        return f"authentication refused by the wiki remote {remote}: {detail}"
    if any(key in text for key in _MISSING):
        return (
            f"the wiki remote {remote} does not exist or is not a git repository "
            f"(a new GitHub wiki needs its first page made in the browser): {detail}"
        )
    if any(key in text for key in _UNREACHABLE):
        return f"cannot reach the wiki remote {remote}: {detail}"
    return f"git {err.command[1] if len(err.command) > 1 else ''} failed with the wiki remote {remote}: {detail}"


# ------------------------------------------------------------------ the clone


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Clone:
    """The wiki clone; every git command runs here, with the remote URL given through the environment."""

    def __init__(self, path: Path, url: str, secrets: list[str]) -> None:
        self.path = path
        self.url = url
        self.remote = display_url(url)
        self.secrets = secrets
        self.repo = self._open(path)
        given = os.environ.get("GIT_CONFIG_COUNT", "")
        count = int(given) if given.isdigit() else 0
        self.repo.git.update_environment(
            GIT_DIR=str(path / ".git"),
            GIT_WORK_TREE=str(path),
            GIT_TERMINAL_PROMPT="0",
            GCM_INTERACTIVE="never",
            GIT_CONFIG_COUNT=str(count + 1),
            **{f"GIT_CONFIG_KEY_{count}": "remote.origin.url", f"GIT_CONFIG_VALUE_{count}": url},
        )

    @staticmethod
    def _open(path: Path) -> git.Repo:
        if not path.exists() or (path.is_dir() and not any(path.iterdir())):
            path.mkdir(parents=True, exist_ok=True)
            here = {"GIT_DIR": str(path / ".git"), "GIT_WORK_TREE": str(path)}  # never an inherited GIT_DIR
            runner = git.Git(path)
            runner.execute(["git", "init", "--quiet"], env=here)
            runner.execute(["git", "config", "remote.origin.fetch", "+refs/heads/*:refs/remotes/origin/*"], env=here)
            return git.Repo(path)
        try:
            repo = git.Repo(path)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise DevlogError(
                "the wiki clone is not a git repository: remove it and publish again (devlog clones anew)", str(path)
            ) from None
        if repo.bare or Path(repo.working_dir).resolve() != path.resolve():
            raise DevlogError("the wiki clone is not a git working tree: remove it and publish again", str(path))
        return repo

    # -------------------------------------------------------------- running git

    def run(self, *args: str, ok_codes: tuple[int, ...] = (0,), **kwargs: Any) -> str:
        """One local git command; failures become a DevlogError naming the command."""
        try:
            return str(self.repo.git.execute(["git", *args], **kwargs))
        except git.GitCommandError as err:
            if err.status in ok_codes and err.status != 0:
                return ""
            detail = _detail(_git_lines(err))
            raise DevlogError(scrub(f"git {args[0]} failed in the wiki clone: {detail}", self.secrets)) from None

    def network(self, *args: str) -> str:
        try:
            return str(self.repo.git.execute(["git", *args], kill_after_timeout=NETWORK_TIMEOUT))
        except git.GitCommandError as err:
            raise DevlogError(scrub(_remote_error(err, self.remote), self.secrets)) from None

    def try_ref(self, ref: str) -> str | None:
        out = self.run("rev-parse", "--verify", "--quiet", ref, ok_codes=(1,))
        return out.strip() or None

    # -------------------------------------------------------------- remote state

    def follow_remote(self) -> bool:
        """After a fetch: remember which remote the clone follows (a hash of the scrubbed URL, never the
        URL itself); True when it followed another one (the fetch already made refs/remotes/origin/*
        mirror the new one; the remembered remote HEAD is dropped)."""
        digest = hashlib.sha256(self.remote.encode()).hexdigest()[:16]
        before = str(self.repo.config_reader("repository").get_value("devlog", "remote", ""))
        if before == digest:
            return False
        self.run("config", "devlog.remote", digest)
        if self.run("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", ok_codes=(1,)).strip():
            self.run("symbolic-ref", "--delete", "refs/remotes/origin/HEAD")
        return bool(before)

    def fetch(self) -> None:
        # the refspec is given, not configured: a clone left half-made can never look like an empty remote
        self.network("fetch", "--quiet", "--prune", "--no-tags", "origin", "+refs/heads/*:refs/remotes/origin/*")

    def remote_head(self) -> str | None:
        """The branch the remote's HEAD names (cached in refs/remotes/origin/HEAD), None when unknown."""
        cached = self.run("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", ok_codes=(1,)).strip()
        if cached and self.try_ref(cached):
            return cached.removeprefix("refs/remotes/origin/")
        for line in self.network("ls-remote", "--symref", "origin", "HEAD").splitlines():
            match = re.match(r"ref: refs/heads/(\S+)\s+HEAD$", line.strip())
            if match:
                branch = match.group(1)
                self.run("symbolic-ref", "refs/remotes/origin/HEAD", f"refs/remotes/origin/{branch}")
                return branch
        return None

    # -------------------------------------------------------------- local state

    def reset_to(self, branch: str, remote_sha: str | None, inspect: bool) -> list[str]:
        """Make the clone exactly the remote's branch (empty when the remote has none); say what was discarded."""
        found = []
        if inspect:
            status = self.run("status", "--porcelain=v2", "--branch", "--untracked-files=all", "--ignored")
            info = dict(line[2:].split(" ", 1) for line in status.splitlines() if line.startswith("# "))
            dirty = any(not line.startswith("# ") for line in status.splitlines())
            head, oid = info.get("branch.head"), info.get("branch.oid")
            if head == "(detached)":
                found.append("was on a detached HEAD")
            local = (oid if oid != "(initial)" else None) if head == branch else self.try_ref(f"refs/heads/{branch}")
            if local and local != remote_sha:
                spec = local if remote_sha is None else f"{remote_sha}..{local}"
                ahead = int(self.run("rev-list", "--count", spec).strip() or 0)
                if ahead:
                    found.append(f"had {ahead} local commit{'s' if ahead != 1 else ''} the remote does not have")
            if dirty:
                found.append("had uncommitted changes")
            if head == branch and local == remote_sha and not dirty:
                return []  # already the remote's branch, clean: nothing to do
        if remote_sha:
            self.run("checkout", "--quiet", "--force", "-B", branch, remote_sha)
        else:
            self.run("symbolic-ref", "HEAD", f"refs/heads/{branch}")
            if self.try_ref(f"refs/heads/{branch}"):
                self.run("update-ref", "-d", f"refs/heads/{branch}")
            self.run("read-tree", "--empty")
        self.run("clean", "-ffdxq")
        if not found:
            return []
        return [
            f"repaired the wiki clone {self.path}: it {' and '.join(found)} (left by an interrupted publish?); "
            f"reset it to the remote's {branch}. Nothing on the wiki is lost: devlog rebuilds its pages"
        ]

    def discard(self) -> None:
        """Drop whatever the build wrote: back to the commit checked out (or to empty on a new branch)."""
        if self.try_ref("HEAD"):
            self.run("reset", "--quiet", "--hard")
        else:
            self.run("read-tree", "--empty")
        self.run("clean", "-ffdxq")

    def at_head(self, names: list[str]) -> set[str]:
        """Which of these files the checked-out commit has."""
        if not names or not self.try_ref("HEAD"):
            return set()
        return set(self.run("ls-tree", "-z", "--name-only", "HEAD", "--", *names).split("\0")) - {""}

    def stage(self, has_head: bool) -> list[str]:
        """Stage everything and return the paths that differ from HEAD."""
        self.run("add", "--all")
        if has_head:
            out = self.run("diff", "--cached", "--name-only", "-z", "--no-renames", "HEAD")
        else:
            out = self.run("ls-files", "-z")
        return sorted(set(out.split("\0")) - {""})

    def head_text(self, name: str) -> str | None:
        """A file's text at HEAD, None when HEAD or the file does not exist."""
        try:
            return str(self.repo.git.execute(["git", "show", f"HEAD:{name}"], strip_newline_in_stdout=False))
        except git.GitCommandError:
            return None

    def commit(self, message: str) -> str:
        env: dict[str, str] = {}
        for key, fallback in (("name", AUTHOR_NAME), ("email", AUTHOR_EMAIL)):
            upper = key.upper()
            configured = (
                os.environ.get(f"GIT_AUTHOR_{upper}")
                or self.run("config", "--get", f"user.{key}", ok_codes=(1,)).strip()
            )
            if not configured:
                env[f"GIT_AUTHOR_{upper}"] = fallback
                env[f"GIT_COMMITTER_{upper}"] = fallback
        self.run("commit", "--quiet", "--no-verify", "-m", message, env=env or None)
        return self.run("rev-parse", "HEAD").strip()

    def push(self, branch: str) -> bool:
        """Push HEAD to the remote branch; False when rejected because the remote moved on."""
        try:
            self.repo.git.execute(
                ["git", "push", "--porcelain", "origin", f"HEAD:refs/heads/{branch}"],
                kill_after_timeout=NETWORK_TIMEOUT,
            )
        except git.GitCommandError as err:
            text = "\n".join(_git_lines(err)).lower()
            if any(key in text for key in _REJECTED):
                return False
            raise DevlogError(scrub(_remote_error(err, self.remote), self.secrets)) from None
        return True


# ------------------------------------------------------------------ manifest


def _write_manifest_pages(folder: Path, pages: dict[str, str]) -> None:
    (folder / MANIFEST).write_text(manifest_text(pages), encoding="utf-8")


def _manifest_pages_of(text: str | None) -> dict[str, str] | None:
    if text is None:
        return None
    try:
        pages = json.loads(text).get("pages")
    except (ValueError, AttributeError):
        return None
    return pages if isinstance(pages, dict) else None


# ------------------------------------------------------------------ commit message

_ISO_DAY = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def _days(pages: list[str], store: Any) -> str:
    days = sorted({day for page in pages for day in _ISO_DAY.findall(page)})
    if days:
        if len(days) <= 3:
            return ("day " if len(days) == 1 else "days ") + ", ".join(days)
        return f"days {days[0]}..{days[-1]} ({len(days)} days)"
    row = None
    if store is not None:
        import sqlite3

        try:
            row = store.db.execute("SELECT min(date), max(date), count(DISTINCT date) FROM entry").fetchone()
        except (sqlite3.Error, AttributeError):
            row = None
    if row and row[0]:
        return f"logs {row[0]}..{row[1]} ({row[2]} days)"
    return "the wiki"


def commit_message(subject: str | None, report: PublishReport, store: Any) -> str:
    pages = [*report.added, *report.changed, *report.removed]
    count = len(pages)
    parts = f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed"
    summary = f"devlog: publish {_days(pages, store)}: {count} page{'s' if count != 1 else ''} ({parts})"
    if subject and subject.strip():
        return f"{subject.strip()}\n\n{summary}"
    return summary


# ------------------------------------------------------------------ publishing


@contextmanager
def _publish_lock(state_dir: Path, notice: Notice) -> Iterator[None]:
    state_dir.mkdir(parents=True, exist_ok=True)
    with open(state_dir / "publish.lock", "w") as handle:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    notice("waiting for another `devlog publish` in this workspace to finish...")
                    waited = True
                if time.monotonic() > deadline:
                    raise DevlogError("another `devlog publish` has held the wiki clone for too long") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish_wiki(
    workspace: Workspace,
    store: Any,
    build: BuildFn,
    *,
    remote: str | None = None,
    branch: str | None = None,
    message: str | None = None,
    dry_run: bool = False,
    on_notice: Notice | None = None,
    before_push: Callable[[int], None] | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> PublishReport:
    """Build the wiki into the clone of `remote` (default: [wiki] remote), commit what changed and push.

    `on_notice` gets one-line notices as they happen (repairs, hand-edited pages, retries);
    `before_push(attempt)` runs between commit and push (tests use it to race another pusher).
    """
    url = remote or workspace.config.wiki_remote
    if not url:
        raise DevlogError("no wiki remote: pass --remote URL or set `remote` under [wiki] in devlog.toml")
    secrets = url_secrets(url)

    def notice(text: str) -> None:
        if on_notice:
            on_notice(scrub(text, secrets))

    try:
        with _publish_lock(workspace.state_dir, notice):
            clone = _Clone(workspace.state_dir / CLONE_DIR, url, secrets)
            return _publish(clone, workspace, store, build, branch, message, dry_run, notice, before_push, max_attempts)
    except DevlogError as err:
        raise DevlogError(scrub(err.message, secrets), err.path, err.line) from None
    except git.GitCommandError as err:  # a command not wrapped above: still one scrubbed line
        raise DevlogError(scrub(f"git failed: {_detail(_git_lines(err))}", secrets)) from None
    except git.GitError as err:
        raise DevlogError(scrub(f"git failed: {err}", secrets)) from None


def _publish(
    clone: _Clone,
    workspace: Workspace,
    store: Any,
    build: BuildFn,
    branch: str | None,
    message: str | None,
    dry_run: bool,
    notice: Notice,
    before_push: Callable[[int], None] | None,
    max_attempts: int,
) -> PublishReport:
    report = PublishReport(remote=clone.remote, dry_run=dry_run)
    first_pages: dict[str, str] | None = None
    reported: set[str] = set()
    switched = False
    for attempt in range(1, max_attempts + 1):
        report.attempts = attempt
        clone.fetch()
        if attempt == 1:
            switched = clone.follow_remote()
            if switched:
                notice(f"the wiki clone followed another remote before: it now follows {clone.remote}")
            report.branch = branch or workspace.config.wiki_branch or clone.remote_head() or DEFAULT_BRANCH
        remote_sha = clone.try_ref(f"refs/remotes/origin/{report.branch}")
        repairs = clone.reset_to(report.branch, remote_sha, inspect=attempt == 1 and not switched)
        for line in repairs:
            notice(line)
        report.repaired += repairs
        report.created_branch = remote_sha is None

        old = read_manifest(clone.path)
        if first_pages is None:
            first_pages = dict(old)
        edited = [name for name, digest in sorted(old.items()) if _edited(clone.path / name, digest)]
        verb = "would be replaced" if dry_run else "is replaced"
        _name_each(
            [name for name in edited if name not in reported],
            "{} was edited on the wiki by hand since the last publish; it " + verb + " by devlog's page",
            notice,
        )
        reported.update(edited)
        report.hand_edited = edited

        try:
            result = build(workspace, store, clone.path)
            new = read_manifest(clone.path)
            kept = _keep_concurrent(clone, first_pages, old, new) if attempt > 1 else []
            staged = clone.stage(has_head=remote_sha is not None)
            _check_owned(staged, old, new)
        except BaseException:
            clone.discard()
            raise
        report.added, report.changed, report.unchanged = sorted(result.added), sorted(result.changed), result.unchanged
        report.removed = sorted(set(result.removed) - set(kept))
        report.kept = kept
        report.taken_over = sorted(clone.at_head([name for name in staged if name in new and name not in old]))
        verb = "would replace" if dry_run else "replaces"
        _name_each(
            report.taken_over,
            "{} was written on the wiki by hand; devlog " + verb + " it with its own page of that name",
            notice,
        )
        report.changed_anything = _meaningful(staged, clone)
        if not report.changed_anything:
            if staged:  # the manifest, written in another form
                clone.discard()
            return report
        report.message = commit_message(message, report, store)
        if dry_run:
            clone.discard()
            return report
        sha = clone.commit(report.message)
        if before_push:
            before_push(attempt)
        try:
            pushed = clone.push(report.branch)
        except BaseException:
            with suppress(DevlogError, git.GitError, OSError):  # leave the clone clean when we can
                clone.reset_to(report.branch, remote_sha, inspect=False)
            raise
        if pushed:
            report.commit = sha
            return report
        if attempt < max_attempts:
            notice(
                f"the wiki remote moved on while publishing; building again on top of it ({attempt + 1}/{max_attempts})"
            )
    raise DevlogError(
        f"the wiki remote {clone.remote} kept moving: gave up after {max_attempts} attempts; publish again"
    )


def _name_each(names: list[str], template: str, notice: Notice) -> None:
    """One notice per page, by name; past MAX_LISTED (a manifest deleted on the wiki) the rest in one line."""
    for name in names[:MAX_LISTED]:
        notice(template.format(name))
    if len(names) > MAX_LISTED:
        rest = names[MAX_LISTED:]
        notice(template.format(f"... and {len(rest)} more ({', '.join(rest)})"))


def _edited(path: Path, digest: str) -> bool:
    return path.is_file() and _sha256(path) != digest


def _keep_concurrent(clone: _Clone, first: dict[str, str], old: dict[str, str], new: dict[str, str]) -> list[str]:
    """After losing a push race: keep the pages the winner added that this build just removed.

    They come from logs this workspace does not have yet; dropping them would make the result
    depend on who pushed first. They stay devlog's (listed in the manifest), like any page.
    """
    kept = [name for name in sorted(old) if name not in first and name not in new and not (clone.path / name).exists()]
    if not kept:
        return []
    clone.run("checkout", "HEAD", "--", *kept)
    _write_manifest_pages(clone.path, {**new, **{name: old[name] for name in kept}})
    return kept


def _check_owned(staged: list[str], old: dict[str, str], new: dict[str, str]) -> None:
    """Pages devlog does not own must never change: refuse a build that touched one."""
    foreign = [name for name in staged if name != MANIFEST and name not in old and name not in new]
    if foreign:
        raise DevlogError(
            f"the wiki build changed {', '.join(foreign[:5])}, which devlog does not own; nothing was published"
        )


def _meaningful(staged: list[str], clone: _Clone) -> bool:
    """Whether the staged changes are worth a commit: a page, or the manifest's page list (not its format)."""
    if any(name != MANIFEST for name in staged):
        return True
    if MANIFEST not in staged:
        return False
    before = _manifest_pages_of(clone.head_text(MANIFEST))
    path = clone.path / MANIFEST
    after = _manifest_pages_of(path.read_text(encoding="utf-8")) if path.is_file() else None
    return before != after
