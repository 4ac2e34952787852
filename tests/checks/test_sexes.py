"""`sexes`: female + male = total in migrant stock, destination totals and population."""

from __future__ import annotations

from tests.checks.conftest import od, pop, total
from tmo.checks import rules
from tmo.checks.rules import sexes
from tmo.findings import Finding


def test_fires_on_migrant_stock(store) -> None:
    con = store(migrant_stock=[od("DEU", "TUR", "total", 10, revision="2024"),
                               od("DEU", "TUR", "female", 4, revision="2024"),
                               od("DEU", "TUR", "male", 5, revision="2024")])
    assert sexes(con) == [
        Finding("sexes_add_up", "warning", "migrant_stock", "2024 2020 TUR DEU",
                "female 4 + male 5 = 9, total is 10"),
    ]


def test_fires_on_destination_totals(store) -> None:
    con = store(destination_stock=[total("UN:900", "total", 1_000_000),
                                   total("UN:900", "female", 500_000),
                                   total("UN:900", "male", 500_001)])
    assert sexes(con) == [
        Finding("sexes_add_up", "warning", "destination_stock", "2020 2020 UN:900",
                "female 500,000 + male 500,001 = 1,000,001, total is 1,000,000"),
    ]


def test_population_allows_three_persons_of_rounding(store) -> None:
    con = store(population=[
        pop("MDA", "total", 1_000), pop("MDA", "female", 500), pop("MDA", "male", 503),
        pop("URY", "total", 1_000), pop("URY", "female", 500), pop("URY", "male", 504),
    ])
    assert sexes(con) == [
        Finding("sexes_add_up", "warning", "population", "WPP 2024 2020 URY",
                "female 500 + male 504 = 1,004, total is 1,000"),
    ]


def test_clean_fixture_gives_nothing(store) -> None:
    con = store(
        migrant_stock=[od("DEU", "TUR", "total", 9), od("DEU", "TUR", "female", 4),
                       od("DEU", "TUR", "male", 5),
                       # a key without all three sexes cannot be compared
                       od("DEU", "POL", "total", 3), od("DEU", "POL", "female", 1)],
        destination_stock=[total("DEU", "total", 12), total("DEU", "female", 5),
                           total("DEU", "male", 7)],
        population=[pop("MDA", "total", 1_000), pop("MDA", "female", 499),
                    pop("MDA", "male", 498)],
    )
    assert sexes(con) == []


def test_a_long_list_says_how_many_it_left_out(store, monkeypatch) -> None:
    monkeypatch.setattr(rules, "MAX_LISTED", 2)
    rows = [od("DEU", origin, sex, value)
            for origin in ("AFG", "BEL", "CHN")
            for sex, value in (("total", 10), ("female", 4), ("male", 5))]
    found = sexes(store(migrant_stock=rows))
    assert [(f.severity, f.where) for f in found] == [
        ("warning", "2020 2020 AFG DEU"), ("warning", "2020 2020 BEL DEU"),
        ("info", "all keys"),
    ]
    assert found[-1].message == "3 found; the first 2 are listed"
