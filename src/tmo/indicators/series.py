"""A map indicator (`tmo.indicators.maps`, or one from annual sources:
`tmo.indicators.annual`) for every country in every estimate year of a
revision, for the indicator explorer: the same formulas over the same inputs as the
map and the profiles (so each value equals the profile's figure), read once per revision,
and where each value comes from (the views' rows as a query one can paste into
`tmo sql`, and the published files)."""

from __future__ import annotations

from dataclasses import replace

from tmo.indicators import annual
from tmo.indicators.maps import MAP_INDICATORS, Inputs, inputs, table
from tmo.store.evidence import Evidence

# the views and filters behind each input series of tmo.indicators.maps.inputs
_ROWS = {
    "immigrants": ("destination_stock", "destination"),
    "emigrants": ("migrant_stock", "origin"),
    "population": ("population", "country"),
}


def every_year(ev: Evidence, indicator: str, revision: str, years: list[int],
               data: Inputs | None = None) -> dict[int, dict[str, float]]:
    """year -> iso3 -> value of `indicator` (countries without a value left out)."""
    if indicator in annual.ANNUAL:
        return annual.every_year(ev, indicator, revision, years)
    data = data or inputs(ev, revision, years[-1])
    return {year: {r["iso3"]: r["value"]
                   for r in table(ev, indicator, revision, year, replace(data, year=year))}
            for year in years}


def sides(indicator: str) -> list[str]:
    """The input series an indicator is computed from (a share also needs population)."""
    side = MAP_INDICATORS[indicator][0]
    return [side, "population"] if indicator.endswith(("_share", "_rate")) \
        and "female" not in indicator else [side]


def queries(indicator: str, revision: str, iso3: str, year: int) -> list[str]:
    """The queries returning the published rows one value is computed from (for a change
    since 1990, also the 1990 rows; for a female share, both sexes)."""
    if indicator in annual.ANNUAL:
        return annual.queries(indicator, revision, iso3, year)
    out = []
    for side in sides(indicator):
        view, column = _ROWS[side]
        extra = " AND source = 'UN DESA IMS'" if view == "population" else ""
        years = f"year IN (1990, {year})" if "since_1990" in indicator else f"year = {year}"
        sexes = "sex IN ('female', 'total')" if "female" in indicator else "sex = 'total'"
        out.append(f"SELECT * FROM {view} WHERE revision = '{revision}'{extra} AND "
                   f"{column} = '{iso3}' AND {years} AND {sexes}")
    return out


def files(ev: Evidence, indicator: str, revision: str) -> list[str]:
    """The published files behind an indicator's values in a revision."""
    if indicator in annual.ANNUAL:
        return annual.files(ev, indicator, revision)
    found: set[str] = set()
    for side in sides(indicator):
        view, _ = _ROWS[side]
        extra = " AND source = 'UN DESA IMS'" if view == "population" else ""
        frame = ev.sql(f"SELECT DISTINCT src_file FROM {view} WHERE revision = ?{extra}",
                       [revision])
        found |= {str(f) for f in frame["src_file"].dropna()}
    return sorted(found)
