"""The survey indicators on hand-made responses: each estimate equals the weighted figure
computed here directly with pandas from the same rows (the definitions of
modules/indicators.yaml written out by hand), the median is the weighted median and lies
inside its Woodruff interval, and the perception gap is the mean minus the published
share, with the mean's interval moved by the same amount."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.indicators.figure import Figure
from tmo.store.evidence import Source
from tmo.surveys.design import Design
from tmo.surveys.indicators import estimate_module, weighted_quantile, woodruff_median

RNG = np.random.default_rng(7)
N = 120


def _households() -> pd.DataFrame:
    size = RNG.integers(1, 7, N)
    children = np.minimum(RNG.integers(0, 4, N), size - 1)
    abroad = RNG.poisson(0.8, N)
    receives = np.where(abroad > 0, RNG.random(N) < 0.7, RNG.random(N) < 0.1)
    with_children = (abroad > 0) & (children > 0)
    return pd.DataFrame({
        "stratum": np.repeat(["A", "B", "C"], N // 3),
        "psu": [f"P{i // 5}" for i in range(N)],
        "weight": RNG.uniform(50, 150, N).round(2),
        "hh_size": size, "children_n": children, "members_abroad_n": abroad,
        "children_parent_abroad_n": np.where(with_children, RNG.integers(0, 2, N) * children,
                                             np.nan),
        "child_carer": "", "elderly_n": 0, "elderly_carer": "",
        "contact_freq": np.where(abroad > 0, RNG.choice(["daily", "weekly", "rarely"], N), ""),
        "remit_received": np.where(receives, "yes", "no"),
        "remit_amount": np.where(receives, RNG.integers(100, 5000, N), np.nan),
        "remit_use": np.where(receives, RNG.choice(["food", "food education", "savings"], N),
                              ""),
        "service_needs": "",
    })


HOUSEHOLDS = _households()


@pytest.fixture(scope="module")
def households() -> pd.DataFrame:
    return HOUSEHOLDS


def _design(frame: pd.DataFrame) -> Design:
    return Design.of(frame, weight="weight", strata="stratum", psu="psu")


def _by_id(indicators):
    return {i.id: i for i in indicators}


def test_shares_ratios_and_median_equal_the_weighted_figures(households: pd.DataFrame) -> None:
    f = households
    got = _by_id(estimate_module("households", _design(f)))
    w = f["weight"]
    assert got["hh_member_abroad"].values[0].estimate == pytest.approx(
        100 * w[f["members_abroad_n"] > 0].sum() / w.sum())
    assert got["hh_remittances"].values[0].estimate == pytest.approx(
        100 * w[f["remit_received"] == "yes"].sum() / w.sum())
    abroad = f["members_abroad_n"] > 0
    weekly = f["contact_freq"].isin(["daily", "weekly"])
    assert got["contact_weekly"].values[0].estimate == pytest.approx(
        100 * w[abroad & weekly].sum() / w[abroad].sum())
    # children whose parent is abroad: a count not asked (no member abroad) counts 0
    numerator = f["children_parent_abroad_n"].fillna(0)
    assert got["children_parent_abroad"].values[0].estimate == pytest.approx(
        100 * (w * numerator).sum() / (w * f["children_n"]).sum())
    uses = {v.category: v.estimate for v in got["remit_use"].values}
    receiving = f["remit_received"] == "yes"
    food = f["remit_use"].str.split().map(lambda a: "food" in a)
    assert uses["food"] == pytest.approx(100 * w[receiving & food].sum() / w[receiving].sum())
    assert uses["health"] == 0
    # the weighted median: the smallest amount whose weighted share reaches one half
    paid = f[receiving].sort_values("remit_amount", kind="stable")
    share = paid["weight"].cumsum() / paid["weight"].sum()
    median = got["remit_median"].values[0]
    assert median.estimate == paid["remit_amount"][share >= 0.5].iloc[0]
    assert median.ci_low <= median.estimate <= median.ci_high
    assert median.se > 0
    assert median.n == int(receiving.sum())


def test_every_estimate_has_a_design_based_interval(households: pd.DataFrame) -> None:
    for ind in estimate_module("households", _design(households)):
        for v in ind.values:
            if v.status == "suppressed" or math.isnan(v.estimate):
                continue
            assert v.ci_low <= v.estimate <= v.ci_high, ind.id
            assert v.df == 24 - 3, ind.id  # PSUs minus strata
            assert v.method == "taylor"


def test_perception_gap_and_acceptance_index() -> None:
    n = 90
    frame = pd.DataFrame({
        "stratum": np.repeat(["A", "B"], n // 2), "psu": [f"P{i // 5}" for i in range(n)],
        "weight": RNG.uniform(1, 3, n), "respondent_sex": "female", "respondent_age": 40,
        "perceived_share": RNG.integers(0, 40, n),
        "accept_country": RNG.choice(["good", "bad", "depends", "dont_know"], n),
        "accept_neighbour": RNG.choice(["good", "bad"], n),
        "accept_family": RNG.choice(["good", "bad", "depends"], n)})
    actual = Figure("immigrant_share", 6.25, "percent", 2024,
                    (Source("population", "country = 'MDA'", "2024", ("f.xlsx",), ("9",), 1),))
    got = _by_id(estimate_module("attitudes", _design(frame), actual=actual))
    w = frame["weight"]
    perceived = got["perceived_immigrant_share"].values[0]
    assert perceived.estimate == pytest.approx((w * frame["perceived_share"]).sum() / w.sum())
    gap = got["perception_gap"].values[0]
    assert gap.estimate == pytest.approx(perceived.estimate - 6.25)
    assert gap.ci_low == pytest.approx(perceived.ci_low - 6.25)
    assert gap.se == pytest.approx(perceived.se)
    assert got["perception_gap"].actual is not None
    assert got["perception_gap"].actual["sources"][0]["rows"] == ("9",)
    points = {"good": 3, "depends": 1, "dont_know": 1, "bad": 0}
    score = sum(frame[c].map(points) for c in ("accept_country", "accept_neighbour",
                                               "accept_family"))
    assert got["acceptance_index"].values[0].estimate == pytest.approx(
        (w * score).sum() / w.sum())
    without = _by_id(estimate_module("attitudes", _design(frame)))
    assert without["perception_gap"].values == ()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(-50, 50), st.integers(1, 6)), min_size=1, max_size=40),
       st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9]))
def test_weighted_quantile_is_the_quantile_of_the_repeated_sample(pairs, p) -> None:
    x = np.array([a for a, _ in pairs], dtype=float)
    w = np.array([b for _, b in pairs], dtype=float)
    repeated = np.repeat(x, w.astype(int))
    assert weighted_quantile(x, w, p) == np.quantile(repeated, p, method="inverted_cdf")


@settings(max_examples=10, deadline=None)
@given(st.floats(0.5, 20.0))
def test_scaling_the_weights_changes_no_median_nor_its_interval(factor: float) -> None:
    frame = HOUSEHOLDS
    scaled = frame.assign(weight=frame["weight"] * factor)
    a = woodruff_median(_design(frame), "remit_amount", "remit_received == 'yes'")
    b = woodruff_median(_design(scaled), "remit_amount", "remit_received == 'yes'")
    assert (a.estimate, a.ci_low, a.ci_high) == (b.estimate, b.ci_low, b.ci_high)
