"""`tmo registry init`, `demo` and `stats` on the fixture store: synthetic registrants
follow the UN DESA emigrant stocks of the country, are labelled SYNTHETIC, and the
commands answer errors in one line."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from click.testing import CliRunner

from tmo.cli import cli


def test_init_demo_and_stats(fixture_store: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.sqlite'}"
    runner = CliRunner()
    common = ["--registry", url, "--db", str(fixture_store)]
    done = runner.invoke(cli, ["registry", "init", *common])
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["registry", "demo", *common, "--country", "MDA", "--n", "4000"])
    assert done.exit_code == 0, done.output
    assert "SYNTHETIC" in done.output
    done = runner.invoke(cli, ["registry", "stats", *common, "--format", "json"])
    assert done.exit_code == 0, done.output
    out = json.loads(done.output)
    assert out["label"] == "SYNTHETIC"
    assert out["tables"]["sex"]["total"] == 4000
    # the stocks, read here with plain SQL from the store
    con = duckdb.connect(str(fixture_store), read_only=True)
    revision, year = con.execute("""SELECT revision, max(year) FROM migrant_stock
                                    WHERE revision = (SELECT max(revision) FROM migrant_stock)
                                    GROUP BY revision""").fetchone()  # type: ignore[misc]
    stocks = dict(con.execute("""SELECT m.destination, m.stock FROM migrant_stock m
                                 JOIN countries c ON c.iso3 = m.destination
                                 WHERE origin = 'MDA' AND sex = 'total' AND revision = ?
                                   AND year = ? AND stock > 0""", [revision, year]).fetchall())
    con.close()
    total = sum(stocks.values())
    for row in out["tables"]["sex"]["rows"]:
        share = stocks[row["residence"]] / total
        expected, sd = 4000 * share, (4000 * share * (1 - share)) ** 0.5
        assert abs(row["total"] - expected) <= 4 * sd + 1, (row, expected)


def test_stats_of_a_missing_registry_is_one_line(fixture_store: Path, tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["registry", "stats", "--registry",
                                    f"sqlite:///{tmp_path / 'none.sqlite'}",
                                    "--db", str(fixture_store)])
    assert done.exit_code == 1
    assert done.output.splitlines()[0].startswith("error: no registry at")
    assert "tmo registry init" in done.output
