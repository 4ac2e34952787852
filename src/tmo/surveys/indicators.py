"""The survey indicators (`modules/indicators.yaml`) estimated from responses with their
design: every value with its design-based standard error, 95 % confidence interval,
design effect and the respondents it rests on (`tmo.surveys.estimate`).

Proportions, ratios and means come straight from the estimators. Medians use Woodruff's
interval (Woodruff 1952; R survey's `svyquantile`, SAS PROC SURVEYMEANS): the share of
units at or below the median is estimated with its design-based standard error, a
confidence interval on that share is turned back into amounts through the weighted
distribution, and the standard error is the interval's width over 2 t. The perception
gap is the mean perceived share minus the published share from the store, which is held
fixed (its own error, if any, is not the survey's), so its interval is the mean's, moved.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats  # type: ignore[import-untyped]

from tmo.errors import InputError
from tmo.indicators.figure import Figure
from tmo.surveys.description import SurveyDescription, designs
from tmo.surveys.design import Design
from tmo.surveys.estimate import Estimate, mean, proportion, ratio
from tmo.surveys.questionnaire import IndicatorDef, indicator_defs, load_module
from tmo.surveys.suppression import assess

FLAG = "__tmo_flag"


@dataclass(frozen=True)
class Value:
    """One estimated value in the indicator's unit (percent for shares)."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    deff: float
    n: int
    df: float
    method: str
    category: str | None = None  # the choice, for `shares`
    # the small-sample standard's verdict (tmo.surveys.suppression): shown, flagged
    # (shown with a warning) or suppressed (never shown), and its reason codes
    status: str = "shown"
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveyIndicator:
    id: str
    unit: str
    values: tuple[Value, ...]
    actual: dict[str, Any] | None = None  # the published figure a gap is measured from
    note: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def value(self) -> Value | None:
        return self.values[0] if self.values else None


def _scaled(e: Estimate, factor: float, category: str | None = None,
            shift: float = 0.0) -> Value:
    """The estimate in the indicator's unit, with the verdict of the small-sample
    standard on the estimate itself (before any shift)."""
    verdict = assess(e)
    return Value(e.estimate * factor - shift, e.se * factor, e.ci_low * factor - shift,
                 e.ci_high * factor - shift, e.deff, e.n, e.df, e.method, category,
                 verdict.status, verdict.reasons)


def _with(design: Design, **columns: Any) -> Design:
    """The design with derived columns added to its responses (same rows), and a cache
    of its own: the estimators cache columns by name, and FLAG names a new one each time."""
    return dataclasses.replace(design, data=design.data.assign(**columns), cache={})


def _mask(design: Design, expression: str | None) -> np.ndarray:
    """Units where `expression` (a pandas query over the responses) holds."""
    if not expression:
        return np.ones(design.n, dtype=bool)
    try:
        found = design.data.eval(expression, engine="python")
    except (KeyError, NameError, SyntaxError, ValueError, TypeError) as exc:
        raise InputError(f"{design.source}: cannot evaluate {expression!r} ({exc})",
                         hint="the responses need every column the indicator uses "
                              "(docs/surveys.md)") from exc
    return np.asarray(pd.Series(found).fillna(False), dtype=bool)


def _proportion(design: Design, condition: str, among: str | None) -> Value:
    flag = np.where(_mask(design, condition), "1", "0")
    e = proportion(_with(design, **{FLAG: flag}), FLAG, "1", domain=_mask(design, among))
    return _scaled(e, 100.0)


def weighted_quantile(x: np.ndarray, w: np.ndarray, p: float) -> float:
    """The smallest x whose weighted distribution function reaches p (R survey's
    qrule "math", the inverse of the step function)."""
    order = np.argsort(x, kind="stable")
    xs, cum = x[order], np.cumsum(w[order])
    cum /= cum[-1]
    return float(xs[min(int(np.searchsorted(cum, p - 1e-12)), len(xs) - 1)])


def woodruff_median(design: Design, variable: str, among: str | None,
                    level: float = 0.95) -> Value:
    """The weighted median of `variable` among units where `among` holds, with Woodruff's
    interval and standard error (module docstring)."""
    x = pd.to_numeric(design.data[variable], errors="coerce").to_numpy(dtype=float)
    keep = _mask(design, among) & np.isfinite(x)
    if not keep.any():
        return Value(math.nan, math.nan, math.nan, math.nan, math.nan, 0, design.df,
                     design.method)
    xs, ws = x[keep], design.weights[keep]
    median = weighted_quantile(xs, ws, 0.5)
    below = np.where(np.isfinite(x) & (x <= median), "1", "0")
    share = proportion(_with(design, **{FLAG: below}), FLAG, "1", domain=keep, level=level)
    t = float(stats.t.ppf(0.5 + level / 2, design.df))
    low_p, high_p = share.estimate - t * share.se, share.estimate + t * share.se
    low = weighted_quantile(xs, ws, max(low_p, 0.0))
    high = weighted_quantile(xs, ws, min(high_p, 1.0))
    se = (high - low) / (2 * t)
    # the relative-standard-error standard of means applies to a median too
    verdict = assess(Estimate("mean", variable, (), median, se, low, high, level, design.df,
                              math.nan, share.n, 0, share.population, design.method))
    return Value(median, se, low, high, math.nan, share.n, design.df, design.method, None,
                 verdict.status, verdict.reasons)


def _shares(design: Design, variable: str, among: str | None,
            choices: list[str]) -> tuple[Value, ...]:
    """One proportion per choice of a select question (select_multiple answers hold
    several choices separated by spaces, as ODK exports them)."""
    answered = design.data[variable].fillna("").astype(str).map(str.split)
    keep = _mask(design, among) & (answered.map(len) > 0).to_numpy()
    out = []
    for choice in choices:
        flag = np.where(answered.map(lambda a, c=choice: c in a), "1", "0")
        e = proportion(_with(design, **{FLAG: flag}), FLAG, "1", domain=keep)
        out.append(_scaled(e, 100.0, choice))
    return tuple(out)


def _score(design: Design, points: dict[str, dict[str, float]]) -> np.ndarray:
    total = np.zeros(design.n)
    for column, table in points.items():
        total += design.data[column].map(lambda v, t=table: t.get(str(v), math.nan)).to_numpy(
            dtype=float)
    return total


def _choices(d: IndicatorDef, design: Design) -> list[str]:
    """The answers a `shares` indicator reports: its question's choices, or for a text
    question the `largest` answers given, most weighted first."""
    module = load_module(d.module)
    name = module.question(d.spec["variable"]).list_name
    if name is not None:
        return [c.name for c in module.choices[name]]
    answers = design.data[d.spec["variable"]].fillna("").astype(str).str.strip()
    totals = pd.Series(design.weights, index=answers.index).groupby(answers).sum()
    totals = totals.drop("", errors="ignore").sort_values(ascending=False, kind="stable")
    return [str(a) for a in totals.index[:int(d.spec.get("largest", 10))]]


def _values(d: IndicatorDef, design: Design) -> tuple[Value, ...]:
    """The values of a proportion, ratio, median, shares or mean indicator."""
    spec, among = d.spec, d.spec.get("among")
    if d.estimator == "proportion":
        return (_proportion(design, spec["condition"], among),)
    if d.estimator == "ratio":
        numerator = pd.to_numeric(design.data[spec["numerator"]], errors="coerce")
        # a count not asked (the question was not relevant: `zero_when`) is zero
        zero = _mask(design, spec.get("zero_when")) & numerator.isna().to_numpy()
        filled = _with(design, **{FLAG: numerator.mask(zero, 0.0)})
        e = ratio(filled, FLAG, spec["denominator"], domain=_mask(design, among))
        return (_scaled(e, 100.0),)
    if d.estimator == "median":
        return (woodruff_median(design, spec["variable"], among),)
    if d.estimator == "shares":
        return _shares(design, spec["variable"], among, _choices(d, design))
    if d.estimator == "mean":
        scored = _with(design, **{FLAG: _score(design, spec["score"])}) if "score" in spec \
            else _with(design, **{FLAG: design.data[spec["variable"]]})
        return (_scaled(mean(scored, FLAG, domain=_mask(design, among)), 1.0),)
    raise InputError(f"indicator {d.id}: unknown estimator {d.estimator!r}")


def estimate_indicator(d: IndicatorDef, design: Design,
                       actual: Figure | None = None) -> SurveyIndicator:
    """One indicator from responses with their design. `actual` is the published figure
    a `gap` indicator is measured from (the store's immigrant share)."""
    if d.estimator != "gap":
        return SurveyIndicator(d.id, d.unit, _values(d, design))
    if actual is None or actual.value is None:
        return SurveyIndicator(d.id, d.unit, (), note="no published figure to compare")
    e = mean(design, d.spec["variable"], domain=_mask(design, d.spec.get("among")))
    return SurveyIndicator(d.id, d.unit, (_scaled(e, 1.0, shift=float(actual.value)),),
                           actual={"indicator": actual.indicator,
                                   "value": float(actual.value), "unit": actual.unit,
                                   "year": actual.year,
                                   "sources": [dataclasses.asdict(s)
                                               for s in actual.sources]})


def estimate_module(module_id: str, design: Design, *, members: Design | None = None,
                    actual: Figure | None = None) -> list[SurveyIndicator]:
    """Every indicator of a module; `members` is the design over the member records (the
    repeat of the households module, each row with its household's design columns)."""
    out = []
    for d in indicator_defs().values():
        if d.module != module_id:
            continue
        if d.spec.get("level") == "member":
            if members is not None and len(members.data):
                out.append(estimate_indicator(d, members))
            continue
        out.append(estimate_indicator(d, design, actual))
    return out


@dataclass(frozen=True)
class SurveyResults:
    """Every indicator of every module of a described survey."""

    description: SurveyDescription
    modules: dict[str, list[SurveyIndicator]]
    designs: dict[str, dict[str, Any]] = field(default_factory=dict)  # per module: n,
    # strata, psus, df, method


def estimate_survey(desc: SurveyDescription,
                    actual: Figure | None = None) -> SurveyResults:
    """The indicators of each module the survey has; `actual`: the store's immigrant
    share of the survey's country (for the perception gap)."""
    out, about = {}, {}
    for module in desc.modules:
        design, members = designs(desc, module)
        out[module] = estimate_module(module, design, members=members, actual=actual)
        about[module] = {"n": design.n, "strata": len(np.unique(design.strata)),
                         "psus": len(np.unique(design.psu)), "df": design.df,
                         "method": design.method}
    return SurveyResults(desc, out, about)
