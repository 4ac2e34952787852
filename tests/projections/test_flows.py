"""Projected flows (`tmo projections flows run`) on the tiny fixture store after
`tmo projections run`: stored apart from the estimated flows, never negative, and they
account for the change between the projected stock tables: for every place, inflows minus
outflows equal the change in population less births plus deaths (with the closed
system's global closure), everything recomputed here from the store's views with pandas.

The fixture's made-up WPP population is flat while its births and deaths are not, so no
flows can account for it (the fit does not converge, as with `tmo flows`); the identity
test first sets WPP's 1 July 2030 population to what the projected stocks and WPP's events
imply, so that a fit that meets its margins exists."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from tmo.cli import cli

SEXES = ("total", "female", "male")


def _run(db: Path, *args: str) -> str:
    res = CliRunner().invoke(cli, ["projections", "flows", *args, "--db", str(db)])
    assert res.exit_code == 0, res.output
    return res.output


def _inputs(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Population on 1 July 2024 (IMS) and 2030 (WPP), births and deaths of 1 July 2024 -
    1 July 2030 by sex, known-origin immigrants in 2024 and 2030 (median), by country."""
    pop24 = con.execute("""SELECT country, sex, population::DOUBLE AS p FROM population
                           WHERE source = 'UN DESA IMS' AND revision = '2024'
                           AND year = 2024""").df().pivot(index="country", columns="sex",
                                                           values="p")
    ev = con.execute("""SELECT country, year, births, deaths FROM vital_events
                        WHERE source = 'UN WPP' AND revision = '2024' AND period_years = 1
                        AND year BETWEEN 2024 AND 2030""").df()
    ev["w"] = np.where(ev["year"].isin([2024, 2030]), 0.5, 1.0)  # half of 2024 and 2030
    ev = ev.assign(b=ev["births"] * ev["w"], d=ev["deaths"] * ev["w"]
                   ).groupby("country")[["b", "d"]].sum()
    imm = con.execute("""SELECT destination, sex, sum(jump_off_stock) AS i24,
                                sum(median) AS i30 FROM projections
                         WHERE year = 2030 AND origin NOT IN ('OOO', 'UN:900')
                         AND destination <> 'UN:900' GROUP BY ALL""").df()
    emi = con.execute("""SELECT origin, sex, sum(median - jump_off_stock) AS change
                         FROM projections WHERE year = 2030
                         AND origin NOT IN ('OOO', 'UN:900') AND destination <> 'UN:900'
                         GROUP BY ALL""").df()
    return {"pop24": pop24, "events": ev, "imm": imm, "emi": emi}


def _expected_net(data: dict[str, pd.DataFrame], pop30: pd.DataFrame, sex: str,
                  native24: pd.Series, native30: pd.Series) -> pd.Series:
    """Inflow - outflow by place: (P2 - P1) - (b - d) after the global closure
    dd = sum(b - d) - (sum P2 - sum P1), half taken from the native-born of the start and
    half added to those of the end, in proportion to them (docs/flows.md, step 2)."""
    share = data["pop24"][sex] / data["pop24"]["total"]
    b, d = data["events"]["b"] * share, data["events"]["d"] * share
    p1, p2 = data["pop24"][sex], pop30[sex]
    dd = (b - d).sum() - (p2.sum() - p1.sum())
    p1a = p1 - dd / 2 * native24 / native24.sum()
    p2a = p2 + dd / 2 * native30 / native30.sum()
    return (p2a - p1a) - (b - d)


@pytest.fixture(scope="module")
def consistent(projected: Path, tmp_path_factory: pytest.TempPathFactory
               ) -> tuple[Path, dict[str, pd.DataFrame], pd.DataFrame]:
    copy = tmp_path_factory.mktemp("projected_flows") / "tmo.duckdb"
    shutil.copy(projected, copy)
    con = duckdb.connect(str(copy))
    data = _inputs(con)
    imm = data["imm"].pivot(index="destination", columns="sex", values=["i24", "i30"])
    emi = data["emi"].pivot(index="origin", columns="sex", values="change")
    at = data["pop24"].index
    # 1 July 2030 = 2024 + births - deaths + the change in immigrants - the change in
    # emigrants: a world where the projected stocks are all the migration there is
    pop30 = pd.DataFrame({s: data["pop24"][s] + (data["events"]["b"] - data["events"]["d"])
                          * data["pop24"][s] / data["pop24"]["total"]
                          + imm[("i30", s)].reindex(at).fillna(0)
                          - imm[("i24", s)].reindex(at).fillna(0)
                          - emi[s].reindex(at).fillna(0)
                          for s in SEXES})
    for sex in SEXES:
        for country, value in pop30[sex].items():
            con.execute("""UPDATE base.population_projection SET population = ?
                           WHERE source = 'UN WPP' AND revision = '2024' AND year = 2030
                           AND date = '07-01' AND variant = 'medium' AND sex = ?
                           AND country = ?""", [float(value), sex, country])
    con.close()
    _run(copy, "run")
    return copy, data, pop30


def test_flows_account_for_the_projected_stocks(consistent) -> None:
    db, data, pop30 = consistent
    con = duckdb.connect(str(db), read_only=True)
    flows = con.execute("SELECT * FROM projected_flows").df()
    assert not con.execute("""SELECT * FROM findings
                              WHERE "check" = 'projected_flows_not_converged'""").fetchall()
    con.close()
    assert set(flows["kind"]) == {"projected"}
    assert set(flows["method"]) == {"da_pb_closed"}
    assert set(flows["scenario"]) == {"median"}
    assert (flows["flow"] > 0).all()
    first = flows[flows["period_start"] == 2024]
    assert set(first["period_end"]) == {2030}
    imm = data["imm"]
    for sex in SEXES:
        f = first[first["sex"] == sex]
        net = (f.groupby("destination")["flow"].sum()
               .sub(f.groupby("origin")["flow"].sum(), fill_value=0)
               .reindex(data["pop24"].index).fillna(0))
        known = imm[imm["sex"] == sex].set_index("destination")
        native24 = data["pop24"][sex] - known["i24"].reindex(data["pop24"].index).fillna(0)
        native30 = pop30[sex] - known["i30"].reindex(data["pop24"].index).fillna(0)
        expected = _expected_net(data, pop30, sex, native24, native30)
        assert abs(net.sum()) < 1e-3 * f["flow"].sum()  # a closed system
        np.testing.assert_allclose(net.to_numpy(), expected.to_numpy(),
                                   atol=1.0)  # persons
    assert first[first["sex"] == "total"]["flow"].sum() > 0


def test_estimated_flows_are_untouched_and_the_command_reads_them_back(consistent) -> None:
    db, _, _ = consistent
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM migration_flows").fetchone() == (0,)
    top = con.execute("""SELECT origin, destination, flow FROM projected_flows
                         WHERE sex = 'total' ORDER BY flow DESC LIMIT 1""").fetchall()[0]
    con.close()
    out = _run(db, "--format", "csv", "--limit", "1")
    line = out.splitlines()[1].split(",")
    assert line[:2] == ["median", "projected"]
    assert (line[6], line[7]) == top[:2]
    assert float(line[8]) == pytest.approx(top[2])


def test_no_projections_is_one_line_with_a_hint(fixture_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tmo.duckdb"
    shutil.copy(fixture_store, copy)
    res = CliRunner().invoke(cli, ["projections", "flows", "run", "--db", str(copy)])
    assert res.exit_code != 0
    assert "no projections" in res.output
    assert "tmo projections run" in res.output


def test_projected_flows_as_parquet_with_their_provenance(consistent, tmp_path: Path) -> None:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    db, _, _ = consistent
    out = tmp_path / "flows.parquet"
    _run(db, "--sex", "all", "--format", "parquet", "--out", str(out))
    frame = pq.read_table(out).to_pandas()
    con = duckdb.connect(str(db), read_only=True)
    stored = con.execute("SELECT count(*), sum(flow) FROM projected_flows "
                         "WHERE scenario = 'median'").fetchone()
    wpp = con.execute("SELECT DISTINCT src_file FROM vital_events WHERE source = 'UN WPP' "
                      "AND revision = '2024'").fetchall()
    con.close()
    assert stored is not None
    assert (len(frame), frame["flow"].sum()) == (stored[0], pytest.approx(stored[1]))
    views = frame["source_views"].iloc[0]
    for view in ("projections", "migrant_stock", "population", "population_projection",
                 "vital_events"):
        assert f"{view} WHERE" in views
    assert all(f in frame["source_files"].iloc[0] for (f,) in wpp)
