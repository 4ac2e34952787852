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
from tmo.web import messages
from tmo.web.areas import find, region_crumbs
from tmo.web.state import Snapshot, WebState, evidence, snapshot, state
from tmo.web.wording import LANG_PATTERN, install, language_links, method_name, words

router = APIRouter(include_in_schema=False)
_env = Environment(loader=FileSystemLoader(FilePath(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]))
FMT = Locale("en")
install(_env)  # the site header of base.html
LANG = Query("en", pattern=LANG_PATTERN, description="the page's language")


def here(request: Request) -> list[tuple[str, str, str]]:
    """The language links of the page asked for (its path and query, each language)."""
    return language_links(request.url.path, list(request.query_params.multi_items()))


def page(template: str, status_code: int = 200, **ctx: object) -> HTMLResponse:
    return HTMLResponse(_env.get_template(template).render(**ctx), status_code=status_code)


def error_page(code: int, message: str, hint: str | None, lang: str = "en") -> HTMLResponse:
    """An error as a page, for browsers (the API answers in its JSON envelope); its
    headings, links, message and hint in `lang` (`tmo.web.messages`; a message no pattern
    knows is shown as raised, marked as English)."""
    said = messages.translate(message, lang)
    told = messages.translate(hint, lang) if hint else None
    return page("error.html", status_code=code, title=words(lang)["error"].format(code=code),
                code=code, message=said or message, message_en=said is None,
                hint=told or hint, hint_en=bool(hint) and told is None, lang=lang,
                w=words(lang))


@router.get("/", response_class=HTMLResponse)
def home(request: Request, lang: str = LANG, ev: Evidence = Depends(evidence),
         snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    rev, year = snap.revision, snap.year
    w, fmt = words(lang), Locale(lang)
    names = snap.lexicon.names_in(lang)
    suffix = f"?lang={lang}" if lang != "en" else ""
    data = maps.inputs(ev, rev, year)
    drawn = {}
    for key, label in (("immigrant_share", w["home_imm"]), ("emigrant_rate", w["home_emi"])):
        values = {r["iso3"]: r["value"] for r in maps.table(ev, key, rev, year, data)}
        drawn[key] = charts.world_map(snap.lexicon.shapes, values, title=label,
                                      fmt=fmt.percent, names=names,
                                      link=lambda iso3: f"/countries/{iso3}{suffix}")
    countries = [{"iso3": c["iso3"], "name": names.get(c["iso3"], c["name"])}
                 for c in snap.country_list]
    return page("home.html", title=w["home_map"], year=year, revision=rev, lang=lang, w=w,
                langs=here(request), current="/",
                map_imm=drawn["immigrant_share"], map_emi=drawn["emigrant_rate"],
                countries=countries)


@router.get("/search")
def search(request: Request, q: str = Query(..., max_length=100), lang: str = LANG,
           snap: Snapshot = Depends(snapshot)) -> Response:
    """The profile of the country named `q`; else a page with the closest names."""
    suffix = f"?lang={lang}" if lang != "en" else ""
    try:
        return RedirectResponse(f"/countries/{snap.registry.lookup(q).iso3}{suffix}",
                                status_code=303)
    except CountryNotFound:  # an area's profile, or a page with the closest matches
        area = find(snap, q)
        if area is not None:
            return RedirectResponse(f"/areas/{area.code}{suffix}", status_code=303)
        w, names = words(lang), snap.lexicon.names_in(lang)
        links = [(f"{names.get(c.iso3, c.name)} ({c.iso3})", f"/countries/{c.iso3}{suffix}")
                 for c in snap.registry.closest(q)]
        return page("error.html", status_code=404, title=w["country_not_found"], code=404,
                    message=w["no_country_matches"].format(q=repr(q)), hint=None, links=links,
                    lang=lang, w=w, langs=here(request))


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
            area = find(snap, iso3)  # the World or a UN region: its area profile
            if area is not None:
                return RedirectResponse(f"/areas/{area.code}?lang={lang}", status_code=301)
            if "text/html" in request.headers.get("accept", ""):  # the closest, as links
                return search(request, iso3, lang, snap)
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
    html = render_html(snap.profile(key), snap.lexicon, lang, lang_links=links,
                       downloads=downloads,
                       corridor_link=lambda a, b: f"/corridors/{a}/{b}?lang={lang}",
                       remittance_link=lambda s, r: (
                           f"/remittances?sender={s}&receiver={r}&lang={lang}"))
    w = words(lang)
    header = _env.get_template("site_fragment.html").render(
        lang=lang, langs=here(request), current="/countries",
        crumbs=[(w["nav_countries"], f"/countries?lang={lang}"),
                *region_crumbs(snap.profile(key), lang, snap.lexicon.names_in(lang)),
                (snap.lexicon.name(code, lang), None)])
    # the profile renderer makes whole documents (also for PDF and files): the site's
    # header goes in front of its content here
    html = html.replace("<body>", "<body>" + header, 1).replace("<main>", '<main id="main">', 1)
    return HTMLResponse(html)


@router.get("/countries/{iso3}/profile.pdf")
def country_pdf(iso3: str = Path(pattern=r"^[A-Za-z][A-Za-z0-9]{2}$"),
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


def require_stored(method: str | None, stored: list[str]) -> None:
    """NotFound for a method that is unknown or has no stored flows, naming those stored."""
    if method is None or method in stored:
        return
    hint = f"stored: {', '.join(stored)}" if stored else "no flows are stored yet"
    if method not in METHODS:
        raise NotFound(f"unknown method {method!r}", hint=hint)
    raise NotFound(f"no flows are stored for the method {method!r}", hint=hint)


def _corridor_form(snap: Snapshot, a: str | None, b: str | None,
                   lang: str = "en") -> dict[str, Any]:
    names = snap.lexicon.names_in(lang)
    countries = sorted(({"iso3": c["iso3"], "name": names.get(c["iso3"], c["name"])}
                        for c in snap.country_list), key=lambda c: c["name"])
    return {"countries": countries, "a": a, "b": b}


@router.get("/corridors", response_class=HTMLResponse)
def corridors_index(request: Request, *,
                    a: str | None = Query(None, pattern=r"^[A-Za-z]{3}$"),
                    b: str | None = Query(None, pattern=r"^[A-Za-z]{3}$"),
                    lang: str = LANG,
                    ev: Evidence = Depends(evidence),
                    snap: Snapshot = Depends(snapshot)) -> Response:
    """The corridor picker (its form lands here) and the largest corridors."""
    suffix = f"?lang={lang}" if lang != "en" else ""
    if a and b:
        return RedirectResponse(f"/corridors/{a.upper()}/{b.upper()}{suffix}", status_code=303)
    rev, year = snap.revision, snap.year
    w = words(lang)
    largest = facts.largest_corridors(ev.con, rev, year)
    return page("corridors.html", title=w["nav_corridors"], revision=rev, year=year,
                names=snap.lexicon.names_in(lang), largest=largest, lang=lang, w=w,
                fmt=Locale(lang), suffix=suffix, langs=here(request), current="/corridors",
                crumbs=[(w["nav_corridors"], None)], **_corridor_form(snap, None, None, lang))


def flow_range(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per period and direction, the lowest and highest flow across the stored methods
    (rows of several methods in, one row per period and direction out, with the methods
    at each end)."""
    spans: dict[tuple[int, int, str, str], list[tuple[float, str]]] = {}
    for r in rows:
        key = (r["period_start"], r["period_end"], r["origin"], r["destination"])
        spans.setdefault(key, []).append((r["flow"], r["method"]))
    out = []
    for (start, end, origin, destination), values in sorted(spans.items()):
        low, high = min(values), max(values)
        out.append({"period_start": start, "period_end": end, "origin": origin,
                    "destination": destination, "low": low[0], "low_method": low[1],
                    "high": high[0], "high_method": high[1], "methods": len(values)})
    return out


@router.get("/corridors/{a}/{b}", response_class=HTMLResponse)
def corridor_page(request: Request, *,
                  a: str = Path(pattern=r"^[A-Za-z]{3}$"),
                  b: str = Path(pattern=r"^[A-Za-z]{3}$"),
                  method: str | None = Query(None, max_length=20),
                  lang: str = LANG,
                  ev: Evidence = Depends(evidence),
                  snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    a, b = facts.require_country(ev.con, a), facts.require_country(ev.con, b)
    if a == b:
        raise NotFound("a corridor needs two different countries")
    rev = snap.revision
    w, fmt = words(lang), Locale(lang)
    labels = snap.lexicon.names_in(lang)
    data = corridor(ev, a, b, rev)
    series = [(w["born_living"].format(a=labels.get(o, o), b=labels.get(d, d)),
               [(r["year"], r["total"]) for r in data[f"{o}->{d}"]["trend"]])
              for o, d in ((a, b), (b, a))]
    title = w["pair"].format(a=labels.get(a, a), b=labels.get(b, b))
    methods = _stored_methods(ev, rev)
    require_stored(method, methods)
    method = method or (methods[0] if methods else None)
    flows = facts.flow_rows(ev.con, rev, method=method, countries=[a, b], pair=True,
                            limit=200) if method in methods else []
    flows.sort(key=lambda f: (f["period_start"], f["origin"] != a))
    every = facts.flow_rows(ev.con, rev, countries=[a, b], pair=True, limit=2000) \
        if len(methods) > 1 else []
    spans = flow_range(every)
    shown = method_name(method, lang) if method else ""
    flow_caption = w["flow_caption"].format(method=shown, revision=rev)
    flow_chart = charts.line_chart(
        [(f"{labels.get(o, o)} → {labels.get(d, d)}",
          [(f["period_end"], f["flow"]) for f in flows if f["origin"] == o])
         for o, d in ((a, b), (b, a))], title=flow_caption, fmt=fmt.compact) if flows else ""
    sources = [data[f"{o}->{d}"]["source"].cite() for o, d in ((a, b), (b, a))]
    suffix = f"&lang={lang}" if lang != "en" else ""
    return page("corridor.html", title=title, revision=rev, names=labels, sources=sources,
                chart=charts.line_chart(series, title=title, fmt=fmt.compact),
                methods=[(m, method_name(m, lang)) for m in methods], method=method,
                flows=flows, flow_chart=flow_chart, spans=spans, method_count=len(methods),
                mname=lambda m: method_name(m, lang),
                flow_caption=flow_caption, lang=lang, w=w, fmt=fmt, suffix=suffix,
                langs=here(request),
                crumbs=[(w["nav_corridors"], f"/corridors?lang={lang}"), (title, None)],
                **_corridor_form(snap, a, b, lang))


@router.get("/flows", response_class=HTMLResponse)
def flows_page(request: Request, *,
               method: str | None = Query(None, max_length=20),
               period: int | None = Query(None, ge=1950, le=2100),
               lang: str = LANG,
               ev: Evidence = Depends(evidence),
               snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    rev = snap.revision
    methods = _stored_methods(ev, rev)
    require_stored(method, methods)
    method = method or ("da_pb_closed" if "da_pb_closed" in methods
                        else methods[0] if methods else None)
    w, fmt = words(lang), Locale(lang)
    years = facts.years(ev.con, rev)
    ends = dict(itertools.pairwise(years))
    period = period if period in ends else years[-2]
    rows = facts.flow_rows(ev.con, rev, method=method, period=period, limit=25) \
        if method else []
    labels = snap.lexicon.names_in(lang)
    caption = w["flows_caption"].format(start=period, end=ends[period],
                                        method=method_name(method or "", lang), revision=rev)
    chart = charts.sankey([(r["origin"], r["destination"], r["flow"]) for r in rows],
                          title=caption, fmt=fmt.number, names=labels)
    return page("flows.html", title=w["nav_flows"], methods=[(m, method_name(m, lang))
                                                              for m in methods],
                method=method, periods=years[:-1], period=period, ends=ends, flows=rows,
                chart=chart, caption=caption, names=labels, lang=lang, w=w, fmt=fmt,
                langs=here(request), current="/flows", crumbs=[(w["nav_flows"], None)])


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
                current="/practices",
                hits=hits, facets=catalog.facets(), message=message, lang=lang, langs=langs,
                t=Locale(lang), w={k: v[lang] for k, v in PRACTICE_WORDS.items()},
                theme_name=lambda name: theme_name(name, lang))


@router.get("/practices/{practice_id}", response_class=HTMLResponse)
def practice_page(request: Request, practice_id: str = Path(pattern=r"^[a-z0-9-]{1,80}$"),
                  lang: str = LANG,
                  st: WebState = Depends(state),
                  snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    """One practice; the record is in English (marked so), its headings in `lang`."""
    catalog = st.practices_catalog()
    record = catalog.get(practice_id).to_dict()
    known = catalog.ids
    related = [(r, catalog.get(r).title) for r in record["related"] if r in known]
    w = words(lang)
    return page("practice.html", title=record["title"], p=record, related=related,
                source_title=documents.title(record["source"]["document"]),
                paragraphs=[b.replace("\n", " ") for b in record["body"].split("\n\n")
                            if b.strip()],
                names=snap.lexicon.names_in(lang), countries=snap.known, lang=lang, w=w,
                langs=here(request), theme_name=lambda name: theme_name(name, lang),
                crumbs=[(w["nav_practices"], f"/practices?lang={lang}"),
                        (record["title"], None)])
