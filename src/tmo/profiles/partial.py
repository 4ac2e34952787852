"""Partial profiles (issue #13): a place the International Migrant Stock publishes no
figure for (Kosovo, XKX), but whose population WPP or the World Bank publishes.

The document is the country profile's (`tmo.profiles.document.Profile`, same schema and
renderers), with the sections built from the IMS (immigrants, emigrants, corridors, the
net position, the region, projections, what changed, agreements and practices that hang
on the IMS corridors) left empty, but for the two headline stocks, which have no value
and the query that finds no row as source (the data gaps list them), and one statement
of why in `ims_absent`:
- `revisions`: the IMS revisions of the store, each with the rows it publishes for the
  place (`rows`; the statement names those with none) and the query (`sources`: the
  `destination_stock` view, the filter, the revision's files, the number of rows);
- `note`: the IMS's own note on the place when the store holds it. The IMS workbooks'
  "Migrant notes" and "Population notes" sheets are not read into the store (2024:
  notes B23 and B24 speak of Kosovo), so it is None and the product claims nothing about
  where the place is counted; `within` (the area whose profile includes it) likewise
  stays None until a source in the store says so.
Agreements, practices and the policy framework hang on the IMS corridors: left empty.

The sections other sources fill are built as for a country: demographic context (WPP),
WPP net migration, refugees, asylum and internal displacement (UNHCR, IDMC: "no data"
where their files hold no row under the place's code), remittances with the WDI/KNOMAD
rule and caveats, their costs; then the caveats, data gaps, key messages and sources.
"""

from __future__ import annotations

from typing import Any

from tmo import __version__
from tmo.indicators.refugees import refugees
from tmo.indicators.remittances import remittances
from tmo.profiles.asylum import asylum
from tmo.profiles.country_flows import country_flows
from tmo.profiles.demography import demography
from tmo.profiles.document import SCHEMA
from tmo.store import facts
from tmo.store.evidence import Evidence, Source, describe
from tmo.vocabulary import WORLD


def holds(ev: Evidence, iso3: str) -> bool:
    """Whether the place has a partial profile: a code of the `countries` view (not an
    aggregate) whose population WPP or the World Bank publishes."""
    if ":" in iso3:
        return False
    rows, _ = ev.rows("population", {"country": iso3}, ["year"])
    return not rows.empty


def ims_absent(ev: Evidence, iso3: str) -> dict[str, Any]:
    """Why the IMS-based sections are empty: each stored IMS revision with the rows it
    publishes for the place (none for the profile's revision), the query and the files it
    searched."""
    out = []
    for revision in ev.fact(facts.revisions):
        files: set[str] = set()
        for year in ev.fact(facts.years, revision)[-1:]:
            world, _ = ev.rows("destination_stock", {"revision": revision, "year": year,
                                                     "destination": WORLD, "sex": "total"},
                               ["stock"])
            files |= set(world["src_file"].dropna())
        where = {"revision": revision, "destination": iso3}
        found, _ = ev.rows("destination_stock", where, ["stock"])
        source = Source("destination_stock", describe(where), revision,
                        tuple(sorted(files)), (), len(found))
        out.append({"revision": revision, "rows": len(found), "sources": [source]})
    return {"revisions": out, "note": None, "within": None}


def unpublished(ev: Evidence, key: str, view: str, where: dict[str, Any], *, year: int,
                revision: str) -> dict[str, Any]:
    """A headline IMS figure the revision does not publish for the place: no value, and
    the query that finds no row as its source (so the data gaps list it)."""
    _, source = ev.rows(view, {"revision": revision, "year": year, **where, "sex": "total"},
                        ["stock"])
    return {"indicator": key, "value": None, "unit": "persons", "year": year,
            "sources": [source], "note": "not published", "detail": {}}


def partial_body(ev: Evidence, iso3: str, year: int, revision: str, *,
                 costs: dict[str, Any]) -> dict[str, Any]:
    """The sections of the partial profile of `iso3` (see the module), before
    `tmo.profiles.context` makes them plain and derives the caveats, data gaps, key
    messages and sources; `costs` is its `remittance_costs` section. The caller checked
    that the IMS `revision` publishes nothing for it and that `holds` is true."""
    return {
        "schema": SCHEMA,
        "tmo_version": __version__,
        "country": facts.country_record(ev.con, iso3),
        "year": year,
        "revision": revision,
        "years": ev.fact(facts.years, revision),
        "ims_absent": ims_absent(ev, iso3),
        "immigration": {"figures": {"immigrant_stock": unpublished(
            ev, "immigrant_stock", "destination_stock", {"destination": iso3}, year=year,
            revision=revision)},
            "trend": [], "by_origin": []},
        "emigration": {"figures": {"emigrant_stock": unpublished(
            ev, "emigrant_stock", "migrant_stock", {"origin": iso3}, year=year,
            revision=revision)},
            "trend": [], "by_destination": []},
        "corridors": [],
        "corridor_trends": [],
        "net_position": {"indicator": "net_position", "value": None, "unit": "persons",
                         "year": year},
        "refugees": refugees(ev, iso3, year),
        "remittances": remittances(ev, iso3, year),
        "remittance_costs": costs,
        "projections": {},
        "what_changed": {},
        "demography": demography(ev, iso3),
        "country_flows": country_flows(ev, iso3, revision),
        "asylum": asylum(ev, iso3, year),
        "surveys": [],
        "registered_diaspora": {},
        "regional": [],
        "social_security": [],
        "practices": [],
    }
