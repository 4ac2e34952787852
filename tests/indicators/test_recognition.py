"""UNHCR's total and refugee recognition rates (tmo.indicators.recognition): properties
that hold for any decision counts, and a worked example."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tmo.indicators.recognition import recognition_rates

COUNT = st.integers(min_value=0, max_value=10**7)


def test_worked_example():
    # 40 recognised, 10 complementary protection, 50 rejected: 50 % protected, 40 % as
    # refugees; decisions otherwise closed are no input at all
    rates = recognition_rates(40, 10, 50)
    assert rates is not None
    assert (rates.total, rates.refugee, rates.substantive) == (0.5, 0.4, 100)


@given(COUNT, COUNT, COUNT)
def test_rates_are_shares_of_the_substantive_decisions(rec, comp, rej):
    rates = recognition_rates(rec, comp, rej)
    if rec + comp + rej == 0:
        assert rates is None  # no substantive decision: no rate, not 0 %
        return
    assert rates is not None
    assert 0 <= rates.refugee <= rates.total <= 1
    assert rates.total * (rec + comp + rej) == pytest.approx(rec + comp)
    assert rates.total - rates.refugee == pytest.approx(comp / (rec + comp + rej))
    assert (rates.total == 1) == (rej == 0)


@given(COUNT, COUNT, COUNT, st.integers(min_value=1, max_value=1000))
def test_rates_do_not_depend_on_scale(rec, comp, rej, k):
    one, many = recognition_rates(rec, comp, rej), recognition_rates(k * rec, k * comp, k * rej)
    assert (one is None) == (many is None)
    if one is not None and many is not None:
        assert many.total == pytest.approx(one.total)
        assert many.refugee == pytest.approx(one.refugee)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        recognition_rates(1, -1, 3)
