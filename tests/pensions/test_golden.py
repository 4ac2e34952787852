"""Every case of ../shared/golden/portability/examples.json, as a test.

How far each was confirmed (README.md there; the sources in tmo/pensions/rules/sources.yaml):
- holzmann-direct-vs-prorata: Table 7 of Holzmann (2016) read on the journal's own page
  (izajoels.springeropen.com): the scheme parameters, the direct figures (288, 640, 928) and
  the pro-rata A row's start (18/40 x EUR 800); the rest of the pro-rata row was cut off, so
  B's 525.71 (24/42 x 920) and the total 885.71 are recomputed from the table's rules.
- ireland-us-mary: Citizens Information's case study 2 (2024 figures): 600 and 1,200
  contributions over 34 years, EUR 180.70 on Irish contributions alone, the notional rate the
  maximum. The maximum EUR 277.30, the pro-rata step and the choice of the higher rate were not
  on the part of the page seen: 92.43 = 277.30 x 600 / 1,800 is recomputed.
- us-rep-404-1918-example-1: 20 CFR 404.1918 Example 1, verified (REP 95.85467).
- us-poms-weeks-to-quarters: POMS GN 01706.026, verified (95 weeks = 8 quarters).
- eu-rosa: the Commission's 'Your Europe' example, seen only in copies (the europa.eu page
  was not found); 400 = 1,200 x 10 / 30 follows Art. 52(1)(b)(ii) as read in its German,
  French and Bulgarian texts.
- caricom-barbados-trinidad: synthetic, from the shipped rules (Barbados: SSA SSPTW 1999;
  Trinidad and Tobago: SSPTW 2003) and the CARICOM pro-rata rule, itself unconfirmed in the
  Agreement's text.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from tmo.pensions.calculate import assess
from tmo.pensions.formulas import foreign_to_quarters, relative_earnings_position
from tmo.pensions.ruleset import load_rules

from ..conftest import GOLDEN
from .conftest import career

CASES = {c["id"]: c for c in json.loads((GOLDEN / "portability" / "examples.json")
                                        .read_text(encoding="utf-8"))["cases"]}
TESTED = {"holzmann-direct-vs-prorata", "ireland-us-mary", "us-rep-404-1918-example-1",
          "us-poms-weeks-to-quarters", "eu-rosa", "caricom-barbados-trinidad"}


def cents(value: Fraction | None) -> float:
    assert value is not None
    return round(float(value), 2)


def test_every_golden_case_is_tested():
    assert set(CASES) == TESTED


@pytest.mark.parametrize("method", ["direct", "prorata"])
def test_holzmann_direct_vs_prorata(model_rules, method):
    case = CASES["holzmann-direct-vs-prorata"]
    years = case["periods_years"]
    periods = [{"country": "AAA", "count": years["A"], "unit": "year"},
               {"country": "BBB", "count": years["B"], "unit": "year"}]
    agreement = "model-direct" if method == "direct" else "model-pro-rata"
    result = assess(career(periods, claim_date="2016-01-01"), model_rules, agreement)
    expect = case["expect"][method]
    assert cents(result.state("AAA").paid) == expect["A"]
    assert cents(result.state("BBB").paid) == expect["B"]
    assert cents(result.totals["EUR"]["paid"]) == expect["total"]
    if method == "prorata":
        assert result.state("AAA").theoretical == 800
        assert result.state("BBB").theoretical == 920
        assert result.state("AAA").ratio == Fraction(18, 40)  # A's maximum period
        assert result.state("BBB").ratio == Fraction(24, 42)


def test_ireland_us_mary():
    case = CASES["ireland-us-mary"]
    result = assess(career(
        [{"country": "IRL", "count": case["contributions"]["IE"], "unit": "week"},
         {"country": "USA", "count": case["contributions"]["US"], "unit": "week"}],
        claim_date="2024-06-01",
        inputs={"IRL": {"independent": case["irish_only_weekly_eur"],
                        "theoretical": case["irish_maximum_weekly_eur"]}}),
        load_rules(), "ie-us-1993")
    ireland = result.state("IRL")
    assert ireland.qualifies_alone is True
    assert cents(ireland.pro_rata) == case["expect"]["prorata_weekly_eur"]
    assert cents(ireland.paid) == case["expect"]["award_weekly_eur"]
    assert ireland.paid_as == "independent"
    usa = result.state("USA")
    assert usa.missing == ["earnings"]  # the US amount needs the AIME, not given here


def test_us_relative_earnings_position():
    case = CASES["us-rep-404-1918-example-1"]
    rep = relative_earnings_position(case["earnings_ratios_pct"], case["us_quarters"])
    assert round(float(rep), 5) == case["expect"]["relative_earnings_position_pct"]


def test_us_weeks_to_quarters():
    case = CASES["us-poms-weeks-to-quarters"]
    assert foreign_to_quarters(case["foreign_weeks"], 13) == case["expect"]["us_quarters"]
    # The same through the calculator: Italian weeks credited to a US record of 20 quarters.
    result = assess(career([{"country": "USA", "count": 20, "unit": "quarter"},
                            {"country": "ITA", "count": case["foreign_weeks"],
                             "unit": "week"}], claim_date="2024-06-01",
                           inputs={"USA": {"earnings": 3000}}),
                    load_rules(), "us-totalization")
    assert result.state("USA").total_units == 20 + case["expect"]["us_quarters"]


def test_eu_rosa(model_rules):
    case = CASES["eu-rosa"]
    years = case["periods_years"]
    result = assess(career([{"country": "ESP", "scheme": "ESP-ROSA", "count": years["ES"],
                             "unit": "year"},
                            {"country": "DEU", "count": years["other"], "unit": "year"}],
                           claim_date="2020-01-01",
                           inputs={"ESP": {"theoretical": case["es_theoretical_eur"]}}),
                    model_rules, "eu-883-2004")
    spain = result.state("ESP")
    assert spain.qualifies_alone is False  # 10 < 15 years
    assert spain.qualifies_totalised is True
    assert cents(spain.pro_rata) == case["expect"]["es_prorata_eur"]
    assert cents(spain.paid) == case["expect"]["es_prorata_eur"]
    assert result.state("DEU").paid_as == "not_computed"


def test_caricom_barbados_trinidad():
    case = CASES["caricom-barbados-trinidad"]
    weeks = case["weeks"]
    result = assess(career([{"country": "BRB", "count": weeks["BRB"], "unit": "week"},
                            {"country": "TTO", "count": weeks["TTO"], "unit": "week"}],
                           claim_date="2003-06-01",
                           inputs={"BRB": {"earnings": 1}, "TTO": {"basic": 1}}),
                    load_rules(), "caricom-1996")
    barbados, trinidad = result.state("BRB"), result.state("TTO")
    expect = case["expect"]
    assert not barbados.qualifies_alone
    assert not trinidad.qualifies_alone  # neither qualifies alone; 750 weeks together do
    assert barbados.theoretical == Fraction(str(
        expect["BRB_theoretical_share_of_average_insurable_earnings"]))
    assert barbados.pro_rata == Fraction(str(
        expect["BRB_actual_share_of_average_insurable_earnings"]))
    assert trinidad.pro_rata == Fraction(str(expect["TTO_share_of_basic_pension"]))
