"""The full Bayesian corridor model (tmo.projections.bayes): one small NUTS fit on data
simulated from known hyperparameters, reused by every test; the closed-form conditional
checked against quadrature and the conjugate normal-normal formula computed here."""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from scipy import stats  # type: ignore[import-untyped]

from tmo.cli import cli
from tmo.errors import InputError
from tmo.projections import bayes, model
from tmo.projections.projection import Inputs, Settings

pytest.importorskip("numpyro")

TRUTH: dict[str, Any] = {"band_mean": np.array([0.03, 0.02, 0.01, 0.0, -0.01]),
         "tau": np.array([0.03, 0.025, 0.02, 0.02, 0.015]),
         "sigma": np.array([0.06, 0.04, 0.03, 0.02, 0.02]),
         "phi": np.array([0.2, 0.3, 0.4, 0.5, 0.6]),
         "calm": np.array([0.8, 0.8, 0.8, 0.8, 0.8]), "ratio": 3.0,
         "region_sd": 0.01, "shock_sd": 0.01}
PER_BAND, K, N_REGION, N_DEST = 100, 5, 3, 8


def simulate_data(seed: int = 7) -> bayes.Data:
    """Growth (n, K) drawn from the model with the hyperparameters of TRUTH."""
    rng = np.random.default_rng(seed)
    band = np.repeat(np.arange(bayes.NB), PER_BAND)
    n = len(band)
    region = rng.integers(0, N_REGION, n)
    dest = rng.integers(0, N_DEST, n)
    region_off = TRUTH["region_sd"] * rng.standard_normal(N_REGION)
    shock = TRUTH["shock_sd"] * rng.standard_normal((N_DEST, K - 1))
    mu = TRUTH["band_mean"][band] + region_off[region] + TRUTH["tau"][band] * \
        rng.standard_normal(n)
    jumpy = rng.random(n) > TRUTH["calm"][band]
    sd = TRUTH["sigma"][band] * np.where(jumpy, TRUTH["ratio"], 1.0)
    phi = TRUTH["phi"][band]
    e = np.empty((n, K))
    e[:, 0] = sd / np.sqrt(1 - phi ** 2) * rng.standard_normal(n)
    for k in range(1, K):
        e[:, k] = phi * e[:, k - 1] + shock[dest, k - 1] + sd * rng.standard_normal(n)
    return bayes.Data(mu[:, None] + e, band, np.repeat(band[:, None], K, axis=1),
                      region, dest, N_REGION, N_DEST)


@pytest.fixture(scope="module")
def fitted() -> tuple[bayes.Data, bayes.Posterior]:
    d = simulate_data()
    # one chain (split R-hat compares its halves): each chain costs JAX a compilation
    return d, bayes.fit(d, seed=11, warmup=150, samples=200, chains=1)


def test_posterior_covers_the_hyperparameters_it_was_simulated_from(fitted):
    _, post = fitted
    diag = post.diagnostics  # a short chain: looser than the product's thresholds
    assert diag.divergences <= 0.01 * diag.samples, (diag, post.extra)
    assert diag.max_rhat < 1.1, (diag, post.extra)
    assert diag.min_ess > 10, (diag, post.extra)
    for name in ("band_mean", "phi"):
        lo, hi = np.quantile(post.samples[name], [0.005, 0.995], axis=0)
        assert np.all((lo <= TRUTH[name]) & (TRUTH[name] <= hi)), (name, lo, hi)
    # and the intervals are informative, not the prior's: a band mean is confounded with
    # the region offsets (the same shift up and down fits as well), their differences
    # are not
    diff = post.samples["band_mean"][:, 1:] - post.samples["band_mean"][:, :1]
    lo, hi = np.quantile(diff, [0.005, 0.995], axis=0)
    truth = TRUTH["band_mean"][1:] - TRUTH["band_mean"][0]
    assert np.all((lo <= truth) & (truth <= hi))
    assert np.all(hi - lo < 0.05)  # the prior's 99 % interval: 0.5 wide
    lo, hi = np.quantile(post.samples["phi"], [0.005, 0.995], axis=0)
    assert np.all(hi - lo < 0.5)


def _quadrature(g: np.ndarray, m0: float, tau: float, sigma: float, phi: float
                ) -> tuple[float, float]:
    """(posterior mean of mu, log marginal likelihood) of one series by brute force on a
    grid: prior Normal(m0, tau) times the AR(1) densities of its deviations."""
    grid = np.linspace(m0 - 10 * tau, m0 + 10 * tau, 20001)
    e = g[None, :] - grid[:, None]
    logp = stats.norm.logpdf(grid, m0, tau)
    logp += stats.norm.logpdf(e[:, 0], 0.0, sigma / np.sqrt(1 - phi ** 2))
    for k in range(1, g.size):
        logp += stats.norm.logpdf(e[:, k], phi * e[:, k - 1], sigma)
    w = np.exp(logp - logp.max())
    step = grid[1] - grid[0]
    return float((w * grid).sum() / w.sum()), float(np.log(w.sum() * step) + logp.max())


def _fixed(phi: float, n_s: int = 4000) -> dict[str, np.ndarray]:
    """Samples with every hyperparameter fixed (no region offset, no shock)."""
    return {"band_mean": np.full((n_s, 5), 0.02), "tau": np.full((n_s, 5), 0.03),
            "sigma": np.full((n_s, 5), 0.05), "phi": np.full((n_s, 5), phi),
            "region_sd": np.zeros(n_s), "region_z": np.zeros((n_s, N_REGION))}


@pytest.mark.parametrize("phi", [0.0, 0.6])
def test_corridor_mean_given_hyperparameters_is_the_conjugate_posterior(phi):
    d = replace(simulate_data(3).take(np.arange(0, 200, 20)), dest=None)
    mu, mult = bayes.conditional(d, _fixed(phi), robust=False, seed=5)
    assert np.all(mult == 1)
    for c in range(len(d.band)):
        g = d.growth[c]
        want, _ = _quadrature(g, 0.02, 0.03, 0.05, phi)
        if phi == 0.0:  # normal-normal: precision-weighted mean of prior and data
            assert want == pytest.approx((0.02 / 0.03 ** 2 + g.sum() / 0.05 ** 2)
                                         / (1 / 0.03 ** 2 + K / 0.05 ** 2), abs=1e-7)
        sd = float(mu[:, c].std())
        assert abs(float(mu[:, c].mean()) - want) < 4 * sd / np.sqrt(len(mu))


def test_marginal_likelihood_is_the_integral_over_the_mean():
    d = simulate_data(4).take(np.arange(0, 200, 40))
    phi = np.full(len(d.band), 0.6)
    a, b = bayes._terms(np, d.growth, phi, 0.0)
    v = bayes._variances(np, np.full(5, 0.05), d.start_band, phi)
    ll, mean, _ = bayes._marginal(np, a, b, v, np.full(len(d.band), 0.02),
                                  np.full(len(d.band), 0.03 ** 2))
    for c in range(len(d.band)):
        want_mean, want_ll = _quadrature(d.growth[c], 0.02, 0.03, 0.05, 0.6)
        assert ll[c] == pytest.approx(want_ll, abs=1e-6)
        assert mean[c] == pytest.approx(want_mean, abs=1e-7)


def _inputs(d: bayes.Data, seed: int = 9) -> Inputs:
    """Corridors whose stocks follow the growth of `d` (female) and half of it (male)."""
    rng = np.random.default_rng(seed)
    n = len(d.band)
    start = np.log1p(np.array(model.BANDS, float)[d.band] * 3 + 5)
    logs = np.concatenate([start[:, None], start[:, None] + np.cumsum(d.growth * 5, axis=1)],
                          axis=1)
    female = np.maximum(np.expm1(logs), 0.0)
    male = female * rng.uniform(0.3, 1.5, n)[:, None]
    male[:3, -1] = 0  # three series without migrants at the jump-off: not projected
    return Inputs(np.array([f"O{i % 17}" for i in range(n)]),
                  np.array([f"D{v}" for v in np.asarray(d.dest)]),
                  np.stack([female, male], axis=1),
                  np.arange(1990, 1990 + 5 * (K + 1), 5, dtype=float))


def test_projected_draws_are_never_negative_reproducible_and_add_up(fitted, monkeypatch):
    d, post = fitted
    inputs = _inputs(d)

    def fake_fit(sub, *, every, robust, seed, **_):  # the module's hyperparameters
        hyper = {k: v for k, v in post.samples.items() if k not in {"mu", "mult"}}
        mu, mult = bayes.conditional(every, hyper, robust, seed)
        return bayes.Posterior({**hyper, "mu": mu, "mult": mult}, post.diagnostics, robust)

    monkeypatch.setattr(bayes, "fit", fake_fit)
    settings = Settings(targets=(2030, 2050), draws=200, seed=4, damping=0.95)
    regions = {f"D{i}": f"R{i % N_REGION}" for i in range(N_DEST)}
    one, _ = bayes.project(inputs, settings, regions, batch=64)
    two, _ = bayes.project(inputs, settings, regions, batch=50)
    assert np.array_equal(one.quantiles, two.quantiles)
    assert np.allclose(one.by_destination, two.by_destination)
    assert np.all(one.quantiles >= 0)
    assert np.all(one.by_destination >= 0)
    # series without migrants at the jump-off stay at zero
    assert np.all(one.quantiles[1, :, :3] == 0)
    # every destination's draws are the sum of its corridors' draws: totals over all
    assert np.allclose(one.by_destination.sum(axis=1), one.by_origin.sum(axis=1))
    # another seed gives other draws
    other, _ = bayes.project(inputs, replace(settings, seed=5), regions)
    assert not np.array_equal(one.quantiles, other.quantiles)


def test_simulate_stays_non_negative_in_the_extreme_tails(fitted):
    d, post = fitted
    n = 30
    level = np.log1p(np.full(n, 2.0))
    eps = np.zeros((n, 50, 3)) + 1e-300  # every innovation as low as it can be
    which = bayes.pick(post, 50, 1)
    logs = bayes.simulate(post, np.arange(n), level, d.growth[:n, -1] - 1.0, d.band[:n],
                          np.array([6.0, 5.0, 5.0]), which, eps, None, 0.95)
    assert np.all(model.to_stock(logs) >= 0)
    again = bayes.simulate(post, np.arange(n), level, d.growth[:n, -1] - 1.0, d.band[:n],
                           np.array([6.0, 5.0, 5.0]), which, eps, None, 0.95)
    assert np.array_equal(logs, again)


def test_missing_extra_is_one_clean_line(monkeypatch, fixture_store: Path):
    real = importlib.import_module

    def no_numpyro(name: str, *args, **kwargs):
        if name.startswith("numpyro"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", no_numpyro)
    with pytest.raises(InputError) as err:
        bayes.fit(simulate_data().take(np.arange(5)))
    assert err.value.hint == "pip install 'tmo[bayes]'"
    res = CliRunner().invoke(cli, ["projections", "backtest", "--model", "bayes",
                                   "--db", str(fixture_store)])
    assert res.exit_code != 0
    assert "needs numpyro" in res.output
    assert "tmo[bayes]" in res.output
    assert "Traceback" not in res.output
