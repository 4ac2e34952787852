"""Flows estimated from the store's stock tables, stored, exported and validated."""

from __future__ import annotations

import importlib
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
from tmo.pipeline import store_flows


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
    unknown = con.execute("""SELECT sum(stock) FROM migrant_stock WHERE revision = '2024'
        AND year = 2024 AND destination = 'DEU' AND origin = 'OOO' AND sex = 'total'
        """).fetchone()
    con.close()
    assert unknown is not None
    i = t.labels.index("DEU")
    residents = t.stocks[0, t.years.index(2024), :, i].sum()
    assert residents == pytest.approx(pop.set_index("country").loc["DEU", "population"])
    foreign = residents - t.stocks[0, t.years.index(2024), i, i]
    # published conventions: immigrants of unknown origin stay among the native-born
    assert unknown[0] > 0
    assert foreign + unknown[0] == pytest.approx(16_750_084)
    assert (t.stocks >= 0).all()
    assert (t.births >= 0).all()
    assert (t.deaths >= 0).all()


def test_small_areas_have_native_born_by_sex(flow_store: Path) -> None:
    """IMS 2020 gives no population by sex for 34 small areas (Andorra among them): their
    female and male tables take the total split by the WPP sex ratio, not zero."""
    con = duckdb.connect(str(flow_store), read_only=True)
    t = stock_tables(con, "2020", ("total", "female", "male"))
    con.close()
    i = t.labels.index("AND")
    native = t.stocks[:, :, i, i]  # (sex, year)
    assert (native[1:] > 0).all()
    np.testing.assert_allclose(native[1] + native[2], native[0], rtol=1e-9)
    by_sex = [f for f in t.findings if f.check == "flows_population_by_sex"]
    assert by_sex
    assert "AND" in by_sex[0].where
    assert "WPP sex ratio" in by_sex[0].message
    assert not any(f.check == "flows_native_born" and "AND" in f.where for f in t.findings)


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


def test_all_methods_in_one_pass(fixture_flow_store: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`--method all`: every method and sex estimated from one read of the store and
    written in one swap of the store."""
    pipeline = importlib.import_module("tmo.pipeline")  # tmo flows imports it when it writes
    writes: list[int] = []

    def counted(db: Path, frame: pd.DataFrame, *args: object, **kwargs: object) -> object:
        writes.append(len(frame))
        return store_flows(db, frame, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "store_flows", counted)
    res = CliRunner().invoke(cli, ["flows", "--db", str(fixture_flow_store), "--revision",
                                   "2024", "--method", "all"])
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(fixture_flow_store), read_only=True)
    methods = con.execute("""SELECT method, count(DISTINCT sex), count(*) FROM migration_flows
        GROUP BY method ORDER BY method""").fetchall()
    con.close()
    assert [(m, s) for m, s, _ in methods] == [
        (m, 3) for m in sorted(["sd_drop_neg", "sd_rev_neg", "mig_rate", "da_min_open",
                                "da_min_closed", "da_ind_closed", "da_pb_closed"])]
    assert writes == [sum(n for *_, n in methods)]


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


def test_validate_2020_mig_rate_does_not_abort(flow_store: Path) -> None:
    """IMS 2020's closed accounting does not converge (Curaçao before 2010); mig_rate and
    `tmo flows validate` used to abort on it, under either conventions."""
    for conventions in ("published", "previous"):
        res = CliRunner().invoke(cli, ["flows", "validate", "--db", str(flow_store),
                                       "--revision", "2020", "--method", "mig_rate",
                                       "--conventions", conventions, "--format", "json"])
        assert res.exit_code == 0, res.output
        rows = pd.read_json(io.StringIO(res.output))
        assert int(rows["pairs"].iloc[0]) > 1000
