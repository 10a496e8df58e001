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
@click.argument("paths", nargs=-1)
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
        findings = logs.check(workspace, logs.expand_paths(workspace, paths) if paths else list(workspace.entry_files()))
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
@click.option("--status", "show_status", is_flag=True, help="List what is indexed, and what failed or was skipped.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_context
@_domain_errors
def index(ctx: click.Context, rebuild: bool, show_status: bool, quiet: bool) -> None:
    """Parse every log into the index at .devlog/index.db, re-reading only what changed."""
    from devlog import views
    from devlog.indexer import index_workspace

    store = _store(ctx, create=True)
    if show_status:
        from devlog.store import queries

        click.echo(views.status_view(queries.file_status(store.db)))
        return
    bar = views.ProgressBar(enabled=not _quiet_output(quiet))
    report = index_workspace(
        _workspace(ctx),
        store,
        rebuild=rebuild,
        progress=bar.start,
        on_wait=lambda: click.echo("devlog: waiting for another `devlog index` to finish...", err=True),
    )
    bar.finish()
    click.echo(views.index_summary(report))


@cli.command()
@click.argument("query")
@click.option("--mode", type=click.Choice(["hybrid", "keyword", "semantic"]), default="keyword", show_default=True)
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
    """Search every log for QUERY (Korean or English); best matches first."""
    from devlog import views
    from devlog.dates import parse_date_arg
    from devlog.search import keyword_search
    from devlog.store.queries import Filters

    today = _today()
    filters = Filters(
        kind,
        parse_date_arg(since, today).isoformat() if since else None,
        parse_date_arg(until, today).isoformat() if until else None,
        author,
    )
    hits = keyword_search(_store(ctx).db, query, filters, limit)
    if as_json:
        _print_json({"query": query, "mode": mode, "results": [hit.to_dict() for hit in hits]})
    else:
        click.echo(views.hits_view(hits, query))


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
    from devlog.dates import parse_date_arg
    from devlog.store import queries

    db = _store(ctx).db
    found = queries.entries_on(db, parse_date_arg(day, _today()).isoformat(), author)
    if not found:
        raise DevlogError(f"no entry on {day}" + (f" by {author}" if author else ""))
    click.echo("\n\n".join(views.entry_view(row, queries.sections_of(db, row[0])) for row in found))


def main() -> None:
    cli(prog_name="devlog")


if __name__ == "__main__":
    main()
