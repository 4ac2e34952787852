"""origin_breakdown: a destination whose origin breakdown the latest revision cuts
against the previous one (fewer than half the origins, or "other / unknown" up by more
than 5 points) is one warning with both revisions' figures; one that keeps it is none."""

from __future__ import annotations

from typing import Any

from tmo.checks.rules import origin_breakdown

from .conftest import od


def rows(destination: str, revision: str, stocks: dict[str, int]) -> list[dict[str, Any]]:
    return [od(destination, origin, "total", n, revision=revision)
            for origin, n in stocks.items()]


def test_fires_for_a_cut_breakdown_only(store) -> None:
    con = store(migrant_stock=[
        *rows("DEU", "2020", {"MDA": 25, "TUR": 100, "POL": 50, "OOO": 5}),
        *rows("DEU", "2024", {"TUR": 100, "OOO": 80}),  # unknown 2.8 % -> 44.4 %
        *rows("ITA", "2020", {"MDA": 20, "ROU": 80, "OOO": 0}),
        *rows("ITA", "2024", {"MDA": 21, "ROU": 82, "OOO": 1}),  # kept
        *rows("USA", "2020", {"MDA": 45, "MEX": 500, "IND": 300, "CHN": 200, "OOO": 40}),
        *rows("USA", "2024", {"MEX": 510, "OOO": 90}),  # 2 of 5 origins listed, < half
        *rows("NZL", "2020", {"TUV": 19, "FJI": 81}),
        *rows("NZL", "2024", {"TUV": 19, "FJI": 75, "OOO": 6}),  # unknown 0 -> 6 %
    ])
    found = origin_breakdown(con)
    assert [(f.severity, f.where.split(" (")[0]) for f in found] == [
        ("warning", "DEU 2020"), ("warning", "NZL 2020"), ("warning", "USA 2020")]
    assert found[0].message.startswith(
        "origins listed: 4 in the 2020 revision, 2 in the 2024; other or unknown origin: "
        "5 (2.8%) then 80 (44.4%)")


def test_one_revision_is_nothing_to_compare(store) -> None:
    assert origin_breakdown(store(migrant_stock=rows("DEU", "2024", {"TUR": 1}))) == []
