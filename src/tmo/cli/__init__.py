"""The `tmo` command: parse, call the library, print. Errors are one line plus a hint."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from tmo import __version__
from tmo.errors import TmoError

# Each command: its module under tmo.cli and its one-line help, so that `tmo --help` and
# `tmo --version` import no command module (and none of pandas, DuckDB, FastAPI...).
# tests/test_cli_commands.py checks each line against the command's own docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("store", (
        "Build the store from the official files (downloaded, or from --source-dir), then every"
        " country's profile; the new store replaces the old one in one step.")),
    "changes": ("changes", (
        "What changed: between the revisions the store holds (world, regions, a country and its"
        " corridors), from build to build (--builds), and the alerts (--alerts).")),
    "check": ("store", "Print the data-quality report of the store's last build."),
    "claims": ("debate", "Check numeric claims about migrants against the store."),
    "facts": ("debate", "Fact cards of PLACE: an ISO3 code, a name, a UN region or 'world'."),
    "flows": ("flows", (
        "Estimate flows for every period of a revision and store them (view migration_flows).")),
    "pension": ("pension", (
        "What each state pays for a career under a social security agreement, step by step (an "
        "estimate from published rules, not legal advice).")),
    "practices": ("practices", (
        "Good practices from the IDM 2010 documents: search, browse, submit, review.")),
    "profile": ("profiles", (
        "Write the Migration Profile of COUNTRY (ISO3 code or name), or of an area: the World "
        "or a UN region, subregion or SDG region (a name in English, French or Spanish, or a "
        "code such as UN:900).")),
    "profiles": ("profiles", (
        "Write every country's profile, the partial profiles of places the IMS does not "
        "publish (Kosovo), the World's and the UN regions' (area profiles), and an index page "
        "linking them (the partial profiles listed apart).")),
    "projections": ("projections", (
        "Projected migrant stocks (median, 80 % and 95 % intervals, baselines) from the store.")),
    "registry": ("registry", (
        "The diaspora registry: citizens abroad registered with their missions.")),
    "remittances": ("remittances", (
        "Cheaper remittances: corridor costs, fees lost, SDG 10.c (docs/remittances.md).")),
    "serve": ("serve", (
        "Serve the pages and the JSON API (read-only) with uvicorn; a store rebuilt or given "
        "new flows meanwhile is picked up within a second.")),
    "sources": ("store", (
        "List the known sources: what each is, where it is found or cached, checksums.")),
    "sql": ("store", (
        "Run one read-only query on the store's views (docs/store.md): SELECT, WITH, DESCRIBE, "
        "SHOW, SUMMARIZE, PIVOT, EXPLAIN.")),
    "survey": ("survey", (
        "Surveys of households with members abroad and of public attitudes: questionnaires,"
        " design-based estimates, raking, reports (docs/surveys.md).")),
    "voting": ("voting", (
        "Voting from abroad: seats for citizens abroad and their polling stations.")),
    "words": ("debate", (
        "Check migration terminology (IOM Glossary on Migration and style guides).")),
}
# Other names a command answers to (not listed): `tmo project` as issue #14 wrote it.
ALIASES = {"project": "projections"}


def _shortened(text: str, limit: int) -> str:
    """`text` cut at a word to fit `limit` characters, as click shortens a command's help."""
    if len(text) <= limit:
        return text
    return text[:max(limit - 3, 1)].rsplit(" ", 1)[0].rstrip(" ,;:") + "..."


class TmoGroup(click.Group):
    """Imports a command's module only when it runs (COMMANDS), and turns TmoError into one
    readable line and a hint (tracebacks with --debug)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        cmd_name = ALIASES.get(cmd_name, cmd_name)
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module = importlib.import_module(f"tmo.cli.{COMMANDS[cmd_name][0]}")
            self.add_command(getattr(module, cmd_name.replace("-", "_")), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            short: str = (loaded.get_short_help_str(limit) if loaded is not None
                          else _shortened(COMMANDS[name][1], limit))
            rows.append((name, short))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

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


def main() -> None:
    cli(prog_name="tmo", args=sys.argv[1:])
