"""../shared/data/migest_fixtures/migest_examples.json: the printed examples of migest.

Unrounded R output has about 7 significant digits: compared at 1e-6 relative.
Cases with `printed_rounding` d are compared within half a unit of the d-th decimal.
ffs_demo e5 and e6 need the IPF rescale that migest stops at tolerance 1e-3 (see
test_golden_demo.py): compared within 2.5e-3 persons.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.flows.examples import assert_printed, matrix, migest_fixtures
from tmo.flows import estimate
from tmo.flows.ipf import ipf2, ipf3

CASES = {c["id"]: c for c in migest_fixtures()["ffs_demo"]["cases"]}
IPF_LIMITED = {"e5_science_supp_with_births_deaths", "e6_imr_supp_with_births_deaths"}


def _demo(case: dict):
    args = dict(case["args"])
    labels = case["stock_start"]["rows"]
    births = [case["births"][r] for r in labels]
    deaths = [case["deaths"][r] for r in labels]
    method, options = "da_min_closed", {}
    if "match_birthplace_tot_method" in args:
        method, options = "da_min_open", {"open_method": args.pop("match_birthplace_tot_method")}
    # migest ignores a seed under the stayer assumption (the minimum fit has one
    # solution); our minimum-migration methods take no seed at all.
    args.pop("seed", None)
    assert not args
    return estimate(matrix(case["stock_start"]), matrix(case["stock_end"]), births, deaths,
                    method, labels=labels, **options)


def test_all_cases_present() -> None:
    assert len(CASES) == 8


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_ffs_demo_sum_od(case_id: str) -> None:
    case = CASES[case_id]
    result = _demo(case)
    expected = matrix(case["expected_sum_od"])
    if case_id in IPF_LIMITED:
        np.testing.assert_allclose(result.od, expected, rtol=0, atol=2.5e-3)
    else:
        np.testing.assert_allclose(result.od, expected, rtol=1e-6, atol=1e-9)
    printed_total = np.asarray(case["expected_sum_od"]["values"])[-1, -1]
    np.testing.assert_allclose(result.od.sum(), printed_total, rtol=1e-4)


def test_ffs_demo_e0_flows_by_birthplace() -> None:
    case = CASES["e0_dr_science_no_births_deaths"]
    slices = case["expected_flows_by_pob"]["slices"]
    expected = np.stack([matrix(slices[k]) for k in case["stock_start"]["rows"]], axis=-1)
    np.testing.assert_allclose(_demo(case).array, expected, rtol=1e-6, atol=1e-9)
    assert _demo(case).od.sum() == pytest.approx(150)


def test_ffs_demo_e2_seed_equals_e1() -> None:
    e1 = matrix(CASES["e1_imr_no_births_deaths"]["expected_sum_od"])
    e2 = matrix(CASES["e2_imr_supp_distance_seed"]["expected_sum_od"])
    np.testing.assert_array_equal(e1, e2)


def test_ffs_diff() -> None:
    block = migest_fixtures()["ffs_diff"]
    s1, s2 = matrix(block["stock_start"]), matrix(block["stock_end"])
    methods = {"zero": "sd_drop_neg", "return": "sd_rev_neg"}
    for case in block["cases"]:
        od = estimate(s1, s2, method=methods[case["args"]["decrease"]]).od
        np.testing.assert_array_equal(od, matrix(case["expected"]))


def test_ffs_rates() -> None:
    block = migest_fixtures()["ffs_rates"]
    s1, s2 = matrix(block["stock_start"]), matrix(block["stock_end"])
    dennett, rvr = block["cases"]
    # The fixture's note says M = 170, but the printed flows sum to 60, which is
    # Σ|colsum(S2) − colsum(S1)| = 15 + 30 + 5 + 10 for these stocks.
    assert np.abs(s2.sum(0) - s1.sum(0)).sum() == 60
    expected = matrix(dennett["expected"])
    assert expected.sum() == pytest.approx(60, rel=1e-6)
    od = estimate(s1, s2, method="mig_rate", total=60).od
    np.testing.assert_allclose(od, expected, rtol=1e-6)
    od = estimate(s1, s2, method="mig_rate", rate_method="rogers-von-rabenau").od
    np.testing.assert_allclose(od, matrix(rvr["expected"]), rtol=1e-6)


@pytest.mark.parametrize("case", migest_fixtures()["ipf2"]["cases"], ids=lambda c: c["id"])
def test_ipf2(case: dict) -> None:
    rows = np.array(case["row_tot"], float)
    cols = None if case["col_tot"] is None else np.array(case["col_tot"], float)
    seed = None if case["m"] is None else matrix(case["m"])
    if seed is None:
        assert cols is not None  # a fixture without a seed has both margins
        seed = np.ones((len(rows), len(cols)))
    fit = ipf2(rows, cols, seed)
    assert fit.converged
    if "expected_mu_with_margins" in case:
        printed = np.asarray(case["expected_mu_with_margins"]["values"], float)
    else:  # printed lines without dimnames: "      7.58 10.42  18"
        lines = case["expected_mu_with_margins_raw_lines"][1:]
        printed = np.array([[float(v) for v in line.replace("Sum", "").split()]
                            for line in lines])
    fitted = np.zeros_like(printed)
    fitted[:-1, :-1] = fit.fitted
    fitted[:-1, -1] = fit.fitted.sum(1)
    fitted[-1] = fitted[:-1].sum(0)
    assert_printed(fitted, printed, case["printed_rounding"])


@pytest.mark.parametrize("case", migest_fixtures()["ipf3"]["cases"], ids=lambda c: c["id"])
def test_ipf3(case: dict) -> None:
    block = migest_fixtures()["ipf3"]
    p1, p2 = matrix(block["P1"]), matrix(block["P2"])
    seed = None if case["id"] == "no_offset" else np.array(case["m_slice"], float)
    fit = ipf3(p1.T, p2.T, seed)
    assert fit.converged
    slices = case["expected_mu_with_margins"]["slices"]
    expected = np.stack([matrix(slices[k]) for k in block["P1"]["rows"]], axis=-1)
    decimals = case["printed_rounding"]
    assert_printed(fit.fitted, expected, decimals)
    od = fit.fitted.sum(-1) * (1 - np.eye(4))
    # the printed O-D table is the sum of unrounded flows, rounded once
    assert_printed(od, matrix(case["expected_sum_od"]), decimals)
