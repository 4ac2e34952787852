"""The pooled projection model of bilateral migrant stocks (pure numpy, no I/O).

Each series is one corridor and sex: stocks on 1 July of the estimate years. The model
works on log(1 + stock) and its annualised growth between estimate years:

    g[c, k] = (y[c, k+1] - y[c, k]) / (t[k+1] - t[k])

and borrows strength across corridors of similar size (bands of the jump-off stock,
`BANDS`), in closed form (empirical Bayes, method of moments):

- a corridor's mean growth m[c] is shrunk toward its band's mean M[b] with the weight
  w[b] = tau2[b] / (tau2[b] + s2[b] / K), tau2 the variance of the corridor means in the
  band less their sampling variance, s2 the pooled within-corridor variance, K the number
  of intervals: mu[c] = M[b] + w[b] (m[c] - M[b]);
- growth reverts from the last observed growth to mu[c] as an AR(1) whose coefficient
  phi[b] is the band's pooled least-squares slope of successive deviations (in [0, 0.95]);
- the residuals of that AR(1), pooled by the band the corridor was in at the start of
  each interval (clipped at their 0.5th and 99.5th percentiles), are the innovations of
  the simulation (resampled, times a calibrated `scale`), and mu[c] decays by `damping`
  per year so that no corridor grows or shrinks at a constant rate for decades;
- the corridors of one destination share a shock per step: the mean residual of its
  corridors of 1,000 or more in an interval is taken out of their residuals and resampled
  from its own pool, one draw per destination, so that totals are not the too-narrow
  sums of independent corridors.

Welch and Raftery (2022, PNAS 119(35) e2203822119) model bilateral flows in the same
spirit (a pooled hierarchical time-series model; distributions stable over time with noise)
and found simple methods hard to beat in the near term: the baselines in
`tmo.projections.baselines` are always computed beside this model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Lower bounds of the size bands of the jump-off stock (persons).
BANDS = (0, 100, 1_000, 10_000, 100_000)
PHI_MAX = 0.95
# Residuals beyond these quantiles of their band's pool are clipped to them: a handful of
# corridors that grew from nothing to hundreds of thousands in five years would otherwise
# compound, in some draw of some corridor, into totals larger than the world's population.
CLIP = 0.005
SHARED_MIN = 3


def _winsorize(values: np.ndarray, share: float) -> np.ndarray:
    if values.size == 0:
        return values
    lo, hi = np.quantile(values, [share, 1 - share])
    return np.clip(values, lo, hi)


def band_of(stock: np.ndarray) -> np.ndarray:
    """The size band (index into BANDS) of each jump-off stock."""
    return np.searchsorted(np.asarray(BANDS), np.asarray(stock, dtype=float),
                           side="right") - 1


def growth(logs: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Annualised growth of log stocks (n, T) between the estimate years (T,): (n, T-1)."""
    return np.diff(logs, axis=-1) / np.diff(np.asarray(years, dtype=float))


@dataclass(frozen=True)
class Fit:
    """The fitted model: per series the jump-off level, last growth, shrunk mean and band;
    per band phi and the pooled residuals (a band without any has the all-band pool)."""

    years: np.ndarray
    level: np.ndarray
    last: np.ndarray
    mean: np.ndarray
    band: np.ndarray
    phi: np.ndarray
    shrink: np.ndarray
    centre: np.ndarray
    residuals: tuple[np.ndarray, ...]
    common: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def take(self, index: np.ndarray) -> Fit:
        """The fit of some series only (the pooled parameters unchanged)."""
        return Fit(self.years, self.level[index], self.last[index], self.mean[index],
                   self.band[index], self.phi, self.shrink, self.centre, self.residuals,
                   self.common)


def series(stocks: np.ndarray, years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Stocks (n, T) and years (T,) as float arrays, T >= 3; ValueError when they are not,
    or a stock is negative or not finite (what every fit of the model requires)."""
    stocks = np.asarray(stocks, dtype=float)
    years = np.asarray(years, dtype=float)
    if stocks.ndim != 2 or stocks.shape[1] != years.size or years.size < 3:
        raise ValueError("stocks must be (series, years) with at least three years")
    if np.any(stocks < 0) or not np.all(np.isfinite(stocks)):
        raise ValueError("stocks must be finite and non-negative")
    return stocks, years


def fit(stocks: np.ndarray, years: np.ndarray, groups: np.ndarray | None = None) -> Fit:
    """Fit the pooled model to stocks (n, T) at years (T,), T >= 3 (closed form). With
    `groups` (n,) (the destination of each series), the residuals are split into a shock
    shared by a group in an interval (the mean residual of its series of 1,000 or more at
    the interval's start, where it has at least `SHARED_MIN` of them) and the rest: the
    shared shocks form their own pool (`common`)."""
    stocks, years = series(stocks, years)
    logs = np.log1p(stocks)
    g = growth(logs, years)
    k = g.shape[1]
    band = band_of(stocks[:, -1])
    m = g.mean(axis=1)
    s2 = g.var(axis=1, ddof=1) if k > 1 else np.zeros(len(g))
    nb = len(BANDS)
    mean = np.empty_like(m)
    shrink = np.zeros(nb)
    centre = np.zeros(nb)
    phi = np.zeros(nb)
    for b in range(nb):
        sel = band == b
        if not sel.any():
            continue
        big_m = m[sel].mean()
        within = s2[sel].mean() / k
        tau2 = max(m[sel].var() - within, 0.0)
        w = tau2 / (tau2 + within) if tau2 + within > 0 else 1.0
        shrink[b] = w
        centre[b] = big_m
        mean[sel] = big_m + w * (m[sel] - big_m)
    dev = g - mean[:, None]
    x, y = dev[:, :-1], dev[:, 1:]
    for b in range(nb):
        sel = band == b
        sxx = float((x[sel] ** 2).sum())
        phi[b] = min(max(float((x[sel] * y[sel]).sum()) / sxx, 0.0), PHI_MAX) if sxx > 0 else 0.0
    resid = y - phi[band][:, None] * x
    at = band_of(stocks[:, 1:-1])  # the band each residual's interval started in
    common = np.zeros(0)
    if groups is not None and resid.shape[1] > 0:
        resid, common = _shared(resid, at >= 2, np.asarray(groups))
    pools = [_winsorize(resid[at == b], CLIP) for b in range(nb)]
    everything = np.concatenate(pools) if pools else np.zeros(0)
    if everything.size == 0:
        everything = np.zeros(1)
    residuals = tuple(p if p.size else everything for p in pools)
    return Fit(years, logs[:, -1], g[:, -1], mean, band, phi, shrink, centre, residuals,
               _winsorize(common, CLIP))


def _shared(resid: np.ndarray, counted: np.ndarray, groups: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """(residuals less their group's shared shock, the shared shocks): per group and
    interval, the mean residual of the `counted` series where there are `SHARED_MIN`."""
    codes, pos = np.unique(groups, return_inverse=True)
    k = resid.shape[1]
    total = np.zeros((len(codes), k))
    count = np.zeros((len(codes), k))
    np.add.at(total, pos, np.where(counted, resid, 0.0))
    np.add.at(count, pos, counted.astype(float))
    ok = count >= SHARED_MIN
    shock = np.divide(total, count, out=np.zeros_like(total), where=ok)
    return resid - shock[pos], shock[ok]


def apply(pooled: Fit, stocks: np.ndarray) -> Fit:
    """The per-series parameters of other stocks (n, T) at the same years under the
    band parameters of `pooled` (centre, shrinkage, phi, residuals)."""
    logs = np.log1p(np.asarray(stocks, dtype=float))
    g = growth(logs, pooled.years)
    band = band_of(np.asarray(stocks, dtype=float)[:, -1])
    mean = pooled.centre[band] + pooled.shrink[band] * (g.mean(axis=1) - pooled.centre[band])
    return Fit(pooled.years, logs[:, -1], g[:, -1], mean, band, pooled.phi, pooled.shrink,
               pooled.centre, pooled.residuals, pooled.common)


def steps(jump_off: int, targets: list[int] | np.ndarray) -> np.ndarray:
    """Lengths in years of the steps from the jump-off year through each target year."""
    t = np.concatenate([[jump_off], np.asarray(targets, dtype=float)])
    d = np.diff(t)
    if np.any(d <= 0):
        raise ValueError("target years must follow the jump-off year in order")
    return d


def median_path(f: Fit, lengths: np.ndarray, damping: float = 1.0) -> np.ndarray:
    """The projection with zero innovations (n, H) on the log scale (deterministic)."""
    phi = f.phi[f.band]
    level = f.level.copy()
    g = f.last.copy()
    out = np.empty((len(level), len(lengths)))
    elapsed = 0.0
    for h, dt in enumerate(lengths):
        mu = f.mean * damping ** (elapsed + dt / 2)
        g = mu + phi ** (dt / 5.0) * (g - mu)
        level = level + g * dt
        out[:, h] = level
        elapsed += dt
    return out


def simulate(f: Fit, lengths: np.ndarray, uniforms: np.ndarray, *, scale: float = 1.0,
             damping: float = 1.0, shared: np.ndarray | None = None) -> np.ndarray:
    """Draws of log(1 + stock) (n, D, H) from uniforms (n, D, H) in [0, 1): at each step a
    uniform picks a residual (resampling) from the pool of the band the draw's stock is in
    at the start of the step (a corridor that grew has the smaller residuals of larger
    corridors), times `scale`; `shared` uniforms (n, D, H), equal for the series of one
    destination, add a shock from the fit's pool of shared shocks. Pure: the same uniforms
    give the same draws, whatever else is in the batch."""
    n, d, hz = uniforms.shape
    if hz != len(lengths) or n != len(f.level):
        raise ValueError("uniforms must be (series, draws, steps)")
    pools = [np.sort(p) for p in f.residuals]
    flat = np.concatenate(pools)
    sizes = np.array([p.size for p in pools])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    edges = np.log1p(np.asarray(BANDS[1:], dtype=float))
    phi = f.phi[f.band][:, None]
    level = np.repeat(f.level[:, None], d, axis=1)
    g = np.repeat(f.last[:, None], d, axis=1)
    out = np.empty((n, d, hz))
    elapsed = 0.0
    for h, dt in enumerate(lengths):
        band = np.searchsorted(edges, level, side="right")
        size = sizes[band]
        pick = np.minimum((uniforms[:, :, h] * size).astype(np.int64), size - 1)
        eps = flat[offsets[band] + pick]
        if shared is not None and f.common.size:
            pool = np.sort(f.common)
            eps = eps + pool[np.minimum((shared[:, :, h] * pool.size).astype(np.int64),
                                        pool.size - 1)]
        mu = (f.mean * damping ** (elapsed + dt / 2))[:, None]
        g = mu + phi ** (dt / 5.0) * (g - mu) + scale * eps
        level = level + g * dt
        out[:, :, h] = level
        elapsed += dt
    return out


def to_stock(logs: np.ndarray) -> np.ndarray:
    """Back from log(1 + stock) to persons, never negative."""
    return np.maximum(np.expm1(logs), 0.0)
