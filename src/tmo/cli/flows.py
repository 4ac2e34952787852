"""`tmo flows`: estimate bilateral flows from stock tables, store them, validate them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import numpy as np
import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tmo.cli.store import db_option, print_removed, wait_option
from tmo.config import settings
from tmo.errors import InputError
from tmo.findings import summarise
from tmo.flows import METHODS, estimate
from tmo.flows.estimate_store import SEXES, estimate_revision
from tmo.flows.validation import MEASURES, measures, reported_periods
from tmo.pipeline import store_flows
from tmo.store import facts
from tmo.store.query import connect

console = Console(stderr=True)
FLOW_FORMATS = ("csv", "parquet", "json")


def write_frame(frame: pd.DataFrame, fmt: str, out: Path | None) -> None:
    if fmt == "parquet" and out is None:
        raise InputError("parquet output needs --out PATH")
    if out is None:
        text = frame.to_csv(index=False) if fmt == "csv" else frame.to_json(orient="records")
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(out, index=False)
    elif fmt == "json":
        frame.to_json(out, orient="records")
    else:
        frame.to_parquet(out, index=False)
    console.print(f"wrote {len(frame):,} flows to {out}")


def read_long(path: Path, value: str, keys: list[str]) -> pd.DataFrame:
    """A user's long CSV with `keys` and a numeric `value` column."""
    try:
        frame = pd.read_csv(path, dtype=dict.fromkeys(keys, str))
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read CSV ({exc})") from exc
    missing = [c for c in [*keys, value] if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: missing columns {missing}; expected {[*keys, value]}")
    vals = pd.to_numeric(frame[value], errors="coerce")
    if vals.isna().any():
        line = int(vals.isna().to_numpy().nonzero()[0][0]) + 2
        raise InputError(f"{path} line {line}: {value} is not a number")
    return frame.assign(**{value: vals})


def estimate_files(start: Path, end: Path, births: Path | None, deaths: Path | None,
                   method: str) -> pd.DataFrame:
    """Flows between two user stock tables (columns orig, dest, stock)."""
    s1 = read_long(start, "stock", ["orig", "dest"])
    s2 = read_long(end, "stock", ["orig", "dest"])
    labels = sorted(set(s1["orig"]) | set(s1["dest"]) | set(s2["orig"]) | set(s2["dest"]))
    pos = {p: i for i, p in enumerate(labels)}

    def matrix(frame: pd.DataFrame) -> np.ndarray:
        m = np.zeros((len(labels), len(labels)))
        np.add.at(m, (frame["orig"].map(pos), frame["dest"].map(pos)), frame["stock"])
        return m

    def vector(path: Path | None, value: str) -> np.ndarray | None:
        if path is None:
            return None
        frame = read_long(path, value, ["region"])
        unknown = sorted(set(frame["region"]) - set(pos))
        if unknown:
            raise InputError(f"{path}: regions not in the stock tables: {unknown[:5]}")
        v = np.zeros(len(labels))
        np.add.at(v, frame["region"].map(pos), frame[value])
        return v

    result = estimate(matrix(s1), matrix(s2), vector(births, "births"), vector(deaths, "deaths"),
                      method, labels=labels)
    return result.to_frame(include_zero=False)


@click.group(invoke_without_command=True)
@db_option
@click.option("--revision", "revisions", multiple=True,
              help="IMS revision, repeatable (default: the latest in the store).")
@click.option("--method", type=click.Choice(METHODS), default="da_pb_closed", show_default=True)
@click.option("--sex", "sexes", type=click.Choice(["total", "female", "male"]), multiple=True,
              help="Repeatable (default: all three).")
@click.option("--format", "fmt", type=click.Choice(FLOW_FORMATS), default="csv")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--weight", default=None, metavar="W|bfh",
              help="da_pb_closed weight: a number in [0, 1] or 'bfh' (default 0.1 for the "
              "store's tables, see docs/flows.md).")
@click.option("--stocks-start", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your own stock table at the start (CSV: orig, dest, stock).")
@click.option("--stocks-end", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--births", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV: region, births (with --stocks-start).")
@click.option("--deaths", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV: region, deaths (with --stocks-start).")
@wait_option
@click.pass_context
def flows(ctx: click.Context, *, db: Path | None, revisions: tuple[str, ...], method: str,
          sexes: tuple[str, ...], fmt: str, out: Path | None, weight: str | None,
          stocks_start: Path | None, stocks_end: Path | None, births: Path | None,
          deaths: Path | None, wait: float) -> None:
    """Estimate flows for every period of a revision and store them (view migration_flows)."""
    if ctx.invoked_subcommand is not None:
        return
    if stocks_start or stocks_end:
        if not (stocks_start and stocks_end):
            raise InputError("--stocks-start and --stocks-end go together")
        write_frame(estimate_files(stocks_start, stocks_end, births, deaths, method), fmt, out)
        return
    options: dict[str, object] = {}
    if weight is not None:
        if method != "da_pb_closed":
            raise InputError("--weight applies to --method da_pb_closed only")
        try:
            options["weight"] = weight if weight == "bfh" else float(weight)
        except ValueError:
            raise InputError(f"--weight must be a number in [0, 1] or 'bfh', not {weight!r}") \
                from None

    db_path = settings(db=db).db_path
    con = connect(db_path)
    try:
        revs = list(revisions) or [facts.latest_revision(con)]
        frames, all_findings = [], []
        for rev in revs:
            frame, findings, diag = estimate_revision(con, rev, method, tuple(sexes) or SEXES,
                                                      **options)
            frames.append(frame)
            all_findings += findings
            for line in summarise(findings):  # one line per kind; the findings keep the detail
                severity, rest = line.split(" ", 1)
                console.print(f"[yellow]{severity}[/] {escape(rest)}", soft_wrap=True)
            console.print(f"IMS {rev} {method}: {len(frame):,} flows; converged "
                          f"{diag['converged']}, max margin error {diag['max_margin_error']:.3g}")
    finally:
        con.close()
    frame = pd.concat(frames, ignore_index=True)
    with console.status("storing the flows and recomputing the profiles"):
        report = store_flows(db_path, frame, all_findings, wait=wait)
    print_removed(report.removed)
    if out is not None or fmt != "csv":
        write_frame(frame, fmt, out)
    else:
        console.print(f"stored {len(frame):,} flows in {db_path} (view migration_flows); "
                      "add --out PATH to export")


@flows.command()
@db_option
@click.option("--revision", default="2024", show_default=True)
@click.option("--method", "methods", type=click.Choice(METHODS), multiple=True,
              help="Repeatable (default: all methods).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def validate(db: Path | None, revision: str, methods: tuple[str, ...], fmt: str) -> None:
    """Correlate estimates with reported flows (Eurostat) on the six measures."""
    con = connect(settings(db=db).db_path)
    try:
        reported = pd.DataFrame(facts.reported_flows(con),
                                columns=["year", "origin", "destination", "flow"])
        pop = pd.DataFrame(facts.ims_population(con, revision),
                           columns=["year", "country", "population"])
        rows: list[dict[str, Any]] = []  # one JSON record per method
        for method in methods or METHODS:
            est, _findings, _diag = estimate_revision(con, revision, method, ("total",))
            periods = sorted(set(zip(est["period_start"], est["period_end"], strict=True)))
            rep = reported_periods(reported, periods)
            result = measures(est, rep, pop)
            rows.append({"method": method, **{m: result[m][0] for m in MEASURES},
                         "pairs": result["count"][1]})
    finally:
        con.close()
    if fmt == "json":
        click.echo(pd.DataFrame(rows).to_json(orient="records", indent=1))
        return
    table = Table(title=f"Correlation with reported flows (Eurostat), IMS {revision}")
    for col in ["method", *MEASURES, "pairs"]:
        table.add_column(col, justify="left" if col == "method" else "right")
    for r in rows:
        table.add_row(r["method"], *[("–" if r[m] is None else f"{r[m]:.2f}") for m in MEASURES],
                      f"{r['pairs']:,}")
    Console().print(table)
