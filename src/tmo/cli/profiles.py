"""Commands that write Migration Profiles: `tmo profile` and `tmo profiles`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import duckdb
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tmo.cli.store import db_option
from tmo.config import settings
from tmo.profiles.area import build_area_profile_from, resolve_area
from tmo.profiles.area_view import render_area
from tmo.profiles.context import build_profile_from
from tmo.profiles.i18n import LANGUAGES
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.publish import FORMATS, render, write_all
from tmo.store import facts
from tmo.store.query import connect

console = Console(stderr=True)


def resolve_country(con: duckdb.DuckDBPyConnection, query: str) -> str:
    """ISO3 for a code or a name (`Moldova`); CountryNotFound with suggestions otherwise."""
    return facts.registry(con).lookup(query).iso3


@click.command()
@click.argument("country")
@db_option
@click.option("--year", type=int, default=None, help="Estimate year (default: the latest).")
@click.option("--revision", default=None, help="IMS revision, e.g. 2024 (default: the latest).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json")
@click.option("--lang", type=click.Choice(LANGUAGES), default="en")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (JSON and Markdown go to standard output without it).")
def profile(*, country: str, db: Path | None, year: int | None, revision: str | None,
            fmt: str, lang: str, out: Path | None) -> None:
    """Write the Migration Profile of COUNTRY (ISO3 code or name), or of an area: the
    World or a UN region, subregion or SDG region (a name in English, French or Spanish,
    or a code such as UN:900)."""
    con = connect(settings(db=db).db_path)
    try:
        area = resolve_area(con, country, revision)
        if area is not None:
            iso3 = area.code.replace(":", "")
            doc = build_area_profile_from(con, area.code, year, revision)
            result = render_area(doc, Lexicon.from_store(con), fmt, lang)
        else:
            iso3 = resolve_country(con, country)
            data = build_profile_from(con, iso3, year, revision)
            result = render(data, Lexicon.from_store(con), fmt, lang)
    finally:
        con.close()
    if out is None and fmt in ("html", "pdf"):
        out = Path(f"{iso3}.{lang}.{fmt}")
    if out is None:
        assert isinstance(result, str)
        sys.stdout.write(result + "\n")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(result, bytes):
        out.write_bytes(result)
    else:
        out.write_text(result, encoding="utf-8")
    console.print(f"wrote {out}")


@click.command()
@db_option
@click.option("--all", "all_countries", is_flag=True, required=True,
              help="Every country with a published migrant stock, and every place with a "
                   "partial profile (no IMS figure, other sources' figures: Kosovo).")
@click.option("--format", "fmt", type=click.Choice(["html"]), default="html")
@click.option("--lang", "langs", type=click.Choice(LANGUAGES), multiple=True,
              help="Languages (repeatable; default all three).")
@click.option("--year", type=int, default=None)
@click.option("--revision", default=None)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True)
def profiles(*, db: Path | None, all_countries: bool, fmt: str, langs: tuple[str, ...],
             year: int | None, revision: str | None, out: Path) -> None:
    """Write every country's profile, the partial profiles of places the IMS does not
    publish (Kosovo), the World's and the UN regions' (area profiles), and an index page
    linking them (the partial profiles listed apart)."""
    con = connect(settings(db=db).db_path)
    try:
        total = len(facts.country_list(con, revision)) + len(facts.partial_list(con, revision))
        with Progress(TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task("profiles", total=total)
            paths = write_all(con, out, year=year, revision=revision, langs=langs or LANGUAGES,
                              on_country=lambda iso3: bar.update(task, advance=1,
                                                                 description=iso3))
    finally:
        con.close()
    console.print(f"wrote {len(paths) - 1} profiles; open {paths[0]}")
