"""Seat apportionment: D'Hondt, Sainte-Laguë (Webster), largest remainder (Hamilton, Hare
quota) and Huntington-Hill, with an optional floor per district and a stated tie rule.

    from tmo.voting.apportionment import apportion
    result = apportion({"A": 6100, "B": 5000, "C": 900}, 10, "dhondt")
    result.seats        # {"A": 6, "B": 4, "C": 0}
    result.ties         # the ties the tie rule decided (empty: none mattered)

Arithmetic is exact: votes become `Fraction`s (a float is taken at its exact binary value,
a string such as "12.5" at its decimal value), priorities are compared as fractions, and
Huntington-Hill's v / sqrt(s(s + 1)) is compared through its square, so no rounding ever
decides a seat.

Divisor methods award seats one at a time to the highest priority v / d(s) (s: seats
held): D'Hondt d(s) = s + 1, Sainte-Laguë d(s) = s + 1/2, Huntington-Hill
d(s) = sqrt(s(s + 1)) (a district without a seat has infinite priority; among those,
the larger vote goes first). Largest remainder gives each district the whole part of its
Hare quota v * seats / total and the seats left to the largest remainders.

Floors (`floor=K`): `floor_rule="add"` (Italy's overseas constituency) gives every district
K seats first and apportions the remaining seats by the method over the full votes, the
results added; `floor_rule="minimum"` guarantees K: a divisor method starts every district
at K and awards the rest by priority (Balinski and Young's divisor method with minimum
requirements); largest remainder fixes at K every district whose quota falls below K and
shares the rest among the others, repeating until none falls below.

Ties (equal priorities or remainders competing for fewer seats than there are districts
tied) are broken by `tie_break`: "most_votes" (more votes first, then the name in code-point
order), "name" (code-point order of the names), "lot" (a seeded draw: reproducible with
the same `seed`, independent of the input order) or "raise" (InputError naming the tie).
Every tie that decided a seat is reported in `Apportionment.ties`.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from tmo.errors import InputError

Method = Literal["dhondt", "sainte_lague", "largest_remainder", "huntington_hill"]
TieBreak = Literal["most_votes", "name", "lot", "raise"]
FloorRule = Literal["add", "minimum"]

METHODS: tuple[str, ...] = ("dhondt", "sainte_lague", "largest_remainder", "huntington_hill")
DIVISOR_METHODS: frozenset[str] = frozenset({"dhondt", "sainte_lague", "huntington_hill"})
ALIASES: dict[str, str] = {
    "d_hondt": "dhondt", "jefferson": "dhondt",
    "webster": "sainte_lague", "saint_lague": "sainte_lague",
    "hamilton": "largest_remainder", "hare": "largest_remainder",
    "largest_remainder_hare": "largest_remainder",
    "hill": "huntington_hill", "equal_proportions": "huntington_hill",
}
TIE_BREAKS: tuple[str, ...] = ("most_votes", "name", "lot", "raise")
FLOOR_RULES: tuple[str, ...] = ("add", "minimum")


@dataclass(frozen=True)
class Tie:
    """A tie that decided seats: `tied` districts had equal claims on `seats` seats
    (fewer than them); `winners` got them by the tie rule."""

    tied: tuple[str, ...]
    seats: int
    winners: tuple[str, ...]
    rule: str

    def as_dict(self) -> dict[str, Any]:
        return {"tied": list(self.tied), "seats": self.seats, "winners": list(self.winners),
                "rule": self.rule}


@dataclass(frozen=True)
class Apportionment:
    """Seats per district (input order), with what decided them."""

    method: str
    house: int
    seats: dict[str, int]
    quotas: dict[str, Fraction]  # standard quota v * house / total, exact
    floor: int
    floor_rule: str
    tie_break: str
    ties: tuple[Tie, ...]

    def within_quota(self) -> dict[str, bool]:
        """Per district: floor(quota) <= seats <= ceil(quota)."""
        return {n: math.floor(q) <= self.seats[n] <= math.ceil(q)
                for n, q in self.quotas.items()}

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "house": self.house, "seats": dict(self.seats),
                "quotas": {n: float(q) for n, q in self.quotas.items()},
                "floor": self.floor, "floor_rule": self.floor_rule,
                "tie_break": self.tie_break, "ties": [t.as_dict() for t in self.ties]}


def method_name(method: str) -> str:
    """The canonical name of a method or of one of its aliases (InputError otherwise)."""
    key = method.strip().lower().replace("-", "_").replace("'", "").replace(" ", "_")
    key = ALIASES.get(key, key)
    if key not in METHODS:
        raise InputError(f"unknown apportionment method {method!r}",
                         hint=f"choose one of {', '.join(METHODS)}")
    return key


def exact(value: Any, name: str = "value") -> Fraction:
    """A vote or population as an exact non-negative fraction (InputError otherwise)."""
    if isinstance(value, bool):
        raise InputError(f"{name}: {value!r} is not a number")
    try:
        number = Fraction(value) if not isinstance(value, str) else Fraction(value.strip())
    except (TypeError, ValueError, OverflowError, ZeroDivisionError) as exc:
        raise InputError(f"{name}: {value!r} is not a finite number",
                         hint="votes and populations are non-negative numbers") from exc
    if number < 0:
        raise InputError(f"{name}: {value!r} is negative",
                         hint="votes and populations are non-negative numbers")
    return number


def tie_order(votes: Mapping[str, Fraction], rule: str, seed: int = 0) -> dict[str, int]:
    """Rank of every district under a tie rule (0 wins first); independent of input order."""
    names = sorted(votes)
    if rule == "most_votes":
        names.sort(key=lambda n: -votes[n])  # stable: equal votes stay in name order
    elif rule == "lot":
        random.Random(seed).shuffle(names)
    return {n: i for i, n in enumerate(names)}


def apportion(votes: Mapping[str, Any], seats: int, method: str = "dhondt", *,
              floor: int = 0, floor_rule: str = "add", tie_break: str = "most_votes",
              seed: int = 0) -> Apportionment:
    """Apportion `seats` among the districts or parties of `votes` (name -> votes or
    population) by `method`; see the module's docstring for floors and ties."""
    name = method_name(method)
    exact_votes = _check(votes, seats, floor, floor_rule, tie_break)
    rule = _TieRule(tie_order(exact_votes, tie_break, seed), tie_break, [])
    if floor and floor_rule == "add":
        extra = _run(name, exact_votes, seats - floor * len(exact_votes),
                     dict.fromkeys(exact_votes, 0), rule)
        result = {n: floor + extra[n] for n in exact_votes}
    else:
        result = _run(name, exact_votes, seats, dict.fromkeys(exact_votes, floor), rule)
    total = sum(exact_votes.values())
    quotas = {n: (v * seats / total if total else Fraction(0)) for n, v in exact_votes.items()}
    return Apportionment(method=name, house=seats, seats={n: result[n] for n in votes},
                         quotas={n: quotas[n] for n in votes}, floor=floor,
                         floor_rule=floor_rule, tie_break=tie_break, ties=tuple(rule.ties))


def _check(votes: Mapping[str, Any], seats: int, floor: int, floor_rule: str,
           tie_break: str) -> dict[str, Fraction]:
    if not isinstance(votes, Mapping) or not votes:
        raise InputError("no districts or parties to apportion seats to",
                         hint='give an object of name to votes, e.g. {"A": 6100, "B": 5000}')
    for label, value in (("seats", seats), ("floor", floor)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f"{label} must be a non-negative whole number, not {value!r}")
    if floor_rule not in FLOOR_RULES:
        raise InputError(f"unknown floor rule {floor_rule!r}",
                         hint=f"choose one of {', '.join(FLOOR_RULES)}")
    if tie_break not in TIE_BREAKS:
        raise InputError(f"unknown tie rule {tie_break!r}",
                         hint=f"choose one of {', '.join(TIE_BREAKS)}")
    out = {}
    for key, value in votes.items():
        if not isinstance(key, str) or not key.strip():
            raise InputError(f"district or party name {key!r} is not a non-empty text")
        out[key] = exact(value, key)
    if floor * len(out) > seats:
        raise InputError(f"a floor of {floor} seats for {len(out)} districts needs "
                         f"{floor * len(out)} seats, more than the {seats} to share",
                         hint="lower the floor or raise the number of seats")
    if seats > floor * len(out) and sum(out.values()) == 0:
        raise InputError("every district has zero votes: nothing to apportion by",
                         hint="give at least one district a positive vote or population")
    return out


@dataclass
class _TieRule:
    """The rank of each district under the tie rule, and the ties it decided."""

    rank: dict[str, int]
    name: str
    ties: list[Tie]

    def decide(self, tied: frozenset[str], seats: int, winners: tuple[str, ...]) -> None:
        if self.name == "raise":
            raise _tie_error(tied, seats)
        self.ties.append(Tie(tuple(sorted(tied)), seats, winners, self.name))


def _run(method: str, votes: dict[str, Fraction], seats: int, start: dict[str, int],
         rule: _TieRule) -> dict[str, int]:
    if method == "largest_remainder":
        return _largest_remainder(votes, seats, start, rule)
    return _divisor(method, votes, seats, start, rule)


def _priority(method: str, v: Fraction, s: int) -> tuple[int, Fraction]:
    """(infinite?, value), ordered as the method's priority v / d(s)."""
    if method == "dhondt":
        return 0, v / (s + 1)
    if method == "sainte_lague":
        return 0, v / (2 * s + 1)  # v / (s + 1/2), halved: the same order
    if s == 0:  # Huntington-Hill: d(0) = 0, infinite priority for any positive vote
        return (1, v) if v > 0 else (0, Fraction(0))
    return 0, v * v / (s * (s + 1))  # the square of v / sqrt(s(s+1)): the same order


def _divisor(method: str, votes: dict[str, Fraction], seats: int, start: dict[str, int],
             rule: _TieRule) -> dict[str, int]:
    rank = rule.rank
    held = dict(start)
    to_give = seats - sum(held.values())
    heap: list[tuple[int, Fraction, int, str]] = []
    for n, v in votes.items():
        flag, value = _priority(method, v, held[n])
        heap.append((-flag, -value, rank[n], n))
    heapq.heapify(heap)
    open_tie: tuple[frozenset[str], dict[str, int], int] | None = None
    for given in range(to_give):
        top = heapq.heappop(heap)
        tied = [top]
        while heap and heap[0][:2] == top[:2]:
            tied.append(heapq.heappop(heap))
        left = to_give - given
        if len(tied) > left and open_tie is None:
            names = frozenset(t[3] for t in tied)
            if rule.name == "raise":
                raise _tie_error(names, left)
            open_tie = (names, dict(held), left)
        for other in tied[1:]:
            heapq.heappush(heap, other)
        winner = top[3]
        held[winner] += 1
        flag, value = _priority(method, votes[winner], held[winner])
        heapq.heappush(heap, (-flag, -value, rank[winner], winner))
    if open_tie is not None:
        names, before, left = open_tie
        winners = tuple(sorted((n for n in names if held[n] > before[n]),
                               key=lambda n: rank[n]))
        rule.decide(names, left, winners)
    return held


def _largest_remainder(votes: dict[str, Fraction], seats: int, start: dict[str, int],
                       rule: _TieRule) -> dict[str, int]:
    minimum = max(start.values(), default=0)
    fixed: dict[str, int] = {}
    active = dict(votes)
    while True:  # districts whose quota is below the minimum get the minimum, the rest share
        house = seats - minimum * len(fixed)
        total = sum(active.values())
        quotas = {n: (v * house / total if total else Fraction(0)) for n, v in active.items()}
        below = [n for n, q in quotas.items() if q < minimum]
        if not below:
            break
        for n in below:
            fixed[n] = minimum
            del active[n]
    held = {n: math.floor(q) for n, q in quotas.items()}
    left = house - sum(held.values())
    order = sorted(active, key=lambda n: (-(quotas[n] - held[n]), rule.rank[n]))
    if 0 < left < len(order):
        cut = quotas[order[left - 1]] - held[order[left - 1]]
        tied = [n for n in order if quotas[n] - held[n] == cut]
        inside = sum(1 for n in order[:left] if n in tied)
        if len(tied) > inside:
            rule.decide(frozenset(tied), inside, tuple(n for n in order[:left] if n in tied))
    for n in order[:left]:
        held[n] += 1
    return {**fixed, **held}


def _tie_error(names: frozenset[str], seats: int) -> InputError:
    return InputError(f"tie: {', '.join(sorted(names))} have equal claims on {seats} "
                      f"seat{'s' if seats != 1 else ''}",
                      hint="choose a tie rule: most_votes, name or lot (with a seed)")


def station_count(voters: Any, capacity: int, turnout: Any = 1,
                  minimum: int = 0) -> tuple[int, int]:
    """(expected voters, stations) for `voters` electors: expected voters = voters x turnout
    rounded half up to a whole person; stations = ceil(expected / capacity), none when the
    expected voters are fewer than `minimum`. Exact (fractions)."""
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity <= 0:
        raise InputError(f"ballots per station must be a positive whole number, not "
                         f"{capacity!r}")
    share = exact(turnout, "turnout")
    if share > 1:
        raise InputError(f"turnout {turnout!r} is above 1", hint="give a share, e.g. 0.5")
    expected = math.floor(exact(voters, "voters") * share + Fraction(1, 2))
    if expected == 0 or expected < minimum:
        return expected, 0
    return expected, -(-expected // capacity)
