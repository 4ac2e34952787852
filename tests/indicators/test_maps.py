"""The map tables equal the profile's figures, for every country and mapped indicator."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Literal

import duckdb
import pytest

from tmo.indicators import maps
from tmo.profiles.context import build_profile_from
from tmo.store import facts
from tmo.store.evidence import Evidence, ViewCache

SECTION: dict[str, Literal["immigration", "emigration"]] = {
    "immigrant": "immigration", "emigrant": "emigration"}


@pytest.fixture(scope="module")
def con(store: Path):
    connection = duckdb.connect(str(store), read_only=True)
    yield connection
    connection.close()


def test_map_value_equals_profile_figure_for_every_country(con) -> None:
    """Against every country's default profile as the build stored it (the profiles
    stage: build_profile_from over one ViewCache, as a profile built here would be, which
    a few countries check; tests/profiles/test_stage.py compares more)."""
    rev = facts.latest_revision(con)
    year = facts.default_year(con, rev)
    ev = Evidence(con)
    data = maps.inputs(ev, rev, year)
    tables = {k: {r["iso3"]: r["value"] for r in maps.table(ev, k, rev, year, data)}
              for k in maps.MAP_INDICATORS}
    stored = facts.stored_profiles(con)
    shared = ViewCache(con)
    checked = 0
    countries = facts.country_list(con, rev)
    assert len(countries) >= 230
    for iso3, _name in countries:
        profile = json.loads(stored[iso3, year, rev])
        if iso3 in ("MDA", "DEU", "TUV", "XKX", "USA"):
            assert profile == build_profile_from(con, iso3, year, rev, evidence=shared), iso3
        for key, values in tables.items():
            figure = profile[SECTION[key.split("_")[0]]]["figures"][key]["value"]
            if figure is None:
                assert iso3 not in values, (iso3, key)
            else:
                assert math.isclose(values[iso3], figure, rel_tol=1e-12), (iso3, key)
                checked += 1
    assert checked > 230 * len(tables) * 0.9  # nearly every country has every indicator


def test_map_values_from_the_file() -> None:
    """An independent expectation: Germany's immigrants 2024 as published (Table 1)."""
    # asserted through the API in tests/web/test_api.py::test_indicator_table_for_maps;
    # here the formula on a hand-made input
    data = maps.Inputs({("AAA", 2024, "total"): 50.0, ("AAA", 2024, "female"): 20.0,
                        ("AAA", 1990, "total"): 40.0, ("UN:900", 2024, "total"): 9.0},
                       {}, {("AAA", 2024, "total"): 1000.0}, 2024)
    share = maps.MAP_INDICATORS["immigrant_share"][1](data, "AAA")
    female = maps.MAP_INDICATORS["immigrant_female_share"][1](data, "AAA")
    since = maps.MAP_INDICATORS["immigrant_change_since_1990"][1](data, "AAA")
    assert (share, female, since) == (5.0, 40.0, 25.0)


def test_view_cache_answers_as_sql(con) -> None:
    """The bulk reader of the profile stage gives the same rows and sources as SQL."""
    sql, cache = Evidence(con), ViewCache(con)
    cases: list[tuple[str, dict[str, Any], list[str]]] = [
        ("migrant_stock", {"revision": "2024", "origin": "MDA"}, ["year", "destination",
                                                                  "sex", "stock"]),
        ("destination_stock", {"revision": "2020", "destination": "DEU"}, ["year", "stock"]),
        ("refugees", {"year": 2023, "asylum": "TUV"}, ["origin", "refugees"]),
        ("migrant_stock", {"revision": "2024", "origin": "ZZZ"}, ["stock"]),
    ]
    for view, where, cols in cases:
        a, src_a = sql.rows(view, where, cols)
        b, src_b = cache.rows(view, where, cols)
        assert src_a == src_b
        assert a.astype(object).equals(b.astype(object)), (view, where)
