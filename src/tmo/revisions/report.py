"""The revision comparison as a report (JSON document, Markdown, CSV), from the rows of
`revision_changes` and `revision_events`; pure: frames in, text or dicts out."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from tmo.revisions.compare import TOP, concentration

LABELS = {"immigrants": "Immigrants", "emigrants": "Emigrants",
          "immigrant_share": "Immigrants, % of population",
          "emigrant_rate": "Emigrants, % of population",
          "immigrant_female_share": "Women among immigrants, %",
          "emigrant_female_share": "Women among emigrants, %", "stock": "Migrants",
          "population": "Population",
          "net_migration": "Net migration (five-year period from 1 July of the year)"}
EVENT_LABELS = {"origin_rank": "rank among its origins changed",
                "destination_rank": "rank among its destinations changed",
                "trend_reversed": "trend reversed", "corridor_appeared": "corridor appeared",
                "corridor_vanished": "corridor vanished",
                "unknown_origin_grew": "immigrants of unknown origin rose (vanished "
                                       "corridors may be counted there)"}


def label(measure: str) -> str:
    """A measure's name in words (flows: "Inflow (da_pb_closed)")."""
    for prefix, word in (("flow_", "Flow"), ("inflow_", "Inflow"), ("outflow_", "Outflow")):
        if measure.startswith(prefix):
            return f"{word} ({measure[len(prefix):]})"
    return LABELS.get(measure, measure)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts (NaN and pandas NA as None)."""
    return [{str(k): _clean(v) if v is not pd.NA else None for k, v in r.items()}
            for r in frame.to_dict("records")]


def pair_document(changes: pd.DataFrame, found: pd.DataFrame, *, country: str | None,
                  groups: dict[str, str], names: dict[str, str]) -> dict[str, Any]:
    """One pair of revisions: the world (and regions), where revisions concentrate in
    the latest common year, and, for a country, its figures, corridors and events."""
    first = changes.iloc[0]
    year = int(changes["year"].max())
    doc: dict[str, Any] = {
        "dataset": first["dataset"], "old_revision": first["old_revision"],
        "new_revision": first["new_revision"],
        "common_years": sorted(int(y) for y in changes["year"].unique()),
        "world": records(changes[changes["level"] == "world"]),
    }
    measure = {"IMS": "immigrants", "WPP": "population"}.get(first["dataset"]) or min(
        m for m in changes["measure"].unique() if m.startswith("inflow_"))
    conc = concentration(changes, level="country", measure=measure, year=year, groups=groups)
    doc["concentration"] = {
        "measure": measure, "year": year, "sum_of_absolute_revisions": conc.total_abs,
        "largest": [{"area": a, "name": names.get(a, a), "change": c, "share_pct": s}
                    for a, c, s in conc.top],
        "by_region": [{"region": g, "change": c, "share_pct": s} for g, c, s in conc.by_group]}
    if first["dataset"] == "IMS":
        cor = concentration(changes, level="corridor", measure="stock", year=year)
        doc["concentration"]["largest_corridors"] = [
            {"corridor": a, "change": c, "share_pct": s} for a, c, s in cor.top]
    doc["events"] = {k: int(v) for k, v in found["kind"].value_counts().sort_index().items()}
    if country:
        mine = changes[(changes["level"] == "country") & (changes["area"] == country)]
        corridors = changes[(changes["level"] == "corridor")
                            & ((changes["area"] == country) | (changes["partner"] == country))]
        doc["country"] = {"iso3": country, "name": names.get(country, country),
                          "figures": records(mine), "corridors": records(corridors),
                          "events": records(found[(found["area"] == country)
                                                  | (found["partner"] == country)])}
    else:
        doc["regions"] = records(changes[(changes["level"] == "region")
                                         & (changes["sex"] == "total")
                                         & (changes["year"] == year)])
    return doc


def document(pairs: list[dict[str, Any]], builds: list[dict[str, Any]] | None = None
             ) -> dict[str, Any]:
    out: dict[str, Any] = {"schema": "tmo.changes/1", "pairs": pairs}
    if builds is not None:
        out["builds"] = builds
    return out


def as_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False, default=str)


def _num(value: Any, measure: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if "share" in measure or "rate" in measure:
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _pct(value: Any) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) \
        else f"{value:+.1f} %"


def _figures_table(rows: list[dict[str, Any]], *, sexes: tuple[str, ...] = ("total",)
                   ) -> list[str]:
    lines = ["| measure | sex | year | old | new | change | relative |",
             "| --- | --- | --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        if r["sex"] not in sexes:
            continue
        m = r["measure"]
        lines.append(f"| {label(m)} | {r['sex']} | {r['year']} | "
                     f"{_num(r['old_value'], m)} | {_num(r['new_value'], m)} | "
                     f"{_num(r['change'], m)} | {_pct(r['relative'])} |")
    return lines


def markdown(doc: dict[str, Any]) -> str:
    """The report as Markdown: per pair, the world, concentration, the country."""
    out = ["# What changed between revisions", ""]
    for p in doc["pairs"]:
        out += [f"## {p['dataset']} {p['old_revision']} against {p['new_revision']}", "",
                (f"Common years: {', '.join(map(str, p['common_years']))}. Figures: old, "
                 "new, change = new - old, relative = change / old."), ""]
        year = p["concentration"]["year"]
        world = [r for r in p["world"] if r["year"] == year]
        if world:
            out += [f"### World, {year}", "", *_figures_table(
                world, sexes=("total", "female", "male")), ""]
        conc = p["concentration"]
        out += [f"### Where the revisions concentrate ({label(conc['measure'])}, {year})", "",
                (f"Sum of absolute revisions over countries: "
                 f"{conc['sum_of_absolute_revisions']:,.0f}."), "",
                "| country | change | share of the sum |", "| --- | ---: | ---: |"]
        out += [f"| {r['name']} ({r['area']}) | {r['change']:+,.0f} | {r['share_pct']:.1f} % |"
                for r in conc["largest"]]
        if conc["by_region"]:
            out += ["", "| SDG region | change | share of the sum |", "| --- | ---: | ---: |"]
            out += [f"| {r['region']} | {r['change']:+,.0f} | {r['share_pct']:.1f} % |"
                    for r in conc["by_region"]]
        if p["events"]:
            out += ["", "Events: " + "; ".join(f"{EVENT_LABELS.get(k, k)}: {n:,}"
                                               for k, n in p["events"].items()) + "."]
        out.append("")
        if "country" in p:
            out += _country_markdown(p["country"], year)
    for b in doc.get("builds") or []:
        out += build_markdown(b)
    return "\n".join(out)


def _country_markdown(c: dict[str, Any], year: int) -> list[str]:
    out = [f"### {c['name']} ({c['iso3']})", "",
           *_figures_table([r for r in c["figures"] if r["year"] == year]), ""]
    cors = [r for r in c["corridors"] if r["sex"] == "total" and r["year"] == year]
    cors.sort(key=lambda r: -abs((r["new_value"] or 0) - (r["old_value"] or 0)))
    if cors:
        out += [f"Corridors revised most in {year}:", "",
                "| origin | destination | old | new | change | relative |",
                "| --- | --- | ---: | ---: | ---: | ---: |"]
        out += [f"| {r['partner']} | {r['area']} | {_num(r['old_value'], 'stock')} | "
                f"{_num(r['new_value'], 'stock')} | {_num(r['change'], 'stock')} | "
                f"{_pct(r['relative'])} |" for r in cors[:TOP]]
        out.append("")
    ev = sorted(c["events"], key=_event_order)
    if ev:
        out += ["Events:", ""]
        for e in ev[:40]:
            out.append("- " + event_sentence(e))
        if len(ev) > 40:
            out.append(f"- ... {len(ev) - 40} more (--format json or csv)")
        out.append("")
    return out


ORDER = ("origin_rank", "destination_rank", "trend_reversed", "unknown_origin_grew",
         "corridor_vanished", "corridor_appeared")


def _event_order(e: dict[str, Any]) -> tuple[int, int, float]:
    """Ranks first, then reversed trends, the unknown origin, corridors vanishing and
    appearing; the latest year first; the largest figures first."""
    size = max(abs(e["old_value"] or 0), abs(e["new_value"] or 0))
    kind = ORDER.index(e["kind"]) if e["kind"] in ORDER else len(ORDER)
    return kind, -int(e["year"]), -size


def event_sentence(e: dict[str, Any]) -> str:
    kind, area, partner, year = e["kind"], e["area"], e["partner"], e["year"]
    if kind in ("origin_rank", "destination_rank"):
        what = "origin" if kind == "origin_rank" else "destination"
        old = "-" if e["old_rank"] is None else int(e["old_rank"])
        new = "-" if e["new_rank"] is None else int(e["new_rank"])
        return f"{year}: {partner} as {what} of {area}: rank {old} -> {new}"
    if kind == "trend_reversed":
        who = f"{partner} -> {area}" if partner else f"{e['measure']} of {area}"
        return (f"{e['period_start']}-{year}: {who} changed by {e['old_value']:+,.0f} in the "
                f"old revision, {e['new_value']:+,.0f} in the new one")
    if kind == "unknown_origin_grew":
        return (f"{year}: immigrants of unknown origin in {area}: {e['old_value']:,.0f} -> "
                f"{e['new_value']:,.0f} (corridors that vanished may be counted there)")
    return f"{year}: {partner} -> {area}: {EVENT_LABELS.get(kind, kind)}"


def build_markdown(b: dict[str, Any]) -> list[str]:
    out = [f"## Build {b['build']} ({b['finished']})", ""]
    changed = [s for s in b["sources"] if s["status"] not in ("same", "first")]
    if not b["sources"] or all(s["status"] == "first" for s in b["sources"]):
        out.append("First build of this store: nothing to compare with.")
    elif not changed:
        out.append("No source file changed.")
    else:
        out += ["| source | file | status | old sha256 | new sha256 |",
                "| --- | --- | --- | --- | --- |"]
        out += [f"| {s['source']} | {s['file']} | {s['status']} | {s['old_sha256'][:12]} | "
                f"{s['new_sha256'][:12]} |" for s in changed]
        if b["views"]:
            out += ["", "| view | added | removed | changed |", "| --- | ---: | ---: | ---: |"]
            out += [f"| {v['view']} | {v['added']:,} | {v['removed']:,} | {v['changed']:,} |"
                    for v in b["views"]]
        else:
            out += ["", "The changed files gave the same rows in every view."]
    out.append("")
    return out
