"""Area profiles on the web (issue #13): `/areas/{code}` (the World, a UN region,
subregion or SDG region; `tmo.profiles.area`) as a page in EN/FR/ES, its PDF and its JSON
document. A name or a bare M49 number redirects to the page of its code; the country
pages link to their region's and subregion's profiles (`region_crumbs`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path as FilePath
from typing import Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.errors import NotFound
from tmo.profiles.area import Area, areas, build_area_profile_from, resolve_area
from tmo.profiles.area_view import render_area_html, render_area_pdf
from tmo.profiles.i18n import LANGUAGES, Locale
from tmo.web.state import Kept, Snapshot, snapshot
from tmo.web.wording import install, words

router = APIRouter(include_in_schema=False)
_env = Environment(loader=FileSystemLoader(FilePath(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]))
install(_env)  # the site header
LANG_Q = Query("en", pattern="^(en|fr|es)$")
_documents = Kept(64)  # (store fingerprint, code) -> document; 35 areas at most
_known = Kept(4)  # store fingerprint -> the areas with a profile


def known_areas(snap: Snapshot) -> list[Area]:
    def make() -> list[Area]:
        with snap.cursor() as cur:
            return areas(cur)
    found: list[Area] = _known.get_or(snap.fingerprint, make)
    return found


def area_document(snap: Snapshot, code: str) -> dict[str, Any]:
    """The area's profile document, built once per store."""
    def make() -> dict[str, Any]:
        with snap.cursor() as cur:
            return build_area_profile_from(cur, code, known=known_areas(snap))
    doc: dict[str, Any] = _documents.get_or((snap.fingerprint, code), make)
    return doc


def find(snap: Snapshot, query: str) -> Area | None:
    """The area a path names (code, M49 number or name in EN/FR/ES), or None."""
    with snap.cursor() as cur:
        return resolve_area(cur, query)


def _canonical(snap: Snapshot, code: str, request: Request) -> Area | Response:
    found = next((a for a in known_areas(snap) if a.code == code), None)
    if found is not None:
        return found
    area = find(snap, code)
    if area is None:
        raise NotFound(f"no area profile for {code!r}",
                       hint="the World, a UN region or subregion or an SDG region, e.g. "
                            "/areas/UN:900 or /areas/Europe")
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"/areas/{area.code}{query}", status_code=301)


def region_crumbs(profile: Mapping[str, Any], lang: str, names: dict[str, str]
                  ) -> list[tuple[str, str]]:
    """(name, address) of the area profiles of a country's UN region and subregion, from
    its profile's regional comparison (the World left out: every page links to it)."""
    order = {"un_region": 0, "un_subregion": 1}
    rows = sorted((r for r in profile.get("regional") or [] if r.get("level") in order),
                  key=lambda r: order[r["level"]])
    return [(names.get(r["area"], r["area"]), f"/areas/{r['area']}?lang={lang}")
            for r in rows]


@router.get("/areas/{code}", response_class=HTMLResponse)
def area_page(request: Request, code: str = Path(max_length=100), lang: str = LANG_Q,
              snap: Snapshot = Depends(snapshot)) -> Response:
    found = _canonical(snap, code, request)
    if isinstance(found, Response):
        return found
    doc = area_document(snap, found.code)
    links = [(lg, Locale(lg).t("language"), f"/areas/{found.code}?lang={lg}")
             for lg in LANGUAGES]
    downloads = [("PDF", f"/areas/{found.code}/profile.pdf?lang={lang}"),
                 ("JSON", f"/areas/{found.code}/profile.json")]
    html = render_area_html(doc, snap.lexicon, lang, lang_links=links, downloads=downloads,
                            country_link=lambda c: f"/countries/{c}?lang={lang}")
    w = words(lang)
    header = _env.get_template("site_fragment.html").render(
        lang=lang, langs=links, current="/countries",
        crumbs=[(w["nav_countries"], f"/countries?lang={lang}"),
                (snap.lexicon.name(found.code, lang), None)])
    html = html.replace("<body>", "<body>" + header, 1).replace("<main>", '<main id="main">', 1)
    return HTMLResponse(html)


@router.get("/areas/{code}/profile.pdf")
def area_pdf(request: Request, code: str = Path(max_length=100), lang: str = LANG_Q,
             snap: Snapshot = Depends(snapshot)) -> Response:
    found = _canonical(snap, code, request)
    if isinstance(found, Response):
        return found
    pdf = snap.pdfs.get_or((("area", found.code), lang), lambda: render_area_pdf(
        area_document(snap, found.code), snap.lexicon, lang))
    stem = found.code.replace(":", "")
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{stem}.{lang}.pdf"',
        "ETag": f'"{snap.fingerprint}-{stem}-{lang}"'})


@router.get("/areas/{code}/profile.json")
def area_json(request: Request, code: str = Path(max_length=100),
              snap: Snapshot = Depends(snapshot)) -> Response:
    found = _canonical(snap, code, request)
    if isinstance(found, Response):
        return found
    return Response(json.dumps(area_document(snap, found.code), ensure_ascii=False),
                    media_type="application/json")
