"""Corridor costs over time: a corridor's series, its trend, the quarters above 5 % and at
or below 3 %, and simple or volume-weighted averages of many corridors per quarter.

Every function takes plain frames (columns named below) and returns plain values; none
reads a file or the store.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tmo.remittances.targets import above_ceiling, meets_average, period_time

COST_COLUMNS = ("period", "sender", "receiver", "cost_pct")


def corridor_series(costs: pd.DataFrame, sender: str, receiver: str) -> pd.DataFrame:
    """The published quarters of one corridor, oldest first (the frame's own columns)."""
    rows = costs[(costs["sender"] == sender) & (costs["receiver"] == receiver)]
    return rows.sort_values("period", key=lambda p: p.map(period_time)).reset_index(drop=True)


def trend(periods: Sequence[str], values: Sequence[float]) -> dict[str, Any]:
    """The least-squares line through (quarter, cost): its slope in percentage points per
    year, and the first and last published values with the change between them. With
    fewer than two quarters the slope is None."""
    if len(periods) != len(values):
        raise ValueError("periods and values differ in length")
    if not periods:
        return {"quarters": 0, "slope_pp_per_year": None, "first": None, "last": None,
                "change_pp": None}
    order = sorted(range(len(periods)), key=lambda i: period_time(periods[i]))
    t = np.array([period_time(periods[i]) for i in order])
    y = np.array([float(values[i]) for i in order])
    slope = None
    if len(t) >= 2 and np.ptp(t) > 0:
        tc = t - t.mean()
        slope = float((tc * (y - y.mean())).sum() / (tc * tc).sum())
    return {"quarters": len(t), "slope_pp_per_year": slope,
            "first": {"period": periods[order[0]], "cost_pct": float(y[0])},
            "last": {"period": periods[order[-1]], "cost_pct": float(y[-1])},
            "change_pp": float(y[-1] - y[0])}


def quarters_above_ceiling(periods: Sequence[str], values: Sequence[float]) -> list[str]:
    """The quarters whose cost is above 5 % (SDG 10.c: no corridor above it)."""
    return [p for p, v in zip(periods, values, strict=True) if above_ceiling(v)]


def quarters_meeting_average(periods: Sequence[str], values: Sequence[float]) -> list[str]:
    """The quarters whose cost is at or below 3 % (SDG 10.c's average)."""
    return [p for p, v in zip(periods, values, strict=True) if meets_average(v)]


def weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float | None:
    """Sum of value x weight over the sum of weights; None when the weights add up to 0."""
    total = math.fsum(weights)
    if total <= 0:
        return None
    return math.fsum(v * w for v, w in zip(values, weights, strict=True)) / total


def averages(costs: pd.DataFrame, by: str | None = None,
             volumes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per quarter (and per `by`: 'sender' or 'receiver', or the whole frame when None):
    the number of priced corridors `n`, the simple mean `simple`, the lowest and highest
    cost, and, given `volumes` (sender, receiver, usd), the mean weighted by each
    corridor's volume `weighted` over the `n_weighted` corridors that have one.
    Columns: period, [by], n, simple, lowest, highest, n_weighted, weighted."""
    keys = ["period"] + ([by] if by else [])
    frame = costs[[*COST_COLUMNS]].copy()
    if volumes is not None:
        vol = volumes.groupby(["sender", "receiver"], as_index=False)["usd"].sum()
        frame = frame.merge(vol, on=["sender", "receiver"], how="left")
    else:
        frame["usd"] = np.nan
    frame["w"] = frame["usd"].where(frame["usd"] > 0)
    frame["cw"] = frame["cost_pct"] * frame["w"]
    grouped = frame.groupby(keys, sort=False)
    out = grouped.agg(n=("cost_pct", "size"), simple=("cost_pct", "mean"),
                      lowest=("cost_pct", "min"), highest=("cost_pct", "max"),
                      n_weighted=("w", "count"), wsum=("w", "sum"), cwsum=("cw", "sum"))
    out["weighted"] = (out["cwsum"] / out["wsum"]).where(out["wsum"] > 0)
    out = out.drop(columns=["wsum", "cwsum"]).reset_index()
    out["_t"] = out["period"].map(period_time)
    return out.sort_values(["_t", *keys[1:]]).drop(columns="_t").reset_index(drop=True)


def corridor_summaries(costs: pd.DataFrame) -> pd.DataFrame:
    """One row per corridor, computed for all at once: quarters published, the first and
    latest quarter and cost, and the least-squares slope in percentage points per year
    (as `trend`; None with fewer than two quarters). Columns: sender, receiver, quarters,
    first_period, first_cost, latest_period, latest_cost, slope_pp_per_year."""
    frame = costs[["sender", "receiver", "period", "cost_pct"]].copy()
    frame["t"] = frame["period"].map(period_time)
    frame = frame.sort_values(["sender", "receiver", "t"])
    g = frame.groupby(["sender", "receiver"], sort=True)
    out = g.agg(quarters=("cost_pct", "size"), first_period=("period", "first"),
                first_cost=("cost_pct", "first"), latest_period=("period", "last"),
                latest_cost=("cost_pct", "last"), t_mean=("t", "mean"),
                y_mean=("cost_pct", "mean"))
    frame = frame.join(out[["t_mean", "y_mean"]], on=["sender", "receiver"])
    frame["tc"] = frame["t"] - frame["t_mean"]
    frame["sty"] = frame["tc"] * (frame["cost_pct"] - frame["y_mean"])
    frame["stt"] = frame["tc"] * frame["tc"]
    sums = frame.groupby(["sender", "receiver"], sort=True)[["sty", "stt"]].sum()
    slope = (sums["sty"] / sums["stt"]).where(sums["stt"] > 0)
    out["slope_pp_per_year"] = slope.astype(object).where(slope.notna(), None)
    return out.drop(columns=["t_mean", "y_mean"]).reset_index()
