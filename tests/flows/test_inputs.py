"""Bad input raises InputError naming the problem; unmeetable margins ConvergenceError."""

from __future__ import annotations

import numpy as np
import pytest

from tests.flows.examples import REGIONS, demo_example
from tmo.errors import ConvergenceError, InputError
from tmo.flows import estimate
from tmo.flows.ipf import ipf2, ipf3


@pytest.fixture
def e5() -> dict:
    return demo_example("e5")


def test_shapes_differ(e5: dict) -> None:
    with pytest.raises(InputError, match="different shapes"):
        estimate(e5["s1"], e5["s2"][:3, :3])


def test_not_square() -> None:
    with pytest.raises(InputError, match=r"not square: 3 birthplaces .* 4 residences"):
        estimate(np.ones((3, 4)), np.ones((3, 4)))


def test_negative_stock_named_by_labels(e5: dict) -> None:
    s1 = e5["s1"].copy()
    s1[1, 2] = -5
    with pytest.raises(InputError, match="stock_start has negative stocks at birth=B, residence=C"):
        estimate(s1, e5["s2"], labels=REGIONS)


def test_negative_native_born_raises_by_default_or_is_rescaled(e5: dict) -> None:
    s2 = e5["s2"].copy()
    s2[3, 3] = -20.0
    with pytest.raises(InputError, match="birth=D, residence=D"):
        estimate(e5["s1"], s2, method="da_min_closed", labels=REGIONS)
    result = estimate(e5["s1"], s2, method="da_min_closed", labels=REGIONS,
                      negative_native_born="rescale")
    assert any(f.check == "negative_native_born" and f.where == "D"
               for f in result.diagnostics.findings)


def test_nan_and_inf(e5: dict) -> None:
    s1 = e5["s1"].copy()
    s1[0, 3] = np.nan
    with pytest.raises(InputError, match="NaN or infinite values at birth=A, residence=D"):
        estimate(s1, e5["s2"], labels=REGIONS)
    s2 = e5["s2"].copy()
    s2[2, 2] = np.inf
    with pytest.raises(InputError, match="stock_end has NaN"):
        estimate(e5["s1"], s2)


def test_births_and_deaths(e5: dict) -> None:
    with pytest.raises(InputError, match="births must have one value per region"):
        estimate(e5["s1"], e5["s2"], e5["births"][:3], e5["deaths"])
    deaths = e5["deaths"].copy()
    deaths[2] = -1
    with pytest.raises(InputError, match="deaths are negative at region=C"):
        estimate(e5["s1"], e5["s2"], e5["births"], deaths, labels=REGIONS)
    deaths[2] = 1e6
    with pytest.raises(InputError, match=r"deaths in C .* exceed the population"):
        estimate(e5["s1"], e5["s2"], e5["births"], deaths, labels=REGIONS)


def test_unknown_method_and_option(e5: dict) -> None:
    with pytest.raises(InputError, match="unknown method 'ffs'"):
        estimate(e5["s1"], e5["s2"], method="ffs")
    with pytest.raises(InputError, match=r"takes no option.*seed"):
        estimate(e5["s1"], e5["s2"], method="da_min_closed", seed=np.ones((4, 4)))
    with pytest.raises(InputError, match="labels has 3 names"):
        estimate(e5["s1"], e5["s2"], labels=["A", "B", "C"])
    with pytest.raises(InputError, match="weight must lie in"):
        estimate(e5["s1"], e5["s2"], weight=1.5)


def test_inconsistent_margin_totals() -> None:
    with pytest.raises(ConvergenceError,
                       match=r"row totals sum to 10\.0 but column totals to 12\.0"):
        ipf2(np.array([4.0, 6.0]), np.array([6.0, 6.0]), np.ones((2, 2)))


def test_margin_on_an_empty_seed_row() -> None:
    seed = np.array([[1.0, 1.0], [0.0, 0.0]])
    with pytest.raises(ConvergenceError, match=r"row at index \[1\] has target 2\.0"):
        ipf2(np.array([4.0, 2.0]), np.array([3.0, 3.0]), seed)


def test_nonconvergence_is_reported_not_hidden() -> None:
    # consistent totals, but the zero pattern makes the margins unreachable
    seed = np.eye(2)
    fit = ipf2(np.array([1.0, 2.0]), np.array([2.0, 1.0]), seed, max_iter=50)
    assert not fit.converged
    assert fit.iterations == 50
    assert fit.max_margin_error > 0.1


def test_estimate_raises_on_nonconvergence_unless_allowed() -> None:
    s1 = np.array([[50.0, 0, 0], [0, 40, 10], [10, 0, 50]])
    s2 = np.array([[40.0, 5, 5], [5, 45, 0], [0, 5, 55]])
    seed = np.array([[0.0, 1, 1e-9], [1e-9, 0, 1], [1, 1e-9, 0]])
    with pytest.raises(ConvergenceError, match="did not converge in 3 iterations"):
        estimate(s1, s2, method="da_ind_closed", seed=seed, max_iter=3)
    result = estimate(s1, s2, method="da_ind_closed", seed=seed, max_iter=3,
                      allow_nonconvergence=True)
    assert result.diagnostics.converged is False
    assert result.diagnostics.iterations == 3


def test_ipf3_shapes() -> None:
    fit = ipf3(np.ones((2, 3, 3)), np.ones((2, 3, 3)))
    assert fit.fitted.shape == (2, 3, 3, 3)


def test_closed_rescale_with_unreachable_margins_raises() -> None:
    """Found by hypothesis: birthplace A must grow, but it lives only in A, whose
    residents are fixed; no table meets the closed-rescale margins."""
    s1 = np.array([[3819.0, 0.0], [151.0, 5483.0]])
    s2 = np.array([[4358.0, 0.0], [128.0, 5365.0]])
    args = (s1, s2, np.array([12.0, 30.0]), np.array([36.0, 14.0]), "da_min_closed")
    with pytest.raises(ConvergenceError, match="did not converge in 500 iterations"):
        estimate(*args, max_iter=500)
    result = estimate(*args, max_iter=500, allow_nonconvergence=True)
    assert not result.diagnostics.converged
    assert result.diagnostics.max_margin_error > 1.0
