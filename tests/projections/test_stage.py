"""`tmo projections run` on the tiny fixture store: rows written through the store's write
path, totals whose jump-off stocks are the store's own sums, ordered intervals, the read
commands in CSV, JSON and Markdown, and one-line errors."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
from click.testing import CliRunner

from tmo.cli import cli


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    row = con.execute(sql, params or []).fetchone()
    assert row is not None
    return row[0]


def test_stored_rows_are_ordered_and_totals_are_the_store_sums(projected: Path) -> None:
    con = duckdb.connect(str(projected), read_only=True)
    rows = con.execute("SELECT * FROM projections").df()
    last = one(con, "SELECT max(year) FROM migrant_stock")
    sums = con.execute("""SELECT destination, sum(stock) AS s FROM migrant_stock
                          WHERE year = ? AND sex IN ('female', 'male')
                          GROUP BY destination""", [last]).df()
    stages = dict(con.execute("SELECT key, value FROM build_info").fetchall())["stages"]
    con.close()
    assert "projections" in stages.split(",")
    assert set(rows["year"]) == {2030, 2035, 2040, 2045, 2050}
    assert (rows["jump_off"] == last).all()
    cols = ["lower95", "lower80", "median", "upper80", "upper95"]
    assert (rows[cols].diff(axis=1).iloc[:, 1:] >= 0).all().all()
    assert (rows[cols] >= 0).all().all()
    imm = rows[(rows["origin"] == "UN:900") & (rows["destination"] != "UN:900")
               & (rows["sex"] == "total") & (rows["year"] == 2030)]
    got = imm.set_index("destination")["jump_off_stock"]
    want = sums.set_index("destination")["s"].astype(float)
    pd.testing.assert_series_equal(got.sort_index(), want.sort_index(), check_names=False)
    # the baselines' last value carried forward is the jump-off stock
    assert (rows["constant"] == rows["jump_off_stock"]).all()


def test_the_read_command_in_each_format(projected: Path) -> None:
    runner = CliRunner()
    con = duckdb.connect(str(projected), read_only=True)
    country = one(con, """SELECT destination FROM migrant_stock GROUP BY 1
                           ORDER BY sum(stock) DESC LIMIT 1""")
    con.close()
    res = runner.invoke(cli, ["projections", "--country", country, "--horizon", "2050",
                              "--format", "csv", "--db", str(projected)])
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(io.StringIO(res.output))
    assert set(frame["year"]) == {2050}
    assert ((frame["origin"] == country) | (frame["destination"] == country)).all()
    assert frame.iloc[0]["origin"] == "UN:900" or frame.iloc[0]["destination"] == "UN:900"
    res = runner.invoke(cli, ["projections", "--totals", "--format", "json",
                              "--db", str(projected)])
    records = json.loads(res.output)
    assert all("UN:900" in (r["origin"], r["destination"]) for r in records)
    res = runner.invoke(cli, ["projections", "--limit", "3", "--db", str(projected)])
    assert res.output.startswith("| origin | destination |")
    assert len(res.output.strip().splitlines()) == 5


def test_errors_are_one_line_with_a_hint(fixture_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "tmo.duckdb"
    shutil.copy(fixture_store, copy)
    res = CliRunner().invoke(cli, ["projections", "--db", str(copy)])
    assert res.exit_code == 1
    assert "error: the store holds no projections" in res.output
    assert "hint: run `tmo projections run` first" in res.output
    res = CliRunner().invoke(cli, ["projections", "backtest", "--jump-off", "1995",
                                   "--db", str(copy)])
    assert res.exit_code == 1
    assert "--jump-off 1995" in res.output


def test_the_api_serves_the_stored_rows(projected: Path) -> None:
    from fastapi.testclient import TestClient

    from tmo.web.app import create_app

    with TestClient(create_app(projected, watch=0)) as client:
        answer = client.get("/api/v1/projections", params={"totals": "true",
                                                           "horizon": 2030})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        con = duckdb.connect(str(projected), read_only=True)
        want = one(con, """SELECT count(*) FROM projections WHERE sex = 'total'
                           AND year = 2030 AND 'UN:900' IN (origin, destination)""")
        world = one(con, """SELECT median FROM projections WHERE sex = 'total' AND
                            year = 2030 AND origin = 'UN:900' AND destination = 'UN:900'""")
        con.close()
        assert body["meta"]["count"] == want
        assert body["data"][0]["median"] == round(world)  # projected persons are whole
        imm = [r for r in body["data"] if r["origin"] == "UN:900" != r["destination"]]
        assert imm
        assert all(isinstance(r["ceiling"], int) and 0 <= r["held"] <= 1
                   and r["wpp_revision"] == "2024" for r in imm)
        csv_answer = client.get("/api/v1/projections", params={"format": "csv", "limit": 5})
        assert csv_answer.text.splitlines()[0].startswith("revision,jump_off,year,origin")
        assert len(csv_answer.text.strip().splitlines()) == 6
        missing = client.get("/api/v1/projections", params={"horizon": 2099})
        assert missing.status_code == 404
        assert "no projections for 2099" in missing.text


def test_immigrants_are_held_at_wpp_population(projected: Path) -> None:
    """The immigrants' rows carry WPP's 1 July population (read here from
    `population_projection` directly; the fixture publishes 1 July) as their ceiling, and no draw's
    immigrants exceed it: every bound is at or under it. Years WPP does not reach (the
    fixture's projection ends in 2030) have no ceiling."""
    con = duckdb.connect(str(projected), read_only=True)
    rows = con.execute("""SELECT * FROM projections WHERE origin = 'UN:900'
                          AND destination != 'UN:900'""").df()
    wpp = con.execute("""SELECT country, sex, year, population FROM population_projection
                         WHERE source = 'UN WPP' AND revision = '2024'
                         AND variant = 'medium' AND date = '07-01'""").df()
    con.close()
    july = {(c, x, int(y)): float(v) for c, x, y, v in wpp.itertuples(index=False)}
    with_ceiling = rows[rows["ceiling"].notna()]
    assert set(with_ceiling["year"]) == {2030}
    assert set(rows[rows["year"] > 2030]["ceiling"].isna()) == {True}
    assert (with_ceiling["wpp_revision"] == "2024").all()
    for dest, sex, ceiling, upper95 in with_ceiling[with_ceiling["sex"] != "total"][
            ["destination", "sex", "ceiling", "upper95"]].itertuples(index=False):
        want = july[(str(dest), str(sex), 2030)]
        assert abs(float(ceiling) - want) < 1e-6 * want
        assert float(upper95) <= float(ceiling)
    total = with_ceiling[with_ceiling["sex"] == "total"].set_index("destination")
    parts = with_ceiling[with_ceiling["sex"] != "total"].groupby("destination")["ceiling"].sum()
    pd.testing.assert_series_equal(total["ceiling"].sort_index(), parts.sort_index(),
                                   check_names=False)
    assert ((with_ceiling["held"] >= 0) & (with_ceiling["held"] <= 1)).all()
    assert with_ceiling["held"].notna().all()


def test_the_stored_backtest_has_mase_and_pit(projected: Path) -> None:
    con = duckdb.connect(str(projected), read_only=True)
    bt = con.execute("SELECT * FROM projection_backtest").df()
    con.close()
    pit = bt[[f"pit{k}" for k in range(1, 11)]]
    has = pit.notna().all(axis=1)
    # the model's rows and the random walk with drift have a predictive distribution
    assert set(bt[has]["method"]) == {"model", "drift"}
    assert (pit[has].sum(axis=1).sub(1).abs() < 1e-9).all()
    assert pit[~has].isna().all().all()
    assert bt["mase"].notna().all()
    assert (bt["mase"] >= 0).all()


def test_an_older_store_gains_the_columns_declared_since(tmp_path: Path) -> None:
    from tmo.frame import TABLES
    from tmo.store.writer import ensure_table

    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("CREATE SCHEMA base")
    con.execute('CREATE TABLE base.projections (revision VARCHAR, "year" INTEGER)')
    con.execute("INSERT INTO base.projections VALUES ('2020', 2030)")
    ensure_table(con, "projections")
    cols = [r[0] for r in con.execute("DESCRIBE projections").fetchall()]
    assert cols == list(TABLES["projections"].all_columns)
    assert con.execute("SELECT revision, ceiling FROM projections").fetchall() == [("2020", None)]
    con.close()
