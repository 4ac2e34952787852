"""A fact-based public debate on the web (docs/factcards.md): the page `/debate` (fact
cards of a place, a claim checked, a text's words checked; English, French or Spanish) and
the JSON API answering as `tmo facts`, `tmo claims check` and `tmo words check` do. The
place names are read once per store file."""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from tmo import __version__
from tmo.errors import InputError, NotFound
from tmo.factcards import claims, terms
from tmo.factcards import words as w
from tmo.factcards.cards import build
from tmo.factcards.places import Places
from tmo.factcards.render import rows_cited, source_line, to_html, to_svg
from tmo.profiles.i18n import Locale
from tmo.web.envelope import bounded_body, ok
from tmo.web.pages import page
from tmo.web.schemas import (
    ClaimAnswer,
    FactCardsAnswer,
    WordRulesAnswer,
    WordsAnswer,
    answers,
)
from tmo.web.state import Snapshot, snapshot
from tmo.web.wording import words as site_words

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
router = APIRouter()
PLACE = r"^(?:[A-Za-z]{3}|UN:\d{3})$"
LANG = "^(en|fr|es)$"
MAX_TEXT_BYTES = 64 * 1024
MAX_PAGE_TEXT = 5000
_kept: dict[str, Places] = {}
_lock = threading.Lock()


def places(snap: Snapshot = Depends(snapshot)) -> Places:
    """The snapshot's places, read once per store file (two kept)."""
    with _lock:
        found = _kept.get(snap.fingerprint)
        if found is None:
            found = Places.load(snap.cursor())
            if len(_kept) >= 2:
                _kept.pop(next(iter(_kept)))
            _kept[snap.fingerprint] = found
        return found


@api.get("/facts/{place}", summary="Fact cards of a country, a UN region or the world",
         **answers(FactCardsAnswer, "as `tmo facts --format json` prints them"))
def facts_route(*, place: str = Path(pattern=PLACE), lang: str = Query("en", pattern=LANG),
                year: int | None = Query(None, ge=1950, le=2100),
                revision: str | None = Query(None, max_length=10),
                snap: Snapshot = Depends(snapshot), known: Places = Depends(places)) -> Any:
    return ok(build(snap.cursor(), place, lang, year=year, revision=revision, places=known))


@pages.get("/facts/{place}.{kind}")
def facts_embed(*, place: str = Path(pattern=PLACE), kind: str = Path(pattern="^(html|svg)$"),
                lang: str = Query("en", pattern=LANG),
                snap: Snapshot = Depends(snapshot), known: Places = Depends(places)
                ) -> Response:
    """The cards as an embeddable HTML snippet or an SVG image."""
    doc = build(snap.cursor(), place, lang, places=known)
    if kind == "svg":
        return Response(to_svg(doc), media_type="image/svg+xml")
    return HTMLResponse(to_html(doc))


@api.get("/claims/check", summary="A numeric claim checked against the store",
         **answers(ClaimAnswer, "as `tmo claims check --format json` prints it"))
def claims_route(q: str = Query(..., min_length=3, max_length=500),
                 lang: str | None = Query(None, pattern=LANG),
                 revision: str | None = Query(None, max_length=10),
                 snap: Snapshot = Depends(snapshot), known: Places = Depends(places)) -> Any:
    return ok(claims.check(snap.cursor(), q, lang, revision=revision, places=known))


@api.get("/words/rules", summary="The terminology rules with their profiles and citations",
         **answers(WordRulesAnswer, "the rules"))
def words_rules() -> Any:
    return ok({"profiles": list(terms.PROFILES), "rules": terms.rules_table()})


@api.post("/words/check", summary="The terms flagged in a text (the request body)",
          **answers(WordsAnswer, "as `tmo words check --format json` prints them"))
async def words_route(request: Request, lang: str = Query("en", pattern=LANG),
                      profile: str = Query("iom", pattern="^(iom|ap|fundeu|strict)$")) -> Any:
    body = await bounded_body(request, MAX_TEXT_BYTES,
                              f"the text is over {MAX_TEXT_BYTES // 1024} KiB",
                              "send a shorter text")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"the request body is not UTF-8 text (byte {exc.start})",
                         hint="send the text as UTF-8") from exc
    flags = terms.check(text, lang, profile)
    return ok({"lang": lang, "profile": profile, "flags": [f.as_dict() for f in flags]})


def _cards_view(snap: Snapshot, known: Places, place: str, lang: str) -> dict[str, Any]:
    try:
        doc = build(snap.cursor(), place, lang, places=known)
    except NotFound:
        return {"error": w.word("unknown_place", lang, place=place)}
    code = doc["place"]
    return {"doc": doc, "html": to_html(doc),
            "sources": {c["key"]: source_line(c, lang) for c in doc["cards"]},
            "downloads": [("JSON", f"/api/v1/facts/{code}?lang={lang}")]
            + [(kind.upper(), f"/facts/{code}.{kind}?lang={lang}") for kind in ("html", "svg")],
            "frame": f"/embed/facts/{code}?lang={lang}",
            "svg": to_svg(doc)}


@pages.get("/embed/facts/{place}", response_class=HTMLResponse)
def facts_frame(request: Request, *, place: str = Path(pattern=PLACE),
                lang: str = Query("en", pattern=LANG), snap: Snapshot = Depends(snapshot),
                known: Places = Depends(places)) -> HTMLResponse:
    """The fact cards as a page of their own with a citation line, for an iframe on
    another site (framing is allowed on /embed/ routes only)."""
    doc = build(snap.cursor(), place, lang, places=known)
    url = f"{request.base_url}debate?place={doc['place']}&lang={lang}"
    cite = site_words(lang)["citation"].format(version=__version__, title=doc["title"],
                                               revision=doc["revision"], url=url)
    return page("embed_facts.html", title=doc["title"], cards=to_html(doc, heading="h1"),
                citation=cite, place=doc["place"], lang=lang, w=site_words(lang))


def _terms_view(text: str, tlang: str, profile: str, lang: str) -> dict[str, Any]:
    """The flags of a pasted text; their citations in the page's language."""
    flags = terms.check(text[:MAX_PAGE_TEXT], tlang, profile)
    return {"flags": [{**f.as_dict(lang), "cites": f.as_dict(lang)["citations"]}
                      for f in flags]}


@pages.get("/debate", response_class=HTMLResponse)
def debate_page(request: Request, *, lang: str = Query("en", pattern=LANG),
                place: str = Query("", max_length=80), claim: str = Query("", max_length=500),
                text: str = Query("", max_length=MAX_PAGE_TEXT),
                tlang: str = Query("", pattern="^(en|fr|es|)$"),
                profile: str = Query("iom", pattern="^(iom|ap|fundeu|strict)$"),
                snap: Snapshot = Depends(snapshot), known: Places = Depends(places)
                ) -> HTMLResponse:
    """Fact cards, a claim checked and a text's words checked, in the page's language."""
    words = {k: v[lang] for k, v in w.WORDS.items()}
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    ctx: dict[str, Any] = {
        "t": Locale(lang), "w": words, "lang": lang, "title": words["page_title"],
        "c": " :" if lang == "fr" else ":",
        "place": place, "claim": claim, "text": text, "tlang": tlang or lang,
        "profile": profile, "profiles": terms.PROFILES,
        "langs": [(code, Locale(code).t("language"),
                   "/debate?" + urlencode([*query, ("lang", code)])) for code in w.LANGUAGES]}
    if place.strip():
        ctx["cards"] = _cards_view(snap, known, place.strip(), lang)
        ctx["base"] = str(request.base_url).rstrip("/")
    if claim.strip():
        answer = claims.check(snap.cursor(), claim.strip(), None, places=known)
        ctx["answer"] = answer
        ctx["verdict_text"] = claims.VERDICTS[answer["verdict"] or "unchecked"][lang]
        ctx["notes"] = claims.explain(answer["reading"], lang)
        ctx["claim_sources"] = rows_cited(answer.get("source_rows") or [], lang)
    if text.strip():
        ctx["terms"] = _terms_view(text, tlang or lang, profile, lang)
    return page("debate.html", **ctx)


router.include_router(api)
router.include_router(pages)
