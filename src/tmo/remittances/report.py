"""The remittance figures with their source rows: a corridor, a country, the world and one
quarter's SDG 10.c count. Each figure names the view, the filter that reproduces its rows
(`tmo sql`), the published files and their rows; where the volume and the cost refer to
different years, the figure says so (`note`).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from tmo.errors import NotFound
from tmo.remittances import costs as kc
from tmo.remittances import fees as kf
from tmo.remittances.data import KNOMAD, RemittanceData
from tmo.remittances.targets import (
    CORRIDOR_CEILING,
    SDG_AVERAGE,
    above_ceiling,
    light,
    meets_average,
    period_time,
)
from tmo.store.evidence import describe

RPW = "RPW"
COST_VIEW = "remittance_costs"
VOLUME_VIEW = "remittance_corridors"
TOTAL_VIEW = "remittances"
PRICED = ("(sender, receiver) IN (SELECT sender, receiver FROM remittance_costs "
          "WHERE source = 'RPW')")  # the volumes of the priced corridors


def source(view: str, where: dict[str, Any] | str, revision: str, rows: pd.DataFrame
           ) -> dict[str, Any]:
    """Where a figure comes from (the shape of a profile's sources): view, filter, revision,
    files, every source row once (a corridor's quarters share one CSV line), n_rows (the
    store rows, one per figure)."""
    files = sorted(str(f) for f in rows["src_file"].dropna().unique()) if len(rows) else []
    listed = list(dict.fromkeys(str(r) for r in rows["src_row"])) if len(rows) else []
    text = where if isinstance(where, str) else describe(where)
    return {"view": view, "filter": text, "revision": revision, "files": files,
            "rows": listed, "n_rows": len(rows)}


def _int(value: Any) -> int:
    return int(value)


def _float(value: Any) -> float:
    return float(value)


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else _float(value)


def quarters(data: RemittanceData) -> list[str]:
    """The quarters published, oldest first."""
    return sorted(data.costs["period"].unique(), key=period_time)


def latest_quarter(data: RemittanceData) -> str:
    found = quarters(data)
    if not found:
        raise NotFound("the store holds no Remittance Prices Worldwide corridor cost",
                       hint="run `tmo build` again with the RPW corridors file")
    return found[-1]


def corridors(data: RemittanceData) -> list[tuple[str, str]]:
    """Every (sender, receiver) with a published cost."""
    pairs = data.costs[["sender", "receiver"]].drop_duplicates()
    return sorted(zip(pairs["sender"], pairs["receiver"], strict=True))


def _fee_figure(row: pd.Series | None, data: RemittanceData) -> dict[str, Any] | None:
    if row is None:
        return None
    s, r = str(row["sender"]), str(row["receiver"])
    vol = data.volumes[(data.volumes["sender"] == s) & (data.volumes["receiver"] == r)
                       & (data.volumes["year"] == row["volume_year"])]
    cost = data.costs[(data.costs["sender"] == s) & (data.costs["receiver"] == r)
                      & (data.costs["year"] == row["cost_year"])]
    note = (f"volume of {_int(row['volume_year'])}, cost of {_int(row['cost_year'])}"
            if row["years_differ"] else None)
    return {"usd": _float(row["usd"]), "volume_year": _int(row["volume_year"]),
            "cost_year": _int(row["cost_year"]), "cost_pct": _float(row["cost_pct"]),
            "quarters": _int(row["quarters"]), "fees": _float(row["fees"]),
            "saved_at_5": _float(row["saved_at_5"]), "saved_at_3": _float(row["saved_at_3"]),
            "years_differ": bool(row["years_differ"]), "note": note,
            "sources": [source(VOLUME_VIEW, {"sender": s, "receiver": r,
                                             "year": _int(row["volume_year"])},
                               str(vol["source"].iloc[0]) if len(vol) else "", vol),
                        source(COST_VIEW, {"source": RPW, "sender": s, "receiver": r,
                                           "year": _int(row["cost_year"])}, RPW, cost)]}


def ranking(data: RemittanceData, side: str, code: str, quarter: str
                    ) -> list[dict[str, Any]]:
    """The corridors of one sender (side='sender') or receiver in `quarter`, cheapest
    first, with their source row (the cheapest and dearest of the same sender or
    receiver)."""
    rows = data.costs[(data.costs[side] == code) & (data.costs["period"] == quarter)]
    rows = rows.sort_values(["cost_pct", "sender", "receiver"])
    return [{"sender": r.sender, "receiver": r.receiver, "period": r.period,
             "cost_pct": _float(r.cost_pct), "src_file": r.src_file, "src_row": str(r.src_row)}
            for r in rows.itertuples()]


def regional_average(data: RemittanceData, region: str) -> list[dict[str, Any]]:
    """Simple mean cost per quarter of the corridors whose receiver is in a World Bank
    region (how Remittance Prices Worldwide reports regional averages)."""
    members = {c for c, reg in data.regions.items() if reg == region}
    rows = data.costs[data.costs["receiver"].isin(members)]
    avg = kc.averages(rows)
    return [{"period": r.period, "cost_pct": _float(r.simple), "corridors": _int(r.n)}
            for r in avg.itertuples()]


def corridor(data: RemittanceData, sender: str, receiver: str) -> dict[str, Any]:
    """One corridor: its cost every quarter with the source row, the trend, the quarters
    above 5 % and at or below 3 %, the volume and the fees, the regional average, and the
    cheapest and dearest corridors from the same sender and to the same receiver."""
    series = kc.corridor_series(data.costs, sender, receiver)
    vol = data.volumes[(data.volumes["sender"] == sender)
                       & (data.volumes["receiver"] == receiver)]
    if series.empty and vol.empty:
        senders = sorted(data.costs.loc[data.costs["receiver"] == receiver, "sender"].unique())
        raise NotFound(f"no remittance cost for the corridor {sender} to {receiver}",
                       hint=("priced corridors to " + receiver + " come from "
                             + ", ".join(senders)) if senders else
                       "`tmo remittances sdg` lists the priced corridors")
    periods = list(series["period"])
    values = [_float(v) for v in series["cost_pct"]]
    fee_rows = kf.corridor_fees(series, vol) if len(series) and len(vol) else None
    last = quarters(data)[-1] if len(data.costs) else None
    region = data.regions.get(receiver)
    return {
        "sender": sender, "receiver": receiver, "amount_usd": 200,
        "series": [{"period": p, "cost_pct": v, "src_row": str(r)}
                   for p, v, r in zip(periods, values, series["src_row"], strict=True)],
        "trend": kc.trend(periods, values),
        "quarters_above_5": kc.quarters_above_ceiling(periods, values),
        "quarters_at_or_below_3": kc.quarters_meeting_average(periods, values),
        "average_pct": (sum(values) / len(values)) if values else None,
        "cost_source": source(COST_VIEW, {"source": RPW, "sender": sender,
                                          "receiver": receiver}, RPW, series),
        "volume": [{"year": _int(v.year), "usd": _float(v.usd), "source": v.source,
                    "src_file": v.src_file, "src_sheet": v.src_sheet,
                    "src_row": str(v.src_row)} for v in vol.itertuples()],
        "fees": _fee_figure(fee_rows.iloc[0] if fee_rows is not None and len(fee_rows)
                            else None, data),
        "region": region,
        "regional_average": regional_average(data, region) if region else [],
        "latest_quarter": last,
        "from_sender": ranking(data, "sender", sender, last) if last else [],
        "to_receiver": ranking(data, "receiver", receiver, last) if last else [],
    }


def _side(data: RemittanceData, iso3: str, side: str, last: str, *,
          history: bool = True) -> dict[str, Any]:
    """The country as sender (side='sender') or receiver: the latest quarter's average,
    highest cost and light, its corridors with their volume and fees, the totals; with
    `history`, the averages of every quarter and the KNOMAD-based estimate per year."""
    rows = data.of("costs", side, iso3)
    vols = data.of("volumes", side, iso3)
    now = rows[rows["period"] == last]
    average = _float(now["cost_pct"].mean()) if len(now) else None
    highest = _float(now["cost_pct"].max()) if len(now) else None
    weighted = None
    if len(now):
        pairs = zip(now["sender"], now["receiver"], strict=True)
        weights = [data.volume_of.get(p, 0.0) for p in pairs]
        weighted = kc.weighted_mean(list(now["cost_pct"]), weights)
    mine = data.of("fee_rows", side, iso3)
    other = "receiver" if side == "sender" else "sender"
    priced_volume = _float(mine["usd"].sum())
    all_volume = data.latest_total.get((side, iso3), 0.0)
    summary = data.of("summaries", side, iso3)
    per_corridor = [{
        "sender": r["sender"], "receiver": r["receiver"], "partner": r[other],
        "quarters": _int(r["quarters"]), "latest_period": r["latest_period"],
        "latest_cost_pct": _float(r["latest_cost"]),
        "slope_pp_per_year": _num(r["slope_pp_per_year"]),
        "above_5": above_ceiling(_float(r["latest_cost"])) if r["latest_period"] == last
        else None,
        "usd": _num(r["usd"]), "fees": _num(r["fees"]),
        "cost_year": None if _num(r["cost_year"]) is None else _int(r["cost_year"]),
        "src_row": str(r["src_row"])} for r in summary.to_dict("records")]
    per_corridor.sort(key=lambda c: (-(c["usd"] or 0), c["partner"]))
    out: dict[str, Any] = {
        "priced_corridors": len(per_corridor), "latest_quarter": last,
        "priced_now": len(now), "light": light(average, highest),
        "average_pct": average, "highest_pct": highest, "weighted_pct": weighted,
        "corridors": per_corridor,
        "fees": {**kf.totals(mine),
                 "volume_years": sorted({_int(y) for y in mine["volume_year"]}),
                 "cost_years": sorted({_int(y) for y in mine["cost_year"]}),
                 "priced_share_of_volume": (priced_volume / all_volume) if all_volume else None,
                 "note": _years_note(mine)},
        "sources": [source(COST_VIEW, {"source": RPW, side: iso3}, RPW, rows),
                    source(VOLUME_VIEW, {side: iso3, other: sorted(set(vols[other]))}
                           if len(vols) else {side: iso3}, "WB bilateral", vols)],
    }
    if history:
        avg = kc.averages(rows, None, vols)
        out["averages"] = [{"period": r.period, "corridors": _int(r.n),
                            "simple": _float(r.simple), "weighted": _num(r.weighted),
                            "weighted_corridors": _int(r.n_weighted)}
                           for r in avg.itertuples()]
        direction = "received" if side == "receiver" else "paid"
        out["knomad"] = _knomad(data, iso3, direction, rows, vols)
    return out


def _years_note(rows: pd.DataFrame) -> str | None:
    if rows.empty or not rows["years_differ"].any():
        return None
    vy = sorted({_int(y) for y in rows["volume_year"]})
    cy = sorted({_int(y) for y in rows["cost_year"]})
    return (f"volumes of {', '.join(map(str, vy))}, costs of {', '.join(map(str, cy))} "
            f"({_int(rows['years_differ'].sum())} of {len(rows)} corridors)")


def _knomad(data: RemittanceData, iso3: str, direction: str,
            rows: pd.DataFrame, vols: pd.DataFrame) -> list[dict[str, Any]]:
    """Per year priced: the KNOMAD total received (or paid) times the year's average cost
    of the country's corridors weighted by their bilateral volumes: an estimate of the
    fees on all of the country's remittances, with the three years it joins."""
    totals = data.totals[(data.totals["country"] == iso3)
                         & (data.totals["direction"] == direction)]
    if totals.empty or rows.empty or vols.empty:
        return []
    annual = kf.annual_costs(rows).rename(columns={"year": "period_year"})
    vol = vols.groupby(["sender", "receiver"], as_index=False)["usd"].sum()
    vol_year = _int(vols["year"].max())
    joined = annual.merge(vol, on=["sender", "receiver"])
    out = []
    for year, grp in joined.groupby("period_year"):
        total = totals[totals["year"] == year]
        avg = kc.weighted_mean(list(grp["cost_pct"]), list(grp["usd"]))
        if total.empty or avg is None:
            continue
        usd = _float(total["usd"].iloc[0])
        out.append({"year": _int(year), "total_usd": usd, "weighted_pct": avg,
                    "fees": usd * avg / 100, "corridors": len(grp),
                    "weights_year": vol_year,
                    "note": f"{KNOMAD} total of {_int(year)}, costs of {_int(year)}, "
                            f"weighted by bilateral volumes of {vol_year}",
                    "source": source(TOTAL_VIEW, {"source": KNOMAD, "country": iso3,
                                                  "direction": direction, "year": _int(year)},
                                     KNOMAD, total)})
    return out


def country(data: RemittanceData, iso3: str, *, history: bool = True) -> dict[str, Any]:
    """A country as receiver (what its diaspora pays to send money home) and as sender
    (`history`: with the averages of every quarter and the KNOMAD-based estimates)."""
    if not ((data.costs["sender"] == iso3).any() or (data.costs["receiver"] == iso3).any()
            or (data.volume_totals["country"] == iso3).any()):
        raise NotFound(f"no remittance cost or volume for {iso3}",
                       hint="`tmo remittances sdg` lists the priced corridors")
    last = latest_quarter(data)
    return {"country": iso3, "region": data.regions.get(iso3),
            "as_receiver": _side(data, iso3, "receiver", last, history=history),
            "as_sender": _side(data, iso3, "sender", last, history=history)}


def sdg(data: RemittanceData, quarter: str | None = None) -> dict[str, Any]:
    """SDG 10.c in one quarter (default: the latest): corridors priced, above 5 %, at or
    below 3 % (each listed), between, and the simple and weighted world averages."""
    quarter = quarter or latest_quarter(data)
    known = quarters(data)
    if quarter not in known:
        raise NotFound(f"quarter {quarter!r} is not in the Remittance Prices Worldwide series",
                       hint=f"quarters {known[0]} to {known[-1]}" if known else
                       "run `tmo build` again")
    rows = data.costs[data.costs["period"] == quarter]
    above = rows[rows["cost_pct"] > CORRIDOR_CEILING]
    below = rows[rows["cost_pct"] <= SDG_AVERAGE]
    avg = kc.averages(rows, None, data.volumes)

    def listed(frame: pd.DataFrame) -> list[dict[str, Any]]:
        return [{"sender": r.sender, "receiver": r.receiver, "cost_pct": _float(r.cost_pct),
                 "src_row": str(r.src_row)}
                for r in frame.sort_values(["cost_pct", "sender", "receiver"]).itertuples()]

    return {"quarter": quarter, "priced": len(rows), "above_5": len(above),
            "at_or_below_3": len(below), "between": len(rows) - len(above) - len(below),
            "average_pct": _num(avg["simple"].iloc[0]) if len(avg) else None,
            "weighted_pct": _num(avg["weighted"].iloc[0]) if len(avg) else None,
            "meets_target": bool(len(avg) and meets_average(_float(avg["simple"].iloc[0]))
                                 and above.empty),
            "corridors_above_5": listed(above), "corridors_at_or_below_3": listed(below),
            "source": source(COST_VIEW, {"source": RPW, "period": quarter}, RPW, rows)}


def sdg_counts(data: RemittanceData) -> list[dict[str, Any]]:
    """Per quarter: corridors priced, above 5 %, at or below 3 %, simple and weighted means
    (the trend of SDG 10.c)."""
    avg = kc.averages(data.costs, None, data.volumes)
    frame = data.costs.assign(above=data.costs["cost_pct"] > CORRIDOR_CEILING,
                              below=data.costs["cost_pct"] <= SDG_AVERAGE)
    counts = frame.groupby("period").agg(above=("above", "sum"), below=("below", "sum"))
    above, below = counts["above"].to_dict(), counts["below"].to_dict()
    return [{"period": r.period, "priced": _int(r.n),
             "above_5": _int(above[r.period]), "at_or_below_3": _int(below[r.period]),
             "average_pct": _float(r.simple), "weighted_pct": _num(r.weighted)}
            for r in avg.itertuples()]


def world(data: RemittanceData) -> dict[str, Any]:
    """The world: SDG 10.c counts and averages per quarter, the fees on every priced
    corridor with a volume and the savings at 5 % and 3 %, and KNOMAD's world total times
    the volume-weighted average cost of each year."""
    fee_rows = data.fee_rows
    by_quarter = sdg_counts(data)
    knomad = []
    world_total = data.totals[(data.totals["country"] == "WB:WLD")
                              & (data.totals["direction"] == "received")]
    annual = kf.annual_costs(data.costs).merge(
        data.volumes.groupby(["sender", "receiver"], as_index=False)["usd"].sum(),
        on=["sender", "receiver"])
    vol_years = sorted({_int(y) for y in data.volumes["year"]})
    for year, grp in annual.groupby("year"):
        total = world_total[world_total["year"] == year]
        avg = kc.weighted_mean(list(grp["cost_pct"]), list(grp["usd"]))
        if total.empty or avg is None:
            continue
        usd = _float(total["usd"].iloc[0])
        knomad.append({"year": _int(year), "total_usd": usd, "weighted_pct": avg,
                       "fees": usd * avg / 100, "corridors": len(grp),
                       "note": f"{KNOMAD} world total of {_int(year)}, costs of {_int(year)}, "
                               f"weighted by bilateral volumes of "
                               f"{', '.join(map(str, vol_years))}",
                       "source": source(TOTAL_VIEW, {"source": KNOMAD, "country": "WB:WLD",
                                                     "direction": "received",
                                                     "year": _int(year)}, KNOMAD, total)})
    costs = source(COST_VIEW, {"source": RPW}, RPW, data.costs)
    return {"quarters": by_quarter, "latest": by_quarter[-1] if by_quarter else None,
            "fees": {**kf.totals(fee_rows), "note": _years_note(fee_rows),
                     "volume_years": sorted({_int(y) for y in fee_rows["volume_year"]}),
                     "cost_years": sorted({_int(y) for y in fee_rows["cost_year"]}),
                     "sources": [source(VOLUME_VIEW, PRICED, "WB bilateral", data.volumes),
                                 costs]},
            "knomad": knomad, "source": costs}


def all_series(data: RemittanceData) -> list[dict[str, Any]]:
    """Every corridor's series at once (as `corridor` gives one): each quarter's cost with
    its source row, the trend, the quarters above 5 % and at or below 3 %, the average."""
    frame = data.costs.assign(_t=data.costs["period"].map(period_time))
    frame = frame.sort_values(["sender", "receiver", "_t"])
    summaries = {(s, r): row for s, r, row in zip(
        data.summaries["sender"], data.summaries["receiver"],
        data.summaries.to_dict("records"), strict=True)}
    out = []
    for (s, r), grp in frame.groupby(["sender", "receiver"], sort=True):
        periods, values = list(grp["period"]), [_float(v) for v in grp["cost_pct"]]
        summary = summaries[(s, r)]
        out.append({
            "sender": s, "receiver": r,
            "series": [{"period": p, "cost_pct": v, "src_row": str(row)}
                       for p, v, row in zip(periods, values, grp["src_row"], strict=True)],
            "trend": {"quarters": len(periods),
                      "slope_pp_per_year": _num(summary["slope_pp_per_year"]),
                      "first": {"period": periods[0], "cost_pct": values[0]},
                      "last": {"period": periods[-1], "cost_pct": values[-1]},
                      "change_pp": values[-1] - values[0]},
            "quarters_above_5": kc.quarters_above_ceiling(periods, values),
            "quarters_at_or_below_3": kc.quarters_meeting_average(periods, values),
            "average_pct": sum(values) / len(values)})
    return out
