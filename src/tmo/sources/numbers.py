"""The number policy: what a figure read from an official file may be, decided once.

Every adapter turns the cells of a numeric column into numbers through `parse` (or
`check`, which also applies the measure's bounds), so that one policy holds for every
source (docs/reliability.md, "The number policy"; tmo.errors lists it per condition):

condition                                   decision
------------------------------------------  -------------------------------------------
the publisher's documented missing marker   no figure (NaN): '..' in UN DESA and World
  (per source: `MISSING` of the adapter)      Bank DataBank files, an empty cell elsewhere
no figure where one is summed (`required`)  refused: "<cell>: the cell is empty (no figure),
                                              but a figure is required here"
any other text (`n/a`, `NA`, `12,5`, `x`)   refused: "<cell>: 'n/a' is not a number"
a non-finite value (inf, -inf, nan as text, refused: "<cell>: 'inf' is not a finite
  1e400)                                      number"
outside the plausible range of the measure  refused: "<cell>: 1e+30 is outside the
  (`Measure`: a stock above the world         plausible range of a migrant stock (0 to
  population, a share above 100 %, ...)       10,000,000,000 persons, ...)"
negative where the measure cannot be        refused, except where a source's documented
  negative                                    policy keeps it as a finding (negative
                                              costs of sending money, RPW and WDI)

A refusal is a `SchemaError` (unusable input, the build stops and the previous store
stays) whose one line names the file, sheet, cell (row and column as a user sees them)
and value; the adapter says where a cell is through `at(label)`. Values within bounds
never overflow a 64-bit integer (the largest bound is 1e15).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from tmo.errors import SchemaError

WORLD_POPULATION = 10_000_000_000  # persons: above the 8.2 billion of 2024, below 2100's
PROJECTED_WORLD = 2 * WORLD_POPULATION  # WPP 2024's 95% upper bound for 2100: 14.4 billion
MONEY = 1e15  # US$: ten times the world's GDP (about 1.05e14 in 2023)
EMPTY: frozenset[str] = frozenset({""})
DOTS: frozenset[str] = frozenset({"", ".."})  # UN DESA, World Bank DataBank: '..' = no data


@dataclass(frozen=True)
class Measure:
    """What a column holds and the range of values it can plausibly take (inclusive)."""

    name: str  # "a migrant stock"
    low: float
    high: float
    unit: str  # "persons"
    why: str = ""  # where the bound comes from ("the world population")

    def range(self) -> str:
        why = f", {self.why}" if self.why else ""
        return f"{_number(self.low)} to {_number(self.high)} {self.unit}".strip() + why

    def __str__(self) -> str:
        return f"{self.name} ({self.range()})"

    def per(self, factor: float, unit: str) -> Measure:
        """The same measure as published in units of `factor` (1000: thousands)."""
        return Measure(self.name, self.low / factor, self.high / factor, unit, self.why)


STOCK = Measure("a migrant stock", 0, WORLD_POPULATION, "persons",
                "at most the world population")
POPULATION = Measure("a population", 0, WORLD_POPULATION, "persons",
                     "at most the world population")
PROJECTION = Measure("a projected population", 0, PROJECTED_WORLD, "persons",
                     "at most twice today's world population")
PERSONS = Measure("a count of persons", 0, WORLD_POPULATION, "persons",
                  "at most the world population")
EVENTS = Measure("a number of births or deaths", 0, WORLD_POPULATION, "persons",
                 "at most the world population")
NET_MIGRATION = Measure("a net migration", -WORLD_POPULATION, WORLD_POPULATION, "persons",
                        "at most the world population either way")
USD = Measure("an amount of money", 0, MONEY, "US$", "ten times the world's GDP")
COST = Measure("a cost of sending money", -100, 100, "% of the amount sent")
SHARE = Measure("a share", 0, 101, "%", "100 plus one point for the publisher's rounding")
RATE = Measure("a rate of change", -1000, 1000, "% a year")
YEAR = Measure("a year", 1900, 2200, "")
LATITUDE = Measure("a latitude", -90, 90, "degrees")
LONGITUDE = Measure("a longitude", -180, 180, "degrees")
M49 = Measure("an M49 location code", 1, 99_999, "")
THOUSANDS = "thousand persons"


@dataclass(frozen=True)
class Refusal:
    """The first cell of a column that the policy refuses: its index label and why."""

    label: Any  # an index label of the column
    problem: str  # "'n/a' is not a number"
    count: int = 1  # cells refused for the same reason


def _number(value: float) -> str:
    """1e10 -> '10,000,000,000'; 0.5 -> '0.5'."""
    return f"{int(value):,}" if float(value).is_integer() and abs(value) < 1e16 else f"{value:g}"


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    if isinstance(value, int | np.integer):
        return str(int(value)) if abs(int(value)) < 10**15 else f"{float(value):g}"
    return repr(value)


def parse(raw: pd.Series, *, missing: Collection[str] = EMPTY, required: bool = False,
          ) -> tuple[pd.Series, Refusal | None]:
    """Cells -> float64 (NaN for a missing marker or an empty cell), and the first cell
    refused: text other than the markers in `missing`, a non-finite value, or (when
    `required`) no value at all."""
    if raw.dtype.kind in "iufb":
        num = raw.astype("float64")
        absent = num.isna()
    else:
        text = raw.astype("string").str.strip()
        absent = pd.Series(raw.isna().to_numpy() | text.isin(list(missing)).fillna(True)
                           .to_numpy(), index=raw.index)
        num = pd.to_numeric(raw.where(~absent), errors="coerce").astype("float64")
        words = num.isna() & ~absent
        zero_one = num.isin([0.0, 1.0])  # True and False parse as 1 and 0: not numbers
        if zero_one.any():
            words |= raw[zero_one].map(lambda v: isinstance(v, bool)).reindex(
                raw.index, fill_value=False).astype(bool)
        if words.any():
            first = _first(words)
            return num, Refusal(first, f"{_shown(raw[first])} is not a number",
                                int(words.sum()))
    if required and absent.any():
        first = _first(absent)
        return num, Refusal(first, "the cell is empty (no figure), but a figure is required "
                            "here", int(absent.sum()))
    infinite = pd.Series(np.isinf(num.to_numpy()), index=num.index)
    if infinite.any():
        first = _first(infinite)
        return num, Refusal(first, f"{_shown(raw[first])} is not a finite number",
                            int(infinite.sum()))
    return num, None


def bound(values: pd.Series, measure: Measure, *, scale: float = 1.0,
          raw: pd.Series | None = None) -> Refusal | None:
    """The first value (times `scale`, e.g. 1000 for thousands) outside the plausible
    range of `measure`, shown as published (`raw`, default `values`); NaN passes."""
    scaled = values * scale
    out = (scaled < measure.low) | (scaled > measure.high)
    if not out.any():
        return None
    first = _first(out)
    value = (values if raw is None else raw)[first]
    if scaled[first] < 0 <= measure.low:
        problem = f"{_shown(value)} is negative: {measure.name} cannot be below 0"
    else:
        shown = _shown(value) + (f" (x {scale:,g} = {_number(scaled[first])})" if scale != 1
                                 else "")
        problem = f"{shown} is outside the plausible range of {measure}"
    return Refusal(first, problem, int(out.sum()))


def check(raw: pd.Series, measure: Measure | None, at: Callable[[Any], str], *,
          missing: Collection[str] = EMPTY, required: bool = False, scale: float = 1.0,
          ) -> pd.Series:
    """`parse` then `bound`: the cells as float64, or a SchemaError
    "<at(label)>: <problem>" naming the first refused cell (and how many more)."""
    num, refused = parse(raw, missing=missing, required=required)
    if refused is None and measure is not None:
        refused = bound(num, measure, scale=scale, raw=raw)
    if refused is not None:
        raise refuse(refused, at)
    return num


def refuse(refused: Refusal, at: Callable[[Any], str]) -> SchemaError:
    """The SchemaError of a refused cell: one line, the cell first."""
    more = f" ({refused.count - 1:,} more such cells)" if refused.count > 1 else ""
    return SchemaError(f"{at(refused.label)}: {refused.problem}{more}",
                       hint="correct the file or download it again; see docs/reliability.md, "
                       "\"The number policy\"")


def _first(mask: pd.Series) -> Any:
    return mask.index.to_numpy()[int(mask.to_numpy().argmax())]
