"""Every example of ../shared/golden/voting/examples.json, as published (README.md there
says where each comes from and how far it was checked)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tmo.voting.apportionment import apportion, station_count
from tmo.voting.pmedian import brute_force, solve

from ..conftest import GOLDEN

EXAMPLES = json.loads((GOLDEN / "voting" / "examples.json").read_text(encoding="utf-8"))
# The golden file's method keys; "_after_floor" means Italy's rule: the floor first, the
# remaining seats by the method over the full votes (floor_rule="add").
METHOD = {"dhondt": "dhondt", "sainte_lague": "sainte_lague",
          "largest_remainder_hare": "largest_remainder",
          "largest_remainder_hare_after_floor": "largest_remainder"}


def _cases():
    for example in EXAMPLES["apportionment"]:
        for key, expected in example["expect"].items():
            yield pytest.param(example, key, expected, id=f"{example['id']}-{key}")


@pytest.mark.parametrize(("example", "key", "expected"), list(_cases()))
def test_apportionment(example, key, expected):
    floor = example.get("floor_per_zone", 0)
    assert key.endswith("_after_floor") == bool(floor)
    result = apportion(example["votes"], example["seats"], METHOD[key], floor=floor,
                       floor_rule="add")
    assert result.seats == expected
    assert not result.ties  # no published answer here hinges on a tie


def test_every_golden_key_is_known():
    keys = {k for e in EXAMPLES["apportionment"] for k in e["expect"]}
    assert keys <= set(METHOD)


def test_three_methods_boundary_is_a_near_tie_not_a_tie():
    """Sainte-Laguë's next (11th) seat: B 5000/9 = 555.6 against A 6100/11 = 554.5."""
    ten = apportion({"A": 6100, "B": 5000, "C": 900}, 10, "sainte_lague")
    eleven = apportion({"A": 6100, "B": 5000, "C": 900}, 11, "sainte_lague")
    assert eleven.seats["B"] == ten.seats["B"] + 1
    assert eleven.seats["A"] == ten.seats["A"]


def test_italy_2022_pins_the_floor_rule_down():
    """The golden note: D'Hondt or Sainte-Laguë on the 4 seats left after the floor would
    give 4/2/1/1, largest remainder gives 3/2/2/1."""
    example = next(e for e in EXAMPLES["apportionment"] if e["id"] == "italy-abroad-2022-deputies")
    for method in ("dhondt", "sainte_lague"):
        seats = apportion(example["votes"], 8, method, floor=1).seats
        assert list(seats.values()) == [4, 2, 1, 1]


@pytest.mark.parametrize("example", EXAMPLES["stations"], ids=lambda e: e["id"])
def test_stations(example):
    """Expected voters = electors x turnout rounded half up; stations = ceil(voters / cap)."""
    _, stations = station_count(example["voters"], example["ballots_per_station"],
                                example["expected_turnout"])
    assert stations == example["expect"]["stations"]


def test_promolex_example_rounds_the_voters_half_up():
    """247,609 x 0.5 = 123,804.5 voters -> 123,805 -> 41.27 stations -> 42."""
    assert station_count(247609, 3000, 0.5) == (123805, 42)


@pytest.mark.parametrize("example", EXAMPLES["location"], ids=lambda e: e["id"])
@pytest.mark.parametrize("method", ["exact", "heuristic"])
def test_location(example, method):
    points = np.asarray(example["points"], dtype=float)
    candidates = np.asarray(example["candidates"], dtype=float)
    distance = np.abs(points[:, None] - candidates[None, :])
    solution = solve(distance, example["weights"], example["p"], method=method)
    assert [example["candidates"][j] for j in solution.sites] == example["expect"]["sites"]
    assert solution.cost == pytest.approx(example["expect"]["weighted_distance"])
    assert solution.gap == pytest.approx(0.0)
    exhaustive = brute_force(distance, example["weights"], example["p"])
    assert exhaustive.sites == solution.sites
