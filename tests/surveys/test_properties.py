"""Property tests of the survey estimators and raking (hypothesis, small examples)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tmo.surveys import Design, mean, proportion, total, with_replicates
from tmo.surveys.calibration import Margin, rake, rake_design

FAST = settings(max_examples=20, deadline=None)


@st.composite
def samples(draw: st.DrawFn, *, min_psu: int = 2, max_psu: int = 4) -> pd.DataFrame:
    """A stratified cluster sample: 1–4 strata, 2–4 PSUs each, 1–4 units per PSU, positive
    weights, a numeric y and a category g (a, b)."""
    rows: list[dict[str, object]] = []
    for h in range(draw(st.integers(1, 4))):
        for p in range(draw(st.integers(min_psu, max_psu))):
            rows.extend({"h": h, "p": p,
                         "w": draw(st.floats(0.5, 50, allow_nan=False)),
                         "y": draw(st.floats(-100, 100, allow_nan=False)),
                         "g": draw(st.sampled_from(["a", "b"]))}
                        for _ in range(draw(st.integers(1, 4))))
    return pd.DataFrame(rows)


def _design(frame: pd.DataFrame, weight: str = "w") -> Design:
    return Design.of(frame, weight=weight, strata="h", psu="p")


@FAST
@given(samples(), st.floats(1e-3, 1e3))
def test_scaling_the_weights_changes_no_proportion_or_mean(frame: pd.DataFrame,
                                                           c: float) -> None:
    scaled = frame.assign(w=frame.w * c)
    for stat in (lambda d: proportion(d, "g", "a"), lambda d: mean(d, "y")):
        a, b = stat(_design(frame)), stat(_design(scaled))
        assert b.estimate == pytest.approx(a.estimate, rel=1e-9, abs=1e-9)
        assert b.se == pytest.approx(a.se, rel=1e-6, abs=1e-9)
    assert total(_design(scaled), "y").estimate == pytest.approx(
        c * total(_design(frame), "y").estimate, rel=1e-9, abs=1e-6)


@FAST
@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=40),
       st.lists(st.sampled_from(["x", "y"]), min_size=40, max_size=40))
def test_a_census_has_zero_standard_error(values: list[float], cats: list[str]) -> None:
    """Every unit of the population observed, weight 1, one stratum, fpc = N: no sampling
    error at all."""
    frame = pd.DataFrame({"v": values, "c": cats[:len(values)], "one": 1.0,
                          "N": float(len(values))})
    census = Design.of(frame, weight="one", fpc="N")
    for est in (mean(census, "v"), total(census, "v"), proportion(census, "c", "x")):
        assert est.se == pytest.approx(0.0, abs=1e-9)
    assert total(census, "v").estimate == pytest.approx(sum(values), abs=1e-6)


@FAST
@given(samples(min_psu=2, max_psu=2))
def test_brr_equals_taylor_for_a_total(frame: pd.DataFrame) -> None:
    d = _design(frame)
    assert total(with_replicates(d, "brr"), "y").se == pytest.approx(
        total(d, "y").se, rel=1e-7, abs=1e-7)


@FAST
@given(samples(min_psu=2, max_psu=4))
def test_the_jackknife_equals_taylor_for_a_total(frame: pd.DataFrame) -> None:
    """For a linear statistic the delete-one-PSU jackknife is the linearised variance,
    whatever the number of PSUs per stratum (Wolter 2007, 4.5)."""
    d = _design(frame)
    assert total(with_replicates(d, "jkn"), "y").se == pytest.approx(
        total(d, "y").se, rel=1e-7, abs=1e-7)


@FAST
@given(st.lists(st.floats(0.5, 5.0), min_size=40, max_size=40))
def test_equal_weights_srs_has_design_effect_one(values: list[float]) -> None:
    assume(np.ptp(values) > 1e-3)  # a constant variable has no variance to compare
    frame = pd.DataFrame({"v": values, "w": 7.0})
    est = mean(Design.of(frame, weight="w"), "v")
    assert est.deff == pytest.approx(1.0, rel=1e-9)


@FAST
@given(samples(), st.lists(st.floats(10, 1e4), min_size=4, max_size=4))
def test_raking_meets_every_margin(frame: pd.DataFrame, sizes: list[float]) -> None:
    frame = frame.assign(s=np.where(frame.index % 3 == 0, "f", "m"))
    # every cell of sex × group holds a respondent, so any pair of margins can be met
    cells = pd.DataFrame({"h": 0, "p": [0, 1, 0, 1], "w": 1.0, "y": 0.0,
                          "g": ["a", "a", "b", "b"], "s": ["f", "m", "f", "m"]})
    frame = pd.concat([frame, cells], ignore_index=True)
    grand = sizes[0] + sizes[1]
    sex = Margin("s", {"f": sizes[0], "m": sizes[1]})
    group = Margin("g", {"a": grand * sizes[2] / (sizes[2] + sizes[3]),
                         "b": grand * sizes[3] / (sizes[2] + sizes[3])})
    raked, result = rake_design(_design(frame), [sex, group])
    assert result.converged
    for margin in (sex, group):
        achieved = pd.Series(raked.weights).groupby(frame[margin.column].to_numpy()).sum()
        for k, target in margin.totals.items():
            assert achieved[k] == pytest.approx(target, rel=1e-7)


def test_raking_refuses_margins_that_disagree() -> None:
    from tmo.errors import InputError

    codes = [np.array([0, 1, 0, 1]), np.array([0, 0, 1, 1])]
    with pytest.raises(InputError, match="margins of one population must agree"):
        rake(np.ones(4), codes, [np.array([10.0, 10.0]), np.array([10.0, 11.0])])


def test_raking_names_a_category_without_respondents() -> None:
    from tmo.errors import InputError

    frame = pd.DataFrame({"w": [1.0, 1.0], "sex": ["F", "F"]})
    with pytest.raises(InputError, match="margin 'sex': category 'M' has no respondent"):
        rake_design(Design.of(frame, weight="w"), [Margin("sex", {"F": 10.0, "M": 12.0})])
