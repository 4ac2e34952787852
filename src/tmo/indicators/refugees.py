"""Refugees hosted by a country and refugees from it abroad (UNHCR, end of year)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tmo.indicators.figure import Figure
from tmo.store.evidence import Evidence


def _latest_year(ev: Evidence, year: int) -> int | None:
    found = ev.sql("SELECT max(year) AS y FROM refugees WHERE year <= ?", [year])["y"].iloc[0]
    return None if pd.isna(found) else int(found)


def refugees(ev: Evidence, iso3: str, year: int, limit: int = 5) -> dict[str, Any]:
    """Refugees and asylum seekers hosted and abroad in the latest UNHCR year <= `year`."""
    ref_year = _latest_year(ev, year)
    if ref_year is None:
        return {"figures": {}, "trend": []}
    out: dict[str, Figure] = {}
    for key, side, other in (("refugees_hosted", "asylum", "origin"),
                             ("refugees_abroad", "origin", "asylum")):
        frame, src = ev.rows("refugees", {"year": ref_year, side: iso3},
                             [other, "refugees", "asylum_seekers"], revision="UNHCR")
        top = (frame.groupby(other, as_index=False)[["refugees"]].sum()
               .sort_values("refugees", ascending=False).head(limit))
        if frame.empty:  # UNHCR lists no one: not reported, not a count of 0
            out[key] = Figure(key, None, "persons", ref_year, (src,), note="not reported",
                              detail={"asylum_seekers": None, "top": []})
            continue
        out[key] = Figure(
            key, int(frame["refugees"].fillna(0).sum()), "persons", ref_year, (src,),
            detail={"asylum_seekers": int(frame["asylum_seekers"].fillna(0).sum()),
                    "top": [{"area": r[other], "refugees": int(r["refugees"])}
                            for _, r in top.iterrows() if r["refugees"] > 0]},
        )
    trend = ev.sql(
        """SELECT year,
                  sum(refugees) FILTER (WHERE asylum = ?) AS hosted,
                  sum(refugees) FILTER (WHERE origin = ?) AS abroad
           FROM refugees WHERE (asylum = ? OR origin = ?) AND year >= 1990 AND year <= ?
           GROUP BY year ORDER BY year""", [iso3, iso3, iso3, iso3, year])
    return {"figures": out,
            "trend": [{"year": int(r["year"]),
                       "hosted": None if pd.isna(r["hosted"]) else int(r["hosted"]),
                       "abroad": None if pd.isna(r["abroad"]) else int(r["abroad"])}
                      for r in trend.to_dict("records")]}
