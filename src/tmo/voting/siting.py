"""Where a country of residence's stations go: demand points (cities), candidate sites
(missions, and cities where the rules allow stations outside missions), the p-median
choice and the stations at each site. Used by `tmo.voting.plan` for each country.

The number of sites p starts at the stations the country needs (and at least its missions
when every mission must have a station); a site outside a mission that would serve fewer
expected voters than the rules' minimum (or none at all) is not opened: p is lowered by the
number of such sites and the choice made again, until every open site meets the minimum (or only the
required sites are left). Each open site gets ceil(voters it serves / voters per station)
stations (at most the rules' stations per site, when they set one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from tmo.voting.pmedian import Solution, haversine_km, solve

SAME_SITE_KM = 1.0  # missions and cities closer than this are one site
RADII_KM = (50, 100, 300)
# Opening a site outside a mission costs as if each voter of the country walked 1 m more:
# nothing against a real distance, enough to prefer the mission when distances tie.
NON_MISSION_COST_KM = 0.001


@dataclass(frozen=True)
class Demand:
    """Expected voters at a place; `located` False when the place is an assumption (the
    country's capital, for voters known only by country)."""

    city: str
    lat: float
    lon: float
    voters: float
    located: bool


@dataclass(frozen=True)
class Site:
    city: str
    lat: float
    lon: float
    kinds: tuple[str, ...]  # mission kinds (embassy, consulate...), or ("city",)
    mission: bool


@dataclass(frozen=True)
class SitePlan:
    site: Site
    stations: int
    voters: float  # expected voters served

    @property
    def voters_per_station(self) -> float:
        return self.voters / self.stations if self.stations else 0.0

    def over_capacity(self, max_ballots: int) -> bool:
        return self.voters_per_station > max_ballots

    def as_dict(self, max_ballots: int) -> dict[str, Any]:
        return {"city": self.site.city, "lat": self.site.lat, "lon": self.site.lon,
                "kind": "/".join(self.site.kinds), "mission": self.site.mission,
                "stations": self.stations, "expected_voters": round(self.voters, 1),
                "voters_per_station": round(self.voters_per_station, 1),
                "over_capacity": self.over_capacity(max_ballots)}


@dataclass(frozen=True)
class Reach:
    """A demand point and its nearest open site (what a voter living there is told)."""

    demand: Demand
    site: int  # index in Siting.sites
    km: float

    def as_dict(self) -> dict[str, Any]:
        d = self.demand
        return {"city": d.city, "lat": d.lat, "lon": d.lon, "expected_voters": round(d.voters, 1),
                "located": d.located, "nearest_site": self.site, "km": round(self.km, 1)}


@dataclass(frozen=True)
class Siting:
    """The sites chosen in one country, their stations and how well they reach voters."""

    sites: tuple[SitePlan, ...]
    within: dict[int, float] | None  # radius km -> share of located voters, None if none
    located_voters: float
    solver: dict[str, Any]
    cities: tuple[Reach, ...] = ()  # every demand point with its nearest open site

    @property
    def stations(self) -> int:
        return sum(s.stations for s in self.sites)


@dataclass(frozen=True)
class Capacity:
    voters_per_station: int
    max_ballots: int
    min_voters: int
    max_stations_per_site: int | None


def merge_sites(sites: list[Site]) -> list[Site]:
    """Sites closer than SAME_SITE_KM become one (the first's name, every kind kept)."""
    out: list[Site] = []
    for site in sites:
        for i, kept in enumerate(out):
            if haversine_km(kept.lat, kept.lon, site.lat, site.lon) < SAME_SITE_KM:
                if kept.mission != site.mission:  # a city at a mission is the mission
                    kinds = kept.kinds if kept.mission else site.kinds
                else:
                    kinds = tuple(dict.fromkeys((*kept.kinds, *site.kinds)))
                out[i] = Site(kept.city, kept.lat, kept.lon, kinds, kept.mission or site.mission)
                break
        else:
            out.append(site)
    return out


def candidates(missions: list[Site], demand: list[Demand], outside: bool) -> list[Site]:
    """Mission sites, then (when allowed) the demand cities that are not at a mission."""
    sites = merge_sites(missions)
    if outside:
        cities = [Site(d.city, d.lat, d.lon, ("city",), False) for d in demand]
        sites = merge_sites(sites + cities)
    return sites


def place_stations(demand: list[Demand], sites: list[Site], needed: int,
                   required: bool, capacity: Capacity) -> Siting:
    """Choose the open sites and their stations (see the module's docstring)."""
    must_sites = [s for s in sites if s.mission] if required else []
    if not demand and must_sites:  # no figure, but the law opens a station at each mission
        return Siting(tuple(SitePlan(s, 1, 0.0) for s in must_sites), None, 0.0,
                      {"reason": "missions only: no expected voters"})
    if not sites or not demand:
        return Siting((), None, 0.0, {"reason": "no candidate site" if demand else "no demand"})
    lat_d = np.array([d.lat for d in demand])[:, None]
    lon_d = np.array([d.lon for d in demand])[:, None]
    distance = haversine_km(lat_d, lon_d, np.array([s.lat for s in sites])[None, :],
                            np.array([s.lon for s in sites])[None, :])
    weights = np.array([d.voters for d in demand], dtype=float)
    must = [j for j, s in enumerate(sites) if s.mission] if required else []
    p = min(len(sites), max(needed, len(must)))
    if p == 0:
        return Siting((), None, 0.0, {"reason": "no station needed"})
    caps = None  # a site holds at most max_stations_per_site full stations, if p can serve all
    if capacity.max_stations_per_site:
        per_site = float(capacity.max_stations_per_site * capacity.max_ballots)
        if p * per_site >= weights.sum():
            caps = np.full(len(sites), per_site)
    cost = np.array([0.0 if s.mission else NON_MISSION_COST_KM * weights.sum() for s in sites])
    solution, tries = _choose(distance, weights, p, must=must, caps=caps, cost=cost,
                              min_voters=capacity.min_voters)
    served = solution.served(weights)
    plans = tuple(_stations(sites[j], served[j], capacity) for j in solution.sites)
    opened = distance[:, list(solution.sites)]
    within, located = _coverage(opened, weights, demand)
    info = {"method": solution.method, "optimal": solution.optimal, "gap": solution.gap,
            "p": len(solution.sites), "tries": tries, "candidates": len(sites),
            "demand_points": len(demand), "capacitated": caps is not None}
    nearest = opened.argmin(axis=1)
    reach = tuple(Reach(d, int(k), float(opened[i, k]))
                  for i, (d, k) in enumerate(zip(demand, nearest, strict=True)))
    return Siting(plans, within, located, info, reach)


def _choose(distance: np.ndarray, weights: np.ndarray, p: int, *, must: list[int],
            caps: np.ndarray | None, cost: np.ndarray, min_voters: int
            ) -> tuple[Solution, int]:
    floor = max(len(must), 1)
    tries = 0
    while True:
        tries += 1
        solution = solve(distance, weights, p, required=must, capacities=caps, open_cost=cost)
        served = solution.served(weights)
        weak = [j for j in solution.sites
                if j not in must and (served[j] < min_voters or served[j] <= 0)]
        if not weak or p <= floor:
            return solution, tries
        p = max(floor, p - len(weak))


def _stations(site: Site, voters: float, capacity: Capacity) -> SitePlan:
    count = max(1, math.ceil(round(voters, 6) / capacity.voters_per_station))
    if capacity.max_stations_per_site:
        count = min(count, capacity.max_stations_per_site)
    return SitePlan(site, count, float(voters))


def _coverage(distance: np.ndarray, weights: np.ndarray, demand: list[Demand]
              ) -> tuple[dict[int, float] | None, float]:
    located = np.array([d.located for d in demand])
    total = float(weights[located].sum())
    if not located.any() or total <= 0:
        return None, total
    nearest = distance.min(axis=1)
    return ({r: float(weights[located & (nearest <= r)].sum() / total) for r in RADII_KM},
            total)
