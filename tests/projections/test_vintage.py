"""The backtest on what was known then (issue #14): fitted on an older revision whole and
scored on what the newer one publishes for its later years, on the corridors both list;
the scores of a hand-made pair are the definitions computed here."""

from __future__ import annotations

import numpy as np
import pytest

from tmo.projections import backtest
from tmo.projections.projection import Inputs, Settings

OLD_YEARS = np.array([1990, 1995, 2000, 2005, 2010, 2015, 2020], dtype=float)
NEW_YEARS = np.array([1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024], dtype=float)


def inputs(pairs: list[tuple[str, str]], years: np.ndarray, seed: int) -> Inputs:
    rng = np.random.default_rng(seed)
    stocks = np.round(rng.uniform(100, 50_000, (len(pairs), 2, len(years))))
    return Inputs(np.array([o for o, _ in pairs]), np.array([d for _, d in pairs]),
                  stocks, years)


def test_the_newer_revision_scores_the_corridors_both_publish() -> None:
    old = inputs([("A", "X"), ("B", "X"), ("C", "Y"), ("D", "Y")], OLD_YEARS, 1)
    new = inputs([("D", "Y"), ("A", "X"), ("C", "Y"), ("E", "Y")], NEW_YEARS, 2)
    train, observed, targets = backtest.vintage(old, new)
    assert targets == (2024,)
    assert list(zip(train.origins, train.destinations, strict=True)) == [
        ("A", "X"), ("C", "Y"), ("D", "Y")]
    np.testing.assert_array_equal(train.stocks, old.stocks[[0, 2, 3]])
    np.testing.assert_array_equal(observed[:, :2, 0], new.stocks[[1, 2, 0], :, -1])
    np.testing.assert_array_equal(observed[:, 2, 0], new.stocks[[1, 2, 0], :, -1].sum(axis=1))
    rows = backtest.score(train, observed, targets, Settings(draws=50))
    const = next(r for r in rows if r["method"] == "constant" and r["sex"] == "total"
                 and r["level"] == "corridor" and r["band"] == "all")
    last = train.stocks[:, :, -1].sum(axis=1)
    want = np.mean(np.abs(np.log1p(last) - np.log1p(observed[:, 2, 0])))
    assert const["mae_log"] == pytest.approx(want)
    assert const["jump_off"] == 2020
    with pytest.raises(ValueError, match="no year after 2024"):
        backtest.vintage(new, new)


def test_mase_is_its_definition() -> None:
    """MASE (Hyndman and Koehler 2006) on log(1 + stock): each series' absolute error over
    its in-sample naive error, averaged; a series that never moved is left out."""
    from tmo.projections import scores

    history = np.array([[9.0, 99.0, 999.0], [5.0, 5.0, 5.0], [0.0, 0.0, 99.0]])
    point = np.array([9999.0, 5.0, 9.0])
    observed = np.array([999.0, 7.0, 99.0])
    scale = scores.naive_scale(history)
    assert scale == pytest.approx([np.log(10), 0.0, np.log(100) / 2])
    want = np.mean([np.log(10) / np.log(10), np.log(10) / (np.log(100) / 2)])
    assert scores.mase(point, observed, scale) == pytest.approx(want)
    assert np.isnan(scores.mase(point[1:2], observed[1:2], scale[1:2]))
