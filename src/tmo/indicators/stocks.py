"""Immigrants and emigrants of one country: stocks, shares, change, origins, dispersion."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tmo.indicators.dispersion import herfindahl, top_share
from tmo.indicators.figure import Figure
from tmo.indicators.formulas import change, percent
from tmo.store.evidence import Evidence, Source
from tmo.vocabulary import SEXES, UNKNOWN_ORIGIN


def by_year_sex(frame: pd.DataFrame) -> dict[tuple[int, str], int]:
    """(year, sex) -> value, for fast look-ups in a country's series."""
    return {(int(y), str(x)): int(v)
            for y, x, v in zip(frame["year"], frame["sex"], frame["value"], strict=True)}


def _change(series: dict[tuple[int, str], int], year: int, base: int | None) -> float | None:
    if base is None:
        return None
    return change(series.get((year, "total")), series.get((base, "total")))


def _previous(years: list[int], year: int) -> int | None:
    earlier = [y for y in years if y < year]
    return max(earlier) if earlier else None


def population(ev: Evidence, area: str, revision: str) -> tuple[pd.DataFrame, Source]:
    frame, src = ev.rows("population", {"source": "UN DESA IMS", "revision": revision,
                                        "country": area}, ["year", "sex", "population"])
    return frame.rename(columns={"population": "value"}), src


def ranked(frame: pd.DataFrame, key: str, total: float, limit: int) -> list[dict[str, Any]]:
    """The `limit` largest partners (unknown origin excluded) with their shares."""
    known = frame[frame[key] != UNKNOWN_ORIGIN].sort_values("value", ascending=False)
    return [
        {"area": r[key], "stock": int(r["value"]), "share_pct": percent(r["value"], total)}
        for _, r in known.head(limit).iterrows()
    ]


def immigration(ev: Evidence, iso3: str, year: int, revision: str,
                limit: int = 10) -> dict[str, Any]:
    series, s_src = ev.rows("destination_stock", {"revision": revision, "destination": iso3},
                            ["year", "sex", "stock", "data_type"])
    series = series.rename(columns={"stock": "value"})
    pop, p_src = population(ev, iso3, revision)
    origins, o_src = ev.rows("migrant_stock", {"revision": revision, "year": year,
                                               "destination": iso3, "sex": "total"},
                             ["origin", "stock"])
    origins = origins.rename(columns={"stock": "value"})
    values, pops = by_year_sex(series), by_year_sex(pop)
    total, female = values.get((year, "total")), values.get((year, "female"))
    years = sorted(series["year"].unique().tolist())
    prev = _previous(years, year)
    known = origins.loc[origins["origin"] != UNKNOWN_ORIGIN, "value"]
    unknown = int(origins.loc[origins["origin"] == UNKNOWN_ORIGIN, "value"].sum())
    dtype = series.loc[(series["year"] == year) & (series["sex"] == "total"), "data_type"]
    figures = {
        "immigrant_stock": Figure("immigrant_stock", total, "persons", year, (s_src,),
                                  detail={"female": female,
                                          "male": values.get((year, "male")),
                                          "data_type": dtype.iloc[0] if len(dtype) else None}),
        "immigrant_share": Figure("immigrant_share",
                                  percent(total, pops.get((year, "total"))),
                                  "percent", year, (s_src, p_src)),
        "immigrant_female_share": Figure("immigrant_female_share", percent(female, total),
                                         "percent", year, (s_src,)),
        "immigrant_change_since_1990": Figure(
            "immigrant_change_since_1990", _change(values, year, 1990 if 1990 in years else None),
            "percent", year, (s_src,), detail={"base_year": 1990}),
        "immigrant_change_last_period": Figure(
            "immigrant_change_last_period", _change(values, year, prev), "percent", year,
            (s_src,), detail={"base_year": prev}),
        "top_origins": Figure("top_origins", len(origins), "origins", year, (o_src,),
                              detail={"ranking": ranked(origins, "origin", total or 0, limit),
                                      "unknown": unknown}),
        "origin_concentration": Figure(
            "origin_concentration", herfindahl(known) if len(known) else None, "index", year,
            (o_src,), detail={"top1_share_pct": 100 * top_share(known) if len(known) else None}),
    }
    trend = [{"year": int(y), **{s: values.get((y, s)) for s in SEXES}} for y in years]
    by_origin = [{"area": r["origin"], "stock": int(r["value"])}
                 for _, r in origins[origins["value"] > 0].iterrows()]
    return {"figures": figures, "trend": trend, "by_origin": by_origin}


def emigration(ev: Evidence, iso3: str, year: int, revision: str,
               limit: int = 10) -> dict[str, Any]:
    frame, src = ev.rows("migrant_stock", {"revision": revision, "origin": iso3},
                         ["year", "destination", "sex", "stock"])
    frame = frame.rename(columns={"stock": "value"})
    by_year = frame.groupby(["year", "sex"])["value"].sum().reset_index()
    pop, p_src = population(ev, iso3, revision)
    now = frame[(frame["year"] == year) & (frame["sex"] == "total")]
    values, pops = by_year_sex(by_year), by_year_sex(pop)
    total, female = values.get((year, "total")), values.get((year, "female"))
    years = sorted(by_year["year"].unique().tolist())
    dest_src = Source("migrant_stock", src.filter + f" AND year = {year} AND sex = 'total'",
                      revision, src.files, (), len(now))
    figures = {
        "emigrant_stock": Figure("emigrant_stock", total, "persons", year, (src,),
                                 detail={"female": female,
                                         "male": values.get((year, "male")),
                                         "destinations": int((now["value"] > 0).sum())}),
        "emigrant_rate": Figure("emigrant_rate", percent(total, pops.get((year, "total"))),
                                "percent", year, (src, p_src)),
        "emigrant_female_share": Figure("emigrant_female_share", percent(female, total), "percent",
                                        year, (src,)),
        "top_destinations": Figure("top_destinations", len(now), "destinations", year,
                                   (dest_src,),
                                   detail={"ranking": ranked(now, "destination", total or 0,
                                                             limit)}),
        "diaspora_dispersion": Figure(
            "diaspora_dispersion", herfindahl(now["value"]) if len(now) else None, "index", year,
            (dest_src,),
            detail={"top1_share_pct": 100 * top_share(now["value"]) if len(now) else None,
                    "effective_destinations": (1 / herfindahl(now["value"]))
                    if len(now) and now["value"].sum() > 0 else None}),
        "emigrant_change_since_1990": Figure(
            "emigrant_change_since_1990", _change(values, year, 1990 if 1990 in years else None),
            "percent", year, (src,), detail={"base_year": 1990}),
    }
    trend = [{"year": int(y), **{s: values.get((y, s)) for s in SEXES}} for y in years]
    world = [{"area": r["destination"], "stock": int(r["value"])}
             for _, r in now[now["value"] > 0].iterrows()]
    return {"figures": figures, "trend": trend, "by_destination": world}


def corridor(ev: Evidence, a: str, b: str, revision: str) -> dict[str, Any]:
    """Stock in both directions of the corridor a <-> b, by year and sex."""
    out: dict[str, Any] = {}
    for orig, dest in ((a, b), (b, a)):
        frame, src = ev.rows("migrant_stock", {"revision": revision, "origin": orig,
                                               "destination": dest}, ["year", "sex", "stock"])
        frame = frame.rename(columns={"stock": "value"})
        values = by_year_sex(frame)
        out[f"{orig}->{dest}"] = {
            "origin": orig, "destination": dest,
            "trend": [{"year": int(y), **{s: values.get((int(y), s)) for s in SEXES}}
                      for y in sorted(frame["year"].unique())],
            "source": src,
        }
    return out
