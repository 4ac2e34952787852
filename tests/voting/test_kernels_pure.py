"""The voting kernels are pure: apportionment and p-median import nothing of `tmo` but the
exception tree (no store, source, country or glue module), as the flow kernels."""

from __future__ import annotations

import grimp
import pytest

KERNELS = ("tmo.voting.apportionment", "tmo.voting.pmedian")


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("tmo")


@pytest.mark.parametrize("kernel", KERNELS)
def test_kernel_imports_only_the_exception_tree(graph, kernel):
    reached = graph.find_upstream_modules(kernel)
    assert reached <= {"tmo", "tmo.errors"}, sorted(reached)
