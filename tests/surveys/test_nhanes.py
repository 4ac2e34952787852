"""The estimators against published design-based results on NHANES II.

NHANES II (National Center for Health Statistics, 1976–1980; US federal data, public
domain) as shipped by the `samplics` package (MIT; `samplics/datasets/data/nhanes2.csv`,
a test dependency): 10,337 examinees, 31 strata of 2 PSUs, final weights `finalwgt`.
Published: the mean serum zinc level under the design `svyset psuid [pweight=finalwgt],
strata(stratid)` is 87.182 with a linearised standard error of 0.4945 on 9,189
observations and 31 design degrees of freedom (StataCorp, Stata Survey Data Reference
Manual, [SVY] svy and [SVY] svyset; the figures of issue #23). The file is read from the
installed package at test time, never committed.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tmo.errors import InputError
from tmo.surveys import Design, mean, tabulate, total, with_replicates

PUBLISHED_MEAN, PUBLISHED_SE, PUBLISHED_N = 87.182, 0.4945, 9189


@pytest.fixture(scope="module")
def nhanes2() -> pd.DataFrame:
    path = Path(str(importlib.metadata.distribution("samplics").locate_file(
        "samplics/datasets/data/nhanes2.csv")))
    assert path.is_file(), f"{path} missing: install the test extra (pip install -e '.[test]')"
    return pd.read_csv(path)


@pytest.fixture(scope="module")
def design(nhanes2: pd.DataFrame) -> Design:
    return Design.of(nhanes2, weight="finalwgt", strata="stratid", psu="psuid",
                     source="nhanes2.csv")


def test_taylor_reproduces_the_published_mean_and_standard_error(design: Design) -> None:
    est = mean(design, "zinc")
    assert (round(est.estimate, 3), round(est.se, 4)) == (PUBLISHED_MEAN, PUBLISHED_SE)
    assert (est.n, est.df, est.method) == (PUBLISHED_N, 31.0, "taylor")


def test_the_interval_uses_t_on_31_design_degrees_of_freedom(design: Design) -> None:
    est = mean(design, "zinc")
    t31 = 2.0395134463964077  # Student's t, 0.975 quantile, 31 df (tables)
    assert est.ci_low == pytest.approx(est.estimate - t31 * est.se, rel=1e-12)
    assert est.ci_high == pytest.approx(est.estimate + t31 * est.se, rel=1e-12)


def test_jackknife_replicates_of_the_published_design_reproduce_it(design: Design) -> None:
    est = mean(with_replicates(design, "jkn"), "zinc")
    assert (round(est.estimate, 3), round(est.se, 4)) == (PUBLISHED_MEAN, PUBLISHED_SE)
    assert est.method == "jkn"


def test_jackknife_weights_read_as_columns_give_the_same(nhanes2: pd.DataFrame,
                                                         design: Design) -> None:
    built = with_replicates(design, "jkn")
    assert built.replicates is not None
    names = [f"jk_{r + 1}" for r in range(built.replicates.count)]
    frame = pd.concat([nhanes2, pd.DataFrame(built.replicates.weights, columns=names)], axis=1)
    supplied = Design.of(frame, weight="finalwgt", replicate_weights=names, method="jkn",
                         rscales=built.replicates.rscales.tolist(), df=31)
    est = mean(supplied, "zinc")
    assert (round(est.estimate, 3), round(est.se, 4)) == (PUBLISHED_MEAN, PUBLISHED_SE)
    # with the strata and PSUs named, each column's multiplier is found from the PSU it drops
    found = Design.of(frame, weight="finalwgt", strata="stratid", psu="psuid",
                      replicate_weights=names, method="jkn")
    assert mean(found, "zinc").se == pytest.approx(est.se, rel=1e-12)
    with pytest.raises(InputError, match=r"need their multipliers \(n_h − 1\)/n_h"):
        Design.of(frame, weight="finalwgt", replicate_weights=names, method="jkn")


@pytest.mark.parametrize("method", ["brr", "fay"])
def test_balanced_half_samples_give_the_taylor_variance_of_a_total(design: Design,
                                                                   method: str) -> None:
    """With two PSUs per stratum and a full-orthogonal Hadamard matrix, BRR (and Fay's
    BRR) reproduce the linearised variance of a linear statistic exactly (McCarthy 1969;
    Wolter 2007, 3.3): an identity, so to 1e-9."""
    reps = with_replicates(design, method)  # type: ignore[arg-type]
    assert total(reps, "zinc").se == pytest.approx(total(design, "zinc").se, rel=1e-9)
    # for the mean (a ratio) they differ from Taylor in the third significant figure
    assert mean(reps, "zinc").se == pytest.approx(PUBLISHED_SE, rel=0.005)


def test_bootstrap_standard_error_is_close(design: Design) -> None:
    est = mean(with_replicates(design, "bootstrap", count=200, seed=7), "zinc")
    assert est.estimate == pytest.approx(PUBLISHED_MEAN, abs=5e-4)
    assert est.se == pytest.approx(PUBLISHED_SE, rel=0.15)


def test_domains_are_estimated_inside_the_full_design(nhanes2: pd.DataFrame,
                                                      design: Design) -> None:
    """A domain's SE computed by hand (plain pandas: linearised values set to zero outside
    the domain, PSU totals, the stratum formula) is what `tabulate` gives."""
    rows = {e.domain_label: e for e in tabulate(design, "mean", "zinc", by=["race"])}
    for race in (1, 2, 3):
        d = nhanes2.assign(inside=(nhanes2.race == race) & nhanes2.zinc.notna())
        w = d.finalwgt.where(d.inside, 0.0)
        m = (w * d.zinc.fillna(0)).sum() / w.sum()
        d = d.assign(z=w * (d.zinc.fillna(0) - m) / w.sum())
        psu = d.groupby(["stratid", "psuid"]).z.sum().reset_index()
        var = sum(len(g) / (len(g) - 1) * ((g.z - g.z.mean()) ** 2).sum()
                  for _, g in psu.groupby("stratid"))
        est = rows[f"race={race}"]
        assert est.estimate == pytest.approx(m, rel=1e-12)
        assert est.se == pytest.approx(np.sqrt(var), rel=1e-9)
        assert est.n == int(d.inside.sum())


def test_subsetting_instead_of_a_domain_breaks_the_design(nhanes2: pd.DataFrame,
                                                          design: Design) -> None:
    """Race 3 lives in 25 of the 31 strata, 13 of them with one PSU: the subset is no
    longer a design with a variance (and would have 12 df); the domain keeps 31."""
    est = mean(design, "zinc", domain={"race": 3})
    assert (est.df, est.n) == (31.0, 182)
    assert np.isfinite(est.se)
    subset = nhanes2[nhanes2.race == 3]
    with pytest.raises(InputError, match="13 stratum/strata with a single PSU"):
        mean(Design.of(subset, weight="finalwgt", strata="stratid", psu="psuid"), "zinc")
