"""Backtest of the projected flows' intervals (`tmo projections flows backtest`, issue #14):
the scores against their definitions, a truth drawn from the draws' own distribution
covered at the rate expected for K draws (and a too narrow one not), the tables of a
draw, the baseline, the reported flows, the glue's published flows equal to `tmo flows`'
own, and the command's JSON."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from click.testing import CliRunner

from tmo.cli import cli
from tmo.flows import estimate_store
from tmo.projections import flow_backtest as fb
from tmo.projections.projection import Inputs


def _binomial_tolerance(p: float, n: int, z: float = 4.0) -> float:
    return z * math.sqrt(p * (1 - p) / n)


def test_cell_scores_follow_their_definitions() -> None:
    rng = np.random.default_rng(7)
    draws = rng.gamma(2.0, 500.0, size=(40, 9))
    truth = rng.gamma(2.0, 500.0, size=40)
    got = fb.cell_scores(draws, truth)
    inside80 = inside95 = 0
    crps, pit = [], []
    for x, y in zip(draws, truth, strict=True):
        lo80, hi80, lo95, hi95 = np.quantile(x, [0.1, 0.9, 0.025, 0.975])
        inside80 += lo80 <= y <= hi80
        inside95 += lo95 <= y <= hi95
        lx, ly = np.log1p(x), np.log1p(y)
        # CRPS = E|X - y| - E|X - X'| / 2 over the draws (Gneiting and Raftery 2007)
        crps.append(np.mean(np.abs(lx - ly)) - np.mean(np.abs(lx[:, None] - lx[None])) / 2)
        pit.append(np.mean(x < y) + np.mean(x == y) / 2)
    median = np.median(draws, axis=1)
    assert got["coverage80"] == inside80 / 40
    assert got["coverage95"] == inside95 / 40
    assert math.isclose(got["crps"], float(np.mean(crps)), rel_tol=1e-9)
    assert got["pit"] == [float(c) / 40 for c in np.histogram(pit, bins=10, range=(0, 1))[0]]
    assert math.isclose(got["mae_log"], float(np.mean(np.abs(np.log1p(median)
                                                            - np.log1p(truth)))))
    assert math.isclose(got["wape"], 100 * np.abs(median - truth).sum() / truth.sum())
    point = fb.point_scores(median, truth)
    assert point["crps"] == point["mae_log"] == got["mae_log"]


def test_a_truth_from_the_same_distribution_is_covered_as_expected_for_k_draws() -> None:
    """Truth and K draws exchangeable (a uniform scaled per cell): the central intervals
    cover level (K - 1) / (K + 1) of the cells, within 4 binomial standard errors, and
    the PIT histogram is flat; intervals half as wide cover far less."""
    rng = np.random.default_rng(2024)
    cells, k = 5000, 19
    low, width = rng.uniform(0, 1e4, cells), rng.uniform(1, 1e5, cells)
    sample = low[:, None] + width[:, None] * rng.uniform(size=(cells, k + 1))
    draws, truth = sample[:, :k], sample[:, k]
    got = fb.cell_scores(draws, truth)
    for level, key in ((0.8, "coverage80"), (0.95, "coverage95")):
        expected = fb.expected_coverage(level, k)
        assert abs(got[key] - expected) < _binomial_tolerance(expected, cells), (key, got[key])
    assert fb.expected_coverage(0.8, k) == 0.8 * 18 / 20
    assert max(abs(np.array(got["pit"]) - 0.1)) < _binomial_tolerance(0.1, cells)
    centre = np.median(draws, axis=1, keepdims=True)
    narrow = fb.cell_scores(centre + (draws - centre) / 2, truth)
    assert narrow["coverage80"] < fb.expected_coverage(0.8, k) - 0.1
    assert narrow["pit"][0] > 0.15
    assert narrow["pit"][-1] > 0.15


def test_draw_grids_put_each_corridor_in_its_cell() -> None:
    inputs = Inputs(np.array(["A", "B", "OOO", "C", "Z"]), np.array(["B", "A", "A", "A", "A"]),
                    np.zeros((5, 2, 3)), np.array([2010.0, 2015.0, 2020.0]))
    stocks = np.arange(5 * 2 * 1, dtype=float).reshape(5, 2, 1) + 1  # (corridors, K, H)
    known, unknown, dropped = fb.draw_grids(inputs, stocks, ["A", "B", "C"])
    assert dropped == 1  # Z is not a place of the tables
    assert known.shape == (2, 1, 3, 3)
    assert unknown.shape == (2, 1, 3)
    for k in range(2):
        assert known[k, 0, 0, 1] == stocks[0, k, 0]
        assert known[k, 0, 1, 0] == stocks[1, k, 0]
        assert known[k, 0, 2, 0] == stocks[3, k, 0]
        assert unknown[k, 0, 0] == stocks[2, k, 0]
        assert known[k, 0].sum() == stocks[[0, 1, 3], k, 0].sum()


def test_the_baseline_is_the_previous_period_annualised_and_bands_come_from_it() -> None:
    previous = np.array([[0.0, 50.0], [5_000.0, 0.0]])
    base = fb.baseline_flows(previous, 5, [(2015, 2020), (2020, 2024)])
    assert np.array_equal(base[0], previous)
    assert np.allclose(base[1], previous * 4 / 5)
    assert list(fb.bands(np.array([0, 99, 100, 999, 1_000, 99_999, 100_000]))) == [
        0, 0, 1, 1, 2, 3, 4]
    truth = np.array([[[0.0, 60.0], [4_000.0, 0.0]]])
    draws = np.stack([truth * f for f in (0.5, 1.0, 1.5, 2.0)])
    rows, world = fb.score(truth, draws, base[:1], previous, jump_off=2015,
                           periods=[(2015, 2020)])
    by = {(r["band"], r["method"]): r for r in rows}
    assert by[("all", "draws")]["n"] == 2
    assert by[("under 100", "draws")]["n"] == 1
    assert by[("1,000-9,999", "draws")]["n"] == 1
    assert by[("all", "previous_period")]["wape"] == 100 * (10 + 1_000) / 4_060
    (w,) = world
    assert w["truth"] == 4_060
    assert w["baseline"] == 5_050
    assert w["median"] == np.median(draws.sum(axis=(2, 3)))
    assert w["pit"] == 0.25 + 0.25 / 2


def test_reported_flows_are_period_totals_of_three_or_more_years() -> None:
    reported = pd.DataFrame({"year": [2015, 2016, 2017, 2015, 2016],
                             "origin": ["A", "A", "A", "B", "B"],
                             "destination": ["B", "B", "B", "A", "A"],
                             "flow": [10.0, 20.0, 30.0, 5.0, 5.0]})
    truth = np.array([[[0.0, 90.0], [7.0, 0.0]]])
    draws = np.stack([truth * f for f in (0.5, 1.0, 2.0)])
    rows = fb.reported_scores(reported, ["A", "B"], [(2015, 2020)], truth, draws,
                              baseline=truth, jump_off=2015)
    by = {r["method"]: r for r in rows}
    assert by["draws"]["n"] == 1  # B -> A has two years only
    assert by["draws"]["truth_total"] == 100.0  # mean 20 a year x 5 years
    assert math.isclose(by["published_stocks"]["mae_log"], abs(math.log(91 / 101)))


def test_the_published_flows_of_the_glue_are_those_of_tmo_flows(fixture_store: Path) -> None:
    """`flows_of` with the published stocks of two periods gives the flows `tmo flows`
    estimates (da_pb_closed, total) for those periods, to the last digit."""
    con = duckdb.connect(str(fixture_store), read_only=True)
    inputs, _ = estimate_store.store_inputs(con, "2024", ("total",))
    tables = estimate_store.stock_tables(con, "2024", ("total",))
    con.close()
    whole, _ = estimate_store.estimate_tables(tables, ("da_pb_closed",))
    od = whole["da_pb_closed"].od.reshape(1, len(tables.years) - 1, *whole["da_pb_closed"]
                                          .od.shape[-2:])
    j = inputs.years.index(2015)
    got, _ = estimate_store.flows_of(inputs, j, j + 2, inputs.known[:, j:j + 3],
                                     inputs.unknown[:, j:j + 3])
    assert got.shape == (1, 2, len(inputs.places), len(inputs.places))
    assert od[0, j:j + 2].sum() > 0
    assert np.allclose(got[0], od[0, j:j + 2], rtol=1e-9, atol=1e-6)


def test_the_command_prints_the_documented_json(fixture_store: Path) -> None:
    res = CliRunner().invoke(cli, ["projections", "flows", "backtest", "--flow-draws", "4",
                                   "--sex", "all", "--format", "json",
                                   "--db", str(fixture_store)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert set(out) == {"settings", "rows", "world", "findings", "sources", "cost"}
    assert out["settings"]["flow_draws"] == 4
    assert out["settings"]["method"] == "da_pb_closed"
    assert out["settings"]["expected_coverage80"] == 0.8 * 3 / 5
    periods = {(r["sex"], r["period_start"], r["period_end"]) for r in out["world"]}
    assert periods == {(sex, t0, t1) for sex in ("total", "female", "male")
                       for t0, t1 in ((2015, 2020), (2020, 2024))}
    assert {r["sex"] for r in out["rows"] if r["level"] == "reported"} <= {"total"}
    keys = {"jump_off", "period_start", "period_end", "level", "band", "method", "n",
            "mae_log", "wape", "bias_log", "crps"}
    for r in out["rows"]:
        assert keys <= set(r)
        if r["method"] == "draws":
            assert 0 <= r["coverage80"] <= r["coverage95"] <= 1
            assert math.isclose(sum(r["pit"]), 1.0)
    assert {s["view"] for s in out["sources"]} >= {"migrant_stock", "population",
                                                   "vital_events"}
    bad = CliRunner().invoke(cli, ["projections", "flows", "backtest", "--jump-off", "1995",
                                   "--db", str(fixture_store)])
    assert bad.exit_code != 0
    assert "--jump-off 1995" in bad.output


def test_run_estimates_the_truth_the_baseline_and_each_future_on_its_own_tables() -> None:
    """With a toy estimator (the positive stock differences), the truth is the published
    tables' flows, the baseline the period before the jump-off's, each future's the drawn
    stocks' (`draw_stocks` of the fit up to the jump-off), and a finding of the futures is
    reported once, with its places and the number of futures it occurred in."""
    from tmo.findings import Finding
    from tmo.projections.projection import Settings, draw_stocks

    years = [2000, 2005, 2010, 2015, 2020]
    rng = np.random.default_rng(3)
    corridors = [("A", "B"), ("B", "A"), ("C", "A"), ("A", "C")]
    stocks = rng.uniform(100, 10_000, size=(len(corridors), 2, len(years))).round()
    inputs = Inputs(np.array([o for o, _ in corridors]), np.array([d for _, d in corridors]),
                    stocks, np.array(years, dtype=float))
    places = ["A", "B", "C"]
    known = np.zeros((len(years), 3, 3))
    for c, (o, d) in enumerate(corridors):
        known[:, places.index(o), places.index(d)] = stocks[c].sum(axis=0)
    published = fb.Published(years, places, known, np.zeros((len(years), 3)))
    calls = []

    def estimate(first: int, last: int, k: np.ndarray, u: np.ndarray):
        calls.append((first, last))
        where = "A (batch index (0, 1)), C" if len(calls) % 2 else "B"
        return (np.maximum(np.diff(k, axis=0), 0),
                [Finding("toy", "info", "toy", where, "toy finding")])

    settings = Settings()
    result = fb.run(published, estimate, inputs, 2010, settings=settings, flow_draws=5)
    assert result.periods == [(2010, 2015), (2015, 2020)]
    assert calls[:2] == [(2, 4), (1, 2)]
    assert np.array_equal(result.truth, np.maximum(np.diff(known[2:], axis=0), 0))
    assert np.allclose(result.baseline[1], np.maximum(known[2] - known[1], 0))
    train = Inputs(inputs.origins, inputs.destinations, stocks[:, :, :3], inputs.years[:3])
    drawn = draw_stocks(train, Settings(targets=(2015, 2020), draws=5), 5)[:, 2]
    for k in range(5):
        tables = np.zeros((3, 3, 3))
        tables[0] = known[2]
        for c, (o, d) in enumerate(corridors):
            tables[1:, places.index(o), places.index(d)] = drawn[c, k]
        assert np.allclose(result.draws[k], np.maximum(np.diff(tables, axis=0), 0), rtol=1e-6)
    toy = [f for f in result.findings if f.check == "toy" and "futures" in f.message]
    assert len(toy) == 1
    assert toy[0].where == "A, B, C"
    assert "(in 5 of 5 simulated futures from 2010)" in toy[0].message
