"""A plan against a past plan the user supplies (stations per city): stations per country
then and now, sites kept, new and closed (matched within MATCH_KM), and the past stations
that were over capacity (where the past plan gives their voters)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tmo.voting.inputs import PastStation
from tmo.voting.pmedian import haversine_km
from tmo.voting.siting import SitePlan

MATCH_KM = 25.0  # a planned site and a past site this close are the same place


def compare(planned: Mapping[str, Sequence[SitePlan]], past: list[PastStation],
            max_ballots: int) -> dict[str, Any]:
    """Per country (ISO3 -> the plan's sites there): past and planned stations; per site:
    kept, new or closed."""
    by_country: dict[str, list[PastStation]] = {}
    for station in past:
        by_country.setdefault(station.place.country, []).append(station)
    rows: list[dict[str, Any]] = []
    for iso3 in sorted(set(by_country) | {k for k, sites in planned.items() if sites}):
        old = by_country.get(iso3, [])
        sites = planned.get(iso3, ())
        rows.append({"iso3": iso3, "past_stations": sum(r.stations for r in old),
                     "planned_stations": sum(s.stations for s in sites),
                     "sites": _sites(sites, old)})
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


def _sites(planned: Sequence[SitePlan], old: list[PastStation]) -> list[dict[str, Any]]:
    out = []
    unmatched = list(old)
    for site in planned:
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
