"""Small-sample suppression: which estimates may be shown, flagged or must be hidden.

Two published standards of the US National Center for Health Statistics (NCHS), chosen
because they are explicit, public domain and built for design-based estimates:

- **Proportions**: NCHS Data Presentation Standards for Proportions (Parker et al. 2017,
  Vital Health Stat 2(175)). A proportion is suppressed when its effective sample size
  n/deff is below 30, or its Korn–Graubard confidence interval is 0.30 wide or more, or
  that interval is wider than 0.05 and more than 130 % of the proportion; it is flagged
  for review when the design has fewer than 8 degrees of freedom, and when the estimate
  is 0 or 1 (no interval can be computed from its variance).
- **Means, totals and ratios**: the NCHS rule on the relative standard error (RSE) used
  with its health care surveys: fewer than 30 respondents, suppressed; 30–59
  respondents, or an RSE of 30 % or more, shown but flagged as unreliable.

The Korn–Graubard interval (Korn and Graubard 1998) is the Clopper–Pearson interval on
the effective sample size n* = p(1 − p)/se², scaled by (t_{n−1}/t_df)² for the design's
degrees of freedom; it is computed here only to apply the standard (the estimate's own
interval, `Estimate.ci_low/ci_high`, is the logit one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.special import betaincinv, stdtrit  # type: ignore[import-untyped]

from tmo.surveys.estimate import Estimate

Status = Literal["shown", "flagged", "suppressed"]
MIN_RESPONDENTS = 30        # both standards
RELIABLE_RESPONDENTS = 60   # the RSE rule: 30–59 respondents are flagged
MAX_RSE = 0.30
MIN_DF = 8
MAX_ABSOLUTE_WIDTH = 0.30
SMALL_ABSOLUTE_WIDTH = 0.05
MAX_RELATIVE_WIDTH = 1.30

# why an estimate is flagged or suppressed, as codes the renderers translate
REASONS = {
    "no_respondents": "no respondent in this group",
    "few_respondents": "fewer than 30 respondents",
    "few_effective": "effective sample size below 30",
    "wide_interval": "confidence interval 0.30 wide or more",
    "wide_relative_interval": "confidence interval wider than 130 % of the proportion",
    "some_respondents": "fewer than 60 respondents",
    "high_rse": "relative standard error of 30 % or more",
    "few_df": "fewer than 8 design degrees of freedom",
    "boundary": "estimate of 0 or 1: no interval from its variance",
    "no_se": "no standard error could be estimated",
}


@dataclass(frozen=True)
class Verdict:
    """What may be shown of one estimate, and why (codes of `REASONS`)."""

    status: Status
    reasons: tuple[str, ...]
    effective_n: float
    kg_low: float = float("nan")
    kg_high: float = float("nan")

    @property
    def shown(self) -> bool:
        """True unless suppressed."""
        return self.status != "suppressed"


def assess(est: Estimate) -> Verdict:
    """The verdict of the standard that fits `est.statistic`."""
    if est.n == 0 or not np.isfinite(est.estimate):
        return Verdict("suppressed", ("no_respondents",), 0.0)
    if est.statistic == "proportion":
        return _proportion(est)
    return _rse(est)


def _rse(est: Estimate) -> Verdict:
    effective = est.n / est.deff if np.isfinite(est.deff) and est.deff > 1 else float(est.n)
    if est.n < MIN_RESPONDENTS:
        return Verdict("suppressed", ("few_respondents",), effective)
    flags = []
    if not np.isfinite(est.se):
        flags.append("no_se")
    if est.n < RELIABLE_RESPONDENTS:
        flags.append("some_respondents")
    if np.isfinite(est.cv) and est.cv >= MAX_RSE:
        flags.append("high_rse")
    if est.df < MIN_DF:
        flags.append("few_df")
    return Verdict("flagged" if flags else "shown", tuple(flags), effective)


def korn_graubard(p: float, se: float, n: int, df: float, level: float = 0.95
                  ) -> tuple[float, float, float]:
    """(low, high, effective n) of the Korn–Graubard interval for a proportion."""
    n_eff = min(p * (1 - p) / se ** 2, float(n)) if se > 0 and 0 < p < 1 else float(n)
    if n > 1 and df > 0:
        alpha = 1 - level
        ratio = stdtrit(n - 1, 1 - alpha / 2) / stdtrit(df, 1 - alpha / 2)
        n_df = n_eff * float(ratio) ** 2
    else:
        n_df = n_eff
    x = p * n_df
    alpha = 1 - level
    # Clopper–Pearson limits: quantiles of beta distributions
    low = 0.0 if x <= 0 else float(betaincinv(x, n_df - x + 1, alpha / 2))
    high = 1.0 if x >= n_df else float(betaincinv(x + 1, n_df - x, 1 - alpha / 2))
    return low, high, n_eff


def _proportion(est: Estimate) -> Verdict:
    p = est.estimate
    se = est.se if np.isfinite(est.se) else 0.0
    low, high, _ = korn_graubard(p, se, est.n, est.df, est.level)
    effective = est.n / est.deff if np.isfinite(est.deff) and est.deff > 1 else float(est.n)
    width = high - low
    reasons = []
    if effective < MIN_RESPONDENTS:
        reasons.append("few_effective")
    if width >= MAX_ABSOLUTE_WIDTH:
        reasons.append("wide_interval")
    elif width > SMALL_ABSOLUTE_WIDTH and p > 0 and width / p > MAX_RELATIVE_WIDTH:
        reasons.append("wide_relative_interval")
    if reasons:
        return Verdict("suppressed", tuple(reasons), effective, low, high)
    flags = []
    if est.df < MIN_DF:
        flags.append("few_df")
    if p in (0.0, 1.0):
        flags.append("boundary")
    return Verdict("flagged" if flags else "shown", tuple(flags), effective, low, high)
