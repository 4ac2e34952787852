"""`od_sums`: origin-destination rows against the published destination totals."""

from __future__ import annotations

from tests.checks.conftest import od, total
from tmo.checks.rules import od_sums
from tmo.findings import Finding


def test_fires_on_a_total_the_rows_do_not_reach(store) -> None:
    con = store(
        migrant_stock=[od("DEU", "TUR", "total", 60), od("DEU", "POL", "total", 30)],
        destination_stock=[total("DEU", "total", 100, row="12")],
    )
    assert od_sums(con) == [
        Finding("od_sum_vs_destination_total", "error", "IMS 2020",
                "DEU 2020 total (dest.xlsx row 12)",
                "origin-destination rows sum to 90 but the published total is 100 "
                "(difference -10)"),
        Finding("od_sum_vs_destination_total", "info", "IMS 2020", "all destinations",
                "1 destination totals compared with origin-destination sums: 1 differ"),
    ]


def test_each_revision_sex_and_destination_is_its_own_finding(store) -> None:
    con = store(
        migrant_stock=[od("DEU", "TUR", "female", 7), od("FRA", "DZA", "total", 5),
                       od("FRA", "DZA", "total", 9, revision="2024")],
        destination_stock=[total("DEU", "female", 6), total("FRA", "total", 5),
                           total("FRA", "total", 8, revision="2024", row="40")],
    )
    assert [(f.severity, f.source, f.where, f.message) for f in od_sums(con)] == [
        ("error", "IMS 2020", "DEU 2020 female (dest.xlsx row 12)",
         "origin-destination rows sum to 7 but the published total is 6 (difference +1)"),
        ("error", "IMS 2024", "FRA 2020 total (dest.xlsx row 40)",
         "origin-destination rows sum to 9 but the published total is 8 (difference +1)"),
        ("info", "IMS 2020", "all destinations",
         "2 destination totals compared with origin-destination sums: 1 differ"),
        ("info", "IMS 2024", "all destinations",
         "1 destination totals compared with origin-destination sums: 1 differ"),
    ]


def test_clean_fixture_gives_no_error(store) -> None:
    con = store(
        migrant_stock=[od("DEU", "TUR", "total", 60), od("DEU", "POL", "total", 40)],
        # a total without origin-destination rows is not compared (coverage reports it)
        destination_stock=[total("DEU", "total", 100), total("UN:900", "total", 280)],
    )
    assert od_sums(con) == [
        Finding("od_sum_vs_destination_total", "info", "IMS 2020", "all destinations",
                "1 destination totals compared with origin-destination sums: 0 differ"),
    ]


def test_empty_store_gives_nothing(store) -> None:
    assert od_sums(store()) == []
