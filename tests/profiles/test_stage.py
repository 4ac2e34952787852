"""The profiles stage: every country's default profile stored by the build, equal to the
profile built on demand, reading only the views it declares."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tmo.frame import TABLES
from tmo.pipeline import FLOW_OUTPUTS, followers, profiles_stage
from tmo.profiles.context import build_profile_from
from tmo.profiles.stage import PROFILE_INPUTS, write_profiles
from tmo.store import facts
from tmo.store.query import connect


def test_build_stores_every_countrys_default_profile(store: Path) -> None:
    con = connect(store)
    stored = facts.stored_profiles(con)
    countries = facts.country_list(con)
    rev = facts.latest_revision(con)
    year = facts.default_year(con, rev)
    assert {k[0] for k in stored} == {c for c, _ in countries}
    assert len(stored) >= 230
    assert {(k[1], k[2]) for k in stored} == {(year, rev)}
    for iso3 in ("MDA", "TUV", "XKX", "DEU"):
        key = (iso3, year, rev)
        if key in stored:
            assert json.loads(stored[key]) == build_profile_from(con, iso3)


def test_profile_reads_only_its_declared_inputs(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "inputs.duckdb"
    shutil.copy(store, db)
    con = duckdb.connect(str(db))
    for name in set(TABLES) - PROFILE_INPUTS:
        con.execute(f'DROP VIEW "{name}"')
    for iso3 in ("MDA", "DEU", "TUV", "PHL", "USA", "BES"):  # Kosovo: no stock, no profile
        assert build_profile_from(con, iso3)["country"]["iso3"] == iso3
    con.close()


def test_flows_recompute_the_profiles_that_show_them() -> None:
    # the profile's section on the country's flows shows the estimates (issue #13)
    shown = FLOW_OUTPUTS & PROFILE_INPUTS
    assert shown == {"migration_flows"}
    assert followers(FLOW_OUTPUTS) == [profiles_stage]
    assert followers(frozenset({"migrant_stock"})) == [profiles_stage]


def test_stage_replaces_the_table(fixture_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "stage.duckdb"
    shutil.copy(fixture_store, db)
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO base.profiles VALUES ('ZZZ', 1990, '1990', '{}')")
    n = write_profiles(con)
    assert con.execute("SELECT count(*) FROM profiles").fetchall() == [(n,)]
    with pytest.raises(duckdb.Error):
        con.execute("INSERT INTO base.profiles VALUES ('ZZZ', 1990, '1990')")
    con.close()
