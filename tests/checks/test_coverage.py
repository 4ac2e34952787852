"""`coverage`: what each revision covers, and published totals without matrix rows."""

from __future__ import annotations

from tests.checks.conftest import od, pop, total
from tmo.checks.rules import coverage
from tmo.findings import Finding


def test_fires_on_a_destination_without_origin_destination_rows(store) -> None:
    con = store(
        migrant_stock=[od("DEU", "TUR", "total", 60), od("DEU", "POL", "total", 40),
                       od("FRA", "DZA", "total", 5, year=2015)],
        destination_stock=[total("DEU", "total", 100), total("FRA", "total", 5, year=2015),
                           total("FRA", "total", 6),          # 2020: no row for FRA
                           total("UN:900", "total", 111),     # aggregates are not checked
                           total("ITA", "total", 9, revision="2019")],  # no matrix in 2019
        population=[pop("MDA", "total", 1_000, year=1990), pop("URY", "total", 9, year=2020)],
    )
    assert coverage(con) == [
        Finding("coverage", "info", "IMS 2020", "migrant_stock",
                "years 2015, 2020; 3 origins, 2 destinations"),
        Finding("coverage", "warning", "IMS 2020", "FRA 2020",
                "a published destination total has no origin-destination rows"),
        Finding("coverage", "info", "WPP 2024", "population",
                "years 1990-2020; 2 countries and aggregates"),
    ]


def test_clean_fixture_gives_only_information(store) -> None:
    con = store(migrant_stock=[od("DEU", "TUR", "total", 60)],
                destination_stock=[total("DEU", "total", 60), total("DEU", "female", 30)])
    found = coverage(con)
    assert found == [Finding("coverage", "info", "IMS 2020", "migrant_stock",
                             "years 2020; 1 origins, 1 destinations")]
    assert {f.severity for f in found} == {"info"}
