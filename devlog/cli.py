"""The command line: wiring only. Each command opens the workspace, calls the library, prints.

Heavy libraries are imported inside commands, so `devlog search` pays only for what it uses.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from devlog.errors import DevlogError

F = TypeVar("F", bound=Callable[..., Any])


def _domain_errors(func: F) -> F:
    """Domain errors become one clear line and exit 1; nothing else is caught."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DevlogError as err:
            raise click.ClickException(str(err)) from err

    return wrapper  # type: ignore[return-value]


def _workspace(ctx: click.Context) -> Any:
    from devlog.workspace import open_workspace

    if "workspace" not in ctx.meta:
        ctx.meta["workspace"] = open_workspace(ctx.find_root().params.get("workspace"))
    return ctx.meta["workspace"]


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--workspace", "-w", metavar="DIR", help="Workspace folder (default: $DEVLOG_WORKSPACE, nearest devlog.toml, cwd)."
)
@click.version_option(package_name="devlog")
def cli(workspace: str | None) -> None:
    """devlog: your team's daily scrum logs as searchable knowledge and a wiki."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the stable JSON form.")
@click.pass_context
@_domain_errors
def parse(ctx: click.Context, files: tuple[str, ...], as_json: bool) -> None:
    """Print what devlog reads in FILES: entries, sections, items, tables, links."""
    from devlog.logs import read_log
    from devlog.views import parse_text_view

    workspace = _workspace(ctx)
    results = [read_log(workspace, Path(name)) for name in files]
    entries = [entry for result in results for entry in result.entries]
    findings = [finding for result in results for finding in result.findings]
    if as_json:
        _print_json({"entries": [e.to_dict() for e in entries], "warnings": [f.to_dict() for f in findings]})
        return
    click.echo(parse_text_view(entries))
    for finding in findings:
        click.echo(str(finding), err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding.")
@click.pass_context
@_domain_errors
def check(ctx: click.Context, paths: tuple[str, ...], strict: bool) -> None:
    """Check logs (default: the workspace's entries) and print `path:line: code: message` per finding.

    Exit 0 when clean or only warnings, 1 with --strict and any finding, 2 on usage errors.
    """
    from devlog import logs

    workspace = _workspace(ctx)
    if not paths and workspace.db_path.exists():
        findings = logs.check_indexed(workspace)  # the index keeps every parser warning
    else:
        findings = logs.check(
            workspace, logs.expand_paths(workspace, paths) if paths else list(workspace.entry_files())
        )
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"{len(findings)} findings", err=True)
    if strict and findings:
        ctx.exit(1)


def _today() -> Any:
    from datetime import date

    return date.today()


def _store(ctx: click.Context, create: bool = False) -> Any:
    """The workspace's index; a rebuilt one is reported, and filled from the logs at once."""
    from devlog.store import Store

    workspace = _workspace(ctx)
    store = Store.open(workspace.db_path, create=create)
    if store.notice:
        click.echo(f"devlog: {store.notice}", err=True)
        if not create:
            from devlog.indexer import index_workspace

            index_workspace(workspace, store)
    return store


def _quiet_output(quiet: bool) -> bool:
    import os

    return quiet or bool(os.environ.get("NO_COLOR")) or not sys.stderr.isatty()


@cli.command()
@click.pass_context
@_domain_errors
def init(ctx: click.Context) -> None:
    """Write a commented devlog.toml and keep .devlog/ (the derived index) out of git."""
    from devlog.scaffold import init_workspace

    for line in init_workspace(_workspace(ctx).root):
        click.echo(line)


@cli.command()
@click.option("--rebuild", is_flag=True, help="Start the index from scratch.")
@click.option("--no-embed", is_flag=True, help="Skip semantic vectors (keyword search only).")
@click.option("--status", "show_status", is_flag=True, help="List what is indexed, and what failed or was skipped.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
@_domain_errors
def index(ctx: click.Context, rebuild: bool, no_embed: bool, show_status: bool, quiet: bool) -> None:
    """Parse every log into the index at .devlog/index.db, re-reading only what changed,
    then embed new passages for semantic search."""
    from devlog import views
    from devlog.indexer import index_workspace

    store, workspace = _store(ctx, create=True), _workspace(ctx)
    if show_status:
        from devlog.store import queries

        click.echo(views.status_view(queries.file_status(store.db)))
        return
    bar = views.ProgressBar(enabled=not _quiet_output(quiet))
    wait = lambda: click.echo("devlog: waiting for another `devlog index` to finish...", err=True)  # noqa: E731
    report = index_workspace(workspace, store, rebuild=rebuild, progress=bar.start, on_wait=wait)
    bar.finish()
    click.echo(views.index_summary(report))
    if not no_embed:
        from devlog.embedding import embed_passages, load_workspace_embedder

        embedded = embed_passages(workspace, store, load_workspace_embedder(workspace), bar.start_embedding)
        bar.finish()
        click.echo(views.embed_summary(embedded))


@cli.command()
@click.argument("query")
@click.option("--mode", type=click.Choice(["hybrid", "keyword", "semantic"]), default="hybrid", show_default=True)
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--kind", type=click.Choice(["done", "plan", "learned", "issue", "retro", "links", "meeting", "other"]))
@click.option("--since", metavar="DATE", help="ISO date, today, yesterday, 7d, 2w, last week, 어제, 지난주.")
@click.option("--until", metavar="DATE", help="Same forms as --since.")
@click.option("--author", metavar="NAME")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_domain_errors
def search(
    ctx: click.Context,
    query: str,
    mode: str,
    limit: int,
    kind: str | None,
    since: str | None,
    until: str | None,
    author: str | None,
    as_json: bool,
) -> None:
    """Search every log for QUERY (Korean or English); best matches first.

    hybrid (default) fuses keyword and semantic rankings, so "그래픽카드 빌리는 돈" finds the day
    the team wrote about GPU 클라우드 비용.
    """
    from devlog import views
    from devlog.search import search as run_search

    store = _store(ctx)
    semantic = None
    if mode != "keyword":
        from devlog.embedding import semantic_loader

        semantic = semantic_loader(_workspace(ctx), store, query)
    hits, notice = run_search(store.db, query, mode, _filters(kind, since, until, author), limit, semantic)
    if notice:
        click.echo(f"devlog: {notice}", err=True)
    if as_json:
        _print_json({"query": query, "mode": mode, "results": [hit.to_dict() for hit in hits]})
    else:
        click.echo(views.hits_view(hits, query))


def _filters(kind: str | None, since: str | None, until: str | None, author: str | None) -> Any:
    from devlog.dates import parse_date_arg
    from devlog.store.queries import Filters

    today = _today()
    return Filters(
        kind,
        parse_date_arg(since, today).isoformat() if since else None,
        parse_date_arg(until, today).isoformat() if until else None,
        author,
    )


@cli.command()
@click.argument("day", metavar="DATE")
@click.option("--author", metavar="NAME")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
@_domain_errors
def related(ctx: click.Context, day: str, author: str | None, limit: int, as_json: bool) -> None:
    """List the entries most similar in meaning to one day's entry (needs `devlog index` vectors)."""
    from devlog import views
    from devlog.embedding import current_matrix
    from devlog.search import related as related_entries
    from devlog.store import queries

    store = _store(ctx)
    found = _entries_on(store.db, day, author)
    matrix = current_matrix(_workspace(ctx), store)
    if not len(matrix.ids):
        raise DevlogError("the index has no vectors yet: run `devlog index` (without --no-embed)")
    rows = views.related_rows(queries.entries_by_id(store.db), related_entries(matrix, found[0][0], limit))
    if as_json:
        _print_json({"date": found[0][1], "author": found[0][2], "related": rows})
    else:
        click.echo("\n".join(f"{r['date']}  {r['author'] or '-':8}  {r['score']:.3f}  {r['path']}" for r in rows))


def _entries_on(db: Any, day: str, author: str | None) -> list[tuple]:
    """The indexed entries of a day typed by the user (ISO, 어제, mon, ...); an error when there are none."""
    from devlog.dates import parse_date_arg
    from devlog.store import queries

    found = queries.entries_on(db, parse_date_arg(day, _today()).isoformat(), author)
    if not found:
        raise DevlogError(f"no entry on {day}" + (f" by {author}" if author else ""))
    return found


@cli.command(name="ls")
@click.option("--author", metavar="NAME", help="Only this author's entries.")
@click.pass_context
@_domain_errors
def list_entries(ctx: click.Context, author: str | None) -> None:
    """List indexed entries: date, author, sections, items."""
    from devlog import views
    from devlog.store import queries

    click.echo(views.entries_view(queries.entries(_store(ctx).db, author)))


@cli.command()
@click.argument("day", metavar="DATE")
@click.option("--author", metavar="NAME")
@click.pass_context
@_domain_errors
def show(ctx: click.Context, day: str, author: str | None) -> None:
    """Show one day's entry (DATE: ISO, today, yesterday, 어제, mon, ...)."""
    from devlog import views
    from devlog.store import queries

    db = _store(ctx).db
    found = _entries_on(db, day, author)
    click.echo("\n\n".join(views.entry_view(row, queries.sections_of(db, row[0])) for row in found))


@cli.command()
@click.option("--remote", metavar="URL", help="Wiki git URL (default: [wiki] remote in devlog.toml).")
@click.option("--branch", metavar="B", help="Wiki branch (default: [wiki] branch, the remote's HEAD, else master).")
@click.option("--message", "-m", metavar="M", help="Commit subject; the days and page counts follow it.")
@click.option("--dry-run", is_flag=True, help="Show what would change; commit and push nothing.")
@click.pass_context
@_domain_errors
def publish(ctx: click.Context, remote: str | None, branch: str | None, message: str | None, dry_run: bool) -> None:
    """Build the wiki into a clone of the team wiki (.devlog/wiki-repo) and push it; pages written by hand stay.

    The clone is devlog's: one left detached or with unpushed commits is reset to the remote, with a notice.
    """
    from devlog.indexer import index_workspace
    from devlog.publish import publish_wiki
    from devlog.wiki import build_wiki

    workspace, store = _workspace(ctx), _store(ctx, create=True)
    index_workspace(workspace, store)
    report = publish_wiki(  # ctx.params: remote, branch, message, dry_run
        workspace, store, build_wiki, on_notice=lambda line: click.echo(f"devlog: {line}", err=True), **ctx.params
    )
    click.echo("\n".join(report.lines()))


def _shown(path: Path) -> str:
    """A path as the user can use it from here: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@cli.command()
@click.option(
    "--date", "day", metavar="DATE", default="today", help="ISO, today, tomorrow, yesterday, 내일, 어제, mon, 월."
)
@click.option("--author", metavar="NAME", help="Write entries/<author>/<date>.md (default: [workspace] author).")
@click.option("--template", metavar="NAME", help="templates/NAME.md.j2: entry (default), en, or the workspace's own.")
@click.option("--edit/--no-edit", default=None, help="Open it in $VISUAL or $EDITOR (default: on a terminal).")
@click.pass_context
@_domain_errors
def new(ctx: click.Context, day: str, author: str | None, template: str | None, edit: bool | None) -> None:
    """Create the day's log from a template with the previous entry's plan carried over, print its path and
    open it. An existing log is never overwritten, only opened. Dates are literal: on a Friday, `tomorrow`
    is Saturday and `mon` next Monday."""
    from devlog.dates import parse_date_arg
    from devlog.newentry import new_entry

    workspace = _workspace(ctx)
    made = new_entry(
        workspace, parse_date_arg(day, _today(), forward=True), author or workspace.config.author, template
    )
    path = made.path
    for line in made.messages:
        click.echo(f"devlog: {line}", err=True)
    click.echo(f"devlog: {'created' if made.created else 'already exists, left as it is:'} {_shown(path)}", err=True)
    click.echo(_shown(path))
    edited = edit if edit is not None else sys.stdin.isatty() and sys.stdout.isatty()
    if edited:
        click.edit(filename=str(path))
    if (made.created or edited) and workspace.db_path.exists():
        from devlog.indexer import index_workspace

        try:  # only what changed is parsed, no embedding; a busy or broken index must not fail the morning
            index_workspace(
                workspace, _store(ctx), on_wait=lambda: click.echo("devlog: waiting for the index", err=True)
            )
        except DevlogError as err:
            click.echo(f"devlog: warning: index not updated ({err}); run `devlog index` later", err=True)


@cli.command()
@click.option("--author", metavar="NAME", help="This author's items (default: [workspace] author, else the team's).")
@click.option("--all", "everyone", is_flag=True, help="Everyone's items, with their authors.")
@click.pass_context
@_domain_errors
def todo(ctx: click.Context, author: str | None, everyone: bool) -> None:
    """Work planned and never reported done, oldest first: days open, first planned, where it first appeared.

    Reads the index: run `devlog index` after editing old logs (`devlog new` indexes what it writes and reads)."""
    from devlog import newentry
    from devlog.store.todo_queries import todo_rows

    who = author or _workspace(ctx).config.author
    items = newentry.open_items(todo_rows(_store(ctx).db, who, everyone), _today())
    if items:
        click.echo(newentry.todo_view(items, everyone))
    else:
        hint = "" if everyone else " (--all: everyone's; --author NAME: one person's)"
        click.echo(f"nothing open for {'everyone' if everyone else who or 'the team'}{hint}", err=True)


@cli.command()
@click.option("--out", metavar="DIR", type=click.Path(file_okay=False), help="Output folder (default: .devlog/wiki/).")
@click.pass_context
@_domain_errors
def build(ctx: click.Context, out: str | None) -> None:
    """Write the wiki (GitHub/GitLab markdown pages) from the logs, indexing what changed first.

    Only pages whose content changed are rewritten; pages devlog made before and no longer makes are
    removed (.devlog-manifest.json lists them); other files in the folder are never touched."""
    from devlog.indexer import index_workspace
    from devlog.wiki import build_wiki

    workspace, store = _workspace(ctx), _store(ctx, create=True)
    index_workspace(workspace, store)
    out_dir = Path(out) if out else workspace.state_dir / "wiki"
    report = build_wiki(workspace, store, out_dir)
    click.echo(f"{_shown(out_dir)}: {report.summary()}")


def main() -> None:
    cli(prog_name="devlog")


if __name__ == "__main__":
    main()
