"""The `tmo` command: parse, call the library, print. Errors are one line plus a hint."""

from __future__ import annotations

import sys
from typing import Any

import click

from tmo import __version__
from tmo.cli.changes import changes
from tmo.cli.flows import flows
from tmo.cli.pension import pension
from tmo.cli.practices import practices
from tmo.cli.profiles import profile, profiles
from tmo.cli.remittances import remittances
from tmo.cli.registry import registry
from tmo.cli.serve import serve
from tmo.cli.store import build, check, sources, sql
from tmo.cli.voting import voting
from tmo.errors import TmoError


class TmoGroup(click.Group):
    """Turns TmoError into one readable line and a hint (tracebacks with --debug)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TmoError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.secho(f"error: {exc}", fg="red", err=True)
            if exc.hint:
                click.echo(f"hint: {exc.hint}", err=True)
            ctx.exit(1)


@click.group(cls=TmoGroup)
@click.version_option(__version__, prog_name="tmo")
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Transnational Migration Observatory: migration from both sides of every border."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


for command in (build, sources, check, sql, profile, profiles, flows, serve):
    cli.add_command(command)

cli.add_command(practices)
cli.add_command(voting)
cli.add_command(pension)
cli.add_command(remittances)
cli.add_command(changes)
cli.add_command(registry)


def main() -> None:
    cli(prog_name="tmo", args=sys.argv[1:])
