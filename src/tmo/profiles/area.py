"""Area profiles (issue #13): the World, the UN geographic regions and subregions and the
SDG regions that the International Migrant Stock publishes, with the country profile's
structure where it applies.

Which figure comes from where:
- published rows first: the IMS's own row of the area (`destination_stock`, Table 1) for
  immigrants by sex and year, its Table 2 row for the population; WPP's own rows of the
  area for the demographic context; the World Bank WDI's World row (`WB:WLD`) for the
  World's remittances. Nothing published is summed again.
- where no publisher gives the area's figure, the product sums its members' rows and says
  so beside the figure (`basis: "sum"`), listing the members without a row: the origins
  of the area's immigrants and the emigrants born in it (the IMS origin-destination
  rows), corridors, refugees (UNHCR publishes countries only), remittances of a region
  (the World Bank's regions are not the UN's).
- a section that does not apply is left out (the World has no emigrants, its corridors
  are the world's largest).

Members are the store's `country_groups` rows of the area; an IMS 2024 code the 2020
annex does not list (1834 Sub-Saharan Africa, 1831 Central and Southern Asia) takes the
members of the annex group with the same name (947, 921), and a code whose namesake is
itself published (1836 Australia/New Zealand, 927) is left out as a duplicate.

`build_area_profile_from(con, code)` is the document (`SCHEMA`), the same for JSON, HTML,
PDF and Markdown; `resolve_area` reads a name (EN/FR/ES) or a code (`UN:900`, `900`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from tmo import __version__
from tmo.errors import NotFound
from tmo.indicators.figure import Figure
from tmo.indicators.formulas import percent
from tmo.indicators.remittances import disagree
from tmo.indicators.stocks import immigration
from tmo.profiles.context import plain
from tmo.profiles.demography import demography
from tmo.profiles.lexicon import area_translations
from tmo.store import facts
from tmo.store.evidence import Evidence, Source, describe
from tmo.vocabulary import UNKNOWN_ORIGIN, WORLD

SCHEMA = "tmo.area_profile/1"
KINDS = ("world", "un_region", "sdg_region", "un_subregion")  # the order of the index
WDI_WORLD = "WB:WLD"
LIMIT = 10


@dataclass(frozen=True)
class Area:
    code: str  # UN:<m49> as published by the IMS
    name: str  # English, as the IMS publishes it
    kind: str  # one of KINDS
    members: tuple[str, ...]  # ISO3
    members_from: str  # the group whose members these are (the code, or its namesake)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.lower().replace("/", " and ").replace("-", " ").split())


def areas(con: duckdb.DuckDBPyConnection, revision: str | None = None) -> list[Area]:
    """Every area with a profile: published by the IMS revision (default: the latest) as a
    destination, of a kind in KINDS, with members (see the module), in KINDS order."""
    ev = Evidence(con)
    revision = facts.revision_or_latest(con, revision)
    year = facts.year_or_default(con, revision, None)
    rows, _ = ev.rows("destination_stock", {"revision": revision, "year": year,
                                            "sex": "total"}, ["destination"])
    published = {d for d in rows["destination"] if str(d).startswith("UN:")}
    reg = facts.registry(con)
    names = facts.area_names(con)
    by_name: dict[str, str] = {}
    for group in facts.groups(con):
        if group["group_type"] in KINDS:
            by_name.setdefault(_key(group["group_name"]), group["group_code"])
    out = []
    for code in sorted(published):
        source = code if reg.members(code) else by_name.get(_key(names.get(code, "")))
        if source is None or (source != code and source in published):
            continue
        kind = reg.group_type(source)
        if kind not in KINDS:
            continue
        out.append(Area(code, names.get(code, code), kind, tuple(sorted(reg.members(source))),
                        source))
    out.sort(key=lambda a: (KINDS.index(a.kind), a.name))
    return out


def resolve_area(con: duckdb.DuckDBPyConnection, query: str,
                 revision: str | None = None) -> Area | None:
    """The area named by `query` (a code `UN:900` or `900`, or its name in English, French
    or Spanish, accents and case aside), or None when it names none."""
    q = query.strip()
    code = f"UN:{q}" if q.isdigit() else q.upper() if q.upper().startswith("UN:") else None
    found = areas(con, revision)
    if code is not None:
        return next((a for a in found if a.code == code), None)
    key = _key(q)
    translated = area_translations()
    for area in found:
        names = [area.name, *(translated.get(lang, {}).get(area.code, "")
                              for lang in ("fr", "es"))]
        if key in {_key(n) for n in names if n}:
            return area
    return None


def _figure(key: str, value: float | int | None, unit: str, year: int | None,
            sources: list[Source], *, basis: str, missing: list[str] | None = None,
            **detail: Any) -> dict[str, Any]:
    """A figure of the document: `basis` "published" (the publisher's row of the area) or
    "sum" (the product's sum of members' rows; `missing` lists members without one)."""
    return plain(Figure(key, value, unit, year, tuple(sources),
                        detail={"basis": basis, "members_missing": missing or [], **detail}))


def _top(frame: pd.DataFrame, key: str, total: float | None) -> list[dict[str, Any]]:
    sums = frame.groupby(key)["stock"].sum().sort_values(ascending=False)
    return [{"area": a, "stock": int(v), "share_pct": percent(v, total)}
            for a, v in sums.items() if v > 0 and a != UNKNOWN_ORIGIN][:LIMIT]


def _corridors(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The largest origin-destination rows; "other / unknown" origins are no corridor."""
    top = frame[(frame["stock"] > 0) & (frame["origin"] != UNKNOWN_ORIGIN)]
    top = top.sort_values("stock", ascending=False).head(LIMIT)
    return [{"origin": r["origin"], "destination": r["destination"], "stock": int(r["stock"])}
            for r in top.to_dict("records")]


def _immigration(ev: Evidence, area: Area, year: int, revision: str) -> dict[str, Any]:
    """Published: the area's IMS row (immigrants by sex and year, its population); summed:
    the members' immigrants by origin, and those born in another member."""
    published = immigration(ev, area.code, year, revision)
    figures = {k: plain(v) for k, v in published["figures"].items()
               if k not in ("top_origins", "origin_concentration")}
    for fig in figures.values():
        fig["detail"] = {**(fig.get("detail") or {}), "basis": "published",
                         "members_missing": []}
    members = list(area.members)
    frame, src = ev.rows("migrant_stock", {"revision": revision, "year": year,
                                           "destination": members, "sex": "total"},
                         ["origin", "destination", "stock"])
    missing = sorted(set(members) - set(frame["destination"]))
    summed = int(frame["stock"].sum())
    total = figures["immigrant_stock"]["value"]
    inside = frame["origin"].isin(members)
    unknown = int(frame.loc[frame["origin"] == UNKNOWN_ORIGIN, "stock"].sum())
    figures["members_sum"] = _figure("immigrant_stock", summed, "persons", year, [src],
                                     basis="sum", missing=missing, published=total)
    figures["top_origins"] = _figure(
        "top_origins", len(set(frame["origin"])), "origins", year, [src], basis="sum",
        missing=missing, ranking=_top(frame, "origin", summed), unknown=unknown)
    if area.code != WORLD:
        figures["intra_share"] = _figure(
            "intra_share", percent(frame.loc[inside, "stock"].sum(), summed), "percent", year,
            [src], basis="sum", missing=missing,
            intra=int(frame.loc[inside, "stock"].sum()))
    return {"figures": figures, "trend": published["trend"],
            "into": _corridors(frame[~inside]) if area.code != WORLD else _corridors(frame),
            "into_source": plain(src)}


def _emigration(ev: Evidence, area: Area, year: int, revision: str) -> dict[str, Any]:
    """Summed: people born in a member living in another country (the IMS publishes no
    origin row of the area in the store's files), by year, destination and corridor."""
    members = list(area.members)
    frame, src = ev.rows("migrant_stock", {"revision": revision, "origin": members,
                                           "sex": "total"},
                         ["year", "origin", "destination", "stock"])
    women, w_src = ev.rows("migrant_stock", {"revision": revision, "year": year,
                                             "origin": members, "sex": "female"}, ["stock"])
    now = frame[frame["year"] == year]
    missing = sorted(set(members) - set(now["origin"]))
    by_year = frame.groupby("year")["stock"].sum()
    trend = [{"year": int(str(y)), "total": int(v)} for y, v in by_year.items()]
    total = int(now["stock"].sum())
    female = int(women["stock"].sum()) if len(women) else None
    outside = ~now["destination"].isin(members)
    one_year = Source(src.view, src.filter + f" AND year = {year}", revision, src.files, (),
                      len(now))
    return {"figures": {
        "emigrant_stock": _figure("emigrant_stock", total, "persons", year, [src], basis="sum",
                                  missing=missing),
        "emigrant_female_share": _figure("emigrant_female_share", percent(female, total),
                                         "percent", year, [one_year, w_src], basis="sum",
                                         missing=missing),
        "outside_share": _figure("outside_share", percent(now.loc[outside, "stock"].sum(),
                                                          total), "percent", year,
                                 [one_year], basis="sum", missing=missing,
                                 outside=int(now.loc[outside, "stock"].sum())),
        "top_destinations": _figure("top_destinations", int(outside.sum()), "destinations",
                                    year, [one_year], basis="sum", missing=missing,
                                    ranking=_top(now[outside], "destination", total)),
    }, "trend": trend, "out_of": _corridors(now[outside]), "out_of_source": plain(one_year)}


def _refugees(ev: Evidence, area: Area, year: int) -> dict[str, Any]:
    """Summed: UNHCR's end-year rows of the members (UNHCR publishes no regional row in
    the store's file), the latest year up to the profile's; {} when it has none."""
    members = list(area.members)
    frame, _ = ev.rows("refugees", {"asylum": members}, ["year", "asylum", "refugees"],
                         revision="UNHCR")
    frame = frame[(frame["year"] <= year) & (frame["year"] >= 1990)]
    if frame.empty:
        return {}
    last = int(frame["year"].max())
    hosted, h_src = ev.rows("refugees", {"year": last, "asylum": members},
                            ["origin", "asylum", "refugees", "asylum_seekers"],
                            revision="UNHCR")
    out: dict[str, Any] = {"year": last, "figures": {
        "refugees_hosted": _figure(
            "refugees_hosted", int(hosted["refugees"].fillna(0).sum()), "persons", last,
            [h_src], basis="sum", missing=sorted(set(members) - set(hosted["asylum"])),
            asylum_seekers=int(hosted["asylum_seekers"].fillna(0).sum()),
            top=[{"area": a, "refugees": int(v)} for a, v in
                 hosted.groupby("origin")["refugees"].sum().sort_values(ascending=False)
                 .head(5).items() if v > 0])}}
    if area.code != WORLD:
        abroad, a_src = ev.rows("refugees", {"year": last, "origin": members},
                                ["origin", "asylum", "refugees"], revision="UNHCR")
        out["figures"]["refugees_abroad"] = _figure(
            "refugees_abroad", int(abroad["refugees"].fillna(0).sum()) if len(abroad) else None,
            "persons", last, [a_src], basis="sum",
            missing=sorted(set(members) - set(abroad["origin"])))
    by_year = frame.groupby("year")["refugees"].sum()
    out["trend"] = [{"year": int(str(y)), "hosted": int(v)} for y, v in by_year.items()]
    return out


def _remittances(ev: Evidence, area: Area, year: int) -> dict[str, Any]:
    """The World: WDI's own World row; a region: the product's sum of its members' WDI
    figures for the latest year of the World row (the World Bank's regions are not the
    UN's), members without a figure listed. {} when WDI has no World row."""
    world, _ = ev.rows("remittances", {"source": "WDI", "country": WDI_WORLD,
                                           "direction": "received"}, ["year", "usd"],
                           revision="WDI")
    world = world[(world["year"] <= year) & (world["usd"] > 0)]
    if world.empty:
        return {}
    ref = int(world["year"].max())
    out: dict[str, Any] = {"year": ref, "figures": {}}
    for direction in ("received", "paid"):
        key = f"remittances_{direction}"
        members = list(area.members)
        rows, src = ev.rows("remittances", {"source": "WDI", "country": members,
                                            "direction": direction, "year": ref},
                            ["country", "usd"], revision="WDI")
        rows = rows[rows["usd"] > 0]  # WDI's 0 is "not reported" (indicators.remittances)
        missing = sorted(set(members) - set(rows["country"]))
        if area.code == WORLD:  # the World Bank's own World row, beside how many report
            row, w_src = ev.rows("remittances", {"source": "WDI", "country": WDI_WORLD,
                                                 "direction": direction, "year": ref},
                                 ["usd"], revision="WDI")
            value = float(row["usd"].iloc[0]) if len(row) and row["usd"].iloc[0] > 0 else None
            out["figures"][key] = _figure(key, value, "current US$", ref, [w_src, src],
                                          basis="published", reporting=len(rows))
            continue
        out["figures"][key] = _figure(
            key, float(rows["usd"].sum()) if len(rows) else None, "current US$", ref, [src],
            basis="sum", missing=missing, reporting=len(rows))
    received, paid = (out["figures"][f"remittances_{d}"]["value"] for d in ("received", "paid"))
    # money paid and received worldwide are the same transfers: two World totals far apart
    # say how incomplete the reporting is (`tmo.indicators.remittances.disagree`); a
    # region's money paid and received are different transfers
    out["paid_received_apart"] = bool(area.code == WORLD and received and paid
                                      and disagree(received, paid))
    return out


def _messages(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The main figures as templated sentences (keys of `tmo.profiles.area_view.WORDS`)."""
    out = []

    def message(key: str, *figures: dict[str, Any], **values: Any) -> None:
        out.append({"key": key, "values": values,
                    "sources": [s for f in figures for s in f.get("sources", [])]})

    imm = doc["immigration"]["figures"]
    stock, share = imm["immigrant_stock"], imm["immigrant_share"]
    if stock["value"] is not None and share["value"] is not None:
        message("immigrants", stock, share, year=stock["year"], n=stock["value"],
                share=share["value"])
    change = imm["immigrant_change_since_1990"]
    if change["value"] is not None:
        message("change_up" if change["value"] >= 0 else "change_down", change,
                pct=abs(change["value"]))
    intra = imm.get("intra_share") or {}
    if intra.get("value") is not None:
        message("intra", intra, pct=intra["value"])
    emi = (doc.get("emigration") or {}).get("figures") or {}
    if emi and emi["emigrant_stock"]["value"]:
        message("emigrants", emi["emigrant_stock"], emi["outside_share"],
                n=emi["emigrant_stock"]["value"], pct=emi["outside_share"]["value"])
    ref = (doc.get("refugees") or {}).get("figures") or {}
    if ref.get("refugees_hosted", {}).get("value") is not None:
        message("refugees", ref["refugees_hosted"], year=ref["refugees_hosted"]["year"],
                n=ref["refugees_hosted"]["value"])
    rem = (doc.get("remittances") or {}).get("figures") or {}
    received = rem.get("remittances_received") or {}
    if received.get("value") is not None:
        message("remittances_" + received["detail"]["basis"], received,
                year=received["year"], usd=received["value"],
                missing=len(received["detail"]["members_missing"]))
    return out


def _cited(obj: Any) -> set[str]:
    if isinstance(obj, dict):
        files = set(obj.get("files", ())) if "view" in obj and "filter" in obj else set()
        return files.union(*(_cited(v) for v in obj.values())) if obj else files
    if isinstance(obj, list):
        return set().union(*(_cited(v) for v in obj)) if obj else set()
    return set()


def build_area_profile_from(con: duckdb.DuckDBPyConnection, code: str, year: int | None = None,
                            revision: str | None = None, *,
                            known: list[Area] | None = None) -> dict[str, Any]:
    """The area profile document of `code` (a `UN:<m49>` code of `areas`; `known`, the
    areas when the caller has read them already)."""
    ev = Evidence(con)
    revision = facts.revision_or_latest(con, revision)
    year = facts.year_or_default(con, revision, year)
    area = next((a for a in known or areas(con, revision) if a.code == code), None)
    if area is None:
        raise NotFound(f"no area profile for {code!r} in the International Migrant Stock "
                       f"{revision}", hint="`tmo profiles --all` lists the areas with a "
                                           "profile in its index")
    doc: dict[str, Any] = {
        "schema": SCHEMA, "tmo_version": __version__,
        "area": {"code": area.code, "name": area.name, "kind": area.kind,
                 "members": list(area.members), "members_from": area.members_from,
                 "members_source": {"view": "country_groups",
                                    "filter": describe({"group_code": area.members_from}),
                                    "n_rows": len(area.members)}},
        "year": year, "revision": revision, "years": facts.years(con, revision),
        "immigration": _immigration(ev, area, year, revision),
    }
    if area.code != WORLD:
        doc["emigration"] = _emigration(ev, area, year, revision)
    doc["refugees"] = _refugees(ev, area, year)
    doc["remittances"] = _remittances(ev, area, year)
    doc["demography"] = plain(demography(ev, area.code, area=True))
    doc = plain(doc)
    doc["key_messages"] = _messages(doc)
    cited = _cited(doc)
    doc["sources"] = [r for r in facts.provenance(con) if r["file"] in cited]
    return doc
