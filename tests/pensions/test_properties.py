"""Properties of the calculator over generated careers (hypothesis):
- where a rule pays the higher amount, totalisation never leaves a state paying less than
  its independent benefit;
- the pro-rata shares of all states add up to one, so the pro-rata benefits add up to the
  theoretical amount's share (exactly: amounts are fractions);
- the result does not depend on the order in which the periods are entered.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.pensions.calculate import Assessment, assess, shares
from tmo.pensions.ruleset import load_rules

from .conftest import DATA, career

MODEL = load_rules(sorted(DATA.glob("*.yaml")))
SHIPPED = load_rules()

model_period = st.fixed_dictionaries({
    "country": st.sampled_from(["AAA", "BBB", "CCC"]),
    "count": st.integers(min_value=1, max_value=30),
    "unit": st.sampled_from(["year", "quarter", "month", "week"])})
caricom_period = st.fixed_dictionaries({
    "country": st.sampled_from(["BRB", "TTO", "GUY"]),
    "count": st.integers(min_value=1, max_value=900),
    "unit": st.just("week"),
    "earnings": st.integers(min_value=0, max_value=5000)})


def model_career(periods: list[dict[str, Any]]):
    # One long period in each state so every state's totalised periods qualify.
    base = [{"country": c, "count": 9, "unit": "year"} for c in ("AAA", "BBB", "CCC")]
    return career(base + periods, claim_date="2016-01-01",
                  inputs={"CCC": {"earnings": 1000}})


def numbers(result: Assessment) -> dict[str, tuple]:
    return {s.country: (s.own_units, s.total_units, s.qualifies_alone, s.qualifies_totalised,
                        s.independent, s.theoretical, s.ratio, s.pro_rata, s.paid, s.paid_as,
                        s.paid_range) for s in result.states}


@settings(max_examples=60, deadline=None)
@given(st.lists(model_period, max_size=6))
def test_higher_rule_never_pays_less_than_the_independent_benefit(periods):
    result = assess(model_career(periods), MODEL, "model-higher")
    for state in result.states:
        if state.independent is not None:
            assert state.paid is not None
            assert state.paid >= state.independent
        if state.pro_rata is not None:
            assert state.paid is not None
            assert state.paid >= state.pro_rata


@settings(max_examples=60, deadline=None)
@given(st.lists(model_period, max_size=6))
def test_pro_rata_shares_add_up_to_the_theoretical_share(periods):
    result = assess(model_career(periods), MODEL, "model-higher")
    assert sum(shares(result).values()) == 1
    assert all(s.qualifies_totalised for s in result.states)
    assert sum((s.pro_rata / s.theoretical for s in result.states    # type: ignore[operator]
                if s.theoretical), Fraction(0)) == 1


same_period = st.fixed_dictionaries({
    "country": st.sampled_from(["DDD", "EEE", "FFF"]),
    "count": st.integers(min_value=1, max_value=400),
    "unit": st.sampled_from(["year", "quarter", "month", "week", "day"])})


@settings(max_examples=60, deadline=None)
@given(st.lists(same_period, min_size=1, max_size=8))
def test_identical_schemes_share_out_the_theoretical_amount(periods):
    """With the same scheme in every state, each state's theoretical amount is the same and
    the pro-rata benefits add up to exactly that amount."""
    result = assess(career(periods, claim_date="2016-01-01"), MODEL, "model-same")
    qualified = [s for s in result.states if s.qualifies_totalised]
    if not qualified:
        return
    assert len(qualified) == len(result.states)
    theoretical = {s.theoretical for s in qualified}
    assert len(theoretical) == 1
    assert sum((s.pro_rata for s in qualified if s.pro_rata is not None), Fraction(0)) == \
        theoretical.pop()


@settings(max_examples=60, deadline=None)
@given(st.lists(model_period, max_size=6), st.randoms(use_true_random=False))
def test_order_of_periods_does_not_matter(periods, random):
    one = model_career(periods)
    shuffled = list(one.periods)
    random.shuffle(shuffled)
    other = one.with_periods(shuffled)
    assert numbers(assess(one, MODEL, "model-higher")) == numbers(
        assess(other, MODEL, "model-higher"))


@settings(max_examples=60, deadline=None)
@given(st.lists(caricom_period, min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_caricom_order_and_shares(periods, random):
    one = career(periods, claim_date="2003-06-01",
                 inputs={"TTO": {"basic": 500, "earnings": 900}})
    shuffled = list(one.periods)
    random.shuffle(shuffled)
    first = assess(one, SHIPPED, "caricom-1996")
    assert numbers(first) == numbers(assess(one.with_periods(shuffled), SHIPPED,
                                            "caricom-1996"))
    assert sum(shares(first).values()) == 1
