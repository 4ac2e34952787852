"""JSON API under /api/v1: the same data as the command line, in one envelope."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from tmo.errors import InputError, NotFound
from tmo.indicators.evidence import Evidence
from tmo.indicators.stocks import corridor
from tmo.profiles.context import plain, revisions
from tmo.web.envelope import ok
from tmo.web.state import WebState, evidence, state

router = APIRouter(prefix="/api/v1", tags=["api"])
ISO3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 code")
Ev = Annotated[Evidence, Depends(evidence)]
St = Annotated[WebState, Depends(state)]


def _country(ev: Evidence, iso3: str) -> str:
    code = iso3.upper()
    if ev.sql("SELECT 1 FROM countries WHERE iso3 = ?", [code]).empty:
        raise NotFound(f"unknown country {iso3!r}", hint="GET /api/v1/countries lists them")
    return code


def _revision(ev: Evidence, revision: str | None) -> str:
    known = revisions(ev)
    if revision is None:
        return known[-1]
    if revision not in known:
        raise NotFound(f"revision {revision!r} is not in the store; available: {known}")
    return revision


def csv_response(rows: list[dict[str, Any]], columns: list[str], filename: str) -> Response:
    """The same rows as the JSON answer, as a CSV download."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue(), media_type="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/health", summary="Liveness, the store's build, and the profile warm-up")
def health(ev: Ev, st: St) -> dict[str, Any]:
    info = ev.sql("SELECT key, value FROM build_info")
    return ok({**dict(zip(info["key"], info["value"], strict=True)),
               "profiles": st.profiles.status()})


@router.get("/countries", summary="Countries and areas, with their UN and World Bank groups")
def countries(ev: Ev) -> dict[str, Any]:
    frame = ev.sql("""SELECT iso3, iso2, m49, name, name_fr, name_es, region, subregion,
                             sdg_region, wb_income, kind FROM countries ORDER BY name""")
    groups = ev.sql("""SELECT DISTINCT group_code, group_name, group_type FROM country_groups
                       ORDER BY group_type, group_code""")
    return ok({"countries": plain(frame.to_dict("records")),
               "groups": groups.to_dict("records")})


@router.get("/countries/{iso3}/profile", summary="A country's Migration Profile (plain data)")
async def profile(request: Request, iso3: Annotated[str, ISO3],
                  year: int | None = Query(None, ge=1990, le=2100),
                  revision: str | None = Query(None, max_length=10)) -> Response:
    # async: a kept answer is sent from the event loop; a build runs on the cache's pool
    cache = request.app.state.tmo.profiles
    key = (iso3.upper(), year, revision)
    answer = cache.get(key) or await asyncio.wrap_future(cache.future(key))
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(answer.body_gz, media_type="application/json",
                        headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(answer.body, media_type="application/json")  # GZipMiddleware adds Vary


@router.get("/corridors/{a}/{b}", summary="Stock in both directions of a corridor, and flows")
def corridors(ev: Ev, a: Annotated[str, ISO3], b: Annotated[str, ISO3],
              revision: str | None = Query(None, max_length=10),
              format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    a, b = _country(ev, a), _country(ev, b)
    if a == b:
        raise InputError("a corridor needs two different countries")
    rev = _revision(ev, revision)
    stocks = plain(corridor(ev, a, b, rev))
    flows = _flow_rows(ev, rev, None, "total", None, [a, b], pair=True, limit=1000)
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


def has_flows(ev: Evidence) -> bool:
    """Whether `tmo flows` has stored estimates in this store."""
    has = ev.sql("SELECT count(*) AS n FROM duckdb_views() WHERE view_name = 'migration_flows'")
    return bool(int(has["n"].iloc[0]))


def _flow_rows(ev: Evidence, revision: str, method: str | None, sex: str, period: int | None,
               countries: list[str] | None, *, pair: bool = False, limit: int = 100
               ) -> list[dict[str, Any]]:
    if not has_flows(ev):
        return []
    where, params = ["revision = ?", "sex = ?"], [revision, sex]
    if method:
        where.append("method = ?")
        params.append(method)
    if period is not None:
        where.append("period_start = ?")
        params.append(period)
    if countries and pair:
        where.append("origin IN (?, ?) AND destination IN (?, ?)")
        params += countries * 2
    elif countries:
        where.append("(origin = ? OR destination = ?)")
        params += countries * 2
    frame = ev.sql(f"""SELECT method, sex, period_start, period_end, origin, destination, flow
                       FROM migration_flows WHERE {' AND '.join(where)}
                       ORDER BY flow DESC LIMIT {int(limit)}""", params)
    return plain(frame.to_dict("records"))


@router.get("/flows", summary="Estimated flows by method and period, largest first")
def flows(ev: Ev, revision: str | None = Query(None, max_length=10),
          method: str = Query("da_pb_closed", max_length=20),
          sex: str = Query("total", pattern="^(total|female|male)$"),
          period_start: int | None = Query(None, ge=1950, le=2100),
          country: str | None = Query(None, pattern=r"^[A-Za-z]{3}$"),
          limit: int = Query(100, ge=1, le=5000),
          format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    from tmo.flows import METHODS

    if method not in METHODS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    rev = _revision(ev, revision)
    codes = [_country(ev, country)] if country else None
    rows = _flow_rows(ev, rev, method, sex, period_start, codes, limit=limit)
    if format == "csv":
        return csv_response(rows, ["method", "sex", "period_start", "period_end", "origin",
                                   "destination", "flow"], f"flows-{rev}-{method}.csv")
    return ok(rows, revision=rev, method=method, count=len(rows))


@router.get("/practices", summary="Search the good practices, with facets")
def practices(st: St, q: str | None = Query(None, max_length=500),
              country: str | None = Query(None, max_length=60),
              theme: str | None = Query(None, max_length=60),
              level: str | None = Query(None, max_length=20),
              limit: int = Query(10, ge=1, le=100)) -> dict[str, Any]:
    catalog = st.practices_catalog()
    if q and q.strip():
        hits = [h.to_dict() for h in st.practices_search().search(
            q, country=country, theme=theme, level=level, limit=limit)]
    else:
        records = catalog.filter(country=country, theme=theme, level=level) \
            if (country or theme or level) else catalog.records
        hits = [{k: r.to_dict()[k] for k in ("id", "title", "countries", "themes", "level",
                                              "summary")} for r in records[:limit]]
    return ok(hits, facets=catalog.facets(), count=len(hits))


@router.get("/practices/{practice_id}", summary="One good practice, whole, with its source")
def practice(st: St, practice_id: str = Path(pattern=r"^[a-z0-9-]{1,80}$")) -> dict[str, Any]:
    return ok(st.practices_catalog().get(practice_id).to_dict())


INDICATOR_SQL = {
    "immigrant_share": """
        SELECT d.destination AS iso3, 100.0 * d.stock / p.population AS value, d.stock AS stock
        FROM destination_stock d JOIN population p ON p.country = d.destination
         AND p.year = d.year AND p.sex = 'total' AND p.source = 'UN DESA IMS'
         AND p.revision = d.revision
        WHERE d.revision = ? AND d.year = ? AND d.sex = 'total'
          AND d.destination NOT LIKE '%:%'""",
    "emigrant_rate": """
        SELECT m.origin AS iso3, 100.0 * sum(m.stock) / any_value(p.population) AS value,
               sum(m.stock) AS stock
        FROM migrant_stock m JOIN population p ON p.country = m.origin AND p.year = m.year
         AND p.sex = 'total' AND p.source = 'UN DESA IMS' AND p.revision = m.revision
        WHERE m.revision = ? AND m.year = ? AND m.sex = 'total' GROUP BY m.origin""",
}


@router.get("/indicators/{indicator}", summary="One indicator for every country (for maps)")
def indicator_table(ev: Ev, indicator: str = Path(pattern="^(immigrant_share|emigrant_rate)$"),
                    year: int | None = Query(None, ge=1990, le=2100),
                    revision: str | None = Query(None, max_length=10),
                    format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    rev = _revision(ev, revision)
    years = ev.sql("SELECT DISTINCT year FROM destination_stock WHERE revision = ?",
                   [rev])["year"].tolist()
    year = year or max(years)
    if year not in years:
        raise NotFound(f"year {year} is not an estimate year of IMS {rev}: {sorted(years)}")
    frame = ev.sql(INDICATOR_SQL[indicator] + " ORDER BY value DESC", [rev, year])
    if format == "csv":
        return csv_response(plain(frame.to_dict("records")), ["iso3", "value", "stock"],
                            f"{indicator}-{rev}-{year}.csv")
    return ok(plain(frame.to_dict("records")), indicator=indicator, revision=rev, year=year)
