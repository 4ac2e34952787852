"""The published figures a survey is set against: the immigrants' share of the population
that the perception questions are compared with, and the figures the synthetic demo survey
is generated from (population, emigrants, remittances received). Each comes from the
store through `tmo.indicators` with the rows it stands on (`tmo.store.evidence.Source`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tmo.indicators.figure import Figure
from tmo.indicators.remittances import remittances
from tmo.indicators.stocks import emigration, immigration, population
from tmo.store import facts
from tmo.store.evidence import Evidence, Source


@dataclass(frozen=True)
class Published:
    """A country's published figures for one IMS revision and year (None where the store
    has no figure)."""

    iso3: str
    year: int
    revision: str
    population: Figure
    immigrant_share: Figure
    emigrant_stock: Figure
    remittances_received: Figure
    # the emigrants' countries of residence (ISO3 -> persons, the emigrant stock's rows)
    destinations: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        def fig(f: Figure) -> dict[str, Any]:
            return {"value": f.value, "unit": f.unit, "year": f.year,
                    "sources": [{"view": s.view, "filter": s.filter, "revision": s.revision,
                                 "files": list(s.files), "rows": list(s.rows),
                                 "n_rows": s.n_rows} for s in f.sources]}
        return {"iso3": self.iso3, "year": self.year, "revision": self.revision,
                **{k: fig(getattr(self, k)) for k in ("population", "immigrant_share",
                                                      "emigrant_stock",
                                                      "remittances_received")},
                "destinations": dict(self.destinations)}


def published(ev: Evidence, iso3: str, year: int | None = None,
              revision: str | None = None) -> Published:
    """The country's published figures in IMS `revision` (default: the latest) for the
    latest estimate year up to `year` (a survey's fieldwork year; default: the latest)."""
    revision = ev.fact(facts.revision_or_latest, revision)
    if year is not None:
        known = ev.fact(facts.years, revision)
        year = max((y for y in known if y <= year), default=known[0] if known else year)
    year = ev.fact(facts.year_or_default, revision, year)
    iso3 = ev.fact(facts.require_country, iso3)
    imm = immigration(ev, iso3, year, revision)
    emi = emigration(ev, iso3, year, revision)
    pop, p_src = population(ev, iso3, revision)
    total = pop[(pop["year"] == year) & (pop["sex"] == "total")]["value"]
    rows = pop[(pop["year"] == year) & (pop["sex"] == "total")]
    row_src = Source(p_src.view, p_src.filter + f" AND year = {year} AND sex = 'total'",
                     p_src.revision, p_src.files, tuple(rows["src_row"].astype(str))
                     if "src_row" in rows else (), len(rows))
    pop_fig = Figure("population", float(total.iloc[0]) if len(total) else None, "persons",
                     year, (row_src,))
    rem = remittances(ev, iso3, year)["figures"]["remittances_received"]
    return Published(iso3, year, revision, pop_fig, imm["figures"]["immigrant_share"],
                     emi["figures"]["emigrant_stock"], rem,
                     {r["area"]: int(r["stock"]) for r in emi["by_destination"]})
