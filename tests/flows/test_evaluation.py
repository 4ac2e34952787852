"""The out-of-sample evaluation against reported flows: the six measures computed
independently here with plain numpy, corridor-bootstrap intervals, and a weight tuned on
training rows (issue #12, item 3)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tmo.flows.validation import MEASURES, bootstrap, correlations, paired, tune_weight

KEYS = ["period_start", "period_end", "origin", "destination"]
PLACES = ["AT", "BE", "DE", "FR", "IT"]


def synthetic(seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Two fits (minimum, independence), reported flows equal to the 0.3 mix of them with
    noise, and populations; three periods, five places."""
    rng = np.random.default_rng(seed)
    rows = [(t, t + 5, o, d) for t in (2000, 2005, 2010) for o in PLACES for d in PLACES
            if o != d]
    base = pd.DataFrame(rows, columns=KEYS)
    minimum = base.assign(flow=rng.lognormal(6, 1.5, len(base)) * (rng.random(len(base)) > 0.3))
    independence = base.assign(flow=rng.lognormal(7, 1.0, len(base)))
    truth = 0.7 * minimum["flow"] + 0.3 * independence["flow"]
    reported = base.assign(reported=truth * rng.lognormal(0, 0.05, len(base)))
    population = pd.DataFrame([(t, p, 1e6 * (i + 1)) for t in (2000, 2005, 2010)
                               for i, p in enumerate(PLACES)],
                              columns=["year", "country", "population"])
    return minimum, independence, reported, population


def test_six_measures_match_plain_numpy() -> None:
    minimum, _, reported, population = synthetic()
    p = paired(minimum, reported, population)
    got = correlations(p)
    f = minimum["flow"].to_numpy()
    r = reported["reported"].to_numpy()
    pop = {p_: 1e6 * (i + 1) for i, p_ in enumerate(PLACES)}
    po = minimum["origin"].map(pop).to_numpy()
    pd_ = minimum["destination"].map(pop).to_numpy()
    period = minimum["period_start"].to_numpy()
    tf = np.array([f[period == t].sum() for t in period])
    tr = np.array([r[period == t].sum() for t in period])
    lookup_f = {(t, o, d): v for t, o, d, v in zip(period, minimum["origin"],
                                                   minimum["destination"], f, strict=True)}
    lookup_r = {(t, o, d): v for t, o, d, v in zip(period, minimum["origin"],
                                                   minimum["destination"], r, strict=True)}
    net_f, net_r = [], []
    for (t, o, d), v in lookup_f.items():
        if o < d:
            net_f.append(v - lookup_f[(t, d, o)])
            net_r.append(lookup_r[(t, o, d)] - lookup_r[(t, d, o)])
    expected = {
        "count": np.corrcoef(f, r)[0, 1],
        "log_count": np.corrcoef(np.log1p(f), np.log1p(r))[0, 1],
        "proportion": np.corrcoef(f / tf, r / tr)[0, 1],
        "emigration_rate": np.corrcoef(f / po, r / po)[0, 1],
        "immigration_rate": np.corrcoef(f / pd_, r / pd_)[0, 1],
        "net_count": np.corrcoef(net_f, net_r)[0, 1],
    }
    assert set(got) == set(MEASURES)
    for m in MEASURES:
        assert got[m] == pytest.approx(expected[m], rel=1e-12), m


def test_bootstrap_intervals_hold_the_estimate_and_are_reproducible() -> None:
    minimum, independence, reported, population = synthetic()
    pairs = {"min": paired(minimum, reported, population),
             "ind": paired(independence, reported, population)}
    table = bootstrap(pairs, n_boot=60, seed=4)
    again = bootstrap(pairs, n_boot=60, seed=4)
    pd.testing.assert_frame_equal(table, again)
    assert len(table) == 2 * len(MEASURES)
    ok = table.dropna()
    assert ((ok["low"] <= ok["r"] + 1e-12) & (ok["r"] <= ok["high"] + 1e-12)).mean() > 0.9
    assert (table["pairs"] == len(reported)).all()


def test_weight_is_tuned_on_training_rows_only() -> None:
    minimum, independence, reported, population = synthetic()
    train = reported[reported["period_start"] < 2010]
    weight, scores = tune_weight(minimum, independence, train, population)
    assert weight == pytest.approx(0.3, abs=0.1)
    assert scores[weight] == max(scores.values())
    # the score is that of the training rows: changing test rows changes nothing
    shuffled = reported.copy()
    late = shuffled["period_start"] >= 2010
    shuffled.loc[late, "reported"] = shuffled.loc[late, "reported"].to_numpy()[::-1]
    again, _ = tune_weight(minimum, independence,
                           shuffled[shuffled["period_start"] < 2010], population)
    assert again == weight
