"""The profile's indicators from annual sources (UNHCR refugees, World Bank WDI remittances
and GDP, UN WPP net migration) for every country on the IMS estimate years, for the
indicator explorer: year -> iso3 -> value, the queries returning the published rows each
value is computed from, and the published files.

Which source year an estimate year's value uses:
- refugees: the profile's rule, the latest UNHCR year not after it (`refugees.py`);
- remittances (and GDP): the profile's rule (the latest WDI year with an amount above 0,
  a published 0 being "not reported"), looked for among the `WINDOW` years up to the
  estimate year only (the interval between IMS estimates), so a 1990 map never shows a
  1970 figure; GDP of that same year;
- net migration: the latest WPP revision's period containing the year, per year of the
  period, over the IMS population of the year (both WPP's count of people on 1 July).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tmo.store.evidence import Evidence

WINDOW = 5  # years a remittance figure may be older than the estimate year it is shown for
WDI = "WDI"
WPP = "UN WPP"
IMS = "UN DESA IMS"

Values = dict[int, dict[str, float]]


def _population(ev: Evidence, revision: str) -> dict[tuple[str, int], float]:
    frame = ev.sql("SELECT country, year, population FROM population WHERE source = ? AND "
                   "revision = ? AND sex = 'total' AND country NOT LIKE '%:%' "
                   "AND population > 0", [IMS, revision])
    return {(c, int(y)): float(p) for c, y, p in frame.itertuples(index=False)}


def _refugees(side: str) -> Callable[[Evidence, str, list[int]], Values]:
    def compute(ev: Evidence, revision: str, years: list[int]) -> Values:
        pop = _population(ev, revision)
        frame = ev.sql(f"SELECT year, {side}, sum(coalesce(refugees, 0)) FROM refugees "
                       f"GROUP BY ALL", [])
        sums: dict[int, dict[str, float]] = {}
        for y, c, v in frame.itertuples(index=False):
            sums.setdefault(int(y), {})[str(c)] = float(v)
        out: Values = {}
        for year in years:
            ref = max((y for y in sums if y <= year), default=None)
            got = sums.get(ref, {}) if ref is not None else {}
            out[year] = {c: 1000 * v / pop[(c, year)] for c, v in got.items()
                         if (c, year) in pop}
        return out
    return compute


def _latest_positive(ev: Evidence, direction: str) -> dict[str, dict[int, float]]:
    frame = ev.sql("SELECT country, year, usd FROM remittances WHERE source = ? AND "
                   "direction = ? AND usd > 0 AND country NOT LIKE '%:%'", [WDI, direction])
    found: dict[str, dict[int, float]] = {}
    for c, y, v in frame.itertuples(index=False):
        found.setdefault(str(c), {})[int(y)] = float(v)
    return found


def _pick(by_year: dict[int, float], year: int) -> int | None:
    return max((y for y in by_year if year - WINDOW < y <= year), default=None)


def _remittances(direction: str, share: bool) -> Callable[[Evidence, str, list[int]], Values]:
    def compute(ev: Evidence, revision: str, years: list[int]) -> Values:
        usd = _latest_positive(ev, direction)
        gdp = _gdp(ev) if share else {}
        out: Values = {}
        for year in years:
            out[year] = {}
            for country, by_year in usd.items():
                used = _pick(by_year, year)
                if used is None:
                    continue
                if not share:
                    out[year][country] = by_year[used]
                elif gdp.get((country, used)):
                    out[year][country] = 100 * by_year[used] / gdp[(country, used)]
        return out
    return compute


def _gdp(ev: Evidence) -> dict[tuple[str, int], float]:
    frame = ev.sql("SELECT country, year, usd FROM gdp WHERE source = ? AND usd > 0", [WDI])
    return {(str(c), int(y)): float(v) for c, y, v in frame.itertuples(index=False)}


def _net_migration(ev: Evidence, revision: str, years: list[int]) -> Values:
    pop = _population(ev, revision)
    frame = ev.sql("SELECT country, year, period_years, net_migration FROM vital_events "
                   "WHERE source = ? AND revision = (SELECT max(revision) FROM vital_events "
                   "WHERE source = ?) AND net_migration IS NOT NULL AND year <= ? AND "
                   "year + period_years > ? AND (period_years > 1 OR year IN (SELECT "
                   "unnest(?::INTEGER[])))", [WPP, WPP, max(years), min(years), years])
    out: Values = {year: {} for year in years}
    for c, start, length, net in frame.itertuples(index=False):
        for year in range(int(start), int(start) + int(length)):
            if year in out and (c, year) in pop:
                out[year][str(c)] = 1000 * float(net) / int(length) / pop[(c, year)]
    return out


# indicator id (definitions.yaml) -> (the views it reads, its values on the IMS years)
ANNUAL: dict[str, tuple[tuple[str, ...], Callable[[Evidence, str, list[int]], Values]]] = {
    "refugees_hosted_per_1000": (("refugees", "population"), _refugees("asylum")),
    "refugees_abroad_per_1000": (("refugees", "population"), _refugees("origin")),
    "remittances_gdp_share": (("remittances", "gdp"), _remittances("received", True)),
    "remittances_paid_gdp_share": (("remittances", "gdp"), _remittances("paid", True)),
    "remittances_received": (("remittances",), _remittances("received", False)),
    "remittances_paid": (("remittances",), _remittances("paid", False)),
    "net_migration_rate": (("vital_events", "population"), _net_migration),
}


def _has(ev: Evidence, query: str, params: list[Any]) -> bool:
    return bool(ev.sql(query, params).iloc[0, 0])


def available(ev: Evidence) -> list[str]:
    """The indicators the store has data for: remittances as a share of GDP where the store
    has WDI GDP, else in US$; net migration where it has WPP's vital events."""
    out = []
    if _has(ev, "SELECT count(*) FROM refugees", []):
        out += ["refugees_hosted_per_1000", "refugees_abroad_per_1000"]
    if _has(ev, "SELECT count(*) FROM remittances WHERE source = ?", [WDI]):
        if _has(ev, "SELECT count(*) FROM gdp WHERE source = ?", [WDI]):
            out += ["remittances_gdp_share", "remittances_paid_gdp_share"]
        else:
            out += ["remittances_received", "remittances_paid"]
    if _has(ev, "SELECT count(*) FROM vital_events WHERE source = ? AND net_migration IS "
            "NOT NULL", [WPP]):
        out.append("net_migration_rate")
    return out


def every_year(ev: Evidence, indicator: str, revision: str, years: list[int]) -> Values:
    """year -> iso3 -> value of `indicator` (countries without a value left out)."""
    return ANNUAL[indicator][1](ev, revision, years)


def _population_query(revision: str, iso3: str, year: int) -> str:
    return (f"SELECT * FROM population WHERE revision = '{revision}' AND source = '{IMS}' "
            f"AND country = '{iso3}' AND year = {year} AND sex = 'total'")


def queries(indicator: str, revision: str, iso3: str, year: int) -> list[str]:
    """The queries returning the published rows one value is computed from (the source
    year chosen inside the query, by the rule of the module)."""
    if indicator.startswith("refugees"):
        side = "asylum" if "hosted" in indicator else "origin"
        return [(f"SELECT * FROM refugees WHERE {side} = '{iso3}' AND year = (SELECT "
                f"max(year) FROM refugees WHERE year <= {year})"),
                _population_query(revision, iso3, year)]
    if indicator.startswith("remittances"):
        direction = "paid" if "paid" in indicator else "received"
        used = (f"(SELECT max(year) FROM remittances WHERE source = '{WDI}' AND country = "
                f"'{iso3}' AND direction = '{direction}' AND usd > 0 AND year BETWEEN "
                f"{year - WINDOW + 1} AND {year})")
        out = [(f"SELECT * FROM remittances WHERE source = '{WDI}' AND country = '{iso3}' "
               f"AND direction = '{direction}' AND year = {used}")]
        if indicator.endswith("gdp_share"):
            out.append(f"SELECT * FROM gdp WHERE source = '{WDI}' AND country = '{iso3}' "
                       f"AND year = {used}")
        return out
    return [(f"SELECT * FROM vital_events WHERE source = '{WPP}' AND revision = (SELECT "
            f"max(revision) FROM vital_events WHERE source = '{WPP}') AND country = "
            f"'{iso3}' AND year <= {year} AND year + period_years > {year}"),
            _population_query(revision, iso3, year)]


def files(ev: Evidence, indicator: str, revision: str) -> list[str]:
    """The published files behind an indicator's values."""
    found: set[str] = set()
    for view in ANNUAL[indicator][0]:
        where, params = {"population": (" WHERE source = ? AND revision = ?", [IMS, revision]),
                         "remittances": (" WHERE source = ?", [WDI]),
                         "gdp": (" WHERE source = ?", [WDI]),
                         "vital_events": (" WHERE source = ?", [WPP])}.get(view, ("", []))
        frame = ev.sql(f"SELECT DISTINCT src_file FROM {view}{where}", params)
        found |= {str(f) for f in frame["src_file"].dropna()}
    return sorted(found)
