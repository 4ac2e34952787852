"""`tmo flows`: estimate bilateral flows from stock tables, store them, validate them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
import duckdb
import numpy as np
import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tmo import cluster
from tmo.cli.store import db_option, print_removed, wait_option
from tmo.config import settings
from tmo.errors import InputError
from tmo.findings import Finding, summarise
from tmo.flows import METHODS
from tmo.flows.conventions import NAMED, Conventions
from tmo.flows.estimate_store import SEXES, estimate_methods
from tmo.flows.methods import IN_PROCESS, InProcess, estimate_with
from tmo.flows.validation import (
    MEASURES,
    bootstrap,
    measures,
    paired,
    reported_periods,
    tune_weight,
)
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
                   method: str, *, pieces: InProcess = IN_PROCESS) -> pd.DataFrame:
    """Flows between two user stock tables (columns orig, dest, stock); `pieces`: where
    the costly steps run (here, or a Dask cluster: `tmo.flows.cluster`)."""
    s1 = read_long(start, "stock", ["orig", "dest"])
    s2 = read_long(end, "stock", ["orig", "dest"])
    # the distinct places by hashing, not one Python object per row (a 3,100-region table
    # is 9.6 million rows)
    labels = sorted(set(pd.unique(pd.concat([s1["orig"], s1["dest"], s2["orig"], s2["dest"]],
                                            ignore_index=True))))
    index = pd.Index(labels)

    def matrix(frame: pd.DataFrame) -> np.ndarray:
        m = np.zeros((len(labels), len(labels)))
        np.add.at(m, (index.get_indexer(frame["orig"]), index.get_indexer(frame["dest"])),
                  frame["stock"].to_numpy())
        return m

    def vector(path: Path | None, value: str) -> np.ndarray | None:
        if path is None:
            return None
        frame = read_long(path, value, ["region"])
        at = index.get_indexer(frame["region"])
        if (at < 0).any():
            unknown = sorted(set(frame["region"][at < 0]))
            raise InputError(f"{path}: regions not in the stock tables: {unknown[:5]}")
        v = np.zeros(len(labels))
        np.add.at(v, at, frame[value].to_numpy())
        return v

    result = estimate_with(pieces, matrix(s1), matrix(s2), vector(births, "births"),
                           vector(deaths, "deaths"), method=method, labels=labels)
    return result.to_frame(include_zero=False)


def estimate_files_on_cluster(start: Path, end: Path, births: Path | None,
                              deaths: Path | None, method: str, *, scheduler: str | None,
                              workers: int | None) -> pd.DataFrame:
    """`estimate_files` with its IPF fits, birthplace layers and origin rows on a Dask
    cluster (a running one at `scheduler`, or `workers` local processes for the run),
    with a progress bar per stage on the terminal."""
    from rich.progress import Progress  # noqa: PLC0415 - only on a cluster

    from tmo.flows.cluster import OnCluster  # noqa: PLC0415 - Dask only when asked

    with Progress(console=console, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        start_up = bar.add_task("starting the Dask cluster" if not scheduler
                                else f"connecting to {scheduler}", total=None)
        with cluster.client(scheduler=scheduler, workers=workers) as client:
            bar.remove_task(start_up)
            return estimate_files(start, end, births, deaths, method,
                                  pieces=OnCluster(client, progress=progress))


def conventions_of(name: str, settings_: tuple[str, ...]) -> Conventions:
    """The named conventions with `KEY=VALUE` changes (numbers for pb_weight, true/false
    for merge_states)."""
    changes: dict[str, object] = {}
    for item in settings_:
        key, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"--convention takes KEY=VALUE, not {item!r}")
        key = key.strip().replace("-", "_")
        if key == "merge_states":
            changes[key] = value.strip().lower() in ("true", "yes", "1")
        elif key == "pb_weight" and value not in ("bfh", "bfh-pooled"):
            try:
                changes[key] = float(value)
            except ValueError:
                raise InputError(f"pb_weight must be 'bfh', 'bfh-pooled' or a number in "
                                 f"[0, 1], not {value!r}") from None
        else:
            changes[key] = value.strip()
    return NAMED[name].with_options(**changes)


conventions_option = click.option(
    "--conventions", "conventions_name", type=click.Choice(sorted(NAMED)),
    default="published", show_default=True,
    help="Named estimation conventions (docs/flows.md, 'Conventions').")
convention_option = click.option(
    "--convention", "convention_changes", multiple=True, metavar="KEY=VALUE",
    help="Change one convention, repeatable (e.g. unknown_origin=share).")


def estimate_revisions(db_path: Path, revisions: tuple[str, ...], chosen: tuple[str, ...],
                       sexes: tuple[str, ...], conventions: Conventions
                       ) -> tuple[pd.DataFrame, list[Finding]]:
    """Every method of every revision, read once per revision, with a line per kind of
    finding and per method on the terminal."""
    con = connect(db_path)
    try:
        revs = list(revisions) or [facts.latest_revision(con)]
        frames, all_findings = [], []
        for rev in revs:
            frame, findings, diags = estimate_methods(con, rev, chosen, sexes, conventions)
            frames.append(frame)
            all_findings += findings
            for line in summarise(findings):  # one line per kind; the findings keep the detail
                severity, rest = line.split(" ", 1)
                console.print(f"[yellow]{severity}[/] {escape(rest)}", soft_wrap=True)
            counts = frame["method"].value_counts()
            for method, diag in diags.items():
                console.print(f"IMS {rev} {method}: {int(counts.get(method, 0)):,} flows; "
                              f"converged {diag['converged']}, max margin error "
                              f"{diag['max_margin_error']:.3g}")
    finally:
        con.close()
    return pd.concat(frames, ignore_index=True), all_findings


def reported_and_population(con: duckdb.DuckDBPyConnection, revision: str
                            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reported flows (Eurostat) and the IMS revision's populations, as `validate` and
    `evaluate` compare estimates with them."""
    reported = pd.DataFrame(facts.reported_flows(con),
                            columns=["year", "origin", "destination", "flow"])
    pop = pd.DataFrame(facts.ims_population(con, revision),
                       columns=["year", "country", "population"])
    return reported, pop


@click.group(invoke_without_command=True)
@db_option
@click.option("--revision", "revisions", multiple=True,
              help="IMS revision, repeatable (default: the latest in the store).")
@click.option("--method", "methods", type=click.Choice([*METHODS, "all"]), multiple=True,
              help="Repeatable, or 'all' (default: da_pb_closed).")
@click.option("--sex", "sexes", type=click.Choice(["total", "female", "male"]), multiple=True,
              help="Repeatable (default: all three).")
@click.option("--format", "fmt", type=click.Choice(FLOW_FORMATS), default="csv")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--weight", default=None, metavar="W|bfh|bfh-pooled",
              help="da_pb_closed weight: a number in [0, 1], 'bfh' or 'bfh-pooled' (default: "
              "the conventions' pb_weight, see docs/flows.md).")
@conventions_option
@convention_option
@click.option("--stocks-start", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Your own stock table at the start (CSV: orig, dest, stock).")
@click.option("--stocks-end", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--births", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV: region, births (with --stocks-start).")
@click.option("--deaths", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV: region, deaths (with --stocks-start).")
@click.option("--workers", type=int, default=None,
              help="With --stocks-start: run on a local Dask cluster of N worker processes, "
              "started for the run and stopped after (extra `dask`; docs/flows.md, 'Scale: "
              "Dask').")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="With --stocks-start: run on a running Dask cluster (extra `dask`).")
@wait_option
@click.pass_context
def flows(ctx: click.Context, *, db: Path | None, revisions: tuple[str, ...],
          methods: tuple[str, ...], sexes: tuple[str, ...], fmt: str, out: Path | None,
          weight: str | None, conventions_name: str, convention_changes: tuple[str, ...],
          stocks_start: Path | None, stocks_end: Path | None, births: Path | None,
          deaths: Path | None, workers: int | None, scheduler: str | None, wait: float
          ) -> None:
    """Estimate flows for every period of a revision and store them (view migration_flows)."""
    if ctx.invoked_subcommand is not None:
        return
    chosen = METHODS if "all" in methods else (methods or ("da_pb_closed",))
    if stocks_start or stocks_end:
        if not (stocks_start and stocks_end):
            raise InputError("--stocks-start and --stocks-end go together")
        if len(chosen) != 1:
            raise InputError("--stocks-start estimates one --method at a time")
        cluster.check(scheduler=scheduler, workers=workers)
        # stock differencing is one subtraction per cell: no cluster to start for it
        if (workers is None and not scheduler) or chosen[0].startswith("sd_"):
            frame = estimate_files(stocks_start, stocks_end, births, deaths, chosen[0])
        else:
            frame = estimate_files_on_cluster(stocks_start, stocks_end, births, deaths,
                                              chosen[0], scheduler=scheduler, workers=workers)
        write_frame(frame, fmt, out)
        return
    if workers is not None or scheduler:
        raise InputError("--workers and --scheduler apply to your own tables "
                         "(--stocks-start, --stocks-end)",
                         hint="the store's flows (a few hundred places) run in this process")
    changes = list(convention_changes)
    if weight is not None:
        if "da_pb_closed" not in chosen:
            raise InputError("--weight applies to --method da_pb_closed only")
        changes.append(f"pb_weight={weight}")
    conventions = conventions_of(conventions_name, tuple(changes))

    from tmo.pipeline import store_flows  # noqa: PLC0415 (validate and evaluate need no pipeline)

    db_path = settings(db=db).db_path
    frame, all_findings = estimate_revisions(db_path, revisions, chosen,
                                             tuple(sexes) or SEXES, conventions)
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
@conventions_option
@convention_option
def validate(*, db: Path | None, revision: str, methods: tuple[str, ...], fmt: str,
             conventions_name: str, convention_changes: tuple[str, ...]) -> None:
    """Correlate estimates with reported flows (Eurostat) on the six measures."""
    conventions = conventions_of(conventions_name, convention_changes)
    con = connect(settings(db=db).db_path)
    try:
        reported, pop = reported_and_population(con, revision)
        chosen = methods or METHODS
        est_all, _findings, _diags = estimate_methods(con, revision, chosen, ("total",),
                                                      conventions)
    finally:
        con.close()
    rows: list[dict[str, Any]] = []  # one JSON record per method
    periods = sorted(set(zip(est_all["period_start"], est_all["period_end"], strict=True)))
    rep = reported_periods(reported, periods)
    for method in chosen:
        result = measures(est_all[est_all["method"] == method], rep, pop)
        rows.append({"method": method, **{m: result[m][0] for m in MEASURES},
                     "pairs": result["count"][1]})
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


@flows.command()
@db_option
@click.option("--revision", default="2024", show_default=True)
@click.option("--test-from", type=int, default=2010, show_default=True,
              help="Periods starting in or after this year are the test set; the weight of "
              "da_pb_tuned is chosen on the earlier ones.")
@click.option("--bootstrap", "n_boot", type=click.IntRange(10, 5000), default=200,
              show_default=True, help="Bootstrap samples of corridors for the intervals.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@conventions_option
@convention_option
def evaluate(*, db: Path | None, revision: str, test_from: int, n_boot: int, seed: int,
             fmt: str, conventions_name: str, convention_changes: tuple[str, ...]) -> None:
    """Out-of-sample comparison with reported flows: six measures with bootstrap intervals."""
    conventions = conventions_of(conventions_name, convention_changes)
    con = connect(settings(db=db).db_path)
    try:
        reported, pop = reported_and_population(con, revision)
        est, _findings, _diags = estimate_methods(con, revision, METHODS, ("total",),
                                                  conventions)
    finally:
        con.close()
    table, weight, scores = evaluation_table(est, reported, pop, test_from=test_from,
                                             n_boot=n_boot, seed=seed)
    if fmt == "json":
        click.echo(table.assign(tuned_weight=weight).to_json(orient="records", indent=1))
        return
    out = Table(title=f"Out of sample: IMS {revision}, periods from {test_from} "
                f"(da_pb_tuned: weight {weight:g}, chosen on the earlier periods, log count "
                f"{scores[weight]:.3f} there); r [95% bootstrap interval]")
    out.add_column("method")
    for m in MEASURES:
        out.add_column(m, justify="right")
    out.add_column("pairs", justify="right")
    for method, rows in table.groupby("method", sort=False):
        cells = {r.measure: f"{r.r:.3f} [{r.low:.3f}, {r.high:.3f}]" for r in rows.itertuples()}
        out.add_row(str(method), *[cells[m] for m in MEASURES], f"{int(rows['pairs'].iloc[0]):,}")
    Console(width=200).print(out)


def evaluation_table(est: pd.DataFrame, reported: pd.DataFrame, pop: pd.DataFrame, *,
                     test_from: int, n_boot: int, seed: int
                     ) -> tuple[pd.DataFrame, float, dict[float, float]]:
    """Every method and the tuned pseudo-Bayes mix scored on the test periods only."""
    periods = sorted(set(zip(est["period_start"], est["period_end"], strict=True)))
    rep = reported_periods(reported, periods)
    train, test = rep[rep["period_start"] < test_from], rep[rep["period_start"] >= test_from]
    if train.empty or test.empty:
        raise InputError(f"--test-from {test_from} leaves no training or no test periods "
                         f"among {[p[0] for p in periods]}")
    by_method = {m: est[est["method"] == m] for m in METHODS}
    weight, scores = tune_weight(by_method["da_min_closed"], by_method["da_ind_closed"],
                                 train, pop)
    keys = ["period_start", "period_end", "origin", "destination"]
    mix = by_method["da_min_closed"][[*keys, "flow"]].merge(
        by_method["da_ind_closed"][[*keys, "flow"]], on=keys, how="outer",
        suffixes=("_min", "_ind")).fillna(0.0)
    by_method["da_pb_tuned"] = mix.assign(
        flow=(1 - weight) * mix["flow_min"] + weight * mix["flow_ind"])
    pairs = {m: paired(f, test, pop) for m, f in by_method.items()}
    return bootstrap(pairs, n_boot=n_boot, seed=seed), weight, scores
