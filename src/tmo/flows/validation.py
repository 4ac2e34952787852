"""Compare estimated flows with reported flows on the six measures of the literature.

Abel & Cohen (2019, 2022) correlate estimates with reported flows on: count, log
count, proportion (of all compared flows in the period), emigration rate (per
origin population), immigration rate (per destination population) and net count
(flow i->j minus j->i). Reported flows are annual: a period's reported flow is the
period length times the mean annual flow over the calendar years t0 .. t1-1 that
are reported (at least `min_years` of them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MEASURES = ("count", "log_count", "proportion", "emigration_rate", "immigration_rate",
            "net_count")


def reported_periods(reported: pd.DataFrame, periods: list[tuple[int, int]],
                     min_years: int = 3) -> pd.DataFrame:
    """Annual reported flows -> period totals (`period_start, period_end, origin, destination,
    reported`)."""
    parts = []
    for t0, t1 in periods:
        sel = reported[(reported["year"] >= t0) & (reported["year"] < t1)]
        g = sel.groupby(["origin", "destination"])["flow"].agg(["mean", "count"]).reset_index()
        g = g[g["count"] >= min(min_years, t1 - t0)]
        parts.append(pd.DataFrame({"period_start": t0, "period_end": t1, "origin": g["origin"],
                                   "destination": g["destination"],
                                   "reported": g["mean"] * (t1 - t0)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _corr(a: pd.Series, b: pd.Series) -> float | None:
    ok = np.isfinite(a.to_numpy(float)) & np.isfinite(b.to_numpy(float))
    if ok.sum() < 3:
        return None
    x, y = a.to_numpy(float)[ok], b.to_numpy(float)[ok]
    if x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def measures(estimated: pd.DataFrame, reported: pd.DataFrame,
             population: pd.DataFrame) -> dict[str, tuple[float | None, int]]:
    """Correlation and number of pairs for each measure.

    `estimated`: period_start, period_end, origin, destination, flow;
    `reported`: the output of `reported_periods`; `population`: year, country, population.
    """
    keys = ["period_start", "period_end", "origin", "destination"]
    both = reported.merge(estimated[[*keys, "flow"]], on=keys, how="left").fillna({"flow": 0.0})
    out: dict[str, tuple[float | None, int]] = {}
    out["count"] = (_corr(both["flow"], both["reported"]), len(both))
    out["log_count"] = (_corr(np.log1p(both["flow"]), np.log1p(both["reported"])), len(both))
    totals = both.groupby("period_start")[["flow", "reported"]].transform("sum")
    out["proportion"] = (_corr(both["flow"] / totals["flow"],
                               both["reported"] / totals["reported"]), len(both))
    pop = population.rename(columns={"year": "period_start"})
    for name, side in (("emigration_rate", "origin"), ("immigration_rate", "destination")):
        p = both.merge(pop.rename(columns={"country": side}), on=["period_start", side])
        out[name] = (_corr(p["flow"] / p["population"], p["reported"] / p["population"]),
                     len(p))
    rev = both.rename(columns={"origin": "destination", "destination": "origin",
                               "flow": "flow_back", "reported": "reported_back"})
    net = both.merge(rev, on=keys)
    net = net[net["origin"] < net["destination"]]
    out["net_count"] = (_corr(net["flow"] - net["flow_back"],
                              net["reported"] - net["reported_back"]), len(net))
    return out
