"""Server-rendered pages, built from the same data as the API; no external network."""

from __future__ import annotations

import itertools
from pathlib import Path as FilePath
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.errors import CountryNotFound, NotFound
from tmo.flows import METHODS
from tmo.indicators import maps
from tmo.indicators.stocks import corridor
from tmo.practices import documents
from tmo.practices.scope import theme_name
from tmo.profiles import charts
from tmo.profiles.i18n import LANGUAGES, Locale
from tmo.profiles.render import render_html, render_pdf
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.web.state import Snapshot, WebState, evidence, snapshot, state

router = APIRouter(include_in_schema=False)
_env = Environment(loader=FileSystemLoader(FilePath(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]))
FMT = Locale("en")


def page(template: str, status_code: int = 200, **ctx: object) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**ctx), status_code=status_code)


def error_page(code: int, message: str, hint: str | None) -> HTMLResponse:
    """An error as a page, for browsers (the API answers in its JSON envelope)."""
    return page("error.html", status_code=code, title=f"Error {code}", code=code,
                message=message, hint=hint)


@router.get("/", response_class=HTMLResponse)
def home(ev: Evidence = Depends(evidence), snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    rev, year = snap.revision, snap.year
    data = maps.inputs(ev, rev, year)
    drawn = {}
    for key in ("immigrant_share", "emigrant_rate"):
        values = {r["iso3"]: r["value"] for r in maps.table(ev, key, rev, year, data)}
        drawn[key] = charts.world_map(snap.lexicon.shapes, values, title=key.replace("_", " "),
                                      fmt=FMT.percent, names=snap.names,
                                      link=lambda iso3: f"/countries/{iso3}")
    return page("home.html", title="World map", year=year, revision=rev,
                map_imm=drawn["immigrant_share"], map_emi=drawn["emigrant_rate"],
                countries=snap.country_list)


@router.get("/search")
def search(q: str = Query(..., max_length=100), snap: Snapshot = Depends(snapshot)):
    try:
        return RedirectResponse(f"/countries/{snap.registry.lookup(q).iso3}", status_code=303)
    except CountryNotFound:  # a page with the closest matches as links
        links = [(f"{snap.names.get(c.iso3, c.name)} ({c.iso3})", f"/countries/{c.iso3}")
                 for c in snap.registry.closest(q)]
        return page("error.html", status_code=404, title="Country not found", code=404,
                    message=f"No country matches {q!r}.", hint=None, links=links)


@router.get("/countries/{iso3}", response_class=HTMLResponse)
def country(request: Request, iso3: str = Path(max_length=100),
            lang: str = Query("en", pattern="^(en|fr|es)$"),
            year: int | None = Query(None, ge=1990, le=2100),
            snap: Snapshot = Depends(snapshot)) -> Response:
    """The profile page; a name or a code in other letters (`/countries/moldova`,
    `/countries/mda`) redirects to the page of its code."""
    if iso3 not in snap.known:
        try:
            code = snap.registry.lookup(iso3).iso3
        except CountryNotFound as exc:
            close = ", ".join(f"{snap.names.get(c.iso3, c.name)} ({c.iso3})"
                              for c in snap.registry.closest(iso3))
            raise NotFound(f"unknown country {iso3!r}",
                           hint=f"closest: {close}" if close else "search by name: /search?q=")\
                from exc
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/countries/{code}{query}", status_code=301)
    key = snap.key(iso3, year, None)
    code = key[0]
    links = [(lg, Locale(lg).t("language"), f"/countries/{code}?lang={lg}") for lg in LANGUAGES]
    downloads = [("PDF", f"/countries/{code}/profile.pdf?lang={lang}"),
                 ("JSON", f"/api/v1/countries/{code}/profile"),
                 (Locale(lang).t("fact_cards"), f"/debate?place={code}&lang={lang}")]
    return HTMLResponse(render_html(snap.profile(key), snap.lexicon, lang, lang_links=links,
                                    downloads=downloads,
                                    corridor_link=lambda a, b: f"/corridors/{a}/{b}",
                                    remittance_link=lambda s, r: (
                                        f"/remittances?sender={s}&receiver={r}&lang={lang}")))


@router.get("/countries/{iso3}/profile.pdf")
def country_pdf(iso3: str = Path(pattern=r"^[A-Za-z]{3}$"),
                lang: str = Query("en", pattern="^(en|fr|es)$"),
                snap: Snapshot = Depends(snapshot)) -> Response:
    key = snap.key(iso3, None, None)
    code = key[0]
    # a PDF costs seconds of processor time: made once per build and language
    pdf = snap.pdfs.get_or((key, lang), lambda: render_pdf(snap.profile(key), snap.lexicon,
                                                           lang))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{code}.{lang}.pdf"',
        "ETag": f'"{snap.fingerprint}-{lang}"'})


def _stored_methods(ev: Evidence, revision: str) -> list[str]:
    stored = set(facts.stored_methods(ev.con, revision))
    return [m for m in METHODS if m in stored]


def _corridor_form(snap: Snapshot, a: str | None, b: str | None) -> dict[str, Any]:
    return {"countries": snap.country_list, "a": a, "b": b}


@router.get("/corridors", response_class=HTMLResponse)
def corridors_index(a: str | None = Query(None, pattern=r"^[A-Za-z]{3}$"),
                    b: str | None = Query(None, pattern=r"^[A-Za-z]{3}$"),
                    ev: Evidence = Depends(evidence),
                    snap: Snapshot = Depends(snapshot)) -> Response:
    """The corridor picker (its form lands here) and the largest corridors."""
    if a and b:
        return RedirectResponse(f"/corridors/{a.upper()}/{b.upper()}", status_code=303)
    rev, year = snap.revision, snap.year
    largest = facts.largest_corridors(ev.con, rev, year)
    return page("corridors.html", title="Corridors", revision=rev, year=year, names=snap.names,
                largest=largest, **_corridor_form(snap, None, None))


@router.get("/corridors/{a}/{b}", response_class=HTMLResponse)
def corridor_page(a: str = Path(pattern=r"^[A-Za-z]{3}$"),
                  b: str = Path(pattern=r"^[A-Za-z]{3}$"),
                  method: str | None = Query(None, max_length=20),
                  ev: Evidence = Depends(evidence),
                  snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    a, b = facts.require_country(ev.con, a), facts.require_country(ev.con, b)
    if a == b:
        raise NotFound("a corridor needs two different countries")
    rev = snap.revision
    labels = snap.names
    data = corridor(ev, a, b, rev)
    series = [(f"born in {labels.get(o, o)}, living in {labels.get(d, d)}",
               [(r["year"], r["total"]) for r in data[f"{o}->{d}"]["trend"]])
              for o, d in ((a, b), (b, a))]
    title = f"{labels.get(a, a)} and {labels.get(b, b)}"
    methods = _stored_methods(ev, rev)
    if method is not None and method not in METHODS:
        raise NotFound(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    method = method or (methods[0] if methods else None)
    flows = facts.flow_rows(ev.con, rev, method=method, countries=[a, b], pair=True,
                            limit=200) if method in methods else []
    flows.sort(key=lambda f: (f["period_start"], f["origin"] != a))
    flow_caption = f"Estimated flows per period, {method}, IMS {rev}"
    flow_chart = charts.line_chart(
        [(f"{labels.get(o, o)} to {labels.get(d, d)}",
          [(f["period_end"], f["flow"]) for f in flows if f["origin"] == o])
         for o, d in ((a, b), (b, a))], title=flow_caption, fmt=FMT.compact) if flows else ""
    sources = [data[f"{o}->{d}"]["source"].cite() for o, d in ((a, b), (b, a))]
    return page("corridor.html", title=title, revision=rev, names=labels, sources=sources,
                chart=charts.line_chart(series, title=title, fmt=FMT.compact),
                methods=methods, method=method, flows=flows, flow_chart=flow_chart,
                flow_caption=flow_caption, **_corridor_form(snap, a, b))


@router.get("/flows", response_class=HTMLResponse)
def flows_page(method: str = Query("da_pb_closed", max_length=20),
               period: int | None = Query(None, ge=1950, le=2100),
               ev: Evidence = Depends(evidence),
               snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    if method not in METHODS:
        raise NotFound(f"unknown method {method!r}")
    rev = snap.revision
    years = facts.years(ev.con, rev)
    ends = dict(itertools.pairwise(years))
    period = period if period in ends else years[-2]
    rows = facts.flow_rows(ev.con, rev, method=method, period=period, limit=25)
    labels = snap.names
    caption = f"The 25 largest flows {period}-{ends[period]}, {method}, IMS {rev}"
    chart = charts.sankey([(r["origin"], r["destination"], r["flow"]) for r in rows],
                          title=caption, fmt=FMT.number, names=labels)
    return page("flows.html", title="Flows", methods=METHODS, method=method, periods=years[:-1],
                period=period, ends=ends, flows=rows, chart=chart, caption=caption,
                names=labels)


# the words of /practices (the records themselves are in English)
PRACTICE_WORDS: dict[str, dict[str, str]] = {
    "question": {"en": "Question", "fr": "Question", "es": "Pregunta"},
    "example": {"en": "how can citizens abroad vote?",
                "fr": "comment les citoyens à l'étranger peuvent-ils voter ?",
                "es": "¿cómo pueden votar los ciudadanos en el extranjero?"},
    "theme": {"en": "Theme", "fr": "Thème", "es": "Tema"},
    "any": {"en": "any", "fr": "tous", "es": "todos"},
    "search": {"en": "Search", "fr": "Rechercher", "es": "Buscar"},
    "none": {"en": "No practice matches.", "fr": "Aucune pratique ne correspond.",
             "es": "Ninguna práctica corresponde."},
    "download": {"en": "Download:", "fr": "Télécharger :", "es": "Descargar:"},
    "themes": {"en": "Themes", "fr": "Thèmes", "es": "Temas"},
    "languages": {"en": "Language:", "fr": "Langue :", "es": "Idioma:"},
    "records_note": {"en": "", "fr": "Les fiches des pratiques sont rédigées en anglais.",
                     "es": "Las fichas de las prácticas están redactadas en inglés."},
}


@router.get("/practices", response_class=HTMLResponse)
def practices_page(q: str | None = Query(None, max_length=500),
                   theme: str | None = Query(None, max_length=60),
                   lang: str = Query("en", pattern="^(en|fr|es)$"),
                   st: WebState = Depends(state)) -> HTMLResponse:
    """Search (a question in English, French or Spanish) or browse by theme, in the page's
    language; below the relevance floor, "no close match" with the repository's scope."""
    catalog = st.practices_catalog()
    theme = theme or None
    message = None
    if q and q.strip():
        engine = st.practices_search()
        hits = [h.to_dict() for h in engine.search(q, theme=theme, limit=10)]
        if not hits:
            message = engine.no_match(q, lang)
    else:
        records = catalog.filter(theme=theme) if theme else catalog.records
        hits = [r.to_dict() for r in records]
    query = [(k, v) for k, v in (("q", q), ("theme", theme)) if v]
    langs = [(code, Locale(code).t("language"), "/practices?" + urlencode([*query, ("lang", code)]))
             for code in LANGUAGES]
    return page("practices.html", title=Locale(lang).t("nav_practices"), q=q, theme=theme,
                hits=hits, facets=catalog.facets(), message=message, lang=lang, langs=langs,
                t=Locale(lang), w={k: v[lang] for k, v in PRACTICE_WORDS.items()},
                theme_name=lambda name: theme_name(name, lang))


@router.get("/practices/{practice_id}", response_class=HTMLResponse)
def practice_page(practice_id: str = Path(pattern=r"^[a-z0-9-]{1,80}$"),
                  st: WebState = Depends(state),
                  snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    catalog = st.practices_catalog()
    record = catalog.get(practice_id).to_dict()
    known = catalog.ids
    related = [(r, catalog.get(r).title) for r in record["related"] if r in known]
    return page("practice.html", title=record["title"], p=record, related=related,
                source_title=documents.title(record["source"]["document"]),
                paragraphs=[b.replace("\n", " ") for b in record["body"].split("\n\n")
                            if b.strip()],
                names=snap.names, countries=snap.known)
