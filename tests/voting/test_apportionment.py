"""Apportionment: the theory's properties (hypothesis), the Alabama paradox, floors, ties
and input errors."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.errors import InputError
from tmo.voting.apportionment import (
    DIVISOR_METHODS,
    METHODS,
    apportion,
    method_name,
    station_count,
)

NAMES = st.sampled_from(list("ABCDEFGHIJ"))
VOTES = st.dictionaries(NAMES, st.integers(min_value=1, max_value=10**6), min_size=1,
                        max_size=8)
HOUSE = st.integers(min_value=0, max_value=60)
PROPERTY = settings(max_examples=200, deadline=None)


@PROPERTY
@given(votes=VOTES, house=HOUSE, method=st.sampled_from(METHODS))
def test_every_seat_is_given(votes, house, method):
    result = apportion(votes, house, method)
    assert sum(result.seats.values()) == house
    assert list(result.seats) == list(votes)
    assert all(s >= 0 for s in result.seats.values())


@PROPERTY
@given(votes=VOTES, house=HOUSE, method=st.sampled_from(sorted(DIVISOR_METHODS)))
def test_divisor_methods_are_house_monotone(votes, house, method):
    """Balinski and Young: a divisor method never takes a seat away when the house grows."""
    smaller = apportion(votes, house, method).seats
    larger = apportion(votes, house + 1, method).seats
    assert all(larger[n] >= smaller[n] for n in votes)


def test_hamilton_shows_the_alabama_paradox():
    """Largest remainder is not house-monotone: C holds 2 of 10 seats and 1 of 11
    (quotas 4.29/4.29/1.43 at 10, 4.71/4.71/1.57 at 11)."""
    votes = {"A": 6, "B": 6, "C": 2}
    assert apportion(votes, 10, "largest_remainder").seats == {"A": 4, "B": 4, "C": 2}
    assert apportion(votes, 11, "largest_remainder").seats == {"A": 5, "B": 5, "C": 1}
    for method in DIVISOR_METHODS:  # the same case is monotone under every divisor method
        ten, eleven = (apportion(votes, h, method).seats for h in (10, 11))
        assert all(eleven[n] >= ten[n] for n in votes)


@PROPERTY
@given(votes=VOTES, house=HOUSE)
def test_hamilton_stays_within_quota(votes, house):
    result = apportion(votes, house, "largest_remainder")
    assert all(result.within_quota().values())


@PROPERTY
@given(votes=VOTES, house=HOUSE)
def test_dhondt_meets_lower_quota(votes, house):
    """D'Hondt (Jefferson) never gives a party fewer seats than the whole part of its quota
    (it may give more: upper quota can fail)."""
    result = apportion(votes, house, "dhondt")
    assert all(result.seats[n] >= math.floor(q) for n, q in result.quotas.items())


@pytest.mark.parametrize(("method", "votes", "house", "big", "quota"), [
    ("sainte_lague", {"A": 9947, "B": 164, "C": 246, "D": 229, "E": 653, "F": 459, "G": 388,
                      "H": 728}, 31, 23, 24.064),
    ("huntington_hill", {"A": 13209, "B": 912, "C": 431, "D": 42, "E": 266, "F": 989}, 36, 29,
     30.003),
])
def test_webster_and_huntington_hill_can_violate_quota(method, votes, house, big, quota):
    """Neither Sainte-Laguë nor Huntington-Hill is bound by quota (Balinski and Young): the
    large district falls below the whole part of its quota (cases found by a random search);
    Hamilton keeps it within, D'Hondt at or above."""
    result = apportion(votes, house, method)
    assert float(result.quotas["A"]) == pytest.approx(quota, abs=1e-3)
    assert result.seats["A"] == big < math.floor(result.quotas["A"])
    assert all(apportion(votes, house, "largest_remainder").within_quota().values())
    assert apportion(votes, house, "dhondt").seats["A"] >= math.floor(result.quotas["A"])


@PROPERTY
@given(votes=VOTES, house=HOUSE, method=st.sampled_from(METHODS),
       tie_break=st.sampled_from(["most_votes", "name", "lot"]), seed=st.integers(0, 99),
       shuffle=st.randoms(use_true_random=False))
def test_invariant_to_the_order_of_the_inputs(votes, house, method, tie_break, seed, shuffle):
    items = list(votes.items())
    shuffle.shuffle(items)
    a = apportion(votes, house, method, tie_break=tie_break, seed=seed)
    b = apportion(dict(items), house, method, tie_break=tie_break, seed=seed)
    assert a.seats == b.seats
    assert a.ties == b.ties


@PROPERTY
@given(votes=VOTES, house=HOUSE, method=st.sampled_from(METHODS),
       factor=st.integers(min_value=2, max_value=1000))
def test_invariant_to_the_scale_of_the_votes(votes, house, method, factor):
    scaled = {n: v * factor for n, v in votes.items()}
    assert apportion(votes, house, method).seats == apportion(scaled, house, method).seats


@PROPERTY
@given(votes=VOTES, method=st.sampled_from(METHODS), floor=st.integers(0, 3),
       extra=st.integers(0, 30))
def test_floors(votes, method, floor, extra):
    house = floor * len(votes) + extra
    added = apportion(votes, house, method, floor=floor, floor_rule="add")
    rest = apportion(votes, extra, method)
    assert added.seats == {n: floor + rest.seats[n] for n in votes}
    minimum = apportion(votes, house, method, floor=floor, floor_rule="minimum")
    assert all(s >= floor for s in minimum.seats.values())
    assert sum(minimum.seats.values()) == house


def test_huntington_hill_gives_every_district_a_seat_first():
    votes = {"big": 10**6, "small": 1, "tiny": 1}
    assert apportion(votes, 3, "huntington_hill").seats == {"big": 1, "small": 1, "tiny": 1}
    assert apportion(votes, 3, "dhondt").seats == {"big": 3, "small": 0, "tiny": 0}


def test_minimum_under_a_divisor_method_tops_up_only_the_small():
    """With a minimum of 1, D'Hondt gives C its one seat and shares the rest as usual."""
    votes = {"A": 6100, "B": 5000, "C": 900}
    assert apportion(votes, 10, "dhondt", floor=1, floor_rule="minimum").seats == {
        "A": 5, "B": 4, "C": 1}
    assert apportion(votes, 10, "dhondt", floor=1, floor_rule="add").seats == {
        "A": 5, "B": 4, "C": 1}


def test_minimum_under_largest_remainder_fixes_the_small_then_shares():
    votes = {"A": 700, "B": 250, "C": 50}
    result = apportion(votes, 10, "largest_remainder", floor=1, floor_rule="minimum")
    assert result.seats == {"A": 7, "B": 2, "C": 1}  # C fixed at 1, 9 seats by 700:250


# --- ties ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_a_tie_for_the_last_seat_is_decided_by_the_rule_and_reported(method):
    votes = {"B": 100, "A": 100, "C": 100}
    by_name = apportion(votes, 2, method, tie_break="name")
    assert by_name.seats == {"B": 1, "A": 1, "C": 0}
    (tie,) = by_name.ties
    assert tie.tied == ("A", "B", "C")
    assert tie.seats == 2
    assert tie.winners == ("A", "B")
    with pytest.raises(InputError, match="tie: A, B, C have equal claims on 2 seats"):
        apportion(votes, 2, method, tie_break="raise")


def test_most_votes_breaks_a_quotient_tie_for_the_larger_party():
    """D'Hondt: A 200/2 = B 100/1 for the second seat; more votes wins it."""
    result = apportion({"A": 200, "B": 100}, 2, "dhondt")
    assert result.seats == {"A": 2, "B": 0}
    assert result.ties[0].winners == ("A",)
    assert apportion({"A": 200, "B": 100}, 2, "dhondt", tie_break="name").seats == {
        "A": 2, "B": 0}
    assert apportion({"Z": 200, "B": 100}, 2, "dhondt", tie_break="name").seats == {
        "Z": 1, "B": 1}


def test_a_tie_that_decides_nothing_is_not_reported():
    assert apportion({"A": 100, "B": 100}, 2, "dhondt").ties == ()
    assert apportion({"A": 100, "B": 100}, 4, "sainte_lague").ties == ()


def test_lot_is_reproducible_and_depends_on_the_seed():
    votes = dict.fromkeys("ABCDEFGH", 1)
    draws = {tuple(sorted(n for n, s in apportion(votes, 3, "dhondt", tie_break="lot",
                                                 seed=seed).seats.items() if s))
             for seed in range(20)}
    assert len(draws) > 1
    again = apportion(votes, 3, "dhondt", tie_break="lot", seed=7)
    assert again == apportion(votes, 3, "dhondt", tie_break="lot", seed=7)


def test_exact_arithmetic_decides_what_floats_would_not():
    """D'Hondt's third seat: A 0.3/3 against B 0.1/1, an exact tie that the tie rule gives
    to A (more votes); in floats 0.3/3 = 0.09999999999999999 < 0.1 would hand it to B."""
    assert 0.3 / 3 < 0.1
    result = apportion({"A": "0.3", "B": "0.1"}, 3, "dhondt")
    assert result.seats == {"A": 3, "B": 0}
    assert result.ties[0].tied == ("A", "B")


# --- inputs ----------------------------------------------------------------------------


@pytest.mark.parametrize(("votes", "seats", "message"), [
    ({}, 3, "no districts"),
    ({"A": -1}, 3, "negative"),
    ({"A": "x"}, 3, "not a finite number"),
    ({"A": float("nan")}, 3, "not a finite number"),
    ({"A": 0, "B": 0}, 3, "zero votes"),
    ({"A": 1}, -1, "non-negative whole number"),
    ({"A": 1}, 2.5, "non-negative whole number"),
])
def test_bad_inputs_are_input_errors(votes, seats, message):
    with pytest.raises(InputError, match=message):
        apportion(votes, seats, "dhondt")


def test_a_floor_larger_than_the_house_is_refused():
    with pytest.raises(InputError, match="needs 6 seats, more than the 5"):
        apportion({"A": 1, "B": 1, "C": 1}, 5, "dhondt", floor=2)


def test_method_names_and_aliases():
    assert method_name("D'Hondt") == "dhondt"
    assert method_name("Webster") == "sainte_lague"
    assert method_name("hamilton") == "largest_remainder"
    assert method_name("largest_remainder_hare") == "largest_remainder"
    with pytest.raises(InputError, match="unknown apportionment method 'borda'"):
        method_name("borda")


def test_zero_votes_get_no_seat_beyond_the_floor():
    assert apportion({"A": 10, "B": 0}, 3, "huntington_hill").seats == {"A": 3, "B": 0}
    assert apportion({"A": 10, "B": 0}, 3, "huntington_hill", floor=1).seats == {"A": 2, "B": 1}


def test_station_count_minimum_and_errors():
    assert station_count(1000, 5000, Fraction(1, 10), minimum=200) == (100, 0)
    assert station_count(3000, 5000, Fraction(1, 10), minimum=200) == (300, 1)
    assert station_count(0, 5000) == (0, 0)
    with pytest.raises(InputError, match="positive whole number"):
        station_count(10, 0)
    with pytest.raises(InputError, match="above 1"):
        station_count(10, 5, 1.5)


def test_random_large_house_is_fast_and_exact():
    rng = random.Random(1)
    votes = {f"d{i}": rng.randint(1, 10**7) for i in range(200)}
    result = apportion(votes, 5000, "huntington_hill")
    assert sum(result.seats.values()) == 5000
