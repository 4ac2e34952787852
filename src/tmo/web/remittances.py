"""Remittance costs on the web (docs/remittances.md): a page comparing corridors (pick a
sender and a receiver; cost over time against SDG 10.c and the regional average, the
volume, the fees lost, the cheapest and dearest corridors of the same sender and
receiver) in English, French or Spanish, and JSON API routes answering as
`tmo remittances` does. The store's remittance frames are read once per store file."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, Response

from tmo.errors import NotFound
from tmo.profiles import charts
from tmo.profiles.i18n import LANGUAGES, Locale
from tmo.remittances import data as rdata
from tmo.remittances import report
from tmo.remittances.tables import corridor_csv, country_csv, sdg_csv
from tmo.remittances.targets import CORRIDOR_CEILING, SDG_AVERAGE
from tmo.store import facts
from tmo.web.envelope import ok
from tmo.web.pages import page
from tmo.web.schemas import RemittancesAnswer
from tmo.web.state import Snapshot, snapshot

api = APIRouter(prefix="/api/v1/remittances", tags=["api"])
pages = APIRouter(include_in_schema=False)
router = APIRouter()
ISO3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 code")
CODE = r"^[A-Za-z]{3}$"
FORMAT = Query("json", pattern="^(json|csv)$")
TYPED: dict[str, Any] = {"response_model": RemittancesAnswer, "responses": {
    200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}}}
REGIONS = {"East Asia & Pacific": "eap", "Europe & Central Asia": "eca",
           "Latin America & Caribbean": "lac", "Middle East & North Africa": "mena",
           "North America": "na", "South Asia": "sa", "Sub-Saharan Africa": "ssa"}
_kept: dict[str, rdata.RemittanceData] = {}
_lock = threading.Lock()


def remittance_data(snap: Snapshot = Depends(snapshot)) -> rdata.RemittanceData:
    """The snapshot's remittance frames, read once per store file (two kept)."""
    with _lock:
        found = _kept.get(snap.fingerprint)
        if found is None:
            with snap.cursor() as cur:
                found = rdata.load(cur)
            if len(_kept) >= 2:
                _kept.pop(next(iter(_kept)))
            _kept[snap.fingerprint] = found
        return found


Data = Annotated[rdata.RemittanceData, Depends(remittance_data)]


def _code(snap: Snapshot, code: str) -> str:
    with snap.cursor() as cur:
        return facts.require_country(cur, code)


def _csv(text: str, name: str) -> Response:
    return Response(text, media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


@api.get("/corridors/{sender}/{receiver}",
         summary="A corridor's cost every quarter, trend, volume and fees lost", **TYPED)
def corridor_route(data: Data, sender: Annotated[str, ISO3], receiver: Annotated[str, ISO3],
                   snap: Snapshot = Depends(snapshot), format: str = FORMAT) -> Any:
    doc = report.corridor(data, _code(snap, sender), _code(snap, receiver))
    if format == "csv":
        return _csv(corridor_csv(doc), f"remittances-{doc['sender']}-{doc['receiver']}")
    return ok(doc)


@api.get("/countries/{iso3}",
         summary="A country's corridors as receiver and sender, averages, light, fees",
         **TYPED)
def country_route(data: Data, iso3: Annotated[str, ISO3], snap: Snapshot = Depends(snapshot),
                  format: str = FORMAT) -> Any:
    doc = report.country(data, _code(snap, iso3))
    if format == "csv":
        return _csv(country_csv(doc), f"remittances-{doc['country']}")
    return ok(doc)


@api.get("/sdg", summary="SDG 10.c in a quarter: corridors priced, above 5 %, at or below 3 %",
         **TYPED)
def sdg_route(data: Data, quarter: str | None = Query(None, pattern=r"^\d{4}Q[1-4]$"),
              format: str = FORMAT) -> Any:
    doc = report.sdg(data, quarter)
    if format == "csv":
        return _csv(sdg_csv(doc), f"remittances-sdg-{doc['quarter']}")
    return ok(doc)


@api.get("/world", summary="SDG 10.c every quarter, the world's fees and savings",
         response_model=RemittancesAnswer)
def world_route(data: Data) -> Any:
    return ok(report.world(data))


def _region(t: Locale, region: str | None) -> str:
    return t.t(f"rem_region_{REGIONS[region]}") if region in REGIONS else (region or "–")


def _choices(data: rdata.RemittanceData, side: str, names: dict[str, str]
             ) -> list[tuple[str, str]]:
    codes = set(data.costs[side])
    return sorted(((c, names.get(c, c)) for c in codes), key=lambda cn: cn[1])


def _ranking(rows: list[dict[str, Any]], key: str, names: dict[str, str], t: Locale
             ) -> list[dict[str, Any]]:
    out = []
    for r in rows:
        cost = r["cost_pct"]
        status = ("rem_above_5" if cost > CORRIDOR_CEILING else
                  "rem_at_or_below_3" if cost <= SDG_AVERAGE else "rem_between")
        out.append({"name": names.get(r[key], r[key]), "sender": r["sender"],
                    "receiver": r["receiver"], "cost": t.percent(cost, 2),
                    "status": t.t(status), "row": r["src_row"],
                    "href": f"/remittances?sender={r['sender']}&receiver={r['receiver']}"})
    return out


def _money(t: Locale, value: float | None) -> str:
    return "–" if value is None else t.t("rem_usd_million", value=t.number(value / 1e6, 1))


def corridor_view(doc: dict[str, Any], t: Locale, names: dict[str, str]) -> dict[str, Any]:
    """Everything the page shows of a corridor, in the page's language."""
    s, r = doc["sender"], doc["receiver"]
    sn, rn = names.get(s, s), names.get(r, r)
    region = _region(t, doc["region"])
    title = t.t("rem_cost_title", sender=sn, receiver=rn)
    series = [(t.t("rem_series_corridor", sender=sn, receiver=rn),
               [(p["period"], p["cost_pct"]) for p in doc["series"]])]
    if doc["regional_average"]:
        series.append((t.t("rem_series_region", region=region),
                       [(p["period"], p["cost_pct"]) for p in doc["regional_average"]]))
    chart = charts.quarter_chart(series, title=title, fmt=lambda v: t.percent(v, 1),
                                 targets=[(t.t("rem_target_5"), CORRIDOR_CEILING),
                                          (t.t("rem_target_3"), SDG_AVERAGE)])
    lines: list[str] = []
    trend = doc["trend"]
    if trend["quarters"]:
        slope = trend["slope_pp_per_year"]
        lines.append(t.t("rem_summary", quarters=trend["quarters"],
                         first=trend["first"]["period"],
                         first_cost=t.percent(trend["first"]["cost_pct"], 2),
                         last=trend["last"]["period"],
                         last_cost=t.percent(trend["last"]["cost_pct"], 2),
                         average=t.percent(doc["average_pct"], 2),
                         slope="–" if slope is None else
                         ("+" if slope > 0 else "") + t.number(slope, 2)))
        lines.append(t.t("rem_quarters_above", n=len(doc["quarters_above_5"])) + " "
                     + t.t("rem_quarters_below", n=len(doc["quarters_at_or_below_3"])))
    else:
        lines.append(t.t("rem_no_cost"))
    money = [t.t("rem_volume", year=v["year"], value=_money(t, v["usd"]))
             for v in doc["volume"]] or [t.t("rem_no_volume")]
    fees = doc["fees"]
    if fees:
        money.append(t.t("rem_fees_line", fees=_money(t, fees["fees"]),
                         volume=_money(t, fees["usd"]), volume_year=fees["volume_year"],
                         cost=t.percent(fees["cost_pct"], 2), cost_year=fees["cost_year"],
                         saved5=_money(t, fees["saved_at_5"]),
                         saved3=_money(t, fees["saved_at_3"])))
        if fees["years_differ"]:
            money.append(t.t("rem_years_differ", volume_year=fees["volume_year"],
                             cost_year=fees["cost_year"]))
    row = t.t("rem_row")
    sources = [f"{', '.join(doc['cost_source']['files'])}, {row} {doc['series'][0]['src_row']}"
               ] if doc["series"] else []
    sources += [f"{v['src_file']}, {v['src_sheet']}, {row} {v['src_row']}"
                for v in doc["volume"]]
    quarter = doc["latest_quarter"]
    return {"sender": s, "receiver": r, "title": title, "chart": chart, "lines": lines,
            "money": money, "region_note": t.t("rem_region_note", region=region)
            if doc["regional_average"] else None,
            "from_sender": _ranking(doc["from_sender"], "receiver", names, t),
            "to_receiver": _ranking(doc["to_receiver"], "sender", names, t),
            "from_title": t.t("rem_from_sender", country=sn, quarter=quarter),
            "to_title": t.t("rem_to_receiver", country=rn, quarter=quarter),
            "sources": sources,
            "downloads": [(fmt.upper(), f"/api/v1/remittances/corridors/{s}/{r}?format={fmt}")
                          for fmt in ("csv", "json")]}


@pages.get("/remittances", response_class=HTMLResponse)
def remittances_page(data: Data, snap: Snapshot = Depends(snapshot),
                     sender: str | None = Query(None, pattern=f"{CODE}|^$"),
                     receiver: str | None = Query(None, pattern=f"{CODE}|^$"),
                     lang: str = Query("en", pattern="^(en|fr|es)$")) -> HTMLResponse:
    """The picker, the world's SDG 10.c count, and the chosen corridor."""
    t = Locale(lang)
    names = snap.lexicon.names_in(lang)
    world = report.sdg(data)
    ctx: dict[str, Any] = {
        "t": t, "lang": lang, "title": t.t("rem_page_title"),
        "senders": _choices(data, "sender", names),
        "receivers": _choices(data, "receiver", names),
        "sender": (sender or "").upper(), "receiver": (receiver or "").upper(),
        "world": t.t("rem_world", quarter=world["quarter"], priced=world["priced"],
                     average=t.percent(world["average_pct"], 2),
                     weighted=t.percent(world["weighted_pct"], 2), above=world["above_5"],
                     below=world["at_or_below_3"]),
        "langs": [(code, Locale(code).t("language"),
                   f"/remittances?sender={sender or ''}&receiver={receiver or ''}&lang={code}")
                  for code in LANGUAGES]}
    if sender and receiver:
        s, r = _code(snap, sender), _code(snap, receiver)
        try:
            ctx["c"] = corridor_view(report.corridor(data, s, r), t, names)
        except NotFound:  # not priced: say so in the page's language, with the neighbours
            quarter = report.latest_quarter(data)
            ctx["missing"] = {
                "text": t.t("rem_no_cost"),
                "from_sender": _ranking(report.ranking(data, "sender", s, quarter),
                                        "receiver", names, t),
                "to_receiver": _ranking(report.ranking(data, "receiver", r, quarter),
                                        "sender", names, t),
                "from_title": t.t("rem_from_sender", country=names.get(s, s), quarter=quarter),
                "to_title": t.t("rem_to_receiver", country=names.get(r, r), quarter=quarter),
                "sender": s, "receiver": r}
    return page("remittances.html", **ctx)


router.include_router(api)
router.include_router(pages)
