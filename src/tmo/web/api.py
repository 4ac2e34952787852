"""JSON API under /api/v1: the same data as the command line, in one envelope."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from tmo.errors import InputError, NotFound
from tmo.indicators import maps
from tmo.indicators.stocks import corridor
from tmo.profiles.context import plain
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.store.flow_intervals import flow_cells
from tmo.web.envelope import ok
from tmo.web.schemas import (
    DEFAULT_METHOD,
    CorridorAnswer,
    CountriesAnswer,
    CountryAnswer,
    FlowsAnswer,
    HealthAnswer,
    IndicatorAnswer,
    Method,
    PracticeAnswer,
    PracticesAnswer,
    ProfileAnswer,
    ProjectedFlowsAnswer,
    ProjectionsAnswer,
    Sex,
)
from tmo.web.state import Snapshot, WebState, evidence, snapshot, state

router = APIRouter(prefix="/api/v1", tags=["api"])
# ISO 3166 alpha-3, or a three-character code of the reference that lists the place
# (AB9, Abyei, as UNHCR and IDMC code it): the countries list gives both
CODE = r"^[A-Za-z][A-Za-z0-9]{2}$"
ISO3 = Path(pattern=CODE, description="ISO 3166 alpha-3 code (or the reference's own, e.g. AB9)")
Ev = Annotated[Evidence, Depends(evidence)]
St = Annotated[WebState, Depends(state)]
Snap = Annotated[Snapshot, Depends(snapshot)]
MAPPED = "^(" + "|".join(maps.MAP_INDICATORS) + ")$"
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "JSON, or CSV with format=csv"}}


def whole_persons(rows: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    """The rounding rule of the API: estimated or projected persons (flows, projected
    stocks and their intervals) to whole persons; published counts are integers already
    and indicator values keep the profile's precision (so they equal its figures)."""
    return [{**r, **{c: None if r.get(c) is None else round(r[c]) for c in columns if c in r}}
            for r in rows]


def csv_response(rows: list[dict[str, Any]], columns: list[str], filename: str) -> Response:
    """The same rows as the JSON answer, as a CSV download."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/health", summary="Liveness, the store's build and its fingerprint",
            response_model=HealthAnswer)
def health(ev: Ev, st: St, snap: Snap) -> dict[str, Any]:
    return ok({**facts.build_info(ev.con), "profiles_stored": len(snap.documents),
               "reloads": st.reloads})


@router.get("/countries", summary="Countries and areas, with their UN and World Bank groups",
            response_model=CountriesAnswer)
def countries(ev: Ev, snap: Annotated[Snapshot, Depends(snapshot)]) -> dict[str, Any]:
    # the stored default profiles and the partial ones (tmo.profiles.partial)
    profiled = {key[0] for key in snap.answers} | snap.partial
    return ok({"countries": [{**c, "profile": c["iso3"] in profiled}
                             for c in plain(facts.countries_table(ev.con))],
               "groups": facts.groups(ev.con)})


@router.get("/countries/{iso3}", summary="One country or area: names, groups, links",
            response_model=CountryAnswer)
def country(ev: Ev, snap: Snap, iso3: Annotated[str, ISO3]) -> dict[str, Any]:
    code = facts.require_country(ev.con, iso3)
    record = next(c for c in plain(facts.countries_table(ev.con)) if c["iso3"] == code)
    every = facts.groups(ev.con)
    names = {g["group_code"]: g for g in every}
    kinds = tuple(sorted({g["group_type"] for g in every}))
    mine = facts.member_groups(ev.con, code, kinds) if kinds else {}
    profiled = code in {key[0] for key in snap.answers} | snap.partial
    links = {"corridors": f"/api/v1/corridors/{code}/{{other}}",
             "remittances": f"/api/v1/remittances/countries/{code}"}
    if profiled:
        links |= {"profile": f"/api/v1/countries/{code}/profile",
                  "page": f"/countries/{code}"}
    return ok({**record, "profile": profiled, "links": links,
               "groups": [names[g] for g in sorted(mine.values()) if g in names]})


@router.get("/countries/{iso3}/profile", summary="A country's Migration Profile (its document)",
            responses={200: {"model": ProfileAnswer, "description": "the profile"}})
async def profile(request: Request, iso3: Annotated[str, ISO3],
                  year: int | None = Query(None, ge=1990, le=2100),
                  revision: str | None = Query(None, max_length=10)) -> Response:
    # async: the stored default profiles are sent from the event loop; others are built
    # on a worker thread. The ETag is the build's fingerprint (the store is immutable).
    snap: Snapshot = request.app.state.tmo.current
    key = snap.key(iso3, year, revision)
    answer = snap.answers.get(key)
    if answer is None:
        answer = await run_in_threadpool(snap.answer, key)
    gz = "gzip" in request.headers.get("accept-encoding", "")
    etag = f'"{snap.fingerprint}{"-gz" if gz else ""}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={**headers, "Vary": "Accept-Encoding"})
    if gz:
        return Response(answer.body_gz, media_type="application/json",
                        headers={**headers, "Content-Encoding": "gzip",
                                 "Vary": "Accept-Encoding"})
    return Response(answer.body, media_type="application/json",  # GZipMiddleware adds Vary
                    headers=headers)


@router.get("/corridors/{a}/{b}", summary="Stock in both directions of a corridor, and flows",
            response_model=CorridorAnswer, responses=CSV)
def corridors(ev: Ev, a: Annotated[str, ISO3], b: Annotated[str, ISO3],
              revision: str | None = Query(None, max_length=10),
              format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    a, b = facts.require_country(ev.con, a), facts.require_country(ev.con, b)
    if a == b:
        raise InputError("a corridor needs two different countries")
    rev = facts.revision_or_latest(ev.con, revision)
    stocks = plain(corridor(ev, a, b, rev))
    flows = whole_persons(plain(facts.flow_rows(ev.con, rev, countries=[a, b], pair=True,
                                                limit=1000)), ["flow"])
    if format == "csv":  # the stock in both directions, a row per direction and year
        rows = [{"origin": d["origin"], "destination": d["destination"], **r,
                 "source_files": "; ".join(d["source"]["files"]),
                 "source_query": f"SELECT * FROM {d['source']['view']} "
                                 f"WHERE {d['source']['filter']} AND year = {r['year']}"}
                for d in stocks.values() for r in d["trend"]]
        return csv_response(rows, ["origin", "destination", "year", "total", "female", "male",
                                   "source_files", "source_query"],
                            f"corridor-{a}-{b}-{rev}.csv")
    return ok({"revision": rev, "stocks": stocks, "flows": flows})


@router.get("/flows", summary="Estimated flows by method and period, largest first",
            response_model=FlowsAnswer,
            responses={200: {"content": {"text/csv": {}},
                             "description": "the flows (JSON, or CSV with format=csv)"}})
def flows(ev: Ev, *, revision: str | None = Query(None, max_length=10,
                                                   description="IMS revision (default latest)"),
          method: Method = Query(DEFAULT_METHOD,
                                 description="the estimation method (docs/flows.md); one "
                                             "with nothing stored answers 404"),
          sex: Sex = Query(Sex.total, description="the sex of the migrants; one with "
                                                  "nothing stored answers 404"),
          period_start: int | None = Query(None, ge=1950, le=2100,
                                           description="first year of a stored period"),
          country: str | None = Query(None, pattern=CODE,
                                      description="ISO3: flows from or to it"),
          limit: int = Query(100, ge=1, le=5000, description="at most this many, largest first"),
          format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    rev = facts.revision_or_latest(ev.con, revision)
    name = method.value
    stored = facts.stored_methods(ev.con, rev)
    if name not in stored:
        raise NotFound(f"no flows are stored for the method {name!r} in IMS {rev}",
                       hint=f"stored: {', '.join(stored)}" if stored else "run `tmo flows`")
    sexes = facts.stored_sexes(ev.con, rev, name)
    if sex.value not in sexes:
        raise NotFound(f"no {sex.value} flows are stored for the method {name!r} in IMS "
                       f"{rev}", hint=f"stored: sex={', sex='.join(sexes)}")
    starts = facts.years(ev.con, rev)[:-1]
    if period_start is not None and period_start not in starts:
        raise NotFound(f"no period starts in {period_start} in IMS {rev}",
                       hint=f"periods start in {', '.join(map(str, starts))}")
    codes = [facts.require_country(ev.con, country)] if country else None
    rows = whole_persons(plain(facts.flow_rows(ev.con, rev, method=name, sex=sex.value,
                                               period=period_start, countries=codes,
                                               limit=limit)), ["flow"])
    if format == "csv":
        return csv_response(rows, ["method", "sex", "period_start", "period_end", "origin",
                                   "destination", "flow"], f"flows-{rev}-{name}.csv")
    return ok(rows, revision=rev, method=name, count=len(rows))


PROJECTION_COLUMNS = ["revision", "jump_off", "year", "origin", "destination", "sex",
                      "jump_off_stock", "median", "lower80", "upper80", "lower95", "upper95",
                      "constant", "linear", "loglinear", "drift", "draws", "seed", "ceiling",
                      "held", "wpp_revision"]


@router.get("/projections", summary="Projected migrant stocks with 80 % and 95 % intervals",
            response_model=ProjectionsAnswer, responses=CSV)
def projections(ev: Ev, *, country: str | None = Query(None, pattern=CODE),
                horizon: int | None = Query(None, ge=2025, le=2100),
                sex: str = Query("total", pattern="^(total|female|male)$"),
                totals: bool = False, limit: int = Query(1000, ge=1, le=200_000),
                format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    code = facts.require_country(ev.con, country) if country else None
    frame = facts.projection_rows(ev.con, country=code, years=[horizon] if horizon else None,
                                  sexes=(sex,), corridors=not totals)
    if frame.empty:
        raise NotFound("the store holds no projections"
                       + (f" for {horizon}" if horizon else ""),
                       hint="`tmo projections run` projects every corridor to 2030-2050")
    rows = whole_persons(plain(frame.head(limit).reindex(columns=PROJECTION_COLUMNS)
                               .to_dict(orient="records")),
                         ["jump_off_stock", "median", "lower80", "upper80", "lower95",
                          "upper95", "ceiling"])
    if format == "csv":
        return csv_response(rows, PROJECTION_COLUMNS, "projections.csv")
    return ok(rows, revision=rows[0]["revision"], jump_off=rows[0]["jump_off"],
              count=len(rows), method="docs/projections.md")


PROJECTED_FLOW_COLUMNS = ["revision", "jump_off", "wpp_revision", "scenario", "method",
                          "kind", "sex", "period_start", "period_end", "origin",
                          "destination", "flow", "lower80", "upper80", "lower95", "upper95",
                          "draws", "backtested", "caveat"]
PROJECTED_FLOW_CAVEAT = ("projected: what the projected stocks and WPP's medium variant imply "
                         "together, not a forecast of moves; not backtested (no projected "
                         "flows were ever published to score them against; the method's "
                         "intervals are backtested on past years only: docs/projections.md)")


@router.get("/projections/flows", summary="Projected flows of a country with their intervals",
            response_model=ProjectedFlowsAnswer, responses=CSV)
def projected_flows(ev: Ev, *, country: str = Query(..., pattern=CODE),
                    period: int | None = Query(None, ge=2000, le=2100,
                                               description="the first year of a period "
                                               "(1 July), e.g. 2024; default: every period"),
                    sex: Sex = Sex.total,
                    scenario: str = Query("median",
                                          pattern="^(median|lower80|upper80|draws)$",
                                          description="median, lower80, upper80 or draws"),
                    limit: int = Query(100, ge=1, le=100_000),
                    format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    code = facts.require_country(ev.con, country)
    cells = flow_cells(ev.con, code, scenario=scenario, sex=sex.value, period=period)
    frame = cells.frame[cells.frame["flow"].notna()]
    if frame.empty:
        raise NotFound(f"the store holds no projected flows for {code}"
                       + (f" from {period}" if period else ""),
                       hint="`tmo projections flows run` estimates them between the "
                       "projected stocks")
    rows = whole_persons(plain(frame.head(limit).assign(
        draws=cells.draws, backtested=False, caveat=PROJECTED_FLOW_CAVEAT)[PROJECTED_FLOW_COLUMNS]
        .to_dict(orient="records")), ["flow", "lower80", "upper80", "lower95", "upper95"])
    if format == "csv":
        return csv_response(rows, PROJECTED_FLOW_COLUMNS, f"projected-flows-{code}.csv")
    return ok(rows, revision=rows[0]["revision"], wpp_revision=rows[0]["wpp_revision"],
              count=len(rows), method="docs/projections.md",
              source=f"projected_flows WHERE {cells.filter}", files=list(cells.files),
              rows=cells.n_rows)


@router.get("/practices", summary="Search the good practices, with facets",
            response_model=PracticesAnswer)
def practices(st: St, *, q: str | None = Query(None, max_length=500),
              country: str | None = Query(None, max_length=60),
              theme: str | None = Query(None, max_length=60),
              level: str | None = Query(None, max_length=20),
              limit: int = Query(10, ge=1, le=100),
              lang: str | None = Query(None, pattern="^(en|fr|es)$",
                                       description="language of the no-match message "
                                                   "(default: the question's)")
              ) -> dict[str, Any]:
    """With `q` (English, French or Spanish), the practices above the relevance floor, best
    first; none above it: an empty list and `meta.message`, which says so and states what
    the repository covers."""
    catalog = st.practices_catalog()
    if q and q.strip():
        engine = st.practices_search()
        hits = [h.to_dict() for h in engine.search(
            q, country=country, theme=theme, level=level, limit=limit)]
        if not hits:
            return ok(hits, facets=catalog.facets(), count=0,
                      message=engine.no_match(q, lang))
    else:
        records = catalog.filter(country=country, theme=theme, level=level) \
            if (country or theme or level) else catalog.records
        hits = [{k: r.to_dict()[k] for k in ("id", "title", "countries", "themes", "level",
                                              "summary")} for r in records[:limit]]
    return ok(hits, facets=catalog.facets(), count=len(hits))


@router.get("/practices/{practice_id}", summary="One good practice, whole, with its source",
            response_model=PracticeAnswer)
def practice(st: St, practice_id: str = Path(pattern=r"^[a-z0-9-]{1,80}$")) -> dict[str, Any]:
    return ok(st.practices_catalog().get(practice_id).to_dict())


@router.get("/indicators/{indicator}", summary="One indicator for every country (for maps)",
            response_model=IndicatorAnswer,
            responses={200: {"content": {"text/csv": {}},
                             "description": "the values (JSON, or CSV with format=csv)"}})
def indicator_table(ev: Ev, indicator: str = Path(pattern=MAPPED,
                                                  description="a map indicator (docs/web.md)"),
                    year: int | None = Query(None, ge=1990, le=2100,
                                             description="an estimate year (default latest)"),
                    revision: str | None = Query(None, max_length=10,
                                                 description="IMS revision (default latest)"),
                    format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    rev = facts.revision_or_latest(ev.con, revision)
    year = facts.year_or_default(ev.con, rev, year)
    rows = maps.table(ev, indicator, rev, year)
    if format == "csv":
        return csv_response(rows, ["iso3", "value", "stock"], f"{indicator}-{rev}-{year}.csv")
    return ok(rows, indicator=indicator, revision=rev, year=year)
