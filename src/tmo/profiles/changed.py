"""The profile's "What changed" section (issue #15, docs/monitoring.md): the latest
International Migrant Stock revision in the store against the one before it, for the
country: its immigrants, emigrants and their shares in the latest year both publish, both
series over the common years (for a chart), the corridors revised most, the ranks of its
top origins and destinations that changed, trends that reversed, corridors that vanished
or appeared, each with both revisions' files; read from the `revision_changes` and
`revision_events` views the build's comparison stage writes.

`what_changed(ev, iso3, revision)` is the section of the document (empty when the store
holds no earlier revision to compare with); `view(...)` formats it for the templates.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pandas as pd

from tmo.profiles import charts
from tmo.profiles.i18n import Locale
from tmo.store import changes
from tmo.store.evidence import Evidence, Source, ViewCache, describe
from tmo.vocabulary import UNKNOWN_ORIGIN

DATASET = "IMS"
MEASURES = ("immigrants", "emigrants", "immigrant_share", "emigrant_rate")
CORRIDORS = 5
RANKS = 10


def _pair(con: Any, revision: str) -> tuple[str, str] | None:
    """(old, new) IMS revisions compared in the store whose new one is `revision`."""
    if not changes.has_table(con, "revision_changes"):
        return None
    pairs = [(old, new) for dataset, old, new in changes.revision_pairs(con)
             if dataset == DATASET and new == revision]
    return pairs[-1] if pairs else None


def _num(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _of_country(con: Any, iso3: str, old: str, new: str
                ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(the country's rows, its corridors' rows of both sexes, its events) of one pair."""
    mine = changes.revision_changes(con, dataset=DATASET, area=iso3, levels=("country",),
                                    sex="total", old_revision=old, new_revision=new)
    corr = changes.revision_changes(con, dataset=DATASET, corridors_of=iso3, sex="total",
                                    old_revision=old, new_revision=new)
    events = changes.revision_events(con, dataset=DATASET, area=iso3)
    events = events[(events["old_revision"] == old) & (events["new_revision"] == new)]
    return mine, corr, events


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python strings: taking rows of Arrow-backed strings, many times
    over, costs more than the grouping saves."""
    return frame.astype({c: object for c in frame.columns if frame[c].dtype == "str"})


def _by_country(con: Any, old: str, new: str
                ) -> tuple[tuple[dict[str, pd.DataFrame], pd.DataFrame], ...]:
    """`_of_country` for every country at once: each table read once (a stage that
    builds every profile), as (by country, empty frame) per part."""
    rows = changes.revision_changes(con, dataset=DATASET, sex="total", old_revision=old,
                                    new_revision=new, levels=("country", "corridor"))
    events = changes.revision_events(con, dataset=DATASET)
    events = events[(events["old_revision"] == old) & (events["new_revision"] == new)]
    rows, events = _plain(rows), _plain(events)
    country = rows[rows["level"] == "country"]
    corridor = rows[rows["level"] == "corridor"]

    def either(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
        out: dict[str, list[pd.DataFrame]] = {}
        for side in ("area", "partner"):
            for code, part in frame.groupby(side, sort=False):
                out.setdefault(str(code), []).append(part)
        return {k: pd.concat(v) if len(v) > 1 else v[0] for k, v in out.items()}

    by_area = {str(code): part for code, part in country.groupby("area", sort=False)}
    return ((by_area, country.iloc[0:0]),
            (either(corridor), corridor.iloc[0:0]),
            (either(events), events.iloc[0:0]))


def what_changed(ev: Evidence, iso3: str, revision: str) -> dict[str, Any]:
    """The revision of the country's figures between the previous IMS revision and
    `revision`: {} when the store compared none."""
    con = ev.con
    pair = ev.fact(_pair, revision)
    if pair is None:
        return {}
    old, new = pair
    if isinstance(ev, ViewCache):  # every country in turn: each table read once
        mine, corr, events = (part.get(iso3, empty) for part, empty in
                              ev.fact(_by_country, old, new))
    else:
        mine, corr, events = _of_country(con, iso3, old, new)
    if mine.empty:
        return {}
    year = int(mine["year"].to_numpy().max())
    at = mine[mine["year"] == year].set_index("measure")
    figures = [{"measure": m, "year": year, "old": _num(at.at[m, "old_value"]),
                "new": _num(at.at[m, "new_value"]), "change": _num(at.at[m, "change"]),
                "relative": _num(at.at[m, "relative"]),
                "old_file": at.at[m, "old_file"], "new_file": at.at[m, "new_file"]}
               for m in MEASURES if m in at.index]
    series = {m: [{"year": int(r["year"]), "old": _num(r["old_value"]),
                   "new": _num(r["new_value"])}
                  for r in mine[mine["measure"] == m].sort_values("year").to_dict("records")]
              for m in ("immigrants", "emigrants")}
    corr = corr[(corr["year"] == year) & corr["change"].notna()
                & (corr["partner"] != UNKNOWN_ORIGIN)]
    corr = corr.assign(size=corr["change"].abs()).sort_values(
        ["size", "area", "partner"], ascending=[False, True, True])
    corridors = [{"origin": r.partner, "destination": r.area, "old": _num(r.old_value),
                  "new": _num(r.new_value), "change": _num(r.change),
                  "relative": _num(r.relative)} for r in corr.head(CORRIDORS).itertuples()]
    ranks = events[events["kind"].isin(("origin_rank", "destination_rank"))
                   & (events["area"] == iso3) & (events["year"] == year)]
    ranks = ranks.assign(best=ranks[["old_rank", "new_rank"]].min(axis=1)).sort_values(
        ["kind", "best", "partner"]).groupby("kind", sort=True).head(RANKS)
    reversed_ = events[(events["kind"] == "trend_reversed") & (events["area"] == iso3)
                       & (events["partner"].fillna("") == "")].sort_values(["measure", "year"])
    at_year = events[events["year"] == year]
    files = sorted(set(mine["old_file"]) | set(mine["new_file"]) | set(corr["old_file"])
                   | set(corr["new_file"]))
    span = f"{old} → {new}"
    sources = [Source("revision_changes",
                      describe({"dataset": DATASET, "old_revision": old, "new_revision": new})
                      + f" AND '{iso3}' IN (area, partner)", span, tuple(files), (),
                      len(mine) + len(corr)),
               Source("revision_events",
                      describe({"dataset": DATASET, "old_revision": old, "new_revision": new})
                      + f" AND '{iso3}' IN (area, partner)", span, tuple(files), (),
                      len(events))]
    return {
        "dataset": DATASET, "old_revision": old, "new_revision": new, "year": year,
        "common_years": sorted(int(y) for y in mine["year"].unique()),
        "figures": figures, "series": series, "corridors": corridors,
        "ranks": [{"kind": r.kind, "partner": r.partner,
                   "old_rank": None if pd.isna(r.old_rank) else int(r.old_rank),
                   "new_rank": None if pd.isna(r.new_rank) else int(r.new_rank)}
                  for r in ranks.itertuples()],
        "reversed": [{"measure": r.measure, "from": int(r.period_start), "to": int(r.year),
                      "old": _num(r.old_value), "new": _num(r.new_value)}
                     for r in reversed_.itertuples()],
        "vanished": int(((at_year["kind"] == "corridor_vanished")
                         & (at_year["partner"] != UNKNOWN_ORIGIN)).sum()),
        "appeared": int((at_year["kind"] == "corridor_appeared").sum()),
        "unknown_origin_grew": bool((at_year["kind"] == "unknown_origin_grew").any()),
        "sources": [asdict(s) | {"files": list(s.files), "rows": list(s.rows)}
                    for s in sources],
    }


def _signed(loc: Locale, value: float | None, digits: int = 0) -> str:
    if value is None:
        return loc.t("not_available")
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + loc.number(abs(value), digits)


def _value(loc: Locale, measure: str, value: float | None) -> str:
    if value is None:
        return loc.t("not_available")
    return loc.percent(value, 2) if measure in ("immigrant_share", "emigrant_rate") \
        else loc.number(value)


LABELS = {"immigrants": "immigrants", "emigrants": "emigrants",
          "immigrant_share": "share_of_population", "emigrant_rate": "emigrant_rate"}


def view(section: dict[str, Any], loc: Locale, names: dict[str, str],
         country: str) -> dict[str, Any]:
    """The section formatted for the templates: intro, figures table, the chart of both
    revisions' series, the corridors revised most, rank changes, reversed trends, the
    corridors no longer published, and the sources."""
    t = loc.t
    if not section:
        return {"empty": t("wc_none")}
    old, new, year = section["old_revision"], section["new_revision"], section["year"]
    names = {**names, UNKNOWN_ORIGIN: t("wc_unknown")}
    rows = [{"label": t(LABELS[f["measure"]]), "old": _value(loc, f["measure"], f["old"]),
             "new": _value(loc, f["measure"], f["new"]),
             "change": _signed(loc, f["change"], 2 if "_" in f["measure"] else 0),
             "relative": "–" if f["relative"] is None else
             _signed(loc, f["relative"], 1) + t("percent_suffix"),
             "files": f"{f['old_file']} → {f['new_file']}"} for f in section["figures"]]
    lines = []
    chart_series = []
    for key in ("immigrants", "emigrants"):
        pts = section["series"].get(key) or []
        if pts:
            chart_series.append((f"{t(key)} · IMS {old}", [(p["year"], p["old"]) for p in pts]))
            chart_series.append((f"{t(key)} · IMS {new}", [(p["year"], p["new"]) for p in pts]))
    title = t("wc_chart_title", country=country, old=old, new=new)
    chart = charts.line_chart(chart_series, title=title, fmt=loc.compact)
    corridors = [{"name": t("born_in_living_in", a=names.get(c["origin"], c["origin"]),
                            b=names.get(c["destination"], c["destination"])),
                  "old": _value(loc, "stock", c["old"]), "new": _value(loc, "stock", c["new"]),
                  "change": _signed(loc, c["change"]),
                  "relative": "–" if c["relative"] is None else
                  _signed(loc, c["relative"], 1) + t("percent_suffix")}
                 for c in section["corridors"]]
    for r in section["ranks"]:
        rank = {k: "–" if r[k] is None else str(r[k]) for k in ("old_rank", "new_rank")}
        lines.append(t(f"wc_{r['kind']}", partner=names.get(r["partner"], r["partner"]),
                       old=rank["old_rank"], new=rank["new_rank"], **{"from": old, "to": new}))
    trends = [t("wc_reversed", measure=t(r["measure"]), start=r["from"], end=r["to"],
                old_rev=old, new_rev=new, old=_signed(loc, r["old"]), new=_signed(loc, r["new"]))
              for r in section["reversed"]]
    notes = []
    if section["vanished"] or section["appeared"]:
        notes.append(t("wc_corridor_counts", year=year, vanished=section["vanished"],
                       appeared=section["appeared"], new=new))
    if section["unknown_origin_grew"]:
        notes.append(t("wc_unknown_grew", year=year))
    return {"empty": "", "intro": t("wc_intro", old=old, new=new, year=year),
            "rows": rows, "chart": chart, "chart_title": title, "corridors": corridors,
            "corridors_title": t("wc_corridors", year=year), "ranks": lines,
            "trends": trends, "notes": notes,
            "old": f"IMS {old}", "new": f"IMS {new}",
            "sources": " | ".join(Source.from_dict(s).cite() for s in section["sources"])}

