"""`build_profile`: the plain data of a country's Migration Profile.

The JSON output is exactly this data; the HTML, PDF and Markdown renderers and the
web pages only show it.
"""

from __future__ import annotations

from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import duckdb

from tmo import __version__
from tmo.errors import NotFound
from tmo.indicators.definitions import indicators
from tmo.indicators.evidence import Evidence
from tmo.indicators.refugees import refugees
from tmo.indicators.remittances import remittances
from tmo.indicators.stocks import corridor, emigration, immigration, population
from tmo.store.query import connect
from tmo.vocabulary import UNKNOWN_ORIGIN, WORLD


def plain(obj: Any) -> Any:
    """Dataclasses, tuples and numpy scalars to JSON-ready builtins."""
    if is_dataclass(obj):
        return plain(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, str):
        return obj.item()
    if isinstance(obj, float) and obj != obj:
        return None
    return obj


def revisions(ev: Evidence) -> list[str]:
    return ev.sql("SELECT DISTINCT revision FROM destination_stock ORDER BY 1")["revision"].tolist()


def default_year(ev: Evidence, revision: str) -> int:
    return int(ev.sql("SELECT max(year) AS y FROM destination_stock WHERE revision = ?",
                      [revision])["y"].iloc[0])


def country_record(ev: Evidence, iso3: str) -> dict[str, Any]:
    frame = ev.sql("SELECT * FROM countries WHERE iso3 = ?", [iso3])
    if frame.empty:
        raise NotFound(f"{iso3} is not a country or area of the store")
    rec = frame.drop(columns=[c for c in frame.columns if c.startswith("src_")]).iloc[0]
    return plain(rec.to_dict())


def names(ev: Evidence) -> dict[str, str]:
    """Area code -> English name: UN DESA's own names where the IMS workbooks give one
    (later revisions win), else the reference names."""
    frame = ev.sql("""SELECT iso3 AS code, name, '0' AS k FROM countries
                      UNION ALL SELECT DISTINCT group_code, group_name, '1' FROM country_groups
                      UNION ALL SELECT area, name, '2 ' || source FROM area_names
                      ORDER BY k""")
    return dict(zip(frame["code"], frame["name"], strict=False))


def names_by_lang(ev: Evidence) -> dict[str, dict[str, str]]:
    """Country names in French and Spanish (official short names, UN terminology)."""
    frame = ev.sql("SELECT iso3, name_fr, name_es FROM countries")
    return {lang: {r.iso3: getattr(r, f"name_{lang}") for r in frame.itertuples()
                   if isinstance(getattr(r, f"name_{lang}"), str) and getattr(r, f"name_{lang}")}
            for lang in ("fr", "es")}


def regional(ev: Evidence, iso3: str, year: int, revision: str) -> list[dict[str, Any]]:
    """Immigrants' share of the population: the country, its UN subregion and region, the world."""
    groups = ev.sql("""SELECT DISTINCT group_code, group_name, group_type FROM country_groups
                       WHERE member = ? AND group_type IN ('un_subregion', 'un_region')""",
                    [iso3])
    areas = [(iso3, "country")]
    for kind in ("un_subregion", "un_region"):
        sel = groups[groups["group_type"] == kind]
        if not sel.empty:
            areas.append((sel["group_code"].iloc[0], kind))
    areas.append((WORLD, "world"))
    out = []
    for area, kind in areas:
        stock, s_src = ev.rows("destination_stock", {"revision": revision, "year": year,
                                                     "destination": area, "sex": "total"},
                               ["stock"])
        pop, p_src = population(ev, area, revision)
        pop = pop[(pop["year"] == year) & (pop["sex"] == "total")]
        if stock.empty or pop.empty:
            continue
        share = 100 * float(stock["stock"].iloc[0]) / float(pop["value"].iloc[0])
        out.append({"area": area, "level": kind, "immigrant_share": share,
                    "immigrant_stock": int(stock["stock"].iloc[0]),
                    "sources": [plain(s_src), plain(p_src)]})
    return out


def corridors(imm: dict[str, Any], emi: dict[str, Any], limit: int = 10) -> list[dict[str, Any]]:
    """The country's largest corridors: immigrants from and emigrants to each partner."""
    inbound = {r["area"]: r["stock"] for r in imm["by_origin"]}
    outbound = {r["area"]: r["stock"] for r in emi["by_destination"]}
    partners = (set(inbound) | set(outbound)) - {UNKNOWN_ORIGIN}
    rows = [{"partner": p, "immigrants_from": inbound.get(p, 0),
             "emigrants_to": outbound.get(p, 0)} for p in partners]
    rows.sort(key=lambda r: -(r["immigrants_from"] + r["emigrants_to"]))
    return rows[:limit]


def build_profile_from(con: duckdb.DuckDBPyConnection, iso3: str, year: int | None = None,
                       revision: str | None = None) -> dict[str, Any]:
    ev = Evidence(con)
    known = revisions(ev)
    revision = revision or (known[-1] if known else None)
    if revision not in known:
        raise NotFound(f"revision {revision!r} is not in the store; available: {known}")
    years = ev.sql("SELECT DISTINCT year FROM destination_stock WHERE revision = ? ORDER BY 1",
                   [revision])["year"].tolist()
    year = year or default_year(ev, revision)
    if year not in years:
        raise NotFound(f"year {year} is not an estimate year of IMS {revision}; "
                       f"available: {', '.join(map(str, years))}")
    country = country_record(ev, iso3)
    imm = immigration(ev, iso3, year, revision)
    emi = emigration(ev, iso3, year, revision)
    top = corridors(imm, emi)
    imm_total = imm["figures"]["immigrant_stock"].value
    emi_total = emi["figures"]["emigrant_stock"].value
    net = None if imm_total is None or emi_total is None else imm_total - emi_total
    sources = ev.sql("SELECT source, file, revision, publisher, licence, citation, sha256, "
                     "retrieved_at FROM provenance ORDER BY source, file")
    return plain({
        "schema": "tmo.profile/1",
        "tmo_version": __version__,
        "country": country,
        "year": year,
        "revision": revision,
        "years": years,
        "names": names(ev),
        "names_by_lang": names_by_lang(ev),
        "immigration": imm,
        "emigration": emi,
        "corridors": top,
        "corridor_trends": [corridor(ev, iso3, r["partner"], revision) for r in top[:3]],
        "net_position": {"indicator": "net_position", "value": net, "unit": "persons",
                         "year": year},
        "refugees": refugees(ev, iso3, year),
        "remittances": remittances(ev, iso3, year),
        "regional": regional(ev, iso3, year, revision),
        "indicators": {k: plain(v) for k, v in indicators().items()},
        "sources": sources.to_dict("records"),
    })


def build_profile(store: Path, iso3: str, year: int | None = None,
                  revision: str | None = None) -> dict[str, Any]:
    """The plain data of `iso3`'s Migration Profile for `year` in IMS `revision`
    (defaults: the latest revision in the store and its latest year)."""
    con = connect(store)
    try:
        return build_profile_from(con, iso3, year, revision)
    finally:
        con.close()
