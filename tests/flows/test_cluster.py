"""One user stock table on a local two-worker Dask cluster (`tmo.flows.cluster`) gives the
in-process results (issue #14, item 5): to the bit against an in-process run on one BLAS
thread, as the workers run, but for the origin-destination matrix product, whose order of
summation depends on the blocks (within `2n·ε·Σ|terms|`, see the module's docstring)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from tmo import cluster
from tmo.cli import cli
from tmo.errors import InputError
from tmo.flows import estimate
from tmo.flows.cluster import OnCluster, cuts
from tmo.flows.flow_tables import LowRankFlows
from tmo.flows.methods import estimate_with

N = 36
CUT = ("da_pb_closed", "da_min_closed", "da_ind_closed", "da_min_open", "mig_rate")


def _table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(14)
    start = np.round(rng.lognormal(3, 2, (N, N)))
    np.fill_diagonal(start, np.round(rng.lognormal(11, 1, N)))
    end = np.round(start * rng.lognormal(0, 0.2, (N, N)))
    births = np.round(start.sum(0) * 0.012)
    births[3] = end[3, 3] + 10  # more births than native-born: a finding, spread births
    return start, end, births, np.round(start.sum(0) * 0.009)


def _bound(result: Any) -> np.ndarray:
    """`2n·ε·Σ_k |u v|`: how far two orders of the product's sum may differ."""
    terms = result.flows.terms
    return 2 * N * np.finfo(float).eps * sum(np.abs(u) @ np.abs(v).T for u, v in terms)


@pytest.mark.parametrize("method", CUT)
def test_the_cut_methods_on_two_workers_equal_the_in_process_run(method: str,
                                                                  dask_cluster: Any) -> None:
    args = _table()
    with threadpool_limits(1):
        here = estimate(*args, method=method)
    seen: list[tuple[str, int, int]] = []
    pieces = OnCluster(dask_cluster, pieces=3, keep_flows=True,
                       progress=lambda *step: seen.append(step))
    there = estimate_with(pieces, *args, method=method)
    # the diagnostics, the weights, the findings and the flow array's factors: to the bit
    assert there.diagnostics.as_dict() == here.diagnostics.as_dict()
    if method != "mig_rate":
        assert there.diagnostics.findings  # the births of region 3
        assert isinstance(here.flows, LowRankFlows)
        assert isinstance(there.flows, LowRankFlows)
        for (u1, v1), (u2, v2) in zip(here.flows.terms, there.flows.terms, strict=True):
            np.testing.assert_array_equal(u2, u1)
            np.testing.assert_array_equal(v2, v1)
        np.testing.assert_array_equal(there.flows.stay, here.flows.stay)
        assert (np.abs(there.od - here.od) <= _bound(here)).all()
        assert (there.od == 0).sum() == (here.od == 0).sum()
        assert ("birthplace layers", 3, 3) in seen
        assert ("origin-destination blocks", 9, 9) in seen
    else:  # rates from the cluster's da_min_closed total
        np.testing.assert_allclose(there.od, here.od, rtol=4 * N * np.finfo(float).eps)


def test_tmo_flows_on_a_running_scheduler_writes_the_in_process_flows(
        dask_cluster: Any, tmp_path: Path) -> None:
    start, end, births, deaths = _table()
    labels = [f"R{i:02d}" for i in range(N)]
    o, d = np.meshgrid(labels, labels, indexing="ij")
    for name, table in (("start", start), ("end", end)):
        pd.DataFrame({"orig": o.ravel(), "dest": d.ravel(), "stock": table.ravel()}).to_csv(
            tmp_path / f"{name}.csv", index=False)
    pd.DataFrame({"region": labels, "births": births}).to_csv(tmp_path / "b.csv", index=False)
    pd.DataFrame({"region": labels, "deaths": deaths}).to_csv(tmp_path / "d.csv", index=False)
    files = ["flows", "--stocks-start", str(tmp_path / "start.csv"), "--stocks-end",
             str(tmp_path / "end.csv"), "--births", str(tmp_path / "b.csv"), "--deaths",
             str(tmp_path / "d.csv")]
    address = dask_cluster.scheduler.address
    there = CliRunner().invoke(cli, [*files, "--scheduler", address, "--out",
                                     str(tmp_path / "there.csv")])
    assert there.exit_code == 0, there.output
    with threadpool_limits(1):
        here = CliRunner().invoke(cli, [*files, "--out", str(tmp_path / "here.csv")])
    assert here.exit_code == 0, here.output
    a, b = pd.read_csv(tmp_path / "here.csv"), pd.read_csv(tmp_path / "there.csv")
    assert len(a) == N * (N - 1)
    pd.testing.assert_frame_equal(b[["origin", "destination"]], a[["origin", "destination"]])
    np.testing.assert_allclose(b["flow"], a["flow"], rtol=2 * N * np.finfo(float).eps)


def test_no_scheduler_answering_is_one_line_with_a_hint() -> None:
    with pytest.raises(InputError, match=r"no Dask scheduler answers at tcp://127\.0\.0\.1:9"
                       ) as caught, cluster.client(scheduler="tcp://127.0.0.1:9", timeout="1s"):
        pass
    assert "--workers N" in (caught.value.hint or "")


def test_the_extra_missing_is_one_line_with_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed fails
    with pytest.raises(InputError, match=r"pip install 'tmo\[dask\]'") as caught:
        cluster.distributed()
    assert "in this process" in (caught.value.hint or "")


def test_the_options_are_refused_where_they_do_not_apply() -> None:
    res = CliRunner().invoke(cli, ["flows", "--workers", "2"])
    assert res.exit_code != 0
    assert "apply to your own tables" in res.output
    with pytest.raises(InputError, match="give one of them"):
        cluster.check(scheduler="tcp://h:1", workers=2)


@given(st.integers(0, 500), st.integers(1, 40))
def test_cuts_cover_every_index_once_in_order(n: int, pieces: int) -> None:
    ranges = cuts(n, pieces)
    assert [i for lo, hi in ranges for i in range(lo, hi)] == list(range(n))
    assert all(hi > lo for lo, hi in ranges)
    assert len(ranges) == min(pieces, n)


def test_births_of_a_region_not_in_the_stock_tables_is_one_line(tmp_path: Path) -> None:
    stocks = "orig,dest,stock\nA,A,1000\nB,A,55\nA,B,100\nB,B,500\n"
    (tmp_path / "s.csv").write_text(stocks)
    (tmp_path / "b.csv").write_text("region,births\nA,10\nZ,3\nB,4\nY,1\n")
    res = CliRunner().invoke(cli, ["flows", "--stocks-start", str(tmp_path / "s.csv"),
                                   "--stocks-end", str(tmp_path / "s.csv"), "--births",
                                   str(tmp_path / "b.csv")])
    assert res.exit_code == 1
    assert "b.csv: regions not in the stock tables: ['Y', 'Z']" in res.output
