"""The one published row behind a figure of a given year (the fact cards cite it; the
profile's Source covers the whole series of a country)."""

from __future__ import annotations

from tmo.store.evidence import Evidence, Source


def stock_cell(ev: Evidence, area: str, year: int, revision: str) -> Source:
    """The IMS row of `area`'s migrant stock, both sexes, in `year`."""
    return ev.rows("destination_stock", {"revision": revision, "year": year,
                                         "destination": area, "sex": "total"}, ["stock"])[1]


def population_cell(ev: Evidence, area: str, year: int, revision: str) -> Source:
    """The IMS row of `area`'s population, both sexes, in `year`."""
    return ev.rows("population", {"source": "UN DESA IMS", "revision": revision,
                                  "year": year, "country": area, "sex": "total"},
                   ["population"])[1]


def corridor_cell(ev: Evidence, origin: str, destination: str, year: int,
                  revision: str) -> Source:
    """The IMS row of the migrants from `origin` in `destination`, both sexes, in `year`."""
    return ev.rows("migrant_stock", {"revision": revision, "year": year, "origin": origin,
                                     "destination": destination, "sex": "total"},
                   ["stock"])[1]
