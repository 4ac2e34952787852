"""Intervals of the projected flows (`tmo projections flows run --scenario draws`, issue
#14): the simulated futures are drawn again exactly as the stored run drew them (their
quantiles are the stored ones), the first K draws of a run do not depend on how many it
has, and the flows' quantiles per cell are ordered and read back side by side."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from tmo.cli import cli
from tmo.projections.flows import draw_flows, world_lines
from tmo.projections.projection import Inputs, Settings, draw_stocks
from tmo.projections.stage import read_inputs

YEARS = np.array([1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024], dtype=float)


@settings(max_examples=15, deadline=None)
@given(arrays(np.float64, st.tuples(st.integers(2, 8), st.just(2), st.just(8)),
              elements=st.floats(0, 1e6, allow_nan=False, allow_infinity=False)),
       st.integers(1, 6))
def test_the_first_draws_do_not_depend_on_how_many(stocks, k) -> None:
    n = len(stocks)
    inputs = Inputs(np.array([f"O{i % 3}" for i in range(n)]),
                    np.array([f"D{i % 2}" for i in range(n)]), np.round(stocks), YEARS)
    s = Settings(draws=50, targets=(2030, 2050))
    few, many = draw_stocks(inputs, s, k), draw_stocks(inputs, s, 2 * k + 3)
    assert np.array_equal(few, many[:, :, :k])
    assert np.all(few >= 0)
    assert np.allclose(few[:, 2], few[:, 0] + few[:, 1])


def test_the_draws_drawn_again_are_those_of_the_stored_run(projected: Path) -> None:
    """Their quantiles are the stored projections' (read here with plain SQL)."""
    con = duckdb.connect(str(projected), read_only=True)
    inputs = read_inputs(con, "2024")
    found = con.execute("SELECT max(draws), max(seed) FROM projections").fetchone()
    assert found is not None
    draws, seed = found
    stored = con.execute("""SELECT origin, destination, year, lower80, median, upper95
                            FROM projections WHERE sex = 'total' AND origin <> 'UN:900'
                            AND destination <> 'UN:900'""").df()
    con.close()
    s = Settings(draws=int(draws), seed=int(seed))
    total = draw_stocks(inputs, s, int(draws))[:, 2]  # (n, draws, H)
    q = np.maximum.accumulate(np.quantile(total, [0.1, 0.5, 0.975], axis=1), axis=0)
    at = {(o, d): i for i, (o, d) in enumerate(zip(inputs.origins, inputs.destinations,
                                                   strict=True))}
    h = {y: j for j, y in enumerate(s.targets)}
    for r in stored.to_dict(orient="records"):
        i, j = at[(r["origin"], r["destination"])], h[int(r["year"])]
        assert (q[0, i, j], q[1, i, j], q[2, i, j]) == pytest.approx(
            (r["lower80"], r["median"], r["upper95"]), rel=1e-9, abs=1e-6)


@pytest.fixture(scope="module")
def with_draws(projected: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("flow_draws") / "tmo.duckdb"
    shutil.copy(projected, copy)
    res = CliRunner().invoke(cli, ["projections", "flows", "run", "--scenario", "median",
                                   "--scenario", "draws", "--flow-draws", "6",
                                   "--flow-sex", "total", "--db", str(copy)])
    assert res.exit_code == 0, res.output
    return copy


def test_flow_quantiles_are_ordered_and_read_back_side_by_side(with_draws: Path) -> None:
    con = duckdb.connect(str(with_draws), read_only=True)
    wide = con.execute("""PIVOT (SELECT scenario, period_start, origin, destination, flow
                                 FROM projected_flows WHERE scenario LIKE 'draws_%'
                                 AND sex = 'total')
                          ON scenario USING sum(flow)""").df().fillna(0.0)
    medians = con.execute("SELECT count(*) FROM projected_flows WHERE scenario = 'median'"
                          ).fetchone()
    drawn = con.execute("SELECT DISTINCT sex FROM projected_flows "
                        "WHERE scenario LIKE 'draws_%'").fetchall()
    con.close()
    assert medians is not None
    assert medians[0] > 0
    assert drawn == [("total",)]  # --flow-sex total: the draws of the total alone
    assert len(wide) > 0
    assert (wide["draws_lower95"] <= wide["draws_lower80"] + 1e-6).all()
    assert (wide["draws_lower80"] <= wide["draws_median"] + 1e-6).all()
    assert (wide["draws_median"] <= wide["draws_upper80"] + 1e-6).all()
    assert (wide["draws_upper80"] <= wide["draws_upper95"] + 1e-6).all()
    res = CliRunner().invoke(cli, ["projections", "flows", "--scenario", "draws", "--format",
                                   "json", "--db", str(with_draws)])
    assert res.exit_code == 0, res.output
    shown = json.loads(res.output)
    assert shown[0]["flow"] == max(r["flow"] for r in shown if r["period_start"]
                                   == shown[0]["period_start"])
    top = wide[(wide["period_start"] == shown[0]["period_start"])
               & (wide["origin"] == shown[0]["origin"])
               & (wide["destination"] == shown[0]["destination"])].iloc[0]
    assert (shown[0]["lower80"], shown[0]["flow"], shown[0]["upper95"]) == pytest.approx(
        (top["draws_lower80"], top["draws_median"], top["draws_upper95"]))


def test_too_many_flow_draws_is_one_line(projected: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tmo.duckdb"
    shutil.copy(projected, copy)
    res = CliRunner().invoke(cli, ["projections", "flows", "run", "--scenario", "draws",
                                   "--flow-draws", "5000", "--db", str(copy)])
    assert res.exit_code == 1
    assert "--flow-draws 5000: expected 2 to 60" in res.output


def test_the_world_total_per_draw_is_the_sum_of_its_flows(projected: Path) -> None:
    """The run's world lines are quantiles of each draw's total, recomputed here from the
    draws' flows; each draw's total is positive and the median sits inside its bounds."""
    con = duckdb.connect(str(projected), read_only=True)
    result = draw_flows(con, "2024", 3, ("total",))
    con.close()
    assert result.world.shape == (3, 1, len(result.fixed.years) - 1)
    assert (result.world > 0).all()
    q = result.quantiles
    assert (q[3] <= q[1] + 1e-6).all()
    assert (q[1] <= q[0] + 1e-6).all()
    lines = world_lines(result)
    assert len(lines) == result.world.shape[1]
    assert lines[0].startswith(f"world {result.fixed.years[0]}-{result.fixed.years[1]}: "
                               f"{np.median(result.world[:, 0, 0]):,.0f} (80 %")


def test_the_parquet_of_the_intervals_names_the_rows_it_comes_from(with_draws: Path,
                                                                   tmp_path: Path) -> None:
    """The first provenance filter, pasted into SQL, gives the stored rows the file's
    medians and bounds come from."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    out = tmp_path / "draws.parquet"
    res = CliRunner().invoke(cli, ["projections", "flows", "--scenario", "draws", "--format",
                                   "parquet", "--out", str(out), "--db", str(with_draws)])
    assert res.exit_code == 0, res.output
    frame = pq.read_table(out).to_pandas()
    first = frame["source_views"].iloc[0].split("; ")[0]
    assert first.startswith("projected_flows WHERE")
    con = duckdb.connect(str(with_draws), read_only=True)
    found = con.execute(f"SELECT count(*), sum(flow) FROM {first} AND sex = 'total' "
                        "AND scenario = 'draws_median'").fetchone()
    con.close()
    assert found is not None
    assert (found[0], found[1]) == (len(frame), pytest.approx(frame["flow"].sum()))
