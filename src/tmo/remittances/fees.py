"""Money lost to fees: a corridor's volume times its cost, and what it would have cost at
5 % and at 3 %.

The cost of a corridor in a year is the mean of the quarters published that year (two
half-yearly surveys in 2011 and 2012, four quarters from 2013). Volumes come from another
source and another year: the cost used is that of the volume's year when the corridor was
priced then, otherwise the nearest priced year (the later one on a tie), and the rows say
which (`cost_year`, `years_differ`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from tmo.remittances.targets import CORRIDOR_CEILING, SDG_AVERAGE

FEE_COLUMNS = ("sender", "receiver", "volume_year", "usd", "cost_year", "cost_pct",
               "quarters", "fees", "saved_at_5", "saved_at_3", "years_differ")


def fees(volume: float, cost_pct: float) -> float:
    """What senders paid on `volume` at `cost_pct` percent of the amount sent."""
    return volume * cost_pct / 100


def saving(volume: float, cost_pct: float, target_pct: float) -> float:
    """What `volume` would have saved had the cost been `target_pct` (nothing when the cost
    is already at or below it)."""
    return volume * max(cost_pct - target_pct, 0.0) / 100


def cost_year(priced: Sequence[int], volume_year: int) -> int | None:
    """The year whose cost goes with a volume of `volume_year`: that year when priced,
    else the nearest priced year, the later one on a tie; None when none is priced."""
    if not priced:
        return None
    return min(priced, key=lambda y: (abs(y - volume_year), -y))


def annual_costs(costs: pd.DataFrame) -> pd.DataFrame:
    """Mean cost of each corridor and year over the quarters published that year:
    sender, receiver, year, cost_pct, quarters."""
    return (costs.groupby(["sender", "receiver", "year"], as_index=False)
            .agg(cost_pct=("cost_pct", "mean"), quarters=("cost_pct", "size")))


def corridor_fees(costs: pd.DataFrame, volumes: pd.DataFrame) -> pd.DataFrame:
    """Per corridor with both a cost and a volume (its latest volume year): the volume, the
    cost of `cost_year`, the fees, the savings at 5 % and at 3 %, and whether the two
    years differ. `costs`: sender, receiver, year, cost_pct; `volumes`: sender, receiver,
    year, usd."""
    annual = annual_costs(costs)
    latest = (volumes.sort_values("year").groupby(["sender", "receiver"], as_index=False)
              .last()[["sender", "receiver", "year", "usd"]]
              .rename(columns={"year": "volume_year"}))
    joined = annual.merge(latest, on=["sender", "receiver"], how="inner")
    if joined.empty:
        return pd.DataFrame(columns=list(FEE_COLUMNS))
    joined["distance"] = (joined["year"] - joined["volume_year"]).abs()
    joined = joined.sort_values(["sender", "receiver", "distance", "year"],
                                ascending=[True, True, True, False])
    best = joined.groupby(["sender", "receiver"], as_index=False).first()
    best = best.rename(columns={"year": "cost_year"})
    best["fees"] = best["usd"] * best["cost_pct"] / 100
    best["saved_at_5"] = best["usd"] * np.maximum(best["cost_pct"] - CORRIDOR_CEILING, 0) / 100
    best["saved_at_3"] = best["usd"] * np.maximum(best["cost_pct"] - SDG_AVERAGE, 0) / 100
    best["years_differ"] = best["cost_year"] != best["volume_year"]
    return best[list(FEE_COLUMNS)].reset_index(drop=True)


def totals(rows: pd.DataFrame) -> dict[str, float | int]:
    """Sums of the fee rows of a set of corridors: volume, fees, savings, corridors."""
    return {"corridors": len(rows), "usd": float(rows["usd"].sum()),
            "fees": float(rows["fees"].sum()), "saved_at_5": float(rows["saved_at_5"].sum()),
            "saved_at_3": float(rows["saved_at_3"].sum())}
