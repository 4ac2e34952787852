"""Small-sample suppression (NCHS standards) on estimates with known precision."""

from __future__ import annotations

import pytest
from scipy import stats  # type: ignore[import-untyped]

from tmo.surveys import Estimate
from tmo.surveys.suppression import assess, korn_graubard


def _est(statistic: str, p: float, se: float, n: int, *, deff: float = 1.0,
         df: float = 100.0) -> Estimate:
    return Estimate(statistic, "v", (), p, se, p - 2 * se, p + 2 * se, 0.95,  # type: ignore[arg-type]
                    df, deff, n, 0, float(n), "taylor")


def test_korn_graubard_is_clopper_pearson_for_a_simple_random_sample() -> None:
    """With the binomial variance and df = n − 1 the Korn–Graubard interval is the exact
    (Clopper–Pearson) interval, as scipy's binomial test computes it independently."""
    x, n = 17, 60
    p = x / n
    low, high, n_eff = korn_graubard(p, (p * (1 - p) / n) ** 0.5, n, n - 1)
    exact = stats.binomtest(x, n).proportion_ci(confidence_level=0.95, method="exact")
    assert (low, high) == pytest.approx((exact.low, exact.high), rel=1e-9)
    assert n_eff == pytest.approx(n)


@pytest.mark.parametrize(("est", "status", "reason"), [
    (_est("proportion", 0.5, 0.01, 2500), "shown", None),
    (_est("proportion", 0.5, 0.01, 2500, deff=100), "suppressed", "few_effective"),
    (_est("proportion", 0.5, 0.1, 100), "suppressed", "wide_interval"),
    (_est("proportion", 0.02, 0.012, 400), "suppressed", "wide_relative_interval"),
    (_est("proportion", 0.5, 0.01, 2500, df=5), "flagged", "few_df"),
    (_est("proportion", 0.0, 0.0, 2500), "flagged", "boundary"),
    (_est("mean", 80.0, 1.0, 29), "suppressed", "few_respondents"),
    (_est("mean", 80.0, 1.0, 45), "flagged", "some_respondents"),
    (_est("total", 1000.0, 400.0, 500), "flagged", "high_rse"),
    (_est("ratio", 0.4, 0.01, 500), "shown", None),
    (_est("mean", float("nan"), float("nan"), 0), "suppressed", "no_respondents"),
])
def test_the_standards(est: Estimate, status: str, reason: str | None) -> None:
    verdict = assess(est)
    assert verdict.status == status
    assert (reason in verdict.reasons) if reason else verdict.reasons == ()
