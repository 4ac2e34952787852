"""`tmo projections`: stored projections of migrant stocks to 2030 and 2050 with their
intervals; `run` computes and stores them, `backtest` scores the model and the baselines
on years already published (docs/projections.md)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.console import Console

from tmo import __version__
from tmo.cli.store import db_option, print_removed, wait_option
from tmo.config import settings as tmo_settings
from tmo.errors import InputError, NotFound
from tmo.pipeline import followers
from tmo.projections import backtest as bt
from tmo.projections.projection import Runner, Settings, in_process
from tmo.projections.scores import PIT_BINS
from tmo.projections.stage import OUTPUTS, read_inputs, store_projections
from tmo.store import facts
from tmo.store.evidence import Evidence, describe
from tmo.store.query import connect

console = Console(stderr=True)
FORMATS = ("json", "csv", "md")
HORIZONS = ("2030", "2050", "all")
REPORT_LANGUAGES = ("en", "fr", "es")
SHOWN = ["origin", "destination", "sex", "year", "jump_off_stock", "median", "lower80",
         "upper80", "lower95", "upper95", "constant", "drift"]


def _provenance(con: Any, derived: str, sources: list[tuple[str, dict[str, Any]]],
                out: Path | None) -> dict[str, str]:
    """Provenance columns of a Parquet file: the derived view the rows come from, then the
    store views and filters that reproduce the published rows behind them (`tmo sql`),
    their files and row counts."""
    if out is None:
        raise InputError("--format parquet writes a file: give it with --out FILE",
                         hint="for example --out projections.parquet")
    ev = Evidence(con)
    found = [ev.rows(view, where, ["src_file"])[1] for view, where in sources]
    return {"source_views": "; ".join([derived, *(f"{s.view} WHERE {s.filter}"
                                                  for s in found)]),
            "source_files": "; ".join(sorted({f for s in found for f in s.files})),
            "source_rows": "; ".join(f"{s.view}: {s.n_rows}" for s in found),
            "tmo_version": __version__}


def _write_parquet(frame: pd.DataFrame, out: Path, provenance: dict[str, str]) -> None:
    """The rows with their provenance as columns (the same in every row, so a row read
    alone still says where it comes from) and in the file's metadata."""
    import pyarrow as pa  # type: ignore[import-untyped]  # noqa: PLC0415 - only parquet
    import pyarrow.parquet as pq  # type: ignore[import-untyped]  # noqa: PLC0415

    table = pa.Table.from_pandas(frame.assign(**provenance), preserve_index=False)
    meta = {**(table.schema.metadata or {}),
            **{f"tmo.{k}".encode(): v.encode() for k, v in provenance.items()}}
    out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.replace_schema_metadata(meta), out)
    console.print(f"wrote {len(frame):,} rows to {out}")


def _emit(frame: pd.DataFrame, fmt: str, columns: list[str]) -> None:
    frame = frame[columns]
    if fmt == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(json.dumps(frame.to_dict(orient="records"), default=float) + "\n")
    else:
        lines = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
        for rec in frame.itertuples(index=False):
            cells = [f"{v:,.0f}" if isinstance(v, float) else str(v) for v in rec]
            lines.append("| " + " | ".join(cells) + " |")
        sys.stdout.write("\n".join(lines) + "\n")


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.3f}"
    return str(value)


def _runner(workers: int | None, scheduler: str | None) -> Runner:
    if workers is None and scheduler is None:
        return in_process
    if workers is not None and workers < 1:
        raise InputError(f"--workers {workers}: expected 1 or more")
    from tmo.projections.cluster import runner  # noqa: PLC0415 - Dask only when asked

    return runner(scheduler=scheduler, workers=workers)


@click.group(invoke_without_command=True)
@click.option("--country", default=None, metavar="ISO3",
              help="One country's corridors (either side), immigrants and emigrants.")
@click.option("--horizon", type=click.Choice(HORIZONS), default="all", show_default=True,
              help="Target year.")
@click.option("--sex", type=click.Choice(("total", "female", "male", "all")), default="total",
              show_default=True)
@click.option("--totals", is_flag=True, help="Only the totals (immigrants, emigrants, world).")
@click.option("--limit", type=int, default=0, help="At most this many rows (0: all).")
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "parquet")), default="md",
              show_default=True, help="parquet: every column and the provenance (--out).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The Parquet file to write.")
@db_option
@click.pass_context
def projections(ctx: click.Context, country: str | None, horizon: str, sex: str,  # noqa: PLR0917
                totals: bool,
                limit: int, fmt: str, out_path: Path | None, db: Path | None) -> None:
    """Projected migrant stocks (median, 80 % and 95 % intervals, baselines) from the store.

    Origin UN:900 is a country's immigrants from everywhere; destination UN:900 its
    emigrants everywhere. Compute them first with `tmo projections run`."""
    if ctx.invoked_subcommand is not None:
        return
    with connect(tmo_settings(db=db).db_path) as con:
        iso3 = facts.require_country(con, country) if country else None
        frame = facts.projection_rows(
            con, country=iso3, years=None if horizon == "all" else [int(horizon)],
            sexes=("total", "female", "male") if sex == "all" else (sex,),
            corridors=not totals)
        if frame.empty:
            raise NotFound("the store holds no projections",
                           hint="run `tmo projections run` first")
        if limit > 0:
            frame = frame.head(limit)
        if fmt == "parquet":
            revs = sorted(frame["revision"].astype(str).unique())
            provenance = _provenance(con, f"projections WHERE {describe({'revision': revs})}",
                                     [("migrant_stock", {"revision": revs,
                                                         "sex": ["female", "male"]})],
                                     out_path)
            assert out_path is not None
            _write_parquet(frame, out_path, provenance)
            return
    _emit(frame, fmt, SHOWN)


@projections.command("run")
@click.option("--draws", type=click.IntRange(min=10), default=1000, show_default=True)
@click.option("--seed", type=int, default=Settings().seed, show_default=True)
@click.option("--revision", default=None, help="IMS revision (default: the latest).")
@click.option("--workers", type=int, default=None,
              help="Run on a local Dask cluster of N worker processes (extra `dask`).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Run on a running Dask cluster (extra `dask`).")
@db_option
@wait_option
def run_cmd(draws: int, seed: int, revision: str | None, workers: int | None,  # noqa: PLR0917
            scheduler: str | None, db: Path | None, wait: float) -> None:
    """Project every corridor to 2030-2050 and store the result (a new store file)."""
    path = tmo_settings(db=db).db_path
    report, run, frame = store_projections(
        path, Settings(draws=draws, seed=seed), revision=revision,
        runner=_runner(workers, scheduler), wait=wait, then=tuple(followers(OUTPUTS)))
    print_removed(report.removed)
    console.print(f"projected {len(run.inputs.origins):,} corridors x 2 sexes, {draws:,} "
                  f"draws, in {run.seconds:.1f} s; stored {len(frame):,} rows in {path}")


def _others(con: Any, name: str) -> tuple[dict[str, bt.Other], list[dict[str, Any]]]:
    """The models scored beside the closed form (`--model bayes`: the full Bayesian one),
    and the list its fits' diagnostics go to (a warning line for each bad one)."""
    if name != "bayes":
        return {}, []
    from tmo.projections import bayes  # noqa: PLC0415 - numpyro and JAX only when asked

    bayes.require()
    registry = facts.registry(con)
    regions = {c.iso3: c.region or "unknown" for c in registry.countries()}
    fits: list[dict[str, Any]] = []

    def other(train: Any, settings: Settings, observed: Any) -> Any:
        console.print(f"full Bayesian model: NUTS from {int(train.years[-1])} ...")
        run, post = bayes.project(train, settings, regions, observed,
                                  bayes.Options(progress=True))
        diag = post.diagnostics
        fits.append({"jump_off": int(train.years[-1]), **diag.as_dict(),
                     "hyperparameters": post.summary()})
        for problem in diag.problems():
            console.print(f"[yellow]warning:[/] Bayesian fit from {int(train.years[-1])}: "
                          f"{problem}; its figures are not to be trusted", soft_wrap=True)
        return run

    return {"bayes": other}, fits


@projections.command("backtest")
@click.option("--jump-off", "jump_offs", type=int, multiple=True,
              help="Fit on the estimates up to this year, score the later ones; repeat for "
              "several (default: 2015).")
@click.option("--draws", type=click.IntRange(min=10), default=500, show_default=True)
@click.option("--calibrate", is_flag=True,
              help="Also choose the interval scale again from 2005 (targets 2010 and "
              "2015), report the damping with the smallest error, and the runs.")
@click.option("--revision", default=None, help="IMS revision (default: the latest).")
@click.option("--fit-on", default=None, metavar="REVISION",
              help="Fit on an older IMS revision whole (what was known then) and score "
              "on what --revision publishes for the later years.")
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "html", "pdf")), default="json",
              show_default=True, help="html, pdf: the report with its charts (--out).")
@click.option("--lang", type=click.Choice(REPORT_LANGUAGES), default="en", show_default=True,
              help="Language of the html or pdf report.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The html or pdf report's file (default backtest.<lang>.<format>).")
@click.option("--model", "model_name", type=click.Choice(("eb", "bayes")), default="eb",
              show_default=True, help="bayes: also score the full Bayesian model (NUTS; "
              "needs tmo[bayes]; minutes) beside the closed form (eb) and the baselines.")
@db_option
def backtest_cmd(jump_offs: tuple[int, ...], draws: int, calibrate: bool,  # noqa: PLR0915, PLR0917
                 revision: str | None, fit_on: str | None, fmt: str, lang: str,
                 out_path: Path | None, model_name: str, db: Path | None) -> None:
    """Score the model and the baselines on published years (MAE and bias of log stocks,
    MAPE, WAPE, 80 % and 95 % coverage, interval scores, CRPS, PIT histograms); html or
    pdf: the report with coverage by years ahead and PIT histograms, in EN, FR or ES."""
    jump_offs = jump_offs or (2015,)
    with connect(tmo_settings(db=db).db_path) as con:
        rev = facts.revision_or_latest(con, revision)
        inputs = read_inputs(con, rev)
        others, fits = _others(con, model_name)
        revisions = [rev] if fit_on is None else [fit_on, rev]
        _, source = Evidence(con).rows("migrant_stock", {"revision": revisions if fit_on
                                                         else rev,
                                                         "sex": ["female", "male"]}, ["year"])
    settings = Settings(draws=draws)
    out: dict[str, Any] = {}
    what = ""
    if calibrate:
        damping, scale, tried = bt.calibrate(inputs, settings=settings)
        settings = Settings(draws=draws, scale=scale)
        out["calibration"] = {"jump_off": 2005, "until": 2015, "scale": scale,
                              "damping_kept": settings.damping,
                              "damping_smallest_error": damping, "runs": tried}
    try:
        if fit_on is not None:
            with connect(tmo_settings(db=db).db_path) as con:
                older = read_inputs(con, facts.revision_or_latest(con, fit_on))
            rows = bt.score(*bt.vintage(older, inputs), settings, others=others)
            rows = [{**r, "fit_on": fit_on} for r in rows]
        else:
            rows = []
            for jump_off in jump_offs:
                what = f"--jump-off {jump_off}"
                rows += bt.run(inputs, jump_off, settings, others=others)
    except ValueError as exc:
        what = f"--fit-on {fit_on}" if fit_on is not None else what
        raise InputError(f"{what}: {exc}") from None
    if fits:
        out["bayes"] = fits
    if fmt in {"html", "pdf"}:
        from tmo.projections.report import About, render_html, render_pdf  # noqa: PLC0415

        about = About(rev, settings.draws, settings.seed, settings.scale, settings.damping,
                      source.view, source.filter, source.files, source.n_rows, fit_on)
        target = out_path or Path(f"backtest.{lang}.{fmt}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "pdf":
            target.write_bytes(render_pdf(rows, about, lang))
        else:
            target.write_text(render_html(rows, about, lang), encoding="utf-8")
        click.echo(f"wrote {target}")
        return
    frame = pd.DataFrame(rows)
    if fmt == "json":
        out.update({"settings": {"damping": settings.damping, "scale": settings.scale,
                                 "draws": settings.draws, "seed": settings.seed},
                    "rows": rows})
        sys.stdout.write(json.dumps(out, default=float) + "\n")
        return
    cols = [c for c in ["target", "level", "sex", "method", "band", "n", "mae_log", "mape",
                        "wape", "bias_log", "mase", "coverage80", "coverage95", "crps"]
            if c in frame.columns]
    if fmt == "csv":
        pit = pd.DataFrame([p if isinstance(p, list) else [math.nan] * PIT_BINS
                            for p in frame.get("pit", pd.Series([None] * len(frame)))],
                           columns=[f"pit{b + 1}" for b in range(PIT_BINS)], index=frame.index)
        sys.stdout.write(pd.concat([frame.drop(columns="pit", errors="ignore"), pit], axis=1)
                         .to_csv(index=False))
    else:
        lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
        lines += ["| " + " | ".join(_cell(v) for v in rec) + " |"
                  for rec in frame[cols].itertuples(index=False)]
        sys.stdout.write("\n".join(lines) + "\n")


FLOW_COLUMNS = ["scenario", "kind", "method", "sex", "period_start", "period_end", "origin",
                "destination", "flow"]
DRAW_COLUMNS = ["kind", "method", "sex", "period_start", "period_end", "origin", "destination",
                "flow", "lower80", "upper80", "lower95", "upper95"]


def _with_intervals(frame: pd.DataFrame) -> pd.DataFrame:
    """The `draws_*` rows side by side: `flow` is the draws' median, then the bounds (0
    where a bound's flow is zero: zero flows are not stored); largest median first."""
    keys = ["revision", "jump_off", "kind", "method", "wpp_revision", "sex", "period_start",
            "period_end", "origin", "destination"]
    wide = frame.pivot_table(index=keys, columns="scenario", values="flow", aggfunc="sum",
                             fill_value=0.0).reset_index()
    wide = wide.rename(columns={f"draws_{k}": k for k in
                                ("lower80", "upper80", "lower95", "upper95")})
    wide = wide.rename(columns={"draws_median": "flow"})
    for col in ("flow", "lower80", "upper80", "lower95", "upper95"):
        if col not in wide.columns:
            wide[col] = 0.0
    wide = wide[wide["flow"] > 0].assign(scenario="draws")
    return wide.sort_values(["period_start", "sex", "flow", "origin", "destination"],
                            ascending=[True, True, False, True, True], ignore_index=True)


@projections.group("flows", invoke_without_command=True)
@click.option("--country", default=None, metavar="ISO3",
              help="One country's flows (either side).")
@click.option("--scenario", type=click.Choice(("median", "lower80", "upper80", "draws")),
              default="median", show_default=True,
              help="draws: the median of the flows estimated in each simulated future, "
              "with their 80 % and 95 % intervals.")
@click.option("--sex", type=click.Choice(("total", "female", "male", "all")), default="total",
              show_default=True)
@click.option("--limit", type=int, default=0, help="At most this many rows (0: all).")
@click.option("--format", "fmt", type=click.Choice((*FORMATS, "parquet")), default="md",
              show_default=True, help="parquet: every column and the provenance (--out).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="The Parquet file to write.")
@db_option
@click.pass_context
def flows_cmd(ctx: click.Context, country: str | None, scenario: str,  # noqa: PLR0917
              sex: str, limit: int, fmt: str, out_path: Path | None, db: Path | None) -> None:
    """Projected flows between the projected stocks (kind 'projected', never mixed with
    the estimated flows of `tmo flows`). Compute them first with
    `tmo projections flows run`."""
    if ctx.invoked_subcommand is not None:
        return
    from tmo.store.projected import DRAW_SCENARIOS, projected_flow_rows  # noqa: PLC0415

    with connect(tmo_settings(db=db).db_path) as con:
        iso3 = facts.require_country(con, country) if country else None
        frame = projected_flow_rows(
            con, country=iso3, scenario=scenario,
            sexes=("total", "female", "male") if sex == "all" else (sex,))
        columns = FLOW_COLUMNS
        if scenario == "draws" and not frame.empty:
            frame, columns = _with_intervals(frame), DRAW_COLUMNS
        if frame.empty:
            raise NotFound("the store holds no projected flows",
                           hint="run `tmo projections run`, then `tmo projections flows run`")
        if limit > 0:
            frame = frame.head(limit)
        if fmt == "parquet":
            revs = sorted(frame["revision"].astype(str).unique())
            wpp = sorted(frame["wpp_revision"].astype(str).unique())
            provenance = _provenance(con, "projected_flows WHERE " + describe(
                {"revision": revs, "wpp_revision": wpp,
                 "scenario": list(DRAW_SCENARIOS) if scenario == "draws" else scenario})
                + "; projections WHERE " + describe({"revision": revs}), [
                ("migrant_stock", {"revision": revs, "sex": ["female", "male"]}),
                ("population", {"source": "UN DESA IMS", "revision": revs}),
                ("population_projection", {"source": "UN WPP", "revision": wpp,
                                           "variant": "medium"}),
                ("vital_events", {"source": "UN WPP", "revision": wpp})], out_path)
            assert out_path is not None
            _write_parquet(frame, out_path, provenance)
            return
    _emit(frame, fmt, columns)


@flows_cmd.command("run")
@click.option("--revision", default=None, help="IMS revision (default: the latest projected).")
@click.option("--scenario", "scenarios",
              type=click.Choice(("median", "lower80", "upper80", "draws")),
              multiple=True, help="Repeat for several (default: median). draws: the flows "
              "of each of the first --flow-draws simulated futures and their quantiles.")
@click.option("--flow-draws", type=int, default=100, show_default=True,
              help="How many of the projection's simulated futures the draws scenario "
              "estimates flows for.")
@click.option("--flow-sex", "flow_sex", type=click.Choice(("all", "total")), default="all",
              show_default=True, help="The draws scenario's sexes: all (female, male and "
              "total; about twice the CPU of the total alone) or the total only.")
@db_option
@wait_option
def flows_run_cmd(revision: str | None, scenarios: tuple[str, ...],  # noqa: PLR0917
                  flow_draws: int, flow_sex: str, db: Path | None, wait: float) -> None:
    """Estimate the flows between the stored projected stocks (da_pb_closed, with WPP's
    medium-variant population, births and deaths) and store them (a new store file)."""
    from tmo.projections.flows import store_projected_flows  # noqa: PLC0415

    path = tmo_settings(db=db).db_path
    report, rows, lines = store_projected_flows(path, revision=revision,
                                                scenarios=scenarios or ("median",), wait=wait,
                                                flow_draws=flow_draws,
                                                flow_sexes=("total",) if flow_sex == "total"
                                                else ("total", "female", "male"),
                                                then=tuple(followers(frozenset({"projected_flows"}))))
    for line in lines:
        console.print(line)
    print_removed(report.removed)
    console.print(f"stored {len(rows):,} projected flows ({', '.join(scenarios or ('median',))})"
                  f" in {path}")


@flows_cmd.command("backtest")
@click.option("--jump-off", "jump_offs", type=int, multiple=True,
              help="Fit the stocks up to this year and score the flows of the later "
              "periods; repeat for several (default: 2015).")
@click.option("--flow-draws", type=click.IntRange(min=2), default=100, show_default=True,
              help="How many simulated futures to estimate flows in (on the real store "
              "about 0.06 s of CPU a future and period).")
@click.option("--revision", default=None, help="IMS revision (default: the latest).")
@click.option("--sex", type=click.Choice(("total", "female", "male", "all")), default="total",
              show_default=True, help="The tables' sex (all: each in turn).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json",
              show_default=True)
@db_option
def flows_backtest_cmd(jump_offs: tuple[int, ...], flow_draws: int,  # noqa: PLR0917
                       revision: str | None, sex: str, fmt: str, db: Path | None) -> None:
    """Score the projected flows' intervals on published years: flows estimated in
    simulated futures of the stocks against the flows estimated from the published stocks
    (80 % and 95 % coverage, CRPS, MAE and bias of log flows, WAPE, PIT; by size band, the
    world's total, and the previous period carried forward)."""
    from tmo.cli.flow_backtest import emit, run_backtest  # noqa: PLC0415

    emit(run_backtest(tmo_settings(db=db).db_path, jump_offs or (2015,), flow_draws,
                      revision, ("total", "female", "male") if sex == "all" else (sex,)), fmt)
