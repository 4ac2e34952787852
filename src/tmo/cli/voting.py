"""`tmo voting`: seats for citizens abroad and the plan of their polling stations
(docs/voting.md)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import sys
from pathlib import Path
from typing import Any

import click

from tmo.cli.store import db_option
from tmo.config import settings
from tmo.errors import InputError
from tmo.store import facts
from tmo.store.query import connect
from tmo.voting.apportionment import FLOOR_RULES, METHODS, TIE_BREAKS, apportion
from tmo.voting.i18n import Locale
from tmo.voting.info import info_languages
from tmo.voting.inputs import describe, read_past_plan, read_registrations
from tmo.voting.plan import plan_stations
from tmo.voting.render import to_csv, to_html, to_info_html
from tmo.voting.ruleset import load
from tmo.web.voting import map_drawer

VOTES_HINT = 'FILE holds a JSON object of name to votes or population, e.g. {"A": 6100, "B": 5000}'


@click.group()
def voting() -> None:
    """Voting from abroad: seats for citizens abroad and their polling stations."""


def read_votes(path: str) -> dict[str, Any]:
    """The JSON object of a --votes file ('-': standard input)."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", hint=VOTES_HINT) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path} is not JSON: {exc.msg} (line {exc.lineno}, column "
                         f"{exc.colno})", hint=VOTES_HINT) from exc
    if not isinstance(data, dict):
        raise InputError(f"{path} holds a JSON {type(data).__name__}, not an object",
                         hint=VOTES_HINT)
    return data


@voting.command("apportion")
@click.option("--votes", "votes_file", required=True, metavar="FILE",
              help="JSON object of name to votes or population ('-': standard input).")
@click.option("--seats", type=click.IntRange(min=0), required=True, help="Seats to share.")
@click.option("--method", type=click.Choice(METHODS), default="dhondt", show_default=True)
@click.option("--floor", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seats every district gets at least (see --floor-rule).")
@click.option("--floor-rule", type=click.Choice(FLOOR_RULES), default="add", show_default=True,
              help="add: the floor first, the rest by the method over the full votes (Italy); "
                   "minimum: the method, topped up to the floor.")
@click.option("--tie-break", type=click.Choice(TIE_BREAKS), default="most_votes",
              show_default=True, help="Who wins equal claims: more votes (then the name), "
                                      "the name, a seeded lot, or an error.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --tie-break lot.")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True)
@click.option("--explain", is_flag=True,
              help="Print quotas and the ties the rule decided too (JSON).")
def apportion_command(*, votes_file: str, seats: int, method: str, floor: int,
                      floor_rule: str, tie_break: str, seed: int, fmt: str,
                      explain: bool) -> None:
    """Share SEATS between parties or districts by votes or population; prints name -> seats."""
    result = apportion(read_votes(votes_file), seats, method, floor=floor,
                       floor_rule=floor_rule, tie_break=tie_break, seed=seed)
    if explain:
        click.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    elif fmt == "json":
        click.echo(json.dumps(result.seats, indent=2, ensure_ascii=False))
    else:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "seats"])
        writer.writerows(result.seats.items())
        click.echo(out.getvalue(), nl=False)
    for tie in result.ties:
        click.echo(f"note: tie between {', '.join(tie.tied)} for {tie.seats} seat(s), won by "
                   f"{', '.join(tie.winners)} ({tie.rule})", err=True)


def _share(name: str) -> Any:
    return click.option(f"--{name}", type=click.FloatRange(0, 1), default=None,
                        help=f"Override the rules' {name.replace('-', ' ')} (0-1).")


@voting.command("plan")
@click.argument("country")
@db_option
@click.option("--rules", "rules_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Rules file (default: the example shipped for COUNTRY).")
@click.option("--registrations", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV of pre-registrations or last votes per city (docs/voting.md).")
@click.option("--past", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="CSV of a past plan (stations per city) to compare with.")
@click.option("--year", type=int, default=None, help="Election year: the rules then in force.")
@click.option("--revision", default=None, help="IMS revision of the stocks (default: latest).")
@click.option("--stock-year", type=int, default=None, help="Stock year (default: latest).")
@_share("adult-share")
@_share("citizenship-share")
@_share("turnout")
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "html"]), default="json",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default: standard output; html: ISO3-stations.html).")
@click.option("--election-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="html: election day (YYYY-MM-DD); the voter-information pages count "
                   "the pre-registration deadlines from it.")
@click.option("--no-info", is_flag=True,
              help="html: write the plan page only, not the voter-information pages.")
def plan_command(*, country: str, db: Path | None, rules_file: Path | None,
                 registrations: Path | None, past: Path | None, year: int | None,
                 revision: str | None, stock_year: int | None, adult_share: float | None,
                 citizenship_share: float | None, turnout: float | None, fmt: str,
                 out: Path | None, election_date: datetime.datetime | None,
                 no_info: bool) -> None:
    """Plan the polling stations abroad of COUNTRY's citizens (ISO3 code or name).
    With --format html, also write the voter-information pages (ISO3-info.LANG.html in
    English, French, Spanish and the rules' languages) beside the plan page."""
    con = connect(settings(db=db).db_path)
    pages: dict[Path, str] = {}
    try:
        iso3 = facts.registry(con).lookup(country).iso3
        rules = load(iso3, rules_file)
        registry, capitals = facts.registry(con), facts.capitals(con)
        cities = read_registrations(registrations, registry, capitals) if registrations else None
        old = read_past_plan(past, registry, capitals) if past else None
        inputs = {}
        if registrations and cities is not None:
            inputs["registrations"] = describe(registrations, len(cities))
        if past and old is not None:
            inputs["past"] = describe(past, len(old))
        plan = plan_stations(con, iso3, rules, year=year, revision=revision,
                             stock_year=stock_year, registrations=cities, past=old,
                             adult_share=adult_share, citizenship_share=citizenship_share,
                             turnout=turnout, inputs=inputs)
        document = plan.as_dict()
        if fmt == "html":
            out = out or Path(f"{iso3}-stations.html")
            pages = _html_pages(con, document, out, None if no_info else election_date,
                                info=not no_info)
            text = pages.pop(out)
        else:
            text = (to_csv(document) if fmt == "csv" else
                    json.dumps(document, indent=2, ensure_ascii=False, default=str))
    finally:
        con.close()
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    for path, page in pages.items():
        path.write_text(page, encoding="utf-8")
    summary = document["summary"]
    click.echo(f"wrote {out}: {summary['stations']} stations in "
               f"{summary['countries_with_stations']} countries", err=True)
    if pages:
        click.echo(f"wrote the voter information: {', '.join(p.name for p in pages)}",
                   err=True)


def _html_pages(con: Any, document: dict[str, Any], out: Path,
                election: datetime.datetime | None, *, info: bool) -> dict[Path, str]:
    """The plan page at `out` and, with `info`, the voter-information pages beside it."""
    iso3 = document["origin"]
    files = ({lang: out.with_name(f"{iso3}-info.{lang}.html")
              for lang in info_languages(document)} if info else {})
    draw = map_drawer(facts.shapes(con), facts.area_names(con))
    links = [(lang, Locale(lang).t("language"), path.name) for lang, path in files.items()]
    pages = {out: to_html(document, draw, info_links=links)}
    names = facts.names_by_lang(con)
    hrefs = {lang: path.name for lang, path in files.items()}
    for lang, path in files.items():
        pages[path] = to_info_html(document, lang, names, links=hrefs, plan_href=out.name,
                                   election=election.date() if election else None)
    return pages
