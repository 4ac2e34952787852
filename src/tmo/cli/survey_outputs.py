"""The subcommands of `tmo survey` for questionnaires and results (docs/surveys.md):
`questionnaire` (the modules as XLSForms), `demo` (a SYNTHETIC survey from the store's
figures), `indicators`, `report` (HTML or PDF, EN/FR/ES) and `publish` (the aggregates
into the store, where the country's Migration Profile shows them). `tmo.cli.survey`
adds them to its group with `add_to`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import click

from tmo.cli.store import db_option, wait_option
from tmo.config import settings
from tmo.errors import InputError
from tmo.pipeline import store_survey
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.store.query import connect
from tmo.surveys import aggregates
from tmo.surveys.demo import generate
from tmo.surveys.description import SurveyDescription, load_description
from tmo.surveys.indicators import SurveyResults, estimate_survey
from tmo.surveys.published import Published, published
from tmo.surveys.questionnaire import LANGUAGES, check, load_module, module_ids
from tmo.surveys.report import render_html, render_pdf
from tmo.surveys.xlsform import read_xlsform, write_xlsform

DESCRIPTION = click.argument("description", type=click.Path(dir_okay=False, path_type=Path))


@click.command("questionnaire")
@click.argument("modules", nargs=-1, type=click.Choice(module_ids()))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Directory for the XLSForm files.")
def questionnaire(modules: tuple[str, ...], out: Path) -> None:
    """Write questionnaire modules as XLSForms (tmo_<module>.xlsx; default: all), in
    English, French and Spanish, each checked by reading it back."""
    for module_id in modules or tuple(module_ids()):
        module = check(load_module(module_id))
        path = write_xlsform(module, out / f"tmo_{module_id}.xlsx")
        if read_xlsform(path) != module:
            raise InputError(f"{path}: the form read back differs from module {module_id}")
        click.echo(f"wrote {path} ({sum(1 for _ in module.walk())} questions)")


@click.command("demo")
@click.argument("country")
@db_option
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Directory for the SYNTHETIC responses and their description.")
def demo(country: str, db: Path | None, seed: int, out: Path) -> None:
    """Write a SYNTHETIC demo survey of COUNTRY (ISO3), generated from the store's figures
    (population, emigrants, remittances, immigrant share): made-up responses, never data."""
    con = connect(settings(db=db).db_path)
    try:
        figures = published(Evidence(con), facts.registry(con).lookup(country).iso3)
    finally:
        con.close()
    paths = generate(figures, seed=seed).write(out)
    for path in paths:
        click.echo(f"wrote SYNTHETIC {path}")


def _results(description: Path, db: Path | None
             ) -> tuple[SurveyResults, Published, dict[str, dict[str, str]]]:
    """The survey's indicators, the store's figures of its country (the published
    immigrant share the perception is compared with) and the areas' names in each
    language."""
    desc: SurveyDescription = load_description(description)
    con = connect(settings(db=db).db_path)
    try:
        figures = published(Evidence(con), desc.country, desc.fieldwork_year)
        names = facts.names_by_lang(con)
    finally:
        con.close()
    return estimate_survey(desc, figures.immigrant_share), figures, names


def _shown(value: float | None, digits: int = 1) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:,.{digits}f}"


@click.command("indicators")
@DESCRIPTION
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def indicators(description: Path, db: Path | None, fmt: str) -> None:
    """Estimate the indicators of the survey DESCRIPTION (.json) with their design-based
    standard errors and 95 % intervals."""
    results, _figures, _names = _results(description, db)
    frame = aggregates.rows(results)
    if fmt == "json":
        out = frame.astype(object).where(frame.notna(), None).to_dict("records")
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    title = results.description.title_in("en")
    mark = "SYNTHETIC " if results.description.synthetic and "SYNTHETIC" not in title else ""
    click.echo(f"{mark}{title} ({results.description.country})")
    for r in frame.to_dict("records"):
        what = r["indicator"] + (f"[{r['category']}]" if r["category"] else "")
        if r["status"] == "suppressed":
            click.echo(f"  {what:<44} suppressed ({r['reasons']}; n = {r['n']})")
            continue
        click.echo(f"  {what:<44} {_shown(r['estimate']):>10} (95 % CI {_shown(r['ci_low'])} "
                   f"to {_shown(r['ci_high'])}; SE {_shown(r['se'], 2)}, deff "
                   f"{_shown(r['deff'], 2)}, n = {r['n']})"
                   + (f" flagged: {r['reasons']}" if r["status"] == "flagged" else ""))


@click.command("report")
@DESCRIPTION
@db_option
@click.option("--lang", type=click.Choice(LANGUAGES), default="en", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["html", "pdf"]), default="html",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file (default <survey id>.<lang>.<format>).")
def report(description: Path, db: Path | None, lang: str, fmt: str, out: Path | None) -> None:
    """Write the report of the survey DESCRIPTION (.json): charts of every indicator with
    its interval, the perceived against the published immigrant share, method, sources."""
    results, _figures, names = _results(description, db)
    in_lang = names.get(lang, {})
    name = in_lang.get(results.description.country, results.description.country)
    out = out or Path(f"{results.description.id}.{lang}.{fmt}")
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        out.write_bytes(render_pdf(results, name, lang, in_lang))
    else:
        out.write_text(render_html(results, name, lang, in_lang), encoding="utf-8")
    mark = "SYNTHETIC " if results.description.synthetic else ""
    click.echo(f"wrote {mark}{out}")


@click.command("publish")
@DESCRIPTION
@db_option
@wait_option
def publish(description: Path, db: Path | None, wait: float) -> None:
    """Store the aggregates of the survey DESCRIPTION (.json) in view survey_estimates (no
    response is stored); the Migration Profile of its country then shows them as survey
    estimates with their intervals."""
    results, _figures, _names = _results(description, db)
    rows = aggregates.rows(results)
    store_survey(settings(db=db).db_path, rows, wait=wait)
    desc = results.description
    mark = "SYNTHETIC " if desc.synthetic else ""
    click.echo(f"published {len(rows)} {mark}estimates of survey {desc.id} ({desc.country}; "
               f"{int((rows['status'] == 'suppressed').sum())} suppressed) into the store; its "
               "profile "
               "was rebuilt")


COMMANDS = (questionnaire, demo, indicators, report, publish)


def add_to(group: click.Group) -> None:
    """Add these subcommands to the `tmo survey` group."""
    for command in COMMANDS:
        group.add_command(command)
