"""Design-based estimates: means, proportions, totals and ratios, whole or by domain.

Every function takes a `Design` (tmo.surveys.design) and returns `Estimate`s carrying the
estimate, its standard error (Taylor-linearised or from the design's replicate weights),
a confidence interval with Student's t on the design degrees of freedom, the design
effect and the number of respondents it rests on.

Domains (subpopulations: a region, a sex, an age group) are estimated *inside* the full
design: units outside the domain keep their strata and PSUs and contribute zeros, so the
variance counts the randomness of the domain's sample size (Cochran 1977, 2.13; West,
Berglund and Heeringa 2008). Subsetting the rows instead drops PSUs and strata: strata
left with one PSU make the variance inestimable (or depend on a lonely-PSU policy), and
the degrees of freedom shrink (tests/surveys/test_nhanes.py shows both on NHANES II).
Units whose variable is missing are treated the same way (outside the domain of that
variable), and counted.

Formulas and sources: docs/surveys.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.special import stdtrit  # type: ignore[import-untyped]

from tmo.errors import InputError
from tmo.surveys.design import Design, cell_text, row_number, texts
from tmo.surveys.estimate_variance import certainty_psus, replicate_variance, taylor_variance

Statistic = Literal["mean", "proportion", "total", "ratio"]
STATISTICS: tuple[Statistic, ...] = ("mean", "proportion", "total", "ratio")
# A domain: equalities on columns (values compared as text, as read from the file), or a
# boolean mask aligned with the design's rows; None for the whole population.
Domain = Mapping[str, Any] | np.ndarray | None


@dataclass(frozen=True)
class Estimate:
    """One design-based estimate with its precision.

    `se` is NaN where it cannot be estimated (no respondent, a replicate without the
    domain); `deff` is the design effect against simple random sampling with replacement
    of the same number of respondents (Kish 1965); `n` the respondents the estimate rests
    on (in the domain, with the variable present), `missing` those in the domain without
    it; `population` the weighted count of the `n` respondents.
    """

    statistic: Statistic
    variable: str
    domain: tuple[tuple[str, str], ...]
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    level: float
    df: float
    deff: float
    n: int
    missing: int
    population: float
    method: str

    @property
    def cv(self) -> float:
        """Coefficient of variation (relative standard error) se/|estimate|."""
        return abs(self.se / self.estimate) if self.estimate else float("nan")

    @property
    def domain_label(self) -> str:
        """`region=North, sex=F`, or `all` for the whole population."""
        return ", ".join(f"{k}={v}" for k, v in self.domain) or "all"

    def as_dict(self) -> dict[str, Any]:
        """Plain values (JSON-ready except for NaN), the domain as a mapping."""
        out = asdict(self)
        out["domain"] = dict(self.domain)
        out["cv"] = self.cv
        return out


def mean(design: Design, variable: str, *, domain: Domain = None,
         level: float = 0.95) -> Estimate:
    """The weighted mean Σ w y / Σ w of `variable` over the domain's respondents."""
    y = _numeric(design, variable)
    return _estimate(design, "mean", variable, y, None, domain=domain, level=level)


def total(design: Design, variable: str, *, domain: Domain = None,
          level: float = 0.95) -> Estimate:
    """The estimated population total Σ w y of `variable` in the domain."""
    y = _numeric(design, variable)
    return _estimate(design, "total", variable, y, None, domain=domain, level=level)


def ratio(design: Design, numerator: str, denominator: str, *, domain: Domain = None,
          level: float = 0.95) -> Estimate:
    """The ratio of totals Σ w y / Σ w x (respondents with both variables present)."""
    y, x = _numeric(design, numerator), _numeric(design, denominator)
    return _estimate(design, "ratio", f"{numerator}/{denominator}", y, x, domain=domain,
                     level=level)


def proportion(design: Design, variable: str, value: Any, *, domain: Domain = None,
               level: float = 0.95) -> Estimate:
    """The share of the domain's respondents whose `variable` equals `value` (compared as
    text); the interval is built on the logit scale, so it stays within [0, 1]."""
    y = _indicator(design, variable, value)
    return _estimate(design, "proportion", f"{variable}={value}", y, None, domain=domain,
                     level=level)


def proportions(design: Design, variable: str, *, domain: Domain = None,
                level: float = 0.95) -> list[Estimate]:
    """One `proportion` per category of `variable` found in the data, in sorted order."""
    return [proportion(design, variable, v, domain=domain, level=level)
            for v in categories(design, variable)]


def categories(design: Design, column: str) -> list[str]:
    """The distinct non-empty values of `column`, as text, sorted."""
    return sorted(str(v) for v in _texts(design, column).dropna().unique())


def tabulate(design: Design, statistic: Statistic, variable: str, *, by: Sequence[str] = (),
             denominator: str | None = None, level: float = 0.95,
             overall: bool = True, where: Mapping[str, Any] | None = None) -> list[Estimate]:
    """`statistic` of `variable` for the whole population (if `overall`) and for every
    combination of the `by` columns' values present in the data (sorted).

    For `proportion`, one estimate per category of `variable` in each domain; for
    `ratio`, `denominator` is required. `where` (column = value, as text) restricts every
    estimate to a subpopulation, itself a domain of the full design (never a subset).
    """
    if statistic not in STATISTICS:
        raise InputError(f"unknown statistic {statistic!r}",
                         hint="use one of " + ", ".join(STATISTICS))
    if statistic == "ratio" and denominator is None:
        raise InputError("a ratio needs a denominator variable")
    base = dict(where or {})
    domains: list[Domain] = [base or None] if overall or not by else []
    if by:
        keys = pd.DataFrame({c: _texts(design, c) for c in by})
        if base:
            keys = keys[_domain(design, base)[0]]
        combos = keys.dropna().drop_duplicates().sort_values(list(by))
        domains += [{**base, **dict(zip(by, row, strict=True))}
                    for row in combos.itertuples(index=False)]
    out: list[Estimate] = []
    for d in domains:
        if statistic == "proportion":
            out += proportions(design, variable, domain=d, level=level)
        elif statistic == "ratio":
            assert denominator is not None
            out.append(ratio(design, variable, denominator, domain=d, level=level))
        elif statistic == "mean":
            out.append(mean(design, variable, domain=d, level=level))
        else:
            out.append(total(design, variable, domain=d, level=level))
    return out


# -- the engine --------------------------------------------------------------------------

def _estimate(design: Design, statistic: Statistic, label: str, y: np.ndarray,
              x: np.ndarray | None, *, domain: Domain, level: float) -> Estimate:
    if not 0 < level < 1:
        raise InputError(f"confidence level {level} is not between 0 and 1")
    mask, domain_key = _domain(design, domain)
    present = np.isfinite(y) if x is None else np.isfinite(y) & np.isfinite(x)
    valid = mask & present
    yv = np.where(valid, y, 0.0)
    xv = np.where(valid, x, 0.0) if x is not None else valid.astype(float)
    w = design.weights
    n = int(np.count_nonzero(valid & (w > 0)))
    population = float(np.sum(w * valid))
    num, den = _dot(w, yv), _dot(w, xv)
    point = num if statistic == "total" else (num / den if den > 0 else float("nan"))
    variance = _variance(design, statistic, _Sums(yv, xv, valid, point, den))
    se = float(np.sqrt(variance)) if variance >= 0 else float("nan")
    low, high = _interval(statistic, point, se, design.df, level)
    deff = _deff(statistic, w, _Sums(yv, xv, valid, point, den), variance, n)
    return Estimate(statistic, label, domain_key, point, se, low, high, level, design.df,
                    deff, n, int(np.count_nonzero(mask & ~present)), population,
                    design.method)


@dataclass(frozen=True)
class _Sums:
    """A statistic's inputs: y and x (1 for means) zeroed outside the domain, the domain's
    respondents, the point estimate and its denominator Σ w x."""

    yv: np.ndarray
    xv: np.ndarray
    valid: np.ndarray
    point: float
    den: float


def _variance(design: Design, statistic: Statistic, sums: _Sums) -> float:
    w, yv, xv, valid, point, den = (design.weights, sums.yv, sums.xv, sums.valid, sums.point,
                                    sums.den)
    if not np.isfinite(point):
        return float("nan")
    reps = design.replicates
    if reps is not None:
        num_r = _weighted_sums(reps.weights, yv)
        if statistic == "total":
            theta = num_r
        else:
            den_r = _weighted_sums(reps.weights, xv)
            with np.errstate(divide="ignore", invalid="ignore"):
                theta = np.where(den_r > 0, num_r / den_r, np.nan)
        return replicate_variance(theta, point, reps.scale, reps.rscales)
    # linearised scores (Woodruff 1971): a total is linear; a mean or ratio R = Y/X has
    # z = w (y − R x) / X
    scores = w * yv if statistic == "total" else w * valid * (yv - point * xv) / den
    psu, policy = design.psu, design.lonely_psu
    if policy == "certainty":
        psu, policy = certainty_psus(design.strata, psu), "remove"
    return taylor_variance(scores, design.strata, psu, design.fpc, policy)


def _interval(statistic: Statistic, point: float, se: float, df: float,
              level: float) -> tuple[float, float]:
    if not (np.isfinite(point) and np.isfinite(se)):
        return float("nan"), float("nan")
    t = float(stdtrit(df, 0.5 + level / 2))  # Student's t quantile
    if statistic == "proportion":
        if point <= 0 or point >= 1 or se == 0:
            return point, point
        # logit interval (Korn and Graubard 1999, 5.2): the delta method on log(p/(1−p))
        centre = np.log(point / (1 - point))
        half = t * se / (point * (1 - point))
        return (float(1 / (1 + np.exp(-(centre - half)))),
                float(1 / (1 + np.exp(-(centre + half)))))
    return point - t * se, point + t * se


def _deff(statistic: Statistic, w: np.ndarray, sums: _Sums, variance: float, n: int
          ) -> float:
    """Design variance over the variance of simple random sampling with replacement of
    n respondents: s²/n for means, proportions and ratios (s² of y − R x over x̄² for a
    ratio), N̂² s²_u/n for totals with u = y in the domain and 0 outside."""
    if n < 2 or not np.isfinite(variance):
        return float("nan")
    yv, xv, valid, point = sums.yv, sums.xv, sums.valid, sums.point
    if statistic == "total":
        positive = w > 0
        m = int(np.count_nonzero(positive))
        big_n = float(w.sum())
        mu = _dot(w, yv) / big_n
        s2 = _dot(w, (yv - mu) ** 2) / big_n * m / (m - 1)
        srs = big_n ** 2 * s2 / m
    else:
        wd = w * valid
        resid = yv - point * xv
        x_bar = _dot(wd, xv) / float(wd.sum())
        s2 = _dot(wd, resid ** 2) / float(wd.sum()) * n / (n - 1) / x_bar ** 2
        srs = s2 / n
    return float(variance / srs) if srs > 0 else float("nan")


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """Σ a b. Written with einsum, not `@`: BLAS threads on a shared 2-core machine made a
    100,000-row dot product 60 times slower (benchmarks/bench_surveys.py)."""
    return float(np.einsum("i,i->", a, b))


def _weighted_sums(matrix: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Σ_i matrix[i, r] v[i] for every replicate r (einsum, as `_dot`)."""
    return np.einsum("ir,i->r", matrix, v)


# -- reading the design's columns ----------------------------------------------------------

def _raw(design: Design, column: str) -> pd.Series:
    if column not in design.data.columns:
        shown = ", ".join(map(str, list(design.data.columns)[:12]))
        raise InputError(f"{design.source}: no column {column!r} (columns: {shown})",
                         hint="name variables as they appear in the file's header")
    return design.data[column]



def _texts(design: Design, column: str) -> pd.Series:
    key = ("text", column)
    if key not in design.cache:
        design.cache[key] = texts(_raw(design, column))
    return design.cache[key]


def _numeric(design: Design, column: str) -> np.ndarray:
    key = ("number", column)
    if key not in design.cache:
        design.cache[key] = _read_numbers(design, column)
    return design.cache[key]


def _read_numbers(design: Design, column: str) -> np.ndarray:
    raw = _raw(design, column)
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(np.isnan(values) & raw.notna().to_numpy()
                         & (raw.astype(str).str.strip() != "").to_numpy())
    if len(bad):
        i = int(bad[0])
        raise InputError(f"{design.source}: row {row_number(i)}, column {column!r}: "
                         f"{str(raw.iloc[i])!r} is not a number",
                         hint=f"{len(bad)} row(s) affected; leave a cell empty for a missing "
                              "answer, or estimate the shares of a categorical answer "
                              "(proportion)")
    inf = np.flatnonzero(np.isinf(values))
    if len(inf):
        raise InputError(f"{design.source}: row {row_number(int(inf[0]))}, column {column!r}: "
                         "infinite value")
    return values


def _indicator(design: Design, column: str, value: Any) -> np.ndarray:
    out = _equals(design, column, value).astype(float)
    out[_texts(design, column).isna().to_numpy()] = np.nan
    return out


def _equals(design: Design, column: str, value: Any) -> np.ndarray:
    """Rows whose `column` reads as `value` (cached: domains and categories repeat)."""
    key = ("equals", f"{column}\x00{cell_text(value)}")
    if key not in design.cache:
        design.cache[key] = (_texts(design, column) == cell_text(value)).to_numpy(dtype=bool)
    return design.cache[key]


def _domain(design: Design, domain: Domain) -> tuple[np.ndarray, tuple[tuple[str, str], ...]]:
    if domain is None:
        return np.ones(design.n, dtype=bool), ()
    if isinstance(domain, np.ndarray):
        if domain.shape != (design.n,) or domain.dtype != bool:
            raise InputError(f"a domain mask must be {design.n} booleans")
        return domain, (("subset", "mask"),)
    mask = np.ones(design.n, dtype=bool)
    for column, value in domain.items():
        mask &= _equals(design, column, value)
    return mask, tuple((str(k), cell_text(v)) for k, v in domain.items())
