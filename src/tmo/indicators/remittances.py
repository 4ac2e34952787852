"""Remittances received and paid, and the cost of sending money to a country."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tmo.indicators.figure import Figure
from tmo.store.evidence import Evidence

WDI = "WDI"


def _latest(ev: Evidence, view: str, where: dict[str, Any], value: str, *, year: int,
            indicator: str, unit: str) -> Figure:
    frame, src = ev.rows(view, where, ["year", value], revision=WDI)
    frame = frame[(frame["year"] <= year) & frame[value].notna()]
    if frame.empty:
        return Figure(indicator, None, unit, None, (src,), note="not reported")
    row = frame.sort_values("year").iloc[-1]
    _, src_one = ev.rows(view, {**where, "year": int(row["year"])}, [value], revision=WDI)
    return Figure(indicator, float(row[value]), unit, int(row["year"]), (src_one,))


def _gdp_share(ev: Evidence, iso3: str, received: Figure) -> Figure:
    """Remittances received as a percentage of GDP in the same year."""
    key = "remittances_gdp_share"
    if received.value is None:
        return Figure(key, None, "percent", None, received.sources, note="not reported")
    gdp, src = ev.rows("gdp", {"source": WDI, "country": iso3, "year": received.year}, ["usd"],
                       revision=WDI)
    if gdp.empty or not gdp["usd"].iloc[0]:
        return Figure(key, None, "percent", received.year, (*received.sources, src),
                      note="GDP not reported")
    return Figure(key, 100 * received.value / float(gdp["usd"].iloc[0]), "percent",
                  received.year, (*received.sources, src))


def remittances(ev: Evidence, iso3: str, year: int) -> dict[str, Any]:
    base = {"source": WDI, "country": iso3}
    figures = {
        "remittances_received": _latest(ev, "remittances", {**base, "direction": "received"},
                                        "usd", year=year, indicator="remittances_received",
                                        unit="current US$"),
        "remittances_paid": _latest(ev, "remittances", {**base, "direction": "paid"}, "usd",
                                    year=year, indicator="remittances_paid", unit="current US$"),
        "remittance_cost": _latest(ev, "remittance_cost_country", {**base, "direction": "to"},
                                   "cost_pct", year=9999, indicator="remittance_cost",
                                   unit="percent"),
    }
    received = figures["remittances_received"]
    figures["remittances_gdp_share"] = _gdp_share(ev, iso3, received)
    trend = ev.sql(
        """SELECT year, max(usd) FILTER (WHERE direction = 'received') AS received,
                  max(usd) FILTER (WHERE direction = 'paid') AS paid
           FROM remittances WHERE source = ? AND country = ? AND year BETWEEN 1990 AND ?
           GROUP BY year ORDER BY year""", [WDI, iso3, year])
    corridors = ev.sql(
        """SELECT sender, avg(cost_pct) AS cost_pct, max(period) AS last_period
           FROM remittance_costs WHERE receiver = ? AND year = (
               SELECT max(year) FROM remittance_costs WHERE receiver = ?)
           GROUP BY sender ORDER BY cost_pct""", [iso3, iso3])
    return {
        "figures": figures,
        "trend": [{"year": int(r["year"]),
                   "received": None if pd.isna(r["received"]) else float(r["received"]),
                   "paid": None if pd.isna(r["paid"]) else float(r["paid"])}
                  for r in trend.to_dict("records")],
        "corridor_costs": corridors.to_dict("records"),
    }
