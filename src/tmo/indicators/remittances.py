"""Remittances received and paid, and the cost of sending money to a country.

Which source a headline uses (docs/remittances.md, "The headline rule"): the World Bank's
WDI series (personal remittances, BX/BM.TRF.PWKR.CD.DT), its latest year up to the
profile's with a figure above zero. A WDI figure of exactly 0 is read as not reported,
never as "no remittances" (Barbados 2018-2020: 0 between 85 million in 2017 and KNOMAD's
85 million for the same years). The other World Bank publication, KNOMAD's (June 2023),
is put beside the headline (`detail["other"]`) when the two differ for that year by more
than `tmo.checks.rules.REMITTANCE_TOLERANCE` of the larger figure (the same test as the
`remittance_sources` finding of `tmo check`), or, when KNOMAD has no figure for the
headline's year, when it has a later one.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tmo.checks.rules import REMITTANCE_MIN_GAP_USD, REMITTANCE_TOLERANCE
from tmo.indicators.figure import Figure
from tmo.store.evidence import Evidence

WDI = "WDI"
KNOMAD = "KNOMAD"


def disagree(a: float, b: float) -> bool:
    """Whether two figures of one thing differ as `tmo check` reports it."""
    gap = abs(a - b)
    return gap > REMITTANCE_TOLERANCE * max(a, b) and gap >= REMITTANCE_MIN_GAP_USD


def _latest(ev: Evidence, view: str, where: dict[str, Any], value: str, *, year: int,
            indicator: str, unit: str, positive: bool = False) -> Figure:
    frame, src = ev.rows(view, where, ["year", value], revision=WDI)
    frame = frame[(frame["year"] <= year) & frame[value].notna()]
    zeros = sorted(int(y) for y in frame.loc[frame[value] == 0, "year"]) if positive else []
    if positive:
        frame = frame[frame[value] > 0]
    if frame.empty:
        return Figure(indicator, None, unit, None, (src,), note="not reported",
                      detail={"zero_years": zeros} if zeros else {})
    row = frame.sort_values("year").iloc[-1]
    _, src_one = ev.rows(view, {**where, "year": int(row["year"])}, [value], revision=WDI)
    detail = {"source": WDI, "zero_years": zeros} if positive else {}
    return Figure(indicator, float(row[value]), unit, int(row["year"]), (src_one,),
                  detail=detail)


def _beside(ev: Evidence, iso3: str, direction: str, headline: Figure,
            year: int) -> Figure:
    """`headline` with KNOMAD's figure beside it when they disagree (see the module)."""
    frame, _ = ev.rows("remittances", {"source": KNOMAD, "country": iso3,
                                       "direction": direction}, ["year", "usd"],
                       revision=KNOMAD)
    frame = frame[(frame["year"] <= year) & (frame["usd"] > 0)]
    if frame.empty:
        return headline
    same = frame[frame["year"] == headline.year] if headline.year is not None else frame[:0]
    if not same.empty and headline.value is not None:
        other_value = float(same["usd"].iloc[0])
        if not disagree(float(headline.value), other_value):
            return headline
        other_year = int(headline.year or 0)
    elif headline.year is None or int(frame["year"].max()) > headline.year:
        last = frame.sort_values("year").iloc[-1]
        other_value, other_year = float(last["usd"]), int(last["year"])
    else:
        return headline
    _, src = ev.rows("remittances", {"source": KNOMAD, "country": iso3,
                                     "direction": direction, "year": other_year},
                     ["usd"], revision=KNOMAD)
    other = {"source": KNOMAD, "value": other_value, "year": other_year, "sources": [src],
             "tolerance": REMITTANCE_TOLERANCE}
    return Figure(headline.indicator, headline.value, headline.unit, headline.year,
                  headline.sources, headline.note, {**headline.detail, "other": other})


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
        key: _beside(ev, iso3, direction,
                     _latest(ev, "remittances", {**base, "direction": direction}, "usd",
                             year=year, indicator=key, unit="current US$", positive=True),
                     year)
        for key, direction in (("remittances_received", "received"),
                               ("remittances_paid", "paid"))
    }
    figures["remittance_cost"] = _latest(ev, "remittance_cost_country",
                                         {**base, "direction": "to"}, "cost_pct", year=9999,
                                         indicator="remittance_cost", unit="percent")
    received = figures["remittances_received"]
    figures["remittances_gdp_share"] = _gdp_share(ev, iso3, received)
    trend = ev.sql(
        """SELECT year,
                  max(usd) FILTER (WHERE direction = 'received' AND source = ?) AS received,
                  max(usd) FILTER (WHERE direction = 'paid' AND source = ?) AS paid,
                  max(usd) FILTER (WHERE direction = 'received' AND source = ?)
                      AS received_knomad
           FROM remittances WHERE source IN (?, ?) AND country = ?
             AND year BETWEEN 1990 AND ?
           GROUP BY year ORDER BY year""", [WDI, WDI, KNOMAD, WDI, KNOMAD, iso3, year])
    corridors = ev.sql(
        """SELECT sender, avg(cost_pct) AS cost_pct, max(period) AS last_period
           FROM remittance_costs WHERE receiver = ? AND year = (
               SELECT max(year) FROM remittance_costs WHERE receiver = ?)
           GROUP BY sender ORDER BY cost_pct""", [iso3, iso3])

    def usd(value: Any) -> float | None:  # a zero is not reported (see the module)
        return None if pd.isna(value) or value == 0 else float(value)

    return {
        "figures": figures,
        # KNOMAD's received beside WDI's, for the chart of a country whose two sources
        # disagree (`detail["other"]`)
        "trend": [{"year": int(r["year"]), "received": usd(r["received"]),
                   "paid": usd(r["paid"]), "received_knomad": usd(r["received_knomad"])}
                  for r in trend.to_dict("records")],
        "corridor_costs": corridors.to_dict("records"),
    }
