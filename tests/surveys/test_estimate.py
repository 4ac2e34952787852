"""The estimators against textbook formulas computed here by hand (Cochran 1977)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tmo.surveys import Design, mean, ratio, total, with_replicates

STRATIFIED = pd.DataFrame({
    "h": ["a"] * 4 + ["b"] * 3,
    "N": [40.0] * 4 + [90.0] * 3,
    "y": [3.0, 5.0, 4.0, 8.0, 10.0, 14.0, 9.0],
    "x": [1.0, 2.0, 2.0, 3.0, 4.0, 5.0, 4.0],
})


def _stratified() -> Design:
    frame = STRATIFIED.assign(w=STRATIFIED.N / STRATIFIED.groupby("h").h.transform("size"))
    return Design.of(frame, weight="w", strata="h", fpc="N")


def test_stratified_random_sampling_mean_is_cochran_5_1() -> None:
    """Var(ȳ_st) = Σ W_h² (1 − f_h) s_h² / n_h (Cochran 1977, theorem 5.3)."""
    g = STRATIFIED.groupby("h")
    n_h, big_n, s2 = g.size(), g.N.first(), g.y.var(ddof=1)
    weights = big_n / big_n.sum()
    expected_mean = float((weights * g.y.mean()).sum())
    expected_var = float((weights ** 2 * (1 - n_h / big_n) * s2 / n_h).sum())
    est = mean(_stratified(), "y")
    assert est.estimate == pytest.approx(expected_mean, rel=1e-12)
    assert est.se ** 2 == pytest.approx(expected_var, rel=1e-12)
    assert est.df == 7 - 2


def test_ratio_variance_is_the_linearised_one() -> None:
    """Var(R̂) = Σ_h (1 − f_h) n_h/(n_h − 1) Σ_i (e_i − ē_h)², e = w (y − R̂ x) / X̂."""
    d = STRATIFIED.assign(w=STRATIFIED.N / STRATIFIED.groupby("h").h.transform("size"))
    r = (d.w * d.y).sum() / (d.w * d.x).sum()
    d = d.assign(e=d.w * (d.y - r * d.x) / (d.w * d.x).sum())
    var = sum((1 - len(g) / g.N.iloc[0]) * len(g) / (len(g) - 1) * ((g.e - g.e.mean()) ** 2).sum()
              for _, g in d.groupby("h"))
    est = ratio(_stratified(), "y", "x")
    assert est.estimate == pytest.approx(r, rel=1e-12)
    assert est.se == pytest.approx(np.sqrt(var), rel=1e-12)


LONELY = pd.DataFrame({"h": [1, 1, 1, 1, 2, 2], "p": [1, 1, 2, 2, 3, 3],
                       "w": [1.0, 2.0, 1.0, 2.0, 3.0, 3.0], "y": [1.0, 2.0, 4.0, 6.0, 5.0, 9.0]})


def _psu_totals() -> tuple[pd.Series, float]:
    t = (LONELY.w * LONELY.y)
    return t.groupby([LONELY.h, LONELY.p]).sum(), float(t.sum())


@pytest.mark.parametrize("policy", ["remove", "adjust", "certainty"])
def test_lonely_psu_policies(policy: str) -> None:
    """Stratum 2 has one PSU (3). For the total: `remove` keeps stratum 1's term only;
    `adjust` adds stratum 2's PSU total's squared deviation from the mean of all PSU
    totals; `certainty` makes stratum 2's two units its PSUs."""
    totals, _ = _psu_totals()
    s1 = totals.loc[1]
    term1 = 2 / 1 * float(((s1 - s1.mean()) ** 2).sum())
    if policy == "remove":
        expected = term1
    elif policy == "adjust":
        expected = term1 + float((totals.loc[2].iloc[0] - totals.mean()) ** 2)
    else:
        units = (LONELY.w * LONELY.y)[LONELY.h == 2]
        expected = term1 + 2 / 1 * float(((units - units.mean()) ** 2).sum())
    design = Design.of(LONELY, weight="w", strata="h", psu="p",
                       lonely_psu=policy)  # type: ignore[arg-type]
    assert total(design, "y").se ** 2 == pytest.approx(expected, rel=1e-12)


def test_a_replicate_that_empties_a_domain_gives_no_standard_error() -> None:
    """JKn drops PSU 3, the only one of domain y = 9: that replicate has no estimate, so
    the domain's SE is not a number (never a made-up zero)."""
    design = with_replicates(Design.of(LONELY.assign(h=1), weight="w", psu="p"), "jkn")
    est = mean(design, "y", domain={"p": 3})
    assert est.estimate == pytest.approx(7.0)
    assert np.isnan(est.se)
