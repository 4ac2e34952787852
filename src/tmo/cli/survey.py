"""`tmo survey`: design-based estimates from survey responses, and weights raked to
population margins (docs/surveys.md). The questionnaire, demo, indicators, report and
publish subcommands live in `tmo.cli.survey_outputs`."""

from __future__ import annotations

import csv
import importlib
import io
import json
import math
from pathlib import Path
from typing import Any

import click
from rich import box
from rich.console import Console
from rich.table import Table

from tmo.cli.tables import show
from tmo.config import settings
from tmo.errors import InputError
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.store.query import connect
from tmo.surveys.calibration import Margin, RakeResult, rake_design
from tmo.surveys.design import REPLICATE_METHODS, Design
from tmo.surveys.estimate import Estimate, Statistic, tabulate
from tmo.surveys.margins import WPP_SOURCE, population_by_sex, proportional, read_margins
from tmo.surveys.replicates import with_replicates
from tmo.surveys.responses import load_design, parse_design
from tmo.surveys.suppression import REASONS, Verdict, assess

RESPONSES = click.argument("responses", type=click.Path(dir_okay=False, path_type=Path))
DESIGN = click.option(
    "--design", "design_text", required=True, metavar="SPEC",
    help="The design: weight=COL,strata=COL,psu=COL[,fpc=COL][,replicates=PREFIX*,"
         "method=brr|fay|jk1|jkn|bootstrap][,lonely_psu=fail|adjust|remove|certainty], or a "
         "YAML/JSON file with those keys.")
SHEET = click.option("--sheet", default=None, help="Sheet of an Excel file (default: first).")
# as tmo.cli.store's, which is not imported here: it loads the whole build pipeline
DB = click.option(
    "--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Store file (default $TMO_HOME/tmo.duckdb, TMO_HOME defaults to ~/.local/share/tmo).")


class SurveyGroup(click.Group):
    """`tmo survey`: estimate and rake are written here; the questionnaire, demo, report and
    publish subcommands (tmo.cli.survey_outputs, which loads the store's build pipeline)
    are imported only when one of them runs or the commands are listed."""

    outputs_added = False

    def _outputs(self) -> None:
        if not self.outputs_added:
            self.outputs_added = True
            importlib.import_module("tmo.cli.survey_outputs").add_to(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._outputs()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            self._outputs()
        return super().get_command(ctx, cmd_name)


@click.group(cls=SurveyGroup)
def survey() -> None:
    """Surveys of households with members abroad and of public attitudes: questionnaires,
    design-based estimates, raking, reports (docs/surveys.md)."""


@survey.command("estimate")
@RESPONSES
@DESIGN
@SHEET
@click.option("--mean", "means", multiple=True, metavar="COL", help="Mean of COL (repeatable).")
@click.option("--proportion", "props", multiple=True, metavar="COL",
              help="Share of each answer of COL (repeatable).")
@click.option("--total", "totals", multiple=True, metavar="COL",
              help="Population total of COL (repeatable).")
@click.option("--ratio", "ratios", multiple=True, metavar="Y/X",
              help="Ratio of the totals of Y and X (repeatable).")
@click.option("--by", multiple=True, metavar="COL",
              help="Estimate for each value of COL too (domains; repeat for crossings).")
@click.option("--where", "where_texts", multiple=True, metavar="COL=VALUE",
              help="Only the subpopulation where COL is VALUE (a domain of the whole design, "
                   "not a subset; repeat to combine).")
@click.option("--replicates", type=click.Choice(REPLICATE_METHODS), default=None,
              help="Standard errors from replicate weights built from the strata and PSUs "
                   "(default: Taylor linearisation, or the file's replicate weights).")
@click.option("--level", type=click.FloatRange(0.5, 0.999), default=0.95, show_default=True,
              help="Confidence level.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
def estimate(responses: Path, design_text: str, sheet: str | None,  # noqa: PLR0917
             means: tuple[str, ...],
             props: tuple[str, ...], totals: tuple[str, ...], ratios: tuple[str, ...],
             by: tuple[str, ...], where_texts: tuple[str, ...], replicates: str | None,
             level: float, fmt: str) -> None:
    """Means, proportions, totals and ratios with design-based standard errors, confidence
    intervals (t on the design's degrees of freedom), design effects and respondent
    counts, whole and by domain; small groups flagged or suppressed (NCHS standards)."""
    if not (means or props or totals or ratios):
        raise InputError("nothing to estimate",
                         hint="add --mean COL, --proportion COL, --total COL or --ratio Y/X")
    design = load_design(responses, parse_design(design_text), sheet=sheet)
    if replicates is not None:
        design = with_replicates(design, replicates)  # type: ignore[arg-type]
    where: dict[str, str] = {}
    for text in where_texts:
        column, sep, value = text.partition("=")
        if not sep or not column.strip():
            raise InputError(f"--where {text!r}: write it as COL=VALUE")
        where[column.strip()] = value.strip()
    groups: list[tuple[str, list[Estimate]]] = []
    asked: list[tuple[Statistic, tuple[str, ...]]] = [
        ("mean", means), ("proportion", props), ("total", totals)]
    groups.extend((_title(statistic, column),
                   tabulate(design, statistic, column, by=by, level=level, where=where))
                  for statistic, columns in asked for column in columns)
    for text in ratios:
        num, sep, den = text.partition("/")
        if not sep or not num or not den:
            raise InputError(f"--ratio {text!r}: write it as Y/X")
        groups.append((_title("ratio", text), tabulate(design, "ratio", num, denominator=den,
                                                         by=by, level=level, where=where)))
    rows = [e for _, group in groups for e in group]
    verdicts = [assess(r) for r in rows]
    if fmt == "json":
        doc = {"responses": str(responses), "design": describe(design),
               "estimates": [_record(r, v) for r, v in zip(rows, verdicts, strict=True)]}
        click.echo(json.dumps(_finite(doc), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv([_record(r, v) for r, v in zip(rows, verdicts, strict=True)]), nl=False)
    else:
        _tables(groups, design, level, where)


def _title(statistic: Statistic, variable: str) -> str:
    return {"mean": f"Mean of {variable}",
            "proportion": f"Shares of the answers to {variable} (%, SE in points)",
            "total": f"Total of {variable}", "ratio": f"Ratio {variable}"}[statistic]


def describe(design: Design) -> str:
    """One line: strata, PSUs, weights, method, df, lonely-PSU policy."""
    cols = design.columns
    parts = [f"{design.n:,} respondents"]
    if "strata" in cols:
        parts.append(f"{len(set(design.strata.tolist()))} strata ({cols['strata']})")
    if "psu" in cols:
        parts.append(f"{len(set(design.psu.tolist()))} PSUs ({cols['psu']})")
    parts.append(f"weights {cols['weight']}" if "weight" in cols else "unweighted")
    if design.replicates is None:
        parts.append("Taylor linearisation, PSUs with replacement"
                     + (", fpc" if design.fpc is not None else ""))
        parts.append(f"lonely PSU: {design.lonely_psu}")
    else:
        parts.append(f"{design.replicates.count} {design.replicates.method} replicates")
    parts.append(f"{design.df:g} df")
    return "; ".join(parts)


def _decimals(se: float, percent: bool) -> int:
    scale = 100.0 if percent else 1.0
    if not math.isfinite(se) or se <= 0:
        return 1 if percent else 2
    return max(0, min(6, 2 - math.floor(math.log10(se * scale))))


def _number(value: float, decimals: int, percent: bool) -> str:
    if not math.isfinite(value):
        return "–"
    return f"{value * (100 if percent else 1):,.{decimals}f}"


def _tables(groups: list[tuple[str, list[Estimate]]], design: Design, level: float,
            where: dict[str, str]) -> None:
    """One table per estimated variable (a row per domain, and per answer for shares;
    the `--where` subpopulation in the title), then the design and why figures are
    flagged or suppressed."""
    console = Console()
    flagged: set[str] = set()
    for title, rows in groups:
        shares = bool(rows) and rows[0].statistic == "proportion"
        subpopulation = ", ".join(f"{k}={v}" for k, v in where.items())
        table = Table(title=title + (f", where {subpopulation}" if where else ""),
                      title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                      padding=(0, 1), collapse_padding=True)
        headers = ["domain", *(["answer"] if shares else []), "estimate", "SE",
                   f"{level:.0%} CI", "deff", "n"]
        for header in headers:
            table.add_column(header, justify="left" if header in ("domain", "answer")
                             else "right")
        for est in rows:
            verdict = assess(est)
            flagged.update(verdict.reasons)
            answer = [est.variable.split("=", 1)[1]] if shares else []
            domain = ", ".join(f"{k}={v}" for k, v in est.domain if k not in where) or "all"
            table.add_row(domain, *answer, *_cells(est, verdict), f"{est.n:,}")
        show(table, console)
    console.print(f"Design: {describe(design)}.", highlight=False)
    if flagged:
        console.print("* or suppressed: " + "; ".join(REASONS[r] for r in sorted(flagged))
                      + " (NCHS presentation standards, docs/surveys.md).", highlight=False)


def _cells(est: Estimate, verdict: Verdict) -> tuple[str, str, str, str]:
    """estimate (with * when flagged), SE, interval, deff: or `suppressed`."""
    percent = est.statistic == "proportion"
    d = _decimals(est.se, percent)
    deff = f"{est.deff:.2f}" if math.isfinite(est.deff) else "–"
    if verdict.status == "suppressed":
        return "suppressed", "", "", deff
    value = _number(est.estimate, d, percent) + (" *" if verdict.status == "flagged" else "")
    ci = f"{_number(est.ci_low, d, percent)}–{_number(est.ci_high, d, percent)}"
    return value, _number(est.se, d + 1, percent), ci, deff


def _record(est: Estimate, verdict: Verdict) -> dict[str, Any]:
    out = est.as_dict()
    out["domain"] = est.domain_label
    out["status"] = verdict.status
    out["reasons"] = ";".join(verdict.reasons)
    if verdict.status == "suppressed":
        for key in ("estimate", "se", "ci_low", "ci_high", "cv", "deff"):
            out[key] = None
    return out


def _finite(value: Any) -> Any:
    """NaN and infinities as null (JSON has neither)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: "" if v is None or (isinstance(v, float) and not math.isfinite(v))
                         else v for k, v in record.items()})
    return buffer.getvalue()


@survey.command("rake")
@RESPONSES
@DESIGN
@SHEET
@click.option("--margins", "margins_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="CSV of population totals: variable,category,total[,source].")
@click.option("--population", "country", default=None, metavar="ISO3",
              help="Rake the sex column to the store's population of this country.")
@click.option("--year", type=int, default=None, help="Year of the store's population.")
@click.option("--wpp", "wpp_revision", default=None, metavar="REVISION",
              help="Take the population from this World Population Prospects revision in the "
                   "store (e.g. 2024) instead of the latest International Migrant Stock's.")
@click.option("--sex", "sex_spec", default="sex:female=female,male=male", show_default=True,
              metavar="COL:female=CODE,male=CODE",
              help="The responses' sex column and its codes, for --population.")
@click.option("--shares", is_flag=True,
              help="Keep the survey's weighted total, rake to the margins' shares only "
                   "(a survey of part of the population, e.g. adults).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV to write: the responses with the raked weight in column `raked_weight`.")
@DB
def rake(responses: Path, design_text: str, sheet: str | None,  # noqa: PLR0917
         margins_file: Path | None,
         country: str | None, year: int | None, wpp_revision: str | None, sex_spec: str,
         shares: bool, out: Path, db: Path | None) -> None:
    """Rake the weights to population margins (a census file, or the store's population by
    sex) and write the responses with the new weights; prints how the fit went."""
    design = load_design(responses, parse_design(design_text), sheet=sheet)
    margins = read_margins(margins_file) if margins_file is not None else []
    if country is not None:
        margins.append(_store_margin(db, country, year, sex_spec, wpp_revision))
    if not margins:
        raise InputError("no margins to rake to", hint="give --margins FILE or --population ISO3")
    if shares:
        margins = [proportional(m, design) for m in margins]
    raked, result = rake_design(design, margins)
    frame = design.data.copy()
    frame["raked_weight"] = raked.weights
    out.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out, index=False)
    _report_rake(margins, result, out)


def _store_margin(db: Path | None, country: str, year: int | None, sex_spec: str,
                  wpp_revision: str | None) -> Margin:
    column, sep, codes_text = sex_spec.partition(":")
    pairs = dict(p.split("=", 1) for p in codes_text.split(",") if "=" in p)
    if not sep or set(pairs) != {"female", "male"}:
        raise InputError(f"--sex {sex_spec!r}: write COL:female=CODE,male=CODE")
    con = connect(settings(db=db).db_path)
    try:
        iso3 = facts.registry(con).lookup(country).iso3
        revision = facts.latest_revision(con)
        chosen = facts.year_or_default(con, revision, year) if year is None else year
        if wpp_revision is not None:
            return population_by_sex(Evidence(con), iso3, chosen, wpp_revision, column=column,
                                     codes=pairs, source=WPP_SOURCE)
        return population_by_sex(Evidence(con), iso3, chosen, revision, column=column,
                                 codes=pairs)
    finally:
        con.close()


def _report_rake(margins: list[Margin], result: RakeResult, out: Path) -> None:
    low, high = result.factor_range
    click.echo(f"Raked to {len(margins)} margin(s) in {result.iterations} passes; largest gap "
               f"to a margin {result.max_gap:.1e}; weights multiplied by {low:.3g} to "
               f"{high:.3g}.")
    for m in margins:
        click.echo(f"  {m.column}: " + ", ".join(f"{k} {v:,.0f}" for k, v in m.totals.items())
                   + f" ({m.source})")
    click.echo(f"Wrote {out} (column raked_weight).")

