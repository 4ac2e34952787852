"""../shared/golden/flows/other_examples.json: stock differencing, Dennett and
Rogers-von Rabenau rates, and the IPF example of Willekens (1999).

Values are printed by R with about 7 significant digits, so 1e-6 relative holds;
the e7 Dennett flows are printed with 4 decimals and are compared at that precision.
"""

from __future__ import annotations

import numpy as np

from tests.flows.examples import REGIONS, assert_printed, demo_example, other_examples
from tmo.flows import estimate
from tmo.flows.ipf import ipf2


def _stocks(block: dict) -> tuple[np.ndarray, np.ndarray]:
    return np.array(block["S1"], float), np.array(block["S2"], float)


def test_stock_differencing() -> None:
    block = other_examples()["stock_differencing_and_rates"]
    s1, s2 = _stocks(block)
    for method in ("sd_drop_neg", "sd_rev_neg"):
        np.testing.assert_array_equal(estimate(s1, s2, method=method).od, block[method])


def test_dennett() -> None:
    block = other_examples()["stock_differencing_and_rates"]
    s1, s2 = _stocks(block)
    od = estimate(s1, s2, method="mig_rate", total=block["dennett_M"]).od
    np.testing.assert_allclose(od, block["dennett"], rtol=1e-6, atol=1e-12)


def test_rogers_von_rabenau_reports_negative_flows() -> None:
    block = other_examples()["stock_differencing_and_rates"]
    s1, s2 = _stocks(block)
    result = estimate(s1, s2, method="mig_rate", rate_method="rogers-von-rabenau")
    np.testing.assert_allclose(result.od, block["rogers_von_rabenau"], rtol=1e-6, atol=1e-12)
    assert result.diagnostics.negative_flows == 5
    assert result.diagnostics.min_flow < -51.85


def test_e7_stock_differencing_and_dennett() -> None:
    block = other_examples()["e7_sd_and_rates"]
    e7 = demo_example("e7")
    for method in ("sd_drop_neg", "sd_rev_neg"):
        od = estimate(e7["s1"], e7["s2"], method=method, labels=REGIONS).od
        np.testing.assert_array_equal(od, block[method])
    od = estimate(e7["s1"], e7["s2"], method="mig_rate", total=block["dennett_M"]).od
    assert_printed(od, np.array(block["dennett"]), decimals=4)


def test_dennett_total_is_sum_of_absolute_net_changes() -> None:
    """The totals used in the golden examples are Σ|colsum(S2) − colsum(S1)|."""
    for block, s in ((other_examples()["stock_differencing_and_rates"], None),
                     (other_examples()["e7_sd_and_rates"], demo_example("e7"))):
        s1, s2 = _stocks(block) if s is None else (s["s1"], s["s2"])
        assert np.abs(s2.sum(0) - s1.sum(0)).sum() == block["dennett_M"]


def test_ipf_willekens_1999() -> None:
    block = other_examples()["ipf2_willekens_1999"]
    fit = ipf2(np.array(block["row_totals"], float), np.array(block["col_totals"], float),
               np.array(block["seed"], float))
    assert fit.converged
    np.testing.assert_allclose(fit.fitted, block["fitted"], rtol=1e-6)
