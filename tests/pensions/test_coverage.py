"""The migrants an agreement concerns, on the fixture store (tests/fixture_store/figures.py:
made-up stocks; the fixture's EU members are Germany, Italy and Romania)."""

from __future__ import annotations

import pytest

from tmo.errors import InputError
from tmo.pensions.coverage import agreement_migrants
from tmo.pensions.ruleset import load_rules
from tmo.store import facts
from tmo.store.query import connect


@pytest.fixture(scope="module")
def con(fixture_store):
    connection = connect(fixture_store)
    yield connection
    connection.close()


def test_eu_members_in_the_fixture(con):
    found = agreement_migrants(con, load_rules().agreements["eu-883-2004"], "2024")
    # 2024: DEU <- ROU 50,000 and ITA 30,000; ITA <- ROU 70,000 and DEU 10,000;
    # ROU <- ITA 2,000 and DEU 2,000 (OD of figures.py).
    assert found.totals[2024] == {"total": 164000, "female": 77000, "male": 87000}
    assert found.totals[1990]["total"] == 164000 * 5 // 10
    assert found.by_member["ROU"][2024]["emigrants"]["total"] == 120000
    assert found.by_member["ROU"][2024]["immigrants"]["total"] == 4000
    assert found.by_member["DEU"][2024]["immigrants"] == {"total": 80000, "female": 30000,
                                                          "male": 50000}
    assert "MDA" not in found.by_member
    assert "FRA" in found.without_data
    assert found.years == [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024]
    assert found.files
    assert found.as_dict()["source"]["publisher"].startswith("UN DESA")


def test_the_named_query_keeps_only_pairs_of_members(con):
    rows = facts.stocks_between(con, ["DEU", "MDA"], "2024")
    assert {(r["origin"], r["destination"]) for r in rows} == {("DEU", "MDA"), ("MDA", "DEU")}
    assert facts.stocks_between(con, [], "2024") == []


def test_us_model_needs_a_partner(con):
    agreement = load_rules().agreements["us-totalization"]
    with pytest.raises(InputError, match="one partner state at a time"):
        agreement_migrants(con, agreement)
    found = agreement_migrants(con, agreement, partner="deu")
    # USA <- DEU 40,000; DEU <- USA 5,000 (2024).
    assert found.totals[2024]["total"] == 45000
