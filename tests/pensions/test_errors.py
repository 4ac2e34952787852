"""Bad input gets one clear message naming the period and the problem (InputError)."""

from __future__ import annotations

import pytest

from tmo.errors import InputError
from tmo.pensions.calculate import assess
from tmo.pensions.career import parse_career
from tmo.pensions.ruleset import load_rules

from .conftest import career

BRB = {"country": "BRB", "from": "1990-01-01", "to": "1995-12-31"}
TTO = {"country": "TTO", "from": "1996-01-01", "to": "2002-12-31"}


def fails(data, match, agreement="caricom-1996"):
    with pytest.raises(InputError, match=match) as raised:
        assess(parse_career(data), load_rules(), agreement)
    assert raised.value.hint, "every error says what to do"
    return str(raised.value)


def test_overlapping_periods_name_both():
    message = fails({"periods": [BRB, {**TTO, "from": "1995-07-01"}]}, "overlap by 184 days")
    assert "period 1 (BRB, 1990-01-01 to 1995-12-31)" in message
    assert "period 2 (TTO, 1995-07-01 to 2002-12-31)" in message


def test_overlap_is_found_whatever_the_order():
    fails({"periods": [{**TTO, "from": "1995-07-01"}, BRB]}, "period 1 .* and period 2 .* "
                                                             "overlap")


def test_unknown_scheme():
    fails({"periods": [BRB, {**TTO, "scheme": "TTO-XYZ"}]},
          r"period 2 \(TTO, 1996-01-01 to 2002-12-31\): unknown scheme 'TTO-XYZ'")


def test_scheme_of_another_country():
    fails({"periods": [BRB, {**TTO, "scheme": "BRB-NIS"}]}, "scheme BRB-NIS is BRB's, not TTO's")


def test_negative_earnings():
    fails({"periods": [{**BRB, "earnings": -5}, TTO]},
          r"period 1 \(BRB\): earnings: -5 is negative")


def test_negative_input():
    fails({"periods": [BRB, TTO], "inputs": {"TTO": {"basic": -1}}},
          "inputs.TTO.basic: -1 is negative")


def test_dates_outside_a_rules_validity():
    message = fails({"periods": [BRB, TTO], "claim_date": "2026-01-01"},
                    "claim date 2026-01-01")
    assert ("the old-age rule of BRB-NIS (your period 1 in BRB) holds from 1999-01-01 to "
            "2003-12-31 only") in message


def test_claim_before_the_agreement():
    fails({"periods": [{**BRB, "to": "1990-12-31"}, {**TTO, "from": "1991-01-01",
                                                      "to": "1992-12-31"}],
           "claim_date": "1995-01-01"}, "CARICOM 1996 applies from 1997-04-01")


def test_period_after_the_claim():
    fails({"periods": [BRB, TTO], "claim_date": "2000-01-01"},
          r"period 2 \(TTO, 1996-01-01 to 2002-12-31\): ends on or after the claim date")


def test_state_outside_the_agreement():
    fails({"periods": [BRB, {"country": "FRA", "count": 5, "unit": "year"}],
           "claim_date": "2003-01-01"}, r"period 2 \(FRA, 5 years\): FRA is not a party to "
                                        "CARICOM 1996")


@pytest.mark.parametrize(("period", "match"), [
    ({"country": "BRB", "from": "1999-01-01", "to": "1990-01-01"},
     r"period 1 \(BRB\): ends \(1990-01-01\) before it starts"),
    ({"country": "BRB", "count": 0, "unit": "week"}, "count must be a positive number"),
    ({"country": "BRB", "count": 10, "unit": "fortnight"}, "unit 'fortnight' is not one of"),
    ({"country": "Barbados", "count": 10, "unit": "week"}, "not an ISO 3166 alpha-3 code"),
    ({"country": "BRB", "from": "1990-02-30", "to": "1991-01-01"},
     "from: '1990-02-30' is not a date"),
    ({"country": "BRB", "from": "1990-01-01", "count": 5, "unit": "week"},
     "either from/to or count/unit"),
    ({"country": "BRB", "count": 5, "unit": "week", "salary": 3}, "unknown field salary"),
])
def test_a_bad_period(period, match):
    with pytest.raises(InputError, match=match):
        parse_career({"periods": [period], "claim_date": "2003-01-01"})


@pytest.mark.parametrize(("data", "match"), [
    ([], "a career is a JSON object"),
    ({"periods": []}, "no periods"),
    ({"periods": [{"country": "BRB", "count": 5, "unit": "week"}]}, "no claim_date"),
    ({"periods": [BRB], "benefit": "survivor"}, "benefit 'survivor' is not one of"),
    ({"periods": [BRB], "holidays": 3}, "unknown career field: holidays"),
])
def test_a_bad_career(data, match):
    with pytest.raises(InputError, match=match):
        parse_career(data)


def test_unknown_agreement():
    with pytest.raises(InputError, match="unknown agreement 'nafta'") as raised:
        assess(career([BRB]), load_rules(), "nafta")
    assert "caricom-1996" in (raised.value.hint or "")


def test_benefit_not_covered():
    with pytest.raises(InputError, match="does not cover invalidity"):
        assess(career([{"country": "ESP", "count": 20, "unit": "year"}], benefit="invalidity",
                      claim_date="2027-06-01"), load_rules(), "eu-883-2004")


def test_a_missing_input_is_reported_not_raised():
    result = assess(career([BRB, TTO], claim_date="2003-01-01"), load_rules(), "caricom-1996")
    barbados = result.state("BRB")
    assert barbados.missing == ["earnings"]
    assert barbados.paid is None
    assert "an input is missing: earnings" in barbados.reason
