"""population_sources: the population published with the IMS (Table 2) against the latest
WPP: a hand-made case, then the real store against pandas over the views."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from tmo.checks import comparisons as cmp
from tmo.checks.rules import MAX_LISTED, population_sources

from .agreement import apart, flagged
from .conftest import pop


def test_population_compared_with_the_latest_wpp_only(store) -> None:
    con = store(population=[
        pop("MDA", "total", 4_033_963, source="UN DESA IMS", revision="2020"),
        pop("MDA", "total", 3_069_130, source="UN WPP", revision="2024"),
        pop("MDA", "total", 4_033_963, source="UN WPP", revision="2019"),  # not the latest
        pop("TUV", "total", 11_069, source="UN DESA IMS", revision="2020"),
        pop("TUV", "total", 9_069, source="UN WPP", revision="2024"),  # 18 %, 2,000 persons
        pop("FRA", "total", 65_000_000, source="UN DESA IMS", revision="2020"),
        pop("FRA", "total", 64_000_000, source="UN WPP", revision="2024"),  # 1.5 %
    ])
    findings = population_sources(con)
    assert [(f.severity, f.source, f.where) for f in findings] == [
        ("warning", "IMS 2020, WPP 2024", "MDA population"),
        ("info", "IMS 2020, WPP 2024", "all countries")]
    assert findings[0].message == (
        "the population published with the IMS 2020 and WPP 2024 differ by more than 5% in "
        "1 year (2020); most in 2020: IMS 4,033,963 (pop.csv '' row 2), WPP 3,069,130 "
        "(pop.csv row 2)")
    assert findings[1].message.startswith("3 countries' populations compared: 1 differ")



@pytest.fixture(scope="module")
def real(built) -> Any:
    con = duckdb.connect(str(built.db_path), read_only=True)
    yield con
    con.close()


def test_real_population_flagged_equal_pandas(real) -> None:
    p = real.execute("SELECT source, revision, year, country, population FROM population "
                     "WHERE sex = 'total' AND country NOT LIKE '%:%'").df()
    wpp = p[p.source == "UN WPP"]
    wpp = wpp[wpp.revision == wpp.revision.max()]
    m = p[p.source == "UN DESA IMS"].merge(wpp, on=["year", "country"], suffixes=("", "_w"))
    bad = m[apart(m.population, m.population_w, cmp.POPULATION_TOLERANCE,
                   cmp.POPULATION_MIN_GAP)]
    expected = {(f"IMS {r.revision}, WPP {r.revision_w}", r.country) for r in bad.itertuples()}
    assert len(expected) < MAX_LISTED
    assert flagged(population_sources(real)) == expected
    assert ("IMS 2020, WPP 2024", "MDA") in expected


