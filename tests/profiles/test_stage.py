"""The profiles stage: every country's default profile stored by the build, equal to the
profile built on demand, reading only the views it declares."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tmo.frame import TABLES
from tmo.pipeline import FLOW_OUTPUTS, followers, profiles_stage
from tmo.profiles.context import build_profile_from
from tmo.profiles.stage import PROFILE_INPUTS, refresh_profiles, refreshable, write_profiles
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


def test_flows_refresh_the_section_that_shows_them() -> None:
    # the profile's section on the country's flows shows the estimates (issue #13); no
    # other part reads them, so `tmo flows` refreshes that section, not every profile
    assert {"migration_flows"} == FLOW_OUTPUTS & PROFILE_INPUTS
    assert refreshable(FLOW_OUTPUTS) == ["country_flows"]
    assert followers(FLOW_OUTPUTS) != [profiles_stage]
    assert followers(frozenset({"migrant_stock"})) == [profiles_stage]
    assert followers(FLOW_OUTPUTS | {"migrant_stock"}) == [profiles_stage]
    assert followers(frozenset({"findings"})) == []


def documents(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    return {key[0]: json.loads(doc) for key, doc in facts.stored_profiles(con).items()}


def test_refreshed_profiles_equal_profiles_built_whole(fixture_store: Path,
                                                      tmp_path: Path) -> None:
    db = tmp_path / "refresh.duckdb"
    shutil.copy(fixture_store, db)
    con = duckdb.connect(str(db))
    before = documents(con)
    rev = facts.latest_revision(con)
    older = [r for r in facts.revisions(con) if r != rev]
    assert older  # the fixture holds two revisions; the profiles show the latest

    def insert(revision: str) -> None:  # made-up flows, as `tmo flows` would store them
        con.execute("INSERT INTO base.migration_flows (revision, method, sex, period_start, "
                    "period_end, origin, destination, flow) SELECT ?, 'da_pb_closed', "
                    "'total', 2015, 2020, o, d, f FROM (VALUES ('MDA', 'DEU', 12000.0), "
                    "('DEU', 'MDA', 800.0), ('TUV', 'NZL', 40.0)) t(o, d, f)", [revision])

    insert(older[0])  # flows of a revision the profiles do not show change none of them
    for stage in followers(FLOW_OUTPUTS, frozenset(older[:1])):
        stage(con)
    assert documents(con) == before
    assert refresh_profiles(con, ["country_flows"], frozenset(older[:1])) == 0  # skipped
    insert(rev)
    for stage in followers(FLOW_OUTPUTS, frozenset({rev})):
        stage(con)
    after = documents(con)
    assert after.keys() == before.keys()
    changed = {iso3 for iso3 in after if after[iso3] != before[iso3]}
    assert {"MDA", "DEU"} <= changed
    for iso3, profile in after.items():
        assert profile == build_profile_from(con, iso3), iso3
        assert {k for k in profile if profile[k] != before[iso3][k]} <= {
            "country_flows", "caveats", "key_messages", "sources"}
    con.close()


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
