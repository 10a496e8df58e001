"""The command line: wiring only. Each command opens the workspace, calls the library, prints.

Heavy libraries are imported inside commands, so `devlog search` pays only for what it uses.
"""

from __future__ import annotations

import json
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
    files = logs.expand_paths(workspace, paths) if paths else list(workspace.entry_files())
    findings = logs.check(workspace, files)
    for finding in findings:
        click.echo(str(finding))
    click.echo(f"{len(files)} files checked, {len(findings)} findings", err=True)
    if strict and findings:
        ctx.exit(1)


def main() -> None:
    cli(prog_name="devlog")


if __name__ == "__main__":
    main()
