"""Indicators for every country at once (the map and its tables), computed with the same
formulas (`tmo.indicators.formulas`) from the same views and filters as the profile's
figures (`tmo.indicators.stocks`), so a map value always equals the profile's figure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tmo.errors import NotFound
from tmo.indicators.formulas import change, percent
from tmo.store.evidence import Evidence
from tmo.vocabulary import UNKNOWN_ORIGIN, is_aggregate

Series = dict[tuple[str, int, str], float]  # (area, year, sex) -> value


@dataclass(frozen=True)
class Inputs:
    """The series an indicator is computed from, for every country of a revision."""

    immigrants: Series
    emigrants: Series
    population: Series
    year: int


def _series(ev: Evidence, query: str, params: list[Any]) -> Series:
    frame = ev.sql(query, params)
    return {(a, int(y), s): float(v) for a, y, s, v in frame.itertuples(index=False)}


def inputs(ev: Evidence, revision: str, year: int) -> Inputs:
    """Immigrants (published destination totals), emigrants (origin-destination sums) and
    the IMS population of every country of the revision, in all years and sexes."""
    imm = _series(ev, """SELECT destination, year, sex, stock FROM destination_stock
                         WHERE revision = ? AND destination NOT LIKE '%:%'""", [revision])
    emi = _series(ev, """SELECT origin, year, sex, sum(stock) FROM migrant_stock
                         WHERE revision = ? GROUP BY origin, year, sex""", [revision])
    pop = _series(ev, """SELECT country, year, sex, population FROM population
                         WHERE source = 'UN DESA IMS' AND revision = ?""", [revision])
    return Inputs(imm, emi, pop, year)


def _countries(series: Series, year: int) -> list[str]:
    return sorted({a for a, y, s in series if y == year and s == "total"
                   and not is_aggregate(a) and a != UNKNOWN_ORIGIN})


Formula = Callable[[Inputs, str], float | None]


def _stock(side: str) -> Formula:
    return lambda d, c: getattr(d, side).get((c, d.year, "total"))


def _share_of_population(side: str) -> Formula:
    return lambda d, c: percent(getattr(d, side).get((c, d.year, "total")),
                                d.population.get((c, d.year, "total")))


def _female_share(side: str) -> Formula:
    return lambda d, c: percent(getattr(d, side).get((c, d.year, "female")),
                                getattr(d, side).get((c, d.year, "total")))


def _since_1990(side: str) -> Formula:
    return lambda d, c: change(getattr(d, side).get((c, d.year, "total")),
                               getattr(d, side).get((c, 1990, "total")))


# indicator id (as in definitions.yaml) -> (series it maps, formula)
MAP_INDICATORS: dict[str, tuple[str, Formula]] = {
    "immigrant_stock": ("immigrants", _stock("immigrants")),
    "immigrant_share": ("immigrants", _share_of_population("immigrants")),
    "immigrant_female_share": ("immigrants", _female_share("immigrants")),
    "immigrant_change_since_1990": ("immigrants", _since_1990("immigrants")),
    "emigrant_stock": ("emigrants", _stock("emigrants")),
    "emigrant_rate": ("emigrants", _share_of_population("emigrants")),
    "emigrant_female_share": ("emigrants", _female_share("emigrants")),
    "emigrant_change_since_1990": ("emigrants", _since_1990("emigrants")),
}


def table(ev: Evidence, indicator: str, revision: str, year: int,
          data: Inputs | None = None) -> list[dict[str, Any]]:
    """One indicator for every country with a value: iso3, value, and the stock it is
    computed from; largest value first."""
    if indicator not in MAP_INDICATORS:
        raise NotFound(f"unknown map indicator {indicator!r}; choose one of "
                       f"{', '.join(MAP_INDICATORS)}")
    data = data or inputs(ev, revision, year)
    side, formula = MAP_INDICATORS[indicator]
    series = getattr(data, side)
    rows = []
    for code in _countries(series, year):
        value = formula(data, code)
        if value is not None:
            rows.append({"iso3": code, "value": value, "stock": series[(code, year, "total")]})
    rows.sort(key=lambda r: (-r["value"], r["iso3"]))
    for r in rows:
        r["stock"] = int(r["stock"])
    return rows
