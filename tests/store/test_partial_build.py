"""`tmo build --only <source>` for a source without an IMS migrant stock: the store holds
that source (and the country reference), no profile, and the build says so (issue #11).

It used to fail at the profiles stage with "the store holds no migrant stock". Built from
the fixture store's files (tests/fixture_store), in process, in about two seconds.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from click.testing import CliRunner

from tmo.cli import cli

from ..fixture_store.make import _small_country_codes


def _count(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_build_of_a_source_without_migrant_stock(fixture_store: Path, tmp_path: Path) -> None:
    sources = fixture_store.parent / "sources"
    db = tmp_path / "unhcr.duckdb"
    with _small_country_codes():
        res = CliRunner().invoke(cli, ["build", "--db", str(db), "--source-dir", str(sources),
                                       "--only", "unhcr", "--allow-changed-checksums"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "no country profile was stored" in said
    assert "--only ims_destination_2024" in said
    # the refugees exactly as the full build stored them from the same file
    query = "SELECT * FROM refugees ORDER BY ALL"
    assert _count(db, query) == _count(fixture_store, query) != []
    assert _count(db, "SELECT count(*) FROM profiles") == [(0,)]
    assert _count(db, "SELECT count(*) FROM destination_stock") == [(0,)]
    assert [r[0] for r in _count(db, "SELECT DISTINCT source FROM provenance ORDER BY 1")] == [
        "countries_iso", "un_aggregates_2020", "unhcr", "wb_income", "wup_capitals"]
    # a command that needs the migrant stock says what to build, in one line
    prof = CliRunner().invoke(cli, ["profile", "MDA", "--db", str(db)])
    assert prof.exit_code == 1
    assert "no migrant stock" in prof.output
    assert "Traceback" not in prof.output
