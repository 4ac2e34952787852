"""Server-rendered pages, built from the same data as the API; no external network."""

from __future__ import annotations

from pathlib import Path as FilePath

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.countries import CountryRegistry
from tmo.errors import NotFound
from tmo.flows import METHODS
from tmo.indicators.evidence import Evidence
from tmo.indicators.stocks import corridor
from tmo.profiles import charts
from tmo.profiles.context import names, revisions
from tmo.profiles.i18n import LANGUAGES, Locale
from tmo.profiles.publish import related_practices
from tmo.profiles.render import render_html, render_pdf
from tmo.web import api
from tmo.web.state import WebState, evidence, state

router = APIRouter(include_in_schema=False)
_env = Environment(loader=FileSystemLoader(FilePath(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]))
FMT = Locale("en")


def page(template: str, **ctx: object) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**ctx))


@router.get("/", response_class=HTMLResponse)
def home(ev: Evidence = Depends(evidence), st: WebState = Depends(state)) -> HTMLResponse:
    rev = revisions(ev)[-1]
    year = int(ev.sql("SELECT max(year) AS y FROM destination_stock WHERE revision = ?",
                      [rev])["y"].iloc[0])
    labels = names(ev)
    maps = {}
    for key in ("immigrant_share", "emigrant_rate"):
        rows = ev.sql(api.INDICATOR_SQL[key], [rev, year])
        values = dict(zip(rows["iso3"], rows["value"], strict=True))
        maps[key] = charts.world_map(st.shapes, values, title=key.replace("_", " "),
                                     fmt=lambda v: FMT.percent(v), names=labels)
    countries = ev.sql("SELECT iso3, name FROM countries WHERE kind = 'country' ORDER BY name")
    return page("home.html", title="World map", year=year, revision=rev,
                map_imm=maps["immigrant_share"], map_emi=maps["emigrant_rate"],
                countries=countries.to_dict("records"))


@router.get("/search")
def search(q: str = Query(..., max_length=100), ev: Evidence = Depends(evidence)):
    registry = CountryRegistry.from_frames(ev.sql("SELECT * FROM countries"),
                                           ev.sql("SELECT * FROM country_groups"))
    return RedirectResponse(f"/countries/{registry.lookup(q).iso3}", status_code=303)


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country(iso3: str = Path(pattern=r"^[A-Za-z]{3}$"),
            lang: str = Query("en", pattern="^(en|fr|es)$"),
            year: int | None = Query(None, ge=1990, le=2100),
            ev: Evidence = Depends(evidence), st: WebState = Depends(state)) -> HTMLResponse:
    code = api._country(ev, iso3)
    profile = st.profile(code, year, None)
    links = [(lg, Locale(lg).t("language"), f"/countries/{code}?lang={lg}") for lg in LANGUAGES]
    downloads = [("PDF", f"/countries/{code}/profile.pdf?lang={lang}"),
                 ("JSON", f"/api/v1/countries/{code}/profile")]
    return HTMLResponse(render_html(profile, lang, shapes=st.shapes,
                                    practices=related_practices(profile), lang_links=links,
                                    downloads=downloads))


@router.get("/countries/{iso3}/profile.pdf")
def country_pdf(iso3: str = Path(pattern=r"^[A-Za-z]{3}$"),
                lang: str = Query("en", pattern="^(en|fr|es)$"),
                ev: Evidence = Depends(evidence), st: WebState = Depends(state)) -> Response:
    code = api._country(ev, iso3)
    profile = st.profile(code, None, None)
    pdf = render_pdf(profile, lang, shapes=st.shapes, practices=related_practices(profile))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{code}.{lang}.pdf"'})


@router.get("/corridors/{a}/{b}", response_class=HTMLResponse)
def corridor_page(a: str = Path(pattern=r"^[A-Za-z]{3}$"),
                  b: str = Path(pattern=r"^[A-Za-z]{3}$"),
                  ev: Evidence = Depends(evidence)) -> HTMLResponse:
    a, b = api._country(ev, a), api._country(ev, b)
    if a == b:
        raise NotFound("a corridor needs two different countries")
    rev = revisions(ev)[-1]
    labels = names(ev)
    data = corridor(ev, a, b, rev)
    series = [(f"born in {labels.get(o, o)}, living in {labels.get(d, d)}",
               [(r["year"], r["total"]) for r in data[f"{o}->{d}"]["trend"]])
              for o, d in ((a, b), (b, a))]
    title = f"{labels.get(a, a)} and {labels.get(b, b)}"
    return page("corridor.html", title=title, a=a, b=b, revision=rev, names=labels,
                chart=charts.line_chart(series, title=title, fmt=FMT.compact),
                flows=api._flow_rows(ev, rev, None, "total", None, [a, b], pair=True,
                                     limit=200))


@router.get("/flows", response_class=HTMLResponse)
def flows_page(method: str = Query("da_pb_closed", max_length=20),
               period: int | None = Query(None, ge=1950, le=2100),
               ev: Evidence = Depends(evidence)) -> HTMLResponse:
    if method not in METHODS:
        raise NotFound(f"unknown method {method!r}")
    rev = revisions(ev)[-1]
    years = sorted(ev.sql("SELECT DISTINCT year FROM destination_stock WHERE revision = ?",
                          [rev])["year"].tolist())
    ends = dict(zip(years[:-1], years[1:], strict=True))
    period = period if period in ends else years[-2]
    rows = api._flow_rows(ev, rev, method, "total", period, None, limit=25)
    labels = names(ev)
    caption = f"The 25 largest flows {period}-{ends[period]}, {method}, IMS {rev}"
    chart = charts.sankey([(r["origin"], r["destination"], r["flow"]) for r in rows],
                          title=caption, fmt=FMT.number, names=labels)
    return page("flows.html", title="Flows", methods=METHODS, method=method, periods=years[:-1],
                period=period, ends=ends, flows=rows, chart=chart, caption=caption,
                names=labels)


@router.get("/practices", response_class=HTMLResponse)
def practices_page(q: str | None = Query(None, max_length=500),
                   theme: str | None = Query(None, max_length=60),
                   st: WebState = Depends(state)) -> HTMLResponse:
    catalog = st.practices_catalog()
    theme = theme or None
    if q and q.strip():
        hits = [h.to_dict() for h in st.practices_search().search(q, theme=theme, limit=10)]
    else:
        records = catalog.filter(theme=theme) if theme else catalog.records
        hits = [r.to_dict() for r in records]
    return page("practices.html", title="Good practices", q=q, theme=theme, hits=hits,
                facets=catalog.facets())


