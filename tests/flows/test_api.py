"""The public API: batching, frames, decomposition, pseudo-Bayes weights, options."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.flows.examples import REGIONS, demo_example, flow_array
from tmo.errors import InputError
from tmo.flows import METHODS, estimate, estimate_frame
from tmo.flows.flow_tables import DenseFlows, inner
from tmo.flows.pseudo_bayes import bfh_weight

DEFAULT_EXAMPLES = ["e0", "e1", "e5", "e6", "e7"]


def _stack(names: list[str]) -> tuple[np.ndarray, ...]:
    ex = [demo_example(n) for n in names]
    return tuple(np.stack([e[k] for e in ex]) for k in ("s1", "s2", "births", "deaths"))


def test_method_names() -> None:
    assert METHODS == ("sd_drop_neg", "sd_rev_neg", "mig_rate", "da_min_open",
                       "da_min_closed", "da_ind_closed", "da_pb_closed")


@pytest.mark.parametrize("method", METHODS)
def test_batch_equals_one_at_a_time(method: str) -> None:
    s1, s2, b, d = _stack(DEFAULT_EXAMPLES)
    batched = estimate(s1, s2, b, d, method)
    assert batched.od.shape == (5, 4, 4)
    for i in range(5):
        single = estimate(s1[i], s2[i], b[i], d[i], method)
        np.testing.assert_allclose(batched.od[i], single.od, rtol=1e-9, atol=1e-9)
    # two batch axes (e.g. sex x period)
    two = estimate(np.stack([s1, s1]), np.stack([s2, s2]), np.stack([b, b]),
                   np.stack([d, d]), method)
    np.testing.assert_allclose(two.od[1], batched.od, rtol=1e-9, atol=1e-9)


def test_default_method_is_pseudo_bayes_with_the_published_weight() -> None:
    e = demo_example("e7")
    result = estimate(e["s1"], e["s2"], labels=REGIONS)
    assert result.method == "da_pb_closed"
    w = result.diagnostics.weights
    assert w is not None
    np.testing.assert_array_equal(w, np.full(4, 0.13))  # Abel & Cohen's 0.87 / 0.13 mix
    bfh = estimate(e["s1"], e["s2"], labels=REGIONS, weight="bfh").diagnostics.weights
    assert bfh is not None
    assert bfh.shape == (4,)
    assert np.all((bfh >= 0) & (bfh <= 1))
    assert flow_array(result).shape == (4, 4, 4)
    assert np.all(np.diag(result.od) == 0)


def test_pseudo_bayes_is_between_minimum_and_independence() -> None:
    e = demo_example("e5")
    args = (e["s1"], e["s2"], e["births"], e["deaths"])
    low = flow_array(estimate(*args, method="da_min_closed"))
    high = flow_array(estimate(*args, method="da_ind_closed"))
    np.testing.assert_allclose(flow_array(estimate(*args, weight=0.0)), low, atol=1e-9)
    np.testing.assert_allclose(flow_array(estimate(*args, weight=1.0)), high, atol=1e-9)
    half = flow_array(estimate(*args, weight=0.25))
    np.testing.assert_allclose(half, 0.75 * low + 0.25 * high, atol=1e-9)


def test_bfh_weight_matches_dense_formula() -> None:
    from tmo.flows import demographic_accounting as da

    e = demo_example("e6")
    adj = da.adjust_stocks(e["s1"], e["s2"], e["births"], e["deaths"], REGIONS)
    minimum = da.minimum_migration(adj.start, adj.end)
    ind = da.independence(adj.start, adj.end)
    x, m = minimum.dense(), ind.dense()
    n = x.sum((0, 1))
    k_hat = (n**2 - (x**2).sum((0, 1))) / ((x - m) ** 2).sum((0, 1))
    np.testing.assert_allclose(bfh_weight(minimum, ind), k_hat / (n + k_hat), rtol=1e-9)
    np.testing.assert_allclose(inner(minimum, ind), inner(DenseFlows(x), DenseFlows(m)),
                               rtol=1e-12)


def test_unit_seed_ipf_equals_closed_form() -> None:
    e = demo_example("e5")
    args = (e["s1"], e["s2"], e["births"], e["deaths"])
    closed = estimate(*args, method="da_ind_closed")
    seeded = estimate(*args, method="da_ind_closed", seed=np.ones((4, 4)))
    np.testing.assert_allclose(flow_array(seeded), flow_array(closed), rtol=1e-9, atol=1e-9)
    assert seeded.diagnostics.iterations >= 1


def test_distance_seed_changes_independence_fit_but_keeps_margins() -> None:
    e = demo_example("e5")
    dist = np.array([[0, 5, 50, 500], [5, 0, 45, 495], [50, 45, 0, 450], [500, 495, 450, 0.0]])
    seed = np.where(dist > 0, 1 / np.where(dist > 0, dist, 1), 1.0)
    args = (e["s1"], e["s2"], e["births"], e["deaths"])
    plain = estimate(*args, method="da_ind_closed")
    fitted = estimate(*args, method="da_ind_closed", seed=seed)
    assert not np.allclose(fitted.od, plain.od)
    np.testing.assert_allclose(flow_array(fitted).sum(1), flow_array(plain).sum(1), rtol=1e-8)
    np.testing.assert_allclose(flow_array(fitted).sum(0), flow_array(plain).sum(0), rtol=1e-8)
    pb = estimate(*args, seed=seed)
    assert pb.diagnostics.max_margin_error < 1e-6


@pytest.mark.parametrize("method", ["da_min_closed", "da_ind_closed", "da_pb_closed"])
def test_decomposition_adds_up(method: str) -> None:
    e = demo_example("e5")
    result = estimate(e["s1"], e["s2"], e["births"], e["deaths"], method, labels=REGIONS)
    parts = result.decompose()
    np.testing.assert_allclose(parts.outward + parts.returns + parts.transit, result.od,
                               atol=1e-9)
    f = flow_array(result)
    i, j = np.meshgrid(range(4), range(4), indexing="ij")
    off = i != j
    np.testing.assert_allclose(parts.outward[off], f[i, j, i][off], atol=1e-9)
    np.testing.assert_allclose(parts.returns[off], f[i, j, j][off], atol=1e-9)
    dense = DenseFlows(f)
    np.testing.assert_allclose(dense.outward(), parts.outward, atol=1e-9)
    np.testing.assert_allclose(dense.returns(), parts.returns, atol=1e-9)


def test_decompose_needs_birthplace() -> None:
    e = demo_example("e1")
    with pytest.raises(InputError, match="no birthplace dimension"):
        estimate(e["s1"], e["s2"], method="sd_drop_neg").decompose()
    assert estimate(e["s1"], e["s2"], method="sd_drop_neg").array is None


def test_to_frame() -> None:
    e = demo_example("e0")
    frame = estimate(e["s1"], e["s2"], method="da_min_closed", labels=REGIONS).to_frame()
    assert list(frame.columns) == ["origin", "destination", "flow"]
    assert len(frame) == 12
    assert frame["flow"].sum() == pytest.approx(150)
    row = frame[(frame.origin == "A") & (frame.destination == "C")]
    assert row["flow"].item() == pytest.approx(50)
    s1, s2, b, d = _stack(DEFAULT_EXAMPLES)
    batched = estimate(s1, s2, b, d, "da_min_closed").to_frame(include_zero=False)
    assert list(batched.columns) == ["batch_0", "origin", "destination", "flow"]


def test_mig_rate_default_total_is_da_min_closed_total() -> None:
    e = demo_example("e5")
    args = (e["s1"], e["s2"], e["births"], e["deaths"])
    total = estimate(*args, method="da_min_closed").od.sum()
    assert estimate(*args, method="mig_rate").od.sum() == pytest.approx(total)


def test_global_closure_before_and_after_adjustment() -> None:
    e = demo_example("e5")
    births = e["births"] + np.array([10.0, 0, 0, 0])  # 10 more births than the stocks show
    for when in ("before", "after", "before-demo-adjust"):
        result = estimate(e["s1"], e["s2"], births, e["deaths"], "da_min_closed",
                          match_global=when)
        assert result.diagnostics.global_closure == pytest.approx(10.0)
        assert result.diagnostics.max_margin_error < 1e-6
    proportional = estimate(e["s1"], e["s2"], births, e["deaths"], "da_min_closed",
                            birth_method="proportion")
    assert np.all(proportional.od >= 0)


def test_open_methods_differ_and_record_no_closure() -> None:
    e = demo_example("e4")
    args = (e["s1"], e["s2"], e["births"], e["deaths"], "da_min_open")
    assert not np.allclose(estimate(*args).od, estimate(*args, open_method="open-dr").od)


def test_diagnostics_are_json_serialisable() -> None:
    e = demo_example("e6")
    result = estimate(e["s1"], e["s2"], e["births"], e["deaths"], labels=REGIONS)
    text = json.dumps(result.diagnostics.as_dict())
    assert "births_exceed_native_born" in text


def _long(stocks: dict[tuple[str, int], np.ndarray]) -> pd.DataFrame:
    rows = []
    for (sex, year), table in stocks.items():
        for i, orig in enumerate(REGIONS):
            for j, dest in enumerate(REGIONS):
                rows.append({"sex": sex, "year": year, "orig": orig, "dest": dest,
                             "stock": table[i, j]})
    return pd.DataFrame(rows)


def test_estimate_frame_matches_estimate() -> None:
    e5, e6 = demo_example("e5"), demo_example("e6")
    later = e5["s2"] * 1.02
    stocks = _long({("f", 2000): e5["s1"], ("f", 2005): e5["s2"], ("f", 2010): later,
                    ("m", 2000): e6["s1"], ("m", 2005): e6["s2"], ("m", 2010): e6["s2"]})
    frame = estimate_frame(stocks, method="da_min_closed", by=["sex"])
    assert list(frame.columns) == ["sex", "period_start", "period_end", "origin",
                                   "destination", "flow"]
    assert len(frame) == 2 * 2 * 12
    part = frame[(frame.sex == "f") & (frame.period_start == 2005)]
    assert (part.period_end == 2010).all()
    expected = estimate(e5["s2"], later, method="da_min_closed", labels=REGIONS).to_frame()
    np.testing.assert_allclose(part["flow"].to_numpy(), expected["flow"].to_numpy(), atol=1e-9)

    births = pd.DataFrame([{"sex": s, "year": y, "region": r, "births": v}
                           for s, ex in (("f", e5), ("m", e6)) for y in (2000, 2005)
                           for r, v in zip(REGIONS, ex["births"], strict=True)])
    deaths = births.rename(columns={"births": "deaths"})
    with_vitals = estimate_frame(stocks, births, deaths, "da_min_closed", by=["sex"])
    assert len(with_vitals) == len(frame)
    with pytest.raises(InputError, match="births missing or NaN"):
        estimate_frame(stocks, births.iloc[1:], deaths, "da_min_closed", by=["sex"])
    with pytest.raises(InputError, match="duplicate rows"):
        estimate_frame(pd.concat([stocks, stocks.iloc[:1]]), method="sd_drop_neg", by=["sex"])
