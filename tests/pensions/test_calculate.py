"""The calculator's steps and rules beyond the golden cases: EU articles in the steps,
Art. 57, the US minimum of 6 quarters, the undetermined CARICOM choice, what-ifs, renderers."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from tmo.errors import InputError
from tmo.pensions.calculate import assess
from tmo.pensions.render import to_json, to_markdown
from tmo.pensions.ruleset import load_rules
from tmo.pensions.whatif import compare, one_more, stayed_in

from .conftest import career

CARICOM = career([{"country": "BRB", "count": 300, "unit": "week", "earnings": 1000},
                  {"country": "TTO", "count": 450, "unit": "week"}],
                 claim_date="2003-06-01", inputs={"TTO": {"basic": 700, "earnings": 1200}})


def test_eu_steps_cite_the_articles():
    result = assess(career([{"country": "ESP", "count": 25, "unit": "year"},
                            {"country": "FRA", "count": 10, "unit": "year"}],
                           claim_date="2027-06-01", inputs={"ESP": {"earnings": 2000}}),
                    load_rules(), "eu-883-2004")
    spain = result.state("ESP")
    articles = [s.article for s in spain.steps]
    assert articles[1] == "Art. 52(1)(a)"
    assert "Art. 6" in articles
    assert "Art. 52(1)(b)(i)" in articles
    assert "Art. 52(1)(b)(ii)" in articles
    assert articles[-1] == "Art. 52(3)"
    # 25 years = 300 months: 50% + 120 months x 0.19% = 72.8%; 35 years: 50% + 240 x 0.19%.
    assert spain.independent == Fraction("0.728") * 2000
    assert spain.theoretical == Fraction("0.956") * 2000
    assert spain.pro_rata == spain.theoretical * Fraction(25, 35)
    assert spain.paid == spain.independent  # 1,456.00 on Spanish periods > 1,365.71 pro-rata
    assert spain.paid_as == "independent"


def test_spanish_scale_tiers_and_cap():
    result = assess(career([{"country": "ESP", "count": 40, "unit": "year"}],
                           claim_date="2027-06-01", inputs={"ESP": {"earnings": 1000}}),
                    load_rules(), "eu-883-2004")
    # 300 months beyond 15 years: 248 x 0.19% + 52 x 0.18% = 56.48%, capped at 100%.
    assert result.state("ESP").independent == 1000


def test_art_57_short_periods_owe_nothing():
    result = assess(career([{"country": "ESP", "count": 8, "unit": "month"},
                            {"country": "FRA", "count": 30, "unit": "year"}],
                           claim_date="2027-06-01", inputs={"ESP": {"earnings": 2000}}),
                    load_rules(), "eu-883-2004")
    spain = result.state("ESP")
    assert spain.theoretical is not None
    assert spain.short
    assert spain.paid is None
    assert spain.reason == "periods under one year: nothing is owed"
    assert any(s.article == "Art. 57" for s in spain.steps)


def test_art_57_3_the_last_state_pays_for_all(model_rules):
    periods = [{"country": "AAA", "from": "2010-01-01", "to": "2010-06-30"},
               {"country": "IRL", "from": "2010-07-01", "to": "2010-11-18"}]
    result = assess(career(periods, claim_date="2024-06-01",
                           inputs={"IRL": {"theoretical": 100}}), model_rules, "model-short")
    assert result.state("IRL").paid == 100
    assert result.state("IRL").ratio == 1
    assert result.state("AAA").paid is None
    with pytest.raises(InputError, match="needs the periods' dates"):
        assess(career([{"country": "AAA", "count": 6, "unit": "month"},
                       {"country": "IRL", "count": 20, "unit": "week"}],
                      claim_date="2024-06-01", inputs={"IRL": {"theoretical": 100}}),
               model_rules, "model-short")


def test_us_needs_six_quarters_of_its_own():
    rules = load_rules()
    result = assess(career([{"country": "USA", "count": 5, "unit": "quarter"},
                            {"country": "ITA", "count": 30, "unit": "year"}],
                           claim_date="2024-06-01", inputs={"USA": {"earnings": 2000}}),
                    rules, "us-totalization")
    usa = result.state("USA")
    assert usa.qualifies_totalised is False
    assert usa.paid is None
    assert "at least 6 quarters" in usa.steps[-2].text
    enough = assess(career([{"country": "USA", "count": 20, "unit": "quarter"},
                            {"country": "ITA", "count": 52 * 6, "unit": "week"}],
                           claim_date="2024-06-01", inputs={"USA": {"earnings": 2000}}),
                    rules, "us-totalization")
    usa = enough.state("USA")
    # PIA of AIME 2,000 (2024): 90% x 1,174 + 32% x 826 = 1,056.60 + 264.32 = 1,320.92 -> 1,320.90
    assert usa.theoretical == Fraction("1320.9")
    assert usa.total_units == 20 + 24
    assert usa.pro_rata == Fraction("1320.9") * Fraction(20, 44)
    assert usa.paid == usa.pro_rata


def test_us_own_quarters_enough_means_no_totalisation():
    result = assess(career([{"country": "USA", "count": 40, "unit": "quarter"},
                            {"country": "ITA", "count": 10, "unit": "year"}],
                           claim_date="2024-06-01", inputs={"USA": {"earnings": 1000}}),
                    load_rules(), "us-totalization")
    usa = result.state("USA")
    assert usa.paid_as == "independent"
    assert usa.paid == Fraction(900) + Fraction(0)  # 90% of 1,000


def test_bilateral_us_model_takes_one_partner():
    with pytest.raises(InputError, match="one partner state"):
        assess(career([{"country": "USA", "count": 20, "unit": "quarter"},
                       {"country": "ITA", "count": 5, "unit": "year"},
                       {"country": "DEU", "count": 5, "unit": "year"}],
                      claim_date="2024-06-01"), load_rules(), "us-totalization")


def test_caricom_choice_left_open_when_both_exist():
    result = assess(career([{"country": "BRB", "count": 600, "unit": "week", "earnings": 1000},
                            {"country": "TTO", "count": 450, "unit": "week"}],
                           claim_date="2003-06-01", inputs={"TTO": {"basic": 700}}),
                    load_rules(), "caricom-1996")
    barbados = result.state("BRB")
    assert barbados.independent == 420  # 40% + 2 blocks of 50 weeks beyond 500
    assert barbados.theoretical == 510  # 1,050 weeks: 40% + 11 blocks of 50 beyond 500
    assert barbados.paid is None
    assert barbados.paid_as == "undetermined"
    assert barbados.independent is not None
    assert barbados.pro_rata is not None
    assert barbados.paid_range == (min(barbados.independent, barbados.pro_rata),
                                   max(barbados.independent, barbados.pro_rata))
    totals = result.totals["BBD"]
    assert totals["low"] < totals["high"]


def test_what_if_staying_and_one_more_year():
    rules = load_rules()
    scenarios = {s.name: s for s in compare(CARICOM, rules, "caricom-1996")}
    assert next(iter(scenarios)) == "as entered"
    stayed = scenarios["stayed in BRB"]
    assert stayed.result is not None
    barbados = stayed.result.state("BRB")
    assert barbados.own_units == 750
    assert barbados.paid == Fraction("0.45") * 1000
    more = scenarios["one more year in BRB"].result
    assert more is not None
    assert more.state("BRB").own_units == 352
    assert scenarios["one more year in TTO"].difference["TTD"][0] > 0
    assert stayed.difference["BBD"] == (barbados.paid - 180, barbados.paid - 180)
    assert one_more(CARICOM, "TTO").periods[-1].number == 3
    assert {p.country for p in stayed_in(CARICOM, "TTO").periods} == {"TTO"}


def test_markdown_and_json_show_the_same_result():
    rules = load_rules()
    result = assess(CARICOM, rules, "caricom-1996")
    scenarios = compare(CARICOM, rules, "caricom-1996")
    text = to_markdown(result, rules, scenarios)
    assert "| BRB | 300 weeks | 750 weeks | no | – | 450.00 | 180.00 | 180.00 BBD |" in text
    assert "## Step by step" in text
    assert "## What if" in text
    assert "not legal advice" in text
    doc = json.loads(to_json(result, rules, scenarios))
    assert doc["states"][0]["paid"] == 180.0
    assert doc["totals"]["TTD"]["paid"] == pytest.approx(0.6 * 700)
    assert all(s["url"] for s in doc["sources"])
    assert doc["what_if"][1]["name"] == "stayed in BRB"
