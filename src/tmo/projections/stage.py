"""Glue between the store and the projection kernels: the female and male corridor
stocks of an IMS revision read through `store/facts`, every corridor projected
(`projection`), the rows of the `projections` table written through `writer.derive`
(a new store file swapped in), and the stored rows read back for the command line and
the web."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from tmo.errors import NotFound
from tmo.projections import backtest, baselines
from tmo.projections.projection import (
    PROBS,
    SEX_ORDER,
    Ceiling,
    Combined,
    Inputs,
    Runner,
    Settings,
    combine,
    in_process,
    plan,
)
from tmo.projections.scores import PIT_BINS
from tmo.store import facts, projected
from tmo.store.writer import Stage, WriteReport, derive, ensure_table, replace_rows

WORLD = "UN:900"
TABLE = "projections"
BACKTEST = "projection_backtest"
OUTPUTS = frozenset({TABLE, BACKTEST})
COLUMNS = ["revision", "jump_off", "year", "origin", "destination", "sex", "jump_off_stock",
           "median", "lower80", "upper80", "lower95", "upper95", "constant", "linear",
           "loglinear", "drift", "draws", "seed", "ceiling", "held", "wpp_revision"]
PIT_COLUMNS = [f"pit{k}" for k in range(1, PIT_BINS + 1)]


def read_inputs(con: duckdb.DuckDBPyConnection, revision: str) -> Inputs:
    """Every corridor of the revision with its female and male stocks at every year."""
    frame = facts.stock_rows(con, revision, ("female", "male"))
    if frame.empty:
        raise NotFound(f"IMS {revision} has no stocks by sex in the store")
    wide = frame.pivot_table(index=["origin", "destination"], columns=["sex", "year"],
                             values="stock", aggfunc="sum", fill_value=0)
    years = np.array(sorted(frame["year"].unique()), dtype=float)
    cols = pd.MultiIndex.from_product([["female", "male"], years.astype(int)])
    grid = wide.reindex(columns=cols, fill_value=0).to_numpy(float)
    stocks = grid.reshape(len(wide), 2, len(years))
    return Inputs(wide.index.get_level_values(0).to_numpy(str),
                  wide.index.get_level_values(1).to_numpy(str), stocks, years)


def read_ceiling(con: duckdb.DuckDBPyConnection, inputs: Inputs, targets: tuple[int, ...]
                 ) -> tuple[Ceiling | None, str | None]:
    """The destinations' populations on 1 July of the target years, female and male, in the
    medium variant of the latest WPP revision with a projection (NaN where WPP has none),
    and that revision; (None, None) when the store holds no WPP projection."""
    revisions = projected.projection_revisions(con)
    if not revisions:
        return None, None
    pop = projected.projected_population(con, revisions[-1])
    codes = np.unique(inputs.destinations)
    out = np.full((2, len(codes), len(targets)), np.nan)
    for s, sex in enumerate(("female", "male")):
        for t, year in enumerate(targets):
            out[s, :, t] = projected.population_on_1_july(pop, year, sex).reindex(codes)
    return Ceiling(codes, tuple(targets), out), revisions[-1]


@dataclass
class Run:
    """A projection run: its inputs, settings, results, how long it took, and the ceiling
    it was held at (with the WPP revision it comes from)."""

    inputs: Inputs
    settings: Settings
    result: Combined
    seconds: float
    ceiling: Ceiling | None = None
    wpp_revision: str | None = None


def project(inputs: Inputs, settings: Settings, runner: Runner = in_process,
            ceiling: Ceiling | None = None, wpp_revision: str | None = None) -> Run:
    """Every corridor projected (in process by default, or with a cluster's runner), held
    at the `ceiling` when one is given."""
    start = time.perf_counter()
    result = combine(runner(plan(inputs, settings, ceiling=ceiling)), len(inputs.origins))
    return Run(inputs, settings, result, time.perf_counter() - start, ceiling, wpp_revision)


def _held(run: Run, codes: np.ndarray) -> dict[str, np.ndarray]:
    """The ceiling (3, m, H; total: both sexes') and the share of draws held at it of the
    destinations `codes` (NaN without a ceiling)."""
    shape = (3, len(codes), len(run.settings.targets))
    if run.ceiling is None or run.result.capped is None:
        return {"ceiling": np.full(shape, np.nan), "held": np.full(shape, np.nan)}
    pop = run.ceiling.aligned(codes, run.settings.targets)
    ceiling = np.concatenate([pop, pop.sum(axis=0, keepdims=True)])
    held = np.where(np.isnan(ceiling), np.nan, run.result.capped / run.settings.draws)
    return {"ceiling": ceiling, "held": held}


def _frame(codes: tuple[np.ndarray, np.ndarray], q: np.ndarray, last: np.ndarray,
           base: dict[str, np.ndarray], targets: tuple[int, ...]) -> pd.DataFrame:
    """Rows of (origin, destination) x sex x year from quantiles (3, P, n, H), jump-off
    stocks (3, n) and baselines' points (3, n, H)."""
    n, h = q.shape[2], q.shape[3]
    shape = (3, n, h)
    sex = np.broadcast_to(np.array(SEX_ORDER)[:, None, None], shape)
    year = np.broadcast_to(np.array(targets)[None, None, :], shape)
    origin = np.broadcast_to(codes[0][None, :, None], shape)
    dest = np.broadcast_to(codes[1][None, :, None], shape)
    cols = {"origin": origin, "destination": dest, "sex": sex, "year": year,
            "jump_off_stock": np.broadcast_to(last[:, :, None], shape)}
    names = ("lower95", "lower80", "median", "upper80", "upper95")
    for p, name in enumerate(names):
        cols[name] = q[:, p]
    cols.update(base)
    return pd.DataFrame({k: np.asarray(v).ravel() for k, v in cols.items()})


def rows(run: Run, revision: str) -> pd.DataFrame:
    """The `projections` rows of a run: corridors, destinations' and origins' totals and
    the world, each sex and target year."""
    inp, s, res = run.inputs, run.settings, run.result
    targets = np.array(s.targets)
    stocks3 = np.concatenate([inp.stocks, inp.stocks.sum(axis=1, keepdims=True)], axis=1)
    last = stocks3[:, :, -1].T  # (3, n)
    base = {name: np.stack([baselines.points(stocks3[:, i], inp.years, targets)[name]
                            * (last[i] > 0)[:, None] for i in range(3)])
            for name in baselines.NAMES}
    parts = [_frame((inp.origins, inp.destinations), res.quantiles, last, base, s.targets)]
    for side, draws, codes_of in (("destination", res.by_destination, inp.destinations),
                                  ("origin", res.by_origin, inp.origins)):
        codes, pos = np.unique(codes_of, return_inverse=True)

        def total(values: np.ndarray, pos: np.ndarray = pos, m: int = len(codes)
                  ) -> np.ndarray:
            out = np.zeros((values.shape[0], m, *values.shape[2:]))
            for i in range(values.shape[0]):
                np.add.at(out[i], pos, values[i])
            return out

        q = np.quantile(draws, PROBS, axis=2).transpose(1, 0, 2, 3)  # (3, P, m, H)
        q = np.maximum.accumulate(q, axis=1)
        world = np.full(len(codes), WORLD)
        pair = (world, codes) if side == "destination" else (codes, world)
        extra = {k: total(v) for k, v in base.items()}
        if side == "destination":
            extra |= _held(run, codes)
            # a draw held at the ceiling sums back to it within rounding: stored at it
            q = np.fmin(q, extra["ceiling"][:, None])
        parts.append(_frame(pair, q, total(last[:, :, None])[:, :, 0], extra, s.targets))
    everything = res.by_destination.sum(axis=1, keepdims=True)  # (3, 1, D, H)
    qw = np.maximum.accumulate(np.quantile(everything, PROBS, axis=2)
                               .transpose(1, 0, 2, 3), axis=1)
    parts.append(_frame((np.array([WORLD]), np.array([WORLD])), qw,
                        last.sum(axis=1, keepdims=True),
                        {k: v.sum(axis=1, keepdims=True) for k, v in base.items()}, s.targets))
    out = pd.concat(parts, ignore_index=True)
    out = out.reindex(columns=[c for c in COLUMNS if c != "wpp_revision"])
    wpp = out["ceiling"].notna().map({True: run.wpp_revision, False: None})
    return out.assign(revision=revision, jump_off=int(inp.years[-1]), draws=s.draws,
                      seed=s.seed, wpp_revision=wpp)[COLUMNS]


def backtest_rows(inputs: Inputs, settings: Settings, revision: str,
                  runner: Runner = in_process) -> pd.DataFrame:
    """The `projection_backtest` rows stored beside a run: the same model and settings fitted
    on the estimates up to the third latest estimate year (2015 for IMS 2024) and scored on
    the later ones; none when the revision has fewer than five estimate years."""
    cols = ["revision", "jump_off", "target", "level", "sex", "method", "band", "n",
            "mae_log", "mape", "wape", "bias_log", "coverage80", "coverage95",
            "interval_score80", "interval_score95", "crps", "draws", "seed", "mase",
            *PIT_COLUMNS]
    if len(inputs.years) < 5:
        return pd.DataFrame(columns=cols)
    jump_off = int(inputs.years[-3])
    frame = pd.DataFrame(backtest.run(inputs, jump_off, settings, runner))
    pits = [r if isinstance(r, list) else [np.nan] * PIT_BINS
            for r in frame.get("pit", pd.Series([None] * len(frame)))]
    frame[PIT_COLUMNS] = pd.DataFrame(pits, index=frame.index, columns=PIT_COLUMNS)
    return frame.assign(revision=revision, draws=settings.draws, seed=settings.seed
                        ).reindex(columns=cols)


def store_projections(db: Path, settings: Settings, *, revision: str | None = None,
                      runner: Runner = in_process, wait: float = 0,
                      then: tuple[Stage, ...] = ()
                      ) -> tuple[WriteReport, Run, pd.DataFrame]:
    """`tmo projections run`: project every corridor of a revision (default: the latest),
    its destinations' immigrants held at WPP's projected population, score the same model
    (without the ceiling: the population of past years was not known at the jump-off) on
    a backtest, and replace the revision's stored projections and
    backtest, in a new store file swapped in; `then`: the stages that read them (the
    profiles, `tmo.pipeline`)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rev = facts.revision_or_latest(con, revision)
        inputs = read_inputs(con, rev)
        ceiling, wpp = read_ceiling(con, inputs, settings.targets)
    finally:
        con.close()
    run = project(inputs, settings, runner, ceiling, wpp)
    frame = rows(run, rev)
    scored = backtest_rows(inputs, settings, rev, runner)

    def write(c: duckdb.DuckDBPyConnection) -> None:
        ensure_table(c, TABLE)
        replace_rows(c, TABLE, frame, ["revision"])
        ensure_table(c, BACKTEST)
        replace_rows(c, BACKTEST, scored, ["revision"])

    report = derive(db, "projections", write, then=then, command="tmo projections run",
                    wait=wait)
    return report, run, frame
