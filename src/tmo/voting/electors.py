"""Electors abroad: for a country of origin, the adult citizens living in each country of
residence, estimated from UN DESA emigrant stocks, and the figures a user gives per city
(pre-registrations, votes at the last election). Every figure says where it comes from.

    estimated electors = emigrants (UN DESA IMS, origin -> destination, both sexes)
                         x adult share x citizenship share

The adult share and the citizenship share are assumptions (the rules file cites them and
`--adult-share`/`--citizenship-share` override them): the store has no age or citizenship
breakdown of a diaspora. UN DESA counts the foreign-born (or, where a country publishes
no birthplace, foreign citizens), so a country of residence that publishes no breakdown
of Moldova-born (Germany, the United States, the United Kingdom for Moldova in IMS 2024)
has no estimate at all: its electors are unknown, never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from tmo.store import facts
from tmo.voting.inputs import CityFigures
from tmo.voting.ruleset import Cited

UN_DESA = "UN DESA International Migrant Stock"


@dataclass(frozen=True)
class StockSource:
    """The store rows behind an emigrant stock."""

    revision: str
    year: int
    src_file: str
    src_row: str

    def label(self) -> str:
        return (f"{UN_DESA} {self.revision}, {self.year} (migrant_stock: {self.src_file} "
                f"rows {self.src_row})")


@dataclass(frozen=True)
class CountryElectors:
    """One country of residence: the UN DESA estimate and the user's figures."""

    iso3: str
    name: str
    emigrants: int | None  # UN DESA stock, None when not published
    electors: float | None  # emigrants x adult share x citizenship share
    stock_source: StockSource | None
    registrations: int | None  # the user's file, summed over its cities
    votes: int | None
    cities: tuple[CityFigures, ...] = ()

    def sources(self) -> dict[str, str]:
        """Where each figure of the row comes from."""
        out = {}
        if self.stock_source is not None:
            out["emigrants"] = self.stock_source.label()
            out["electors"] = "emigrants x adult share x citizenship share (assumptions)"
        for name in ("registrations", "votes"):
            rows = [c.place.row for c in self.cities if getattr(c, name) is not None]
            if rows:
                out[name] = f"registrations file, lines {', '.join(map(str, rows))}"
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"iso3": self.iso3, "name": self.name, "emigrants": self.emigrants,
                "electors": self.electors, "registrations": self.registrations,
                "votes": self.votes, "sources": self.sources()}


@dataclass(frozen=True)
class ElectorsAbroad:
    """Every country of residence of one origin's diaspora."""

    origin: str
    origin_name: str
    revision: str
    year: int
    adult_share: Cited
    citizenship_share: Cited
    countries: dict[str, CountryElectors] = field(default_factory=dict)

    @property
    def total_emigrants(self) -> int:
        return sum(c.emigrants or 0 for c in self.countries.values())

    @property
    def total_electors(self) -> float:
        return sum(c.electors or 0.0 for c in self.countries.values())

    def as_dict(self) -> dict[str, Any]:
        return {"origin": self.origin, "origin_name": self.origin_name,
                "revision": self.revision, "year": self.year,
                "adult_share": self.adult_share.as_dict(),
                "citizenship_share": self.citizenship_share.as_dict(),
                "total_emigrants": self.total_emigrants,
                "total_electors": self.total_electors,
                "countries": [c.as_dict() for c in self.countries.values()]}


def electors_abroad(con: duckdb.DuckDBPyConnection, origin: str, *, adult_share: Cited,
                    citizenship_share: Cited, revision: str | None = None,
                    year: int | None = None, cities: list[CityFigures] | None = None
                    ) -> ElectorsAbroad:
    """The diaspora of `origin` (ISO3) by country of residence: UN DESA emigrants of the
    revision and year (default: the latest) with the two shares applied, and the user's
    city figures summed per country. Countries only in the user's file are kept."""
    iso3 = facts.require_country(con, origin)
    rev = facts.revision_or_latest(con, revision)
    yr = facts.year_or_default(con, rev, year)
    names = facts.area_names(con)
    factor = float(adult_share.value) * float(citizenship_share.value)
    by_country: dict[str, list[CityFigures]] = {}
    for city in cities or []:
        by_country.setdefault(city.place.country, []).append(city)
    out: dict[str, CountryElectors] = {}
    for row in facts.emigrant_stock_rows(con, iso3, rev, yr):
        dest = row["destination"]
        if dest == iso3:
            continue
        stock = int(row["stock"])
        source = StockSource(rev, yr, str(row["src_file"]), str(row["src_row"]))
        out[dest] = _country(dest, names, stock=stock, electors=stock * factor, source=source,
                             cities=by_country.pop(dest, []))
    for dest, rows in by_country.items():  # known only from the user's file
        out[dest] = _country(dest, names, stock=None, electors=None, source=None, cities=rows)
    return ElectorsAbroad(iso3, names.get(iso3, iso3), rev, yr, adult_share, citizenship_share,
                          out)


def _country(iso3: str, names: dict[str, str], *, stock: int | None, electors: float | None,
             source: StockSource | None, cities: list[CityFigures]) -> CountryElectors:
    registrations = [c.registrations for c in cities if c.registrations is not None]
    votes = [c.votes for c in cities if c.votes is not None]
    return CountryElectors(iso3, names.get(iso3, iso3), stock, electors, source,
                           sum(registrations) if registrations else None,
                           sum(votes) if votes else None, tuple(cities))


def unknown(iso3: str, name: str) -> CountryElectors:
    """A country of residence with no figure at all (a mission's country, say)."""
    return CountryElectors(iso3, name, None, None, None, None, None)
