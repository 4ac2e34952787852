"""The backtest on held-out years (issue #14, "done means"): fitted on the IMS 2024
estimates up to 2015 only (read here with plain pandas from the official origin-destination
table), the 80 % and 95 % intervals cover 2020's and 2024's published corridor stocks at
close to their nominal rates, the point error is no worse than the best baseline's, and the
CRPS beats the random walk with drift. Coverage and errors are computed here with numpy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm  # type: ignore[import-untyped]

from tests.conftest import shared_file
from tmo.projections import backtest
from tmo.projections.projection import Inputs, Settings, combine, in_process, plan


@pytest.fixture(scope="module")
def ims() -> Inputs:
    frame = pd.read_csv(shared_file("undesa_ims/od_gdidata/ims2024_od_by_sex_long.csv.gz"))
    wide = frame.pivot_table(index=["orig_iso3", "dest_iso3"], columns=["sex", "year"],
                             values="stock", aggfunc="sum", fill_value=0)
    years = np.array(sorted(frame["year"].unique()), dtype=float)
    stocks = np.stack([wide["female"][years.astype(int)].to_numpy(float),
                       wide["male"][years.astype(int)].to_numpy(float)], axis=1)
    return Inputs(wide.index.get_level_values(0).to_numpy(str),
                  wide.index.get_level_values(1).to_numpy(str), stocks, years)


@pytest.fixture(scope="module")
def from_2015(ims: Inputs):
    train, observed, targets = backtest.split(ims, 2015)
    assert targets == (2020, 2024)
    assert train.stocks.shape[2] == 6  # 1990-2015: nothing after the jump-off is seen
    settings = Settings(draws=300, targets=targets)
    result = combine(in_process(plan(train, settings, observed=observed)), len(train.origins))
    return train, observed, result


def test_intervals_cover_the_held_out_years_at_their_nominal_rates(from_2015) -> None:
    train, observed, result = from_2015
    total_now = train.stocks[:, :, -1].sum(axis=1)
    ok = total_now > 0
    for h in range(2):
        obs = observed[ok, 2, h]
        q = result.quantiles[2][:, ok, h]  # (P, n): 2.5, 10, 50, 90, 97.5 %
        cover80 = np.mean((obs >= q[1]) & (obs <= q[3]))
        cover95 = np.mean((obs >= q[0]) & (obs <= q[4]))
        assert 0.75 <= cover80 <= 0.85, (h, cover80)
        assert 0.91 <= cover95 <= 0.98, (h, cover95)
        assert np.all(q >= 0)


def test_point_error_is_no_worse_than_the_best_baseline(from_2015) -> None:
    train, observed, result = from_2015
    total = train.stocks.sum(axis=1)
    ok = total[:, -1] > 0
    t = train.years
    for h, target in enumerate((2020, 2024)):
        y = np.log1p(observed[ok, 2, h])
        model = np.mean(np.abs(np.log1p(result.quantiles[2][2, ok, h]) - y))
        last = np.mean(np.abs(np.log1p(total[ok, -1]) - y))
        slope = (total[ok, -1] - total[ok, -2]) / (t[-1] - t[-2])
        line = np.mean(np.abs(np.log1p(np.maximum(total[ok, -1] + slope * (target - t[-1]),
                                                  0)) - y))
        assert model <= 1.02 * min(last, line), (target, model, last, line)


def test_crps_beats_the_random_walk_with_drift(from_2015) -> None:
    """CRPS on log(1 + stock); the random walk with drift's is the normal's closed form
    (mean growth per year carried forward, variance growing with the horizon)."""
    train, observed, result = from_2015
    y = np.log1p(train.stocks.sum(axis=1))
    ok = y[:, -1] > 0
    t = train.years
    rate = (y[:, -1] - y[:, 0]) / (t[-1] - t[0])
    g = np.diff(y, axis=1) / np.diff(t)
    var = ((g - rate[:, None]) ** 2 * np.diff(t)).sum(axis=1) / (len(t) - 2)
    for h, target in enumerate((2020, 2024)):
        obs = np.log1p(observed[ok, 2, h])
        mean = y[ok, -1] + rate[ok] * (target - t[-1])
        sd = np.sqrt(var[ok] * (target - t[-1]))
        z = (obs - mean) / np.where(sd > 0, sd, 1)
        drift = np.where(sd > 0, sd * (z * (2 * norm.cdf(z) - 1) + 2 * norm.pdf(z)
                                       - 1 / np.sqrt(np.pi)), np.abs(obs - mean))
        model = result.crps[2, ok, h]
        assert np.all(model >= 0)
        assert model.mean() <= 0.95 * drift.mean(), (target, model.mean(), drift.mean())


def test_the_backtest_report_carries_every_measure(ims: Inputs) -> None:
    small = Inputs(ims.origins[:400], ims.destinations[:400], ims.stocks[:400], ims.years)
    rows = backtest.run(small, 2015, Settings(draws=50))
    methods = {r["method"] for r in rows if r["level"] == "corridor"}
    assert methods == {"model", "constant", "linear", "loglinear", "drift", "damped", "shares"}
    model = [r for r in rows if r["method"] == "model" and r["level"] == "corridor"]
    for key in ("mae_log", "mape", "wape", "bias_log", "coverage80", "coverage95",
                "interval_score80", "interval_score95", "crps"):
        assert all(np.isfinite(r[key]) for r in model), key
    assert {r["level"] for r in rows} == {"corridor", "destination"}


def test_country_totals_cover_the_held_out_years_too(from_2015) -> None:
    """Immigrants per destination: the corridors of a country share a shock per step, so
    the totals' intervals are not the too-narrow sums of independent corridors."""
    train, observed, result = from_2015
    dest, pos = np.unique(train.destinations, return_inverse=True)
    for h in range(2):
        obs = np.zeros(len(dest))
        np.add.at(obs, pos, observed[:, 2, h])
        draws = result.by_destination[2][:, :, h]
        lo, hi = np.quantile(draws, [0.1, 0.9], axis=1)
        cover = np.mean((obs >= lo) & (obs <= hi))
        assert 0.7 <= cover <= 0.9, (h, cover)


def test_pit_histograms_agree_with_the_coverage_and_are_not_far_from_flat(from_2015) -> None:
    """The report's PIT of each held-out corridor (share of its draws below the published
    stock): the share within [0.1, 0.9] is the 80 % coverage computed here from the
    quantiles (up to the draws' resolution), and no bin of ten holds less than 4 % or
    more than 20 % of the corridors (calibrated: 10 %)."""
    train, observed, result = from_2015
    ok = train.stocks[:, :, -1].sum(axis=1) > 0
    assert result.pit is not None
    for h in range(2):
        pit = result.pit[2, ok, h]
        obs = observed[ok, 2, h]
        q = result.quantiles[2][:, ok, h]
        cover80 = np.mean((obs >= q[1]) & (obs <= q[3]))
        assert abs(np.mean((pit >= 0.1) & (pit <= 0.9)) - cover80) < 0.01, h
        counts, _ = np.histogram(pit, bins=10, range=(0, 1))
        shares = counts / len(pit)
        assert np.all((shares > 0.04) & (shares < 0.2)), (h, shares)
