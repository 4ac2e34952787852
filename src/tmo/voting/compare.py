"""A plan against a past plan the user supplies (stations per city): stations per country
then and now, sites kept, new and closed (matched within MATCH_KM), and the past stations
that were over capacity (where the past plan gives their voters)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tmo.voting.inputs import PastStation
from tmo.voting.pmedian import haversine_km

if TYPE_CHECKING:
    from tmo.voting.plan import CountryPlan

MATCH_KM = 25.0  # a planned site and a past site this close are the same place


def compare(countries: Sequence[CountryPlan], past: list[PastStation], max_ballots: int
            ) -> dict[str, Any]:
    """Per country: past and planned stations; per site: kept, new or closed."""
    by_country: dict[str, list[PastStation]] = {}
    for station in past:
        by_country.setdefault(station.place.country, []).append(station)
    planned = {c.electors.iso3: c for c in countries}
    rows: list[dict[str, Any]] = []
    for iso3 in sorted(set(by_country) | {k for k, c in planned.items() if c.stations}):
        old = by_country.get(iso3, [])
        plan = planned.get(iso3)
        rows.append({"iso3": iso3, "past_stations": sum(r.stations for r in old),
                     "planned_stations": plan.stations if plan else 0,
                     "sites": _sites(plan, old)})
    for row in rows:
        row["change"] = row["planned_stations"] - row["past_stations"]
    over = [{"iso3": r.place.country, "city": r.place.city, "stations": r.stations,
             "voters": r.voters, "voters_per_station": round(r.voters / r.stations, 1)}
            for r in past if r.voters is not None and r.stations
            and r.voters / r.stations > max_ballots]
    return {"countries": rows,
            "past_stations": sum(r["past_stations"] for r in rows),
            "planned_stations": sum(r["planned_stations"] for r in rows),
            "past_over_capacity": over, "match_km": MATCH_KM}


def _sites(plan: CountryPlan | None, old: list[PastStation]) -> list[dict[str, Any]]:
    out = []
    unmatched = list(old)
    for site in plan.siting.sites if plan else ():
        match = next((r for r in unmatched if haversine_km(
            r.place.lat, r.place.lon, site.site.lat, site.site.lon) <= MATCH_KM), None)
        if match is not None:
            unmatched.remove(match)
        out.append({"city": site.site.city, "planned": site.stations,
                    "past": match.stations if match else 0,
                    "status": "kept" if match else "new"})
    out += [{"city": r.place.city, "planned": 0, "past": r.stations, "status": "closed"}
            for r in unmatched]
    return out
