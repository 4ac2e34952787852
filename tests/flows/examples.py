"""Loaders for the worked examples with published answers (../shared/golden/flows and
../shared/data/migest_fixtures). Missing files fail the tests, never skip them."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import GOLDEN
from tmo.flows.result import FlowResult

REGIONS = ["A", "B", "C", "D"]
GOLDEN_FLOWS = GOLDEN / "flows"


def flow_array(result: FlowResult) -> np.ndarray:
    """The origin x destination x birthplace array of a demographic-accounting result
    (stock differencing and rates have none)."""
    array = result.array
    assert array is not None, f"{result.method} gives no birthplace array"
    return array


def golden_file(name: str) -> Path:
    path = GOLDEN_FLOWS / name
    if not path.is_file():
        pytest.fail(f"golden file missing: {path} (CI needs ../shared beside the repo)")
    return path


@cache
def demo_inputs() -> pd.DataFrame:
    return pd.read_csv(golden_file("ffs_demo_inputs_long.csv"))


@cache
def demo_arrays() -> pd.DataFrame:
    return pd.read_csv(golden_file("ffs_demo_arrays_long.csv"))


def demo_example(example: str) -> dict:
    """Stocks (birth x residence), births, deaths, options and the expected array
    `[orig, dest, pob]` of one example of ffs_demo_*_long.csv."""
    rows = demo_inputs()[demo_inputs()["example"] == example]

    def table(what: str) -> np.ndarray:
        part = rows[rows["what"] == what]
        return part.pivot(index="birth", columns="res", values="value").loc[
            REGIONS, REGIONS].to_numpy(float)

    def vector(what: str) -> np.ndarray:
        return rows[rows["what"] == what].set_index("birth")["value"].loc[REGIONS].to_numpy(float)

    expected = np.zeros((4, 4, 4))
    arr = demo_arrays()[demo_arrays()["example"] == example]
    idx = [arr[c].map(REGIONS.index).to_numpy() for c in ("orig", "dest", "pob")]
    expected[tuple(idx)] = arr["value"].to_numpy(float)
    return {
        "s1": table("s1"), "s2": table("s2"), "births": vector("births"),
        "deaths": vector("deaths"), "options": rows["options"].iloc[0], "expected": expected,
    }


def method_for(options: str) -> tuple[str, dict]:
    """Our method name and options for a golden `options` string."""
    if options == "defaults":
        return "da_min_closed", {}
    if options == "stayer_assumption=FALSE":
        return "da_ind_closed", {}
    if options == "match_birthplace_tot_method='open-dr'":
        return "da_min_open", {"open_method": "open-dr"}
    if options == "match_birthplace_tot_method='open'":
        return "da_min_open", {"open_method": "open"}
    raise AssertionError(f"unknown golden options {options!r}")


@cache
def other_examples() -> dict:
    return json.loads(golden_file("other_examples.json").read_text())


@cache
def migest_fixtures() -> dict:
    from tests.conftest import shared_file

    return json.loads(shared_file("migest_fixtures/migest_examples.json").read_text())


def matrix(obj: dict, *, drop_sum: bool = True) -> np.ndarray:
    """A printed R matrix {"rows", "cols", "values"} without its Sum margins."""
    values = np.asarray(obj["values"], dtype=float)
    if drop_sum:
        keep_r = [i for i, r in enumerate(obj["rows"]) if r != "Sum"]
        keep_c = [j for j, c in enumerate(obj["cols"]) if c != "Sum"]
        values = values[np.ix_(keep_r, keep_c)]
    return values


def assert_printed(actual: np.ndarray, printed: np.ndarray, decimals: int) -> None:
    """Equal to a value R printed rounded to `decimals` places: within half a unit."""
    half = 0.5 * 10.0 ** (-decimals)
    np.testing.assert_allclose(actual, printed, rtol=0, atol=half + 1e-9)
