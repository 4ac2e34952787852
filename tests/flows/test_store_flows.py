"""Flows estimated from the store's stock tables, stored, exported and validated."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from tmo.cli import cli
from tmo.flows.estimate_store import COLUMNS, stock_tables


@pytest.fixture(scope="module")
def flow_store(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shared store, since these tests write flows into it."""
    copy = tmp_path_factory.mktemp("flows") / "tmo.duckdb"
    shutil.copy(store, copy)
    return copy


def test_stock_tables_keep_destination_totals(flow_store: Path) -> None:
    con = duckdb.connect(str(flow_store), read_only=True)
    t = stock_tables(con, "2024", ("total",))
    pop = con.execute("""SELECT country, population FROM population WHERE source = 'UN DESA IMS'
        AND revision = '2024' AND year = 2024 AND sex = 'total'""").df()
    con.close()
    i = t.labels.index("DEU")
    residents = t.stocks[0, t.years.index(2024), :, i].sum()
    assert residents == pytest.approx(pop.set_index("country").loc["DEU", "population"])
    foreign = residents - t.stocks[0, t.years.index(2024), i, i]
    assert foreign == pytest.approx(16_750_084)  # unknown origins shared, total kept
    assert (t.stocks >= 0).all()
    assert (t.births >= 0).all()
    assert (t.deaths >= 0).all()


@pytest.fixture
def fixture_flow_store(fixture_store: Path, tmp_path: Path) -> Path:
    """A copy of the fixture store (hand-made figures, eight countries)."""
    return Path(shutil.copy(fixture_store, tmp_path / "tmo.duckdb"))


def test_estimate_store_and_export(fixture_flow_store: Path) -> None:
    """On the fixture store; the real store's flows are estimated for the web tests
    (tests/web/conftest.py) and validated below."""
    flow_store = fixture_flow_store
    runner = CliRunner()
    res = runner.invoke(cli, ["flows", "--db", str(flow_store), "--revision", "2024",
                              "--method", "da_min_closed", "--sex", "total", "--format", "csv",
                              "--out", str(flow_store.parent / "flows.csv")])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(flow_store.parent / "flows.csv")
    assert list(frame.columns) == COLUMNS
    assert set(frame["period_start"]) == {1990, 1995, 2000, 2005, 2010, 2015, 2020}
    assert (frame["flow"] > 0).all()
    assert (frame["origin"] != frame["destination"]).all()
    assert frame["origin"].str.fullmatch(r"[A-Z]{3}").all()
    con = duckdb.connect(str(flow_store), read_only=True)
    stored = con.execute("""SELECT count(*), sum(flow) FROM migration_flows
        WHERE revision = '2024' AND method = 'da_min_closed' AND sex = 'total'""").fetchone()
    con.close()
    assert stored is not None
    assert stored[0] == len(frame)
    assert stored[1] == pytest.approx(frame["flow"].sum())
    # a second run replaces, never duplicates
    res = runner.invoke(cli, ["flows", "--db", str(flow_store), "--revision", "2024",
                              "--method", "da_min_closed", "--sex", "total"])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(flow_store), read_only=True)
    again = con.execute("""SELECT count(*) FROM migration_flows WHERE method = 'da_min_closed'
        """).fetchone()
    con.close()
    assert again == (len(frame),)


def test_user_tables(tmp_path: Path) -> None:
    s1 = ("orig,dest,stock\nA,A,1000\nB,A,55\nC,A,80\nA,B,100\nB,B,500\nC,B,10\n"
          "A,C,20\nB,C,20\nC,C,700\n")
    s2 = ("orig,dest,stock\nA,A,950\nB,A,70\nC,A,90\nA,B,120\nB,B,490\nC,B,25\n"
          "A,C,40\nB,C,15\nC,C,700\n")
    (tmp_path / "s1.csv").write_text(s1)
    (tmp_path / "s2.csv").write_text(s2)
    res = CliRunner().invoke(cli, ["flows", "--stocks-start", str(tmp_path / "s1.csv"),
                                   "--stocks-end", str(tmp_path / "s2.csv"),
                                   "--method", "sd_drop_neg"])
    assert res.exit_code == 0, res.output
    flows = pd.read_csv(io.StringIO(res.output))
    got = {(r.origin, r.destination): r.flow for r in flows.itertuples()}
    # stock differencing: increase of people born in row, living in column
    assert got[("B", "A")] == 15
    assert got[("C", "A")] == 10
    assert got[("A", "C")] == 20
    assert np.isclose(flows["flow"].sum(), 15 + 10 + 20 + 15 + 20)
    (tmp_path / "bad.csv").write_text("orig,dest,stock\nA,A,lots\n")
    res = CliRunner().invoke(cli, ["flows", "--stocks-start", str(tmp_path / "bad.csv"),
                                   "--stocks-end", str(tmp_path / "s2.csv")])
    assert res.exit_code == 1
    assert "bad.csv line 2: stock is not a number" in res.output


def test_validate_against_reported_flows(flow_store: Path) -> None:
    res = CliRunner().invoke(cli, ["flows", "validate", "--db", str(flow_store), "--method",
                                   "sd_drop_neg", "--method", "da_min_open", "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = pd.read_json(io.StringIO(res.output))
    assert list(rows["method"]) == ["sd_drop_neg", "da_min_open"]
    assert (rows["pairs"] > 2000).all()
    assert (rows[["count", "proportion", "immigration_rate"]] > 0.5).all().all()
