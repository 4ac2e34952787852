"""The full Bayesian version of the corridor model (numpyro, NUTS on CPU; pure: arrays in,
arrays out, no I/O). numpyro and JAX are imported only when a fit is asked for (the
optional extra `tmo[bayes]`), so `import tmo` stays fast and works without them.

The data are those of `tmo.projections.model.fit`: per series (corridor and sex) the
annualised growth g[c, k] of log(1 + stock) over the K intervals between estimate years.
The model (docs/projections.md, "The full Bayesian version"):

    mu[c]   ~ Normal(M[b] + R[r], tau[b]),        R[r] = sigma_R zr[r],  zr ~ Normal(0, 1)
    S[d, k] = sigma_S zs[d, k],                    zs ~ Normal(0, 1)
    e[c, k] = g[c, k] - mu[c]
    e[c, 0] ~ Normal(0, q[c] sigma[a[c, 0]] / sqrt(1 - phi[b]^2))
    e[c, k] ~ Normal(phi[b] e[c, k-1] + S[d, k], q[c] sigma[a[c, k]])      (k >= 1)
    q[c]    = 1 with probability calm[b], else ratio[b] (a calm or a jumpy series)

b the size band of the series at the jump-off (`model.BANDS`), r the region of its
destination (UN M49 geographic region: strength is borrowed across corridors of similar
size and region), d its destination (the shock S is shared by the corridors of one
destination in an interval, as the closed form's), a[c, k] the band it was in at the
start of interval k. Growth residuals are heavy-tailed: the two-scale mixture q makes the
series' distribution a scale mixture of normals (a few erratic series do not widen every
corridor's intervals). Each series' mean mu[c] and its component q[c] are integrated
out in closed form (normal-normal conjugacy; `_marginal`), so NUTS samples only the
hyperparameters, the region offsets and the shocks (non-centered: standard normals times
their scales); per posterior sample, mu[c] and q[c] are then drawn from their exact
conditional posterior (`conditional`). A Student-t likelihood with the means as NUTS
parameters was tried first and is not affordable (docs). Weakly informative priors, on
annual growth of log stocks: M[b] ~ Normal(0, 0.1); tau[b], sigma[b] ~ HalfNormal(0.2);
phi[b] ~ Uniform(0, 0.95) (the closed form's range); calm[b] ~ Beta(2, 2); ratio[b] - 1 ~
HalfNormal(10); sigma_R, sigma_S ~ HalfNormal(0.05). NUTS: Hoffman and Gelman (2014);
numpyro: Phan, Pradhan and Jankowiak (2019).

Forecasts follow the closed form's steps (`model.simulate`): growth reverts to mu, damped
by `damping` a year, with phi^(dt/5) per step of dt years, plus a normal innovation of
sd q[c] sigma[band the draw's stock is in at the step's start] (clipped at its 0.5th and
99.5th percentiles, as the closed form clips its residuals) and the destination's shock
(sd sigma_S); each draw takes one joint posterior sample. Stock = exp(y) - 1, floored at 0.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import stats  # type: ignore[import-untyped]

from tmo.errors import InputError
from tmo.projections import model
from tmo.projections.draws import key_seeds, quantiles, uniforms
from tmo.projections.projection import PROBS, Combined, Inputs, Result, Settings, combine
from tmo.projections.scores import crps_draws, pit_draws

NB = len(model.BANDS)
HYPER = ("band_mean", "tau", "sigma", "phi", "calm", "ratio", "region_sd", "shock_sd")
RHAT_MAX = 1.05
ESS_MIN = 100
DIVERGENT_SHARE = 0.01


def _numpyro() -> Any:
    """numpyro, or a one-line InputError saying how to install it."""
    try:
        return importlib.import_module("numpyro")
    except ImportError:
        raise InputError("the full Bayesian model needs numpyro, which is not installed",
                         hint="pip install 'tmo[bayes]'") from None


def require() -> None:
    """Raise the one-line InputError now if numpyro is missing (before any work)."""
    _numpyro()


@dataclass(frozen=True)
class Data:
    """What the model is fitted to: growth (n, K), jump-off band (n,), band at each
    interval's start (n, K), region (n,) and destination (n,) as integer codes."""

    growth: np.ndarray
    band: np.ndarray
    start_band: np.ndarray
    region: np.ndarray
    dest: np.ndarray | None
    n_region: int
    n_dest: int

    def take(self, index: np.ndarray) -> Data:
        return Data(self.growth[index], self.band[index], self.start_band[index],
                    self.region[index], None if self.dest is None else self.dest[index],
                    self.n_region, self.n_dest)


def data(stocks: np.ndarray, years: np.ndarray, region: np.ndarray,
         dest: np.ndarray | None) -> Data:
    """The model's data from stocks (n, T) at years (T,), T >= 3, the region (n,) and the
    destination (n,) codes of each series (any hashable labels; None: no shared shock)."""
    try:
        stocks, years = model.series(stocks, years)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    g = model.growth(np.log1p(stocks), years)
    _, reg = np.unique(np.asarray(region), return_inverse=True)
    codes = None
    n_dest = 0
    if dest is not None:
        labels, codes = np.unique(np.asarray(dest), return_inverse=True)
        n_dest = len(labels)
    return Data(g, model.band_of(stocks[:, -1]), model.band_of(stocks[:, :-1]),
                reg.astype(np.int32), codes, int(reg.max(initial=0)) + 1, n_dest)


def _terms(xp: Any, g: Any, phi: Any, shock: Any) -> tuple[Any, Any]:
    """(a, b) with the AR(1) residuals of a series linear in its mean: e_0 = a_0 - b_0 mu,
    e_k - phi e_(k-1) - S_k = a_k - b_k mu (g (n, K), phi (n,), shock (n, K-1) or 0)."""
    a = xp.concatenate([g[:, :1], g[:, 1:] - phi[:, None] * g[:, :-1] - shock], axis=1)
    b = xp.concatenate([xp.ones_like(g[:, :1]),
                        xp.broadcast_to((1.0 - phi)[:, None], g[:, 1:].shape)], axis=1)
    return a, b


def _marginal(xp: Any, a: Any, b: Any, v: Any, m0: Any,  # noqa: PLR0917
              tau2: Any) -> tuple[Any, Any, Any]:
    """(log marginal likelihood of each series with its mean integrated out, the mean's
    conditional posterior mean and variance): Gaussian residuals a - b mu of variances v,
    prior mu ~ Normal(m0, tau2) (conjugate normal-normal); series on the last axis but one,
    intervals on the last (v may carry a leading axis of alternatives)."""
    prec = 1.0 / tau2 + (b * b / v).sum(axis=-1)
    num = m0 / tau2 + (a * b / v).sum(axis=-1)
    ll = (-0.5 * ((a * a / v).sum(axis=-1) + m0 * m0 / tau2 - num * num / prec)
          - 0.5 * xp.log(2 * np.pi * v).sum(axis=-1) - 0.5 * xp.log(tau2) - 0.5 * xp.log(prec))
    return ll, num / prec, 1.0 / prec


def _variances(xp: Any, sigma: Any, start_band: Any, phi: Any) -> Any:
    """Innovation variances (n, K): sigma of the band at each interval's start, the first
    interval's the stationary variance of the AR(1)."""
    v = sigma[start_band] ** 2
    return xp.concatenate([v[:, :1] / (1.0 - phi[:, None] ** 2), v[:, 1:]], axis=1)


def corridor_model(d: Data, robust: bool = True) -> None:
    """The numpyro model (module docstring) with each series' mean integrated out in
    closed form; sites named as `HYPER`, `region_z`, `shock_z`."""
    numpyro = _numpyro()
    dist = importlib.import_module("numpyro.distributions")
    jnp = importlib.import_module("jax.numpy")
    jsp = importlib.import_module("jax.scipy.special")
    k = d.growth.shape[1]
    with numpyro.plate("bands", NB):
        band_mean = numpyro.sample("band_mean", dist.Normal(0.0, 0.1))
        tau = numpyro.sample("tau", dist.HalfNormal(0.2))
        sigma = numpyro.sample("sigma", dist.HalfNormal(0.2))
        phi = numpyro.sample("phi", dist.Uniform(0.0, model.PHI_MAX))
        if robust:
            calm = numpyro.sample("calm", dist.Beta(2.0, 2.0))
            ratio = numpyro.sample("ratio", dist.HalfNormal(10.0)) + 1.0
    region_sd = numpyro.sample("region_sd", dist.HalfNormal(0.05))
    with numpyro.plate("regions", d.n_region):
        region_z = numpyro.sample("region_z", dist.Normal(0.0, 1.0))
    band = jnp.asarray(d.band)
    g = jnp.asarray(d.growth)
    shock = 0.0
    if k > 1 and d.dest is not None and d.n_dest:
        shock_sd = numpyro.sample("shock_sd", dist.HalfNormal(0.05))
        with numpyro.plate("dests", d.n_dest, dim=-2), numpyro.plate("steps", k - 1):
            shock_z = numpyro.sample("shock_z", dist.Normal(0.0, 1.0))
        table = jnp.concatenate([shock_sd * shock_z, jnp.zeros((1, k - 1))])
        shock = table[jnp.asarray(d.dest)]  # code n_dest: a series without a shared shock
    ph = phi[band]
    a, b = _terms(jnp, g, ph, shock)
    v = _variances(jnp, sigma, jnp.asarray(d.start_band), ph)
    m0 = band_mean[band] + region_sd * region_z[jnp.asarray(d.region)]
    tau2 = tau[band] ** 2
    ll, _, _ = _marginal(jnp, a, b, v, m0, tau2)
    if robust:
        ll_jumpy, _, _ = _marginal(jnp, a, b, v * (ratio[band] ** 2)[:, None], m0, tau2)
        p = calm[band]
        ll = jsp.logsumexp(jnp.stack([jnp.log(p) + ll, jnp.log1p(-p) + ll_jumpy]), axis=0)
    numpyro.factor("g", ll.sum())


def conditional(d: Data, samples: Mapping[str, np.ndarray], robust: bool, seed: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Per posterior sample s (S) and series (n): a draw of its mean mu from its exact
    conditional posterior given the sample's hyperparameters and shocks, and its
    innovation scale multiplier (1, or `ratio` when the series drew the jumpy component,
    with its posterior probability). ((S, n), (S, n))."""
    rng = np.random.default_rng([seed, 2])
    n_s = len(samples["phi"])
    mu = np.empty((n_s, len(d.band)), dtype=np.float32)
    mult = np.ones((n_s, len(d.band)), dtype=np.float32)
    for i in range(n_s):
        ph = samples["phi"][i][d.band]
        shock = 0.0
        if "shock_z" in samples and d.dest is not None:
            table = samples["shock_sd"][i] * samples["shock_z"][i]
            shock = np.concatenate([table, np.zeros((1, table.shape[1]))])[d.dest]
        a, b = _terms(np, d.growth, ph, shock)
        v = _variances(np, samples["sigma"][i], d.start_band, ph)
        m0 = samples["band_mean"][i][d.band] + samples["region_sd"][i] * \
            samples["region_z"][i][d.region]
        tau2 = samples["tau"][i][d.band] ** 2
        ll, mean, var = _marginal(np, a, b, v, m0, tau2)
        if robust:
            ratio = samples["ratio"][i][d.band] + 1.0
            ll2, mean2, var2 = _marginal(np, a, b, v * (ratio ** 2)[:, None], m0, tau2)
            p = samples["calm"][i][d.band]
            w = np.log(p) + ll
            w2 = np.log1p(-p) + ll2
            jumpy = rng.random(len(mean)) < 1.0 / (1.0 + np.exp(np.clip(w - w2, -700, 700)))
            mean, var = np.where(jumpy, mean2, mean), np.where(jumpy, var2, var)
            mult[i] = np.where(jumpy, ratio, 1.0)
        mu[i] = mean + np.sqrt(var) * rng.standard_normal(len(mean))
    return mu, mult


@dataclass(frozen=True)
class Diagnostics:
    """NUTS's health: divergent transitions, the largest split R-hat and smallest bulk
    effective sample size over every parameter, and the cost in seconds."""

    divergences: int
    samples: int
    max_rhat: float
    min_ess: float
    seconds: float

    def problems(self) -> list[str]:
        """What is wrong, in words (empty when the chains look healthy)."""
        out = []
        if self.divergences > DIVERGENT_SHARE * self.samples:
            out.append(f"{self.divergences} divergent transitions of {self.samples}")
        if not self.max_rhat <= RHAT_MAX:
            out.append(f"R-hat up to {self.max_rhat:.3f} (over {RHAT_MAX})")
        if not self.min_ess >= ESS_MIN:
            out.append(f"effective sample size down to {self.min_ess:.0f} (under {ESS_MIN})")
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"divergences": self.divergences, "samples": self.samples,
                "max_rhat": self.max_rhat, "min_ess": self.min_ess, "seconds": self.seconds,
                "problems": self.problems()}


@dataclass(frozen=True)
class Posterior:
    """Posterior samples (S, ...) of the hyperparameters and of mu (S, n), with the
    diagnostics of the chains they come from."""

    samples: dict[str, np.ndarray]
    diagnostics: Diagnostics
    robust: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.samples["mu"].shape[0])

    def summary(self) -> dict[str, dict[str, list[float] | float]]:
        """Posterior mean and 90 % interval of each hyperparameter (per band for arrays)."""
        out: dict[str, dict[str, list[float] | float]] = {}
        for name in HYPER:
            if name in self.samples:
                v = self.samples[name]
                lo, hi = np.quantile(v, [0.05, 0.95], axis=0)
                out[name] = {"mean": np.mean(v, axis=0).tolist(), "q05": lo.tolist(),
                             "q95": hi.tolist()}
        return out


def fit(d: Data, *, seed: int = 2024, warmup: int = 500, samples: int = 500, chains: int = 2,
        robust: bool = True, fixed: Mapping[str, Any] | None = None,
        progress: bool = False, every: Data | None = None) -> Posterior:
    """NUTS on the model (`chains` run one after the other, reproducible from `seed`), then
    each series' mean drawn from its exact conditional posterior per sample (`conditional`:
    samples `mu` and `mult` (S, n)), of `every` series when given (the same bands, regions
    and destinations' codes: the hyperparameters fitted on a subsample, every corridor's
    mean conditioned on them); `fixed` holds sites at given values."""
    numpyro = _numpyro()
    numpyro.enable_x64()  # the log density sums thousands of series: float32 is too coarse
    jax = importlib.import_module("jax")
    infer = importlib.import_module("numpyro.infer")
    diag = importlib.import_module("numpyro.diagnostics")
    handlers = importlib.import_module("numpyro.handlers")
    if d.growth.ndim != 2 or d.growth.shape[0] == 0 or not np.all(np.isfinite(d.growth)):
        raise InputError("the Bayesian model needs finite growth of at least one series")
    fn: Callable[..., None] = corridor_model
    if fixed:
        fn = handlers.condition(corridor_model, data={k: np.asarray(v, dtype=np.float64)
                                                      for k, v in fixed.items()})
    mcmc = infer.MCMC(infer.NUTS(fn, target_accept_prob=0.9), num_warmup=warmup,
                      num_samples=samples, num_chains=chains, chain_method="sequential",
                      progress_bar=progress)
    start = time.perf_counter()
    mcmc.run(jax.random.PRNGKey(seed), d, robust, extra_fields=("diverging", "num_steps"))
    steps = np.asarray(mcmc.get_extra_fields()["num_steps"])
    grouped = mcmc.get_samples(group_by_chain=True)
    divergent = int(np.asarray(mcmc.get_extra_fields()["diverging"]).sum())
    rhat, ess, worst = [], [], {}
    for name, value in grouped.items():
        arr = np.asarray(value, dtype=float)
        rhat.append(float(np.nanmax(diag.split_gelman_rubin(arr))))  # halves of chains
        worst[name] = rhat[-1]
        ess.append(float(np.nanmin(diag.effective_sample_size(arr))))
    flat = {k: np.asarray(v, dtype=float).reshape(-1, *np.shape(v)[2:])
            for k, v in grouped.items()}
    for k, v in (fixed or {}).items():
        flat[k] = np.broadcast_to(np.asarray(v, dtype=float),
                                  (chains * samples, *np.shape(v))).copy()
    given = flat
    if every is not None and d.dest is not None and "shock_z" in flat:
        # a destination none of whose series was fitted has shocks from the prior only:
        # its corridors' means are conditioned on no shock rather than on noise
        seen = np.bincount(d.dest, minlength=d.n_dest + 1)[:d.n_dest] > 0
        given = {**flat, "shock_z": flat["shock_z"] * seen[None, :, None]}
    flat["mu"], flat["mult"] = conditional(d if every is None else every, given, robust, seed)
    seconds = time.perf_counter() - start
    return Posterior(flat, Diagnostics(divergent, chains * samples,
                                       max(rhat) if rhat else float("nan"),
                                       min(ess) if ess else float("nan"), seconds), robust,
                     {"rhat": worst, "mean_steps": float(steps.mean())})


def pick(post: Posterior, draws: int, seed: int) -> np.ndarray:
    """Which posterior sample each draw takes (D,): all of them in turn, then at random."""
    s = post.size
    if draws <= s:
        return np.random.default_rng([seed, 1]).permutation(s)[:draws]
    extra = np.random.default_rng([seed, 1]).integers(0, s, draws - s)
    return np.concatenate([np.arange(s), extra])


def simulate(post: Posterior, columns: np.ndarray, level: np.ndarray, last: np.ndarray,  # noqa: PLR0917
             band: np.ndarray, lengths: np.ndarray, which: np.ndarray, eps: np.ndarray,
             shock: np.ndarray | None, damping: float = 1.0) -> np.ndarray:
    """Draws of log(1 + stock) (n, D, H) of the series at `columns` of the posterior's mu,
    from their jump-off level and last growth (n,), jump-off band (n,), posterior sample
    `which` (D,) of each draw, standard uniforms `eps` (n, D, H) of the innovations and
    standard normals `shock` (n, D, H) (the destination's, equal for its series) or None.
    Pure: the same arguments give the same draws."""
    n, dd, hz = eps.shape
    if hz != len(lengths) or n != len(level) or len(which) != dd:
        raise InputError("eps must be (series, draws, steps)")
    s = post.samples
    mu = s["mu"][which][:, columns].T.astype(float)  # (n, D)
    mult = s["mult"][which][:, columns].T.astype(float)
    phi = s["phi"][which][:, band].T
    sigma = s["sigma"][which]  # (D, NB)
    cut = stats.norm.ppf(1 - model.CLIP)
    z = np.clip(stats.norm.ppf(np.clip(eps, 1e-12, 1 - 1e-12)), -cut, cut)
    sd_shock = s["shock_sd"][which] if "shock_sd" in s else np.zeros(dd)
    edges = np.log1p(np.asarray(model.BANDS[1:], dtype=float))
    lev = np.repeat(level[:, None], dd, axis=1)
    g = np.repeat(last[:, None], dd, axis=1)
    out = np.empty((n, dd, hz))
    elapsed = 0.0
    rows = np.arange(dd)[None, :]
    for h, dt in enumerate(lengths):
        now = np.searchsorted(edges, lev, side="right")
        e = sigma[rows, now] * mult * z[:, :, h]
        if shock is not None:
            e = e + sd_shock[None, :] * shock[:, :, h]
        m = mu * damping ** (elapsed + dt / 2)
        g = m + phi ** (dt / 5.0) * (g - m) + e
        lev = lev + g * dt
        out[:, :, h] = lev
        elapsed += dt
    return out


@dataclass(frozen=True)
class Options:
    """How much NUTS does: series in the fit of the hyperparameters (a random subsample
    when there are more; every series' mean is then conditioned on them), warmup and
    kept iterations per chain, chains."""

    fit_series: int = 1000
    warmup: int = 400
    samples: int = 500
    chains: int = 2
    robust: bool = True
    progress: bool = False


def subsample(band: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Positions of at most `size` series, stratified by band: an equal share of each
    band (all of a band that has fewer, their remainder spread over the others), so
    that the few large corridors inform their band's hyperparameters as much as the many
    small ones inform theirs."""
    rng = np.random.default_rng([seed, 3])
    groups = [np.flatnonzero(band == b) for b in range(NB)]
    left, quota = size, {}
    for b in sorted(range(NB), key=lambda b: len(groups[b])):
        open_bands = sum(1 for c in range(NB) if c not in quota)
        quota[b] = min(len(groups[b]), left // max(open_bands, 1))
        left -= quota[b]
    picked = [rng.choice(groups[b], quota[b], replace=False) for b in range(NB)]
    return np.sort(np.concatenate(picked))


def project(inputs: Inputs, settings: Settings, regions: Mapping[str, str],  # noqa: PLR0917
            observed: np.ndarray | None = None, options: Options | None = None,
            batch: int = 512) -> tuple[Combined, Posterior]:
    """Every corridor of `inputs` projected by the Bayesian model, as the closed form's
    `Combined` (quantiles, draws summed by destination and origin, CRPS and PIT when
    `observed` (n, 3, H) is given), and the posterior. `regions`: the region of each
    destination code (missing: 'unknown'). The series with a positive jump-off stock are
    fitted and projected (female rows, then male), the others stay at zero; both sexes of
    a corridor share its uniforms (`tmo.projections.draws`), the corridors of a
    destination its shock (where it has one: `model.SHARED_MIN` fitted series of 1,000 or
    more)."""
    options = options or Options()
    active = inputs.stocks[:, :, -1] > 0
    corridor = np.concatenate([np.flatnonzero(active[:, 0]), np.flatnonzero(active[:, 1])])
    sex = np.concatenate([np.zeros(active[:, 0].sum(), int), np.ones(active[:, 1].sum(), int)])
    if len(corridor) == 0:
        raise InputError("no corridor has a positive stock at the jump-off year")
    rows = inputs.stocks[corridor, sex]
    dest_codes, dest = np.unique(inputs.destinations, return_inverse=True)
    orig_codes, orig = np.unique(inputs.origins, return_inverse=True)
    region = np.array([regions.get(str(c), "unknown") for c in inputs.destinations[corridor]])
    every = data(rows, inputs.years, region, None)
    sub = subsample(every.band, options.fit_series, settings.seed)
    # as the closed form: a destination shares a shock where at least `model.SHARED_MIN`
    # of its fitted series are of 1,000 or more (the others' shocks are not identified)
    big = np.bincount(dest[corridor][sub][every.band[sub] >= 2], minlength=len(dest_codes))
    shared = big >= model.SHARED_MIN
    group = np.full(len(dest_codes), int(shared.sum()))
    group[shared] = np.arange(int(shared.sum()))
    every = Data(every.growth, every.band, every.start_band, every.region,
                 group[dest[corridor]], every.n_region, int(shared.sum()))
    post = fit(every.take(sub), seed=settings.seed, warmup=options.warmup,
               samples=options.samples, chains=options.chains, robust=options.robust,
               progress=options.progress, every=every)
    column = np.full(active.shape, -1)
    column[corridor, sex] = np.arange(len(corridor))
    level = np.log1p(rows[:, -1])
    last = every.growth[:, -1]
    lengths = model.steps(int(inputs.years[-1]), list(settings.targets))
    which = pick(post, settings.draws, settings.seed)
    keys = [f"{o}|{d}" for o, d in zip(inputs.origins, inputs.destinations, strict=True)]
    seeds = key_seeds(keys)
    dest_seeds = key_seeds([f"to|{d}" for d in inputs.destinations])
    cut = stats.norm.ppf(1 - model.CLIP)

    def one(idx: np.ndarray) -> Result:
        hz = len(lengths)
        eps = uniforms(seeds[idx], settings.draws, hz, settings.seed)
        shock = None
        if settings.shared:
            u = uniforms(dest_seeds[idx], settings.draws, hz, settings.seed + 1)
            shock = np.clip(stats.norm.ppf(np.clip(u, 1e-12, 1 - 1e-12)), -cut, cut)
            shock *= shared[dest[idx]][:, None, None]
        out = []
        for k in (0, 1):
            cols = column[idx, k]
            on = cols >= 0
            values = np.zeros((len(idx), settings.draws, hz))
            if on.any():
                c = cols[on]
                logs = simulate(post, c, level[c], last[c], every.band[c], lengths, which,
                                eps[on], None if shock is None else shock[on],
                                settings.damping)
                values[on] = model.to_stock(logs)
            out.append(values)
        return _result(idx, out[0], out[1], dest[idx], orig[idx], len(dest_codes),
                       len(orig_codes), None if observed is None else observed[idx])

    results = (one(np.arange(i, min(i + batch, len(keys)))) for i in range(0, len(keys), batch))
    return combine(results, len(keys)), post


def _result(idx: np.ndarray, female: np.ndarray, male: np.ndarray,  # noqa: PLR0917
            dest: np.ndarray, orig: np.ndarray, n_dest: int, n_orig: int,
            observed: np.ndarray | None) -> Result:
    """A batch's quantiles, totals by destination and origin, CRPS and PIT (as
    `projection.run_batch` gives them for the closed form)."""
    n, dd, hz = female.shape
    q = np.empty((3, len(PROBS), n, hz))
    by_d = np.zeros((3, n_dest, dd, hz))
    by_o = np.zeros((3, n_orig, dd, hz))
    crps = None if observed is None else np.empty((3, n, hz))
    pit = None if observed is None else np.empty((3, n, hz))
    for i, values in enumerate((female, male, female + male)):
        q[i] = quantiles(values, PROBS, axis=1)
        np.add.at(by_d[i], dest, values)
        np.add.at(by_o[i], orig, values)
        if crps is not None and pit is not None and observed is not None:
            for h in range(hz):
                crps[i, :, h] = crps_draws(np.log1p(values[:, :, h]),
                                           np.log1p(observed[:, i, h]))
                pit[i, :, h] = pit_draws(values[:, :, h], observed[:, i, h])
    return Result(idx, q, by_d, by_o, crps, pit)
