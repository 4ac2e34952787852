"""What's new on the web (docs/monitoring.md): a page in English, French or Spanish, an
Atom feed of builds and alerts, and the API's revision comparison and news."""

from __future__ import annotations

import math
import re
from typing import Annotated, Any
from xml.sax.saxutils import escape

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from tmo.profiles.i18n import Locale
from tmo.revisions import news
from tmo.revisions.i18n import LANGUAGES, t
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.web.envelope import ok
from tmo.web.pages import page
from tmo.web.schemas import ChangesAnswer, WhatsNewAnswer, answers
from tmo.web.state import Kept, Snapshot, evidence, snapshot

api = APIRouter(prefix="/api/v1", tags=["api"])
pages = APIRouter(include_in_schema=False)
router = APIRouter()
Ev = Annotated[Evidence, Depends(evidence)]
LANG = Query("en", pattern="^(en|fr|es)$")
# The store is immutable: answers are kept per store file (its fingerprint).
KEPT = Kept(32)
Snap = Annotated[Snapshot, Depends(snapshot)]
EVENTS = ("origin_rank", "destination_rank", "trend_reversed", "corridor_appeared",
          "corridor_vanished", "unknown_origin_grew")


@api.get("/changes", summary="What changed between the revisions the store holds",
         **answers(ChangesAnswer, "as `tmo changes --format json` prints it"))
def changes(ev: Ev, snap: Snap,
            country: str | None = Query(None, pattern=r"^[A-Za-z]{3}$"),
            dataset: str | None = Query(None, pattern="^(IMS|WPP|flows)$")) -> dict[str, Any]:
    code = country.upper() if country else None
    return ok(KEPT.get_or((snap.fingerprint, "changes", code, dataset),
                          lambda: news.changes_document(ev.con, code, dataset)))


def _news(ev: Evidence, snap: Snapshot) -> dict[str, Any]:
    return KEPT.get_or((snap.fingerprint, "news"), lambda: news.whats_new(ev.con))


@api.get("/whats-new", summary="The latest builds, alerts and revision summaries",
         **answers(WhatsNewAnswer, "builds, alerts, pairs of revisions"))
def whats_new_api(ev: Ev, snap: Snap) -> dict[str, Any]:
    return ok(_news(ev, snap))


def _signed(fmt: Locale, value: float | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return ("+" if value > 0 else "−" if value < 0 else "") + fmt.number(abs(value), digits)


def _value(fmt: Locale, measure: str, value: float | None) -> str:
    share = "share" in measure or "rate" in measure
    return fmt.number(value, 2 if share else 0) + (" %" if share and value is not None
                                                   else "")


def _pct(fmt: Locale, old: float | None, new: float | None) -> str:
    if old in (None, 0) or new is None:
        return "–"
    assert old is not None
    return _signed(fmt, 100.0 * (new - old) / old, 1) + " %"


def alert_sentence(lang: str, a: dict[str, Any], names: dict[str, str]) -> str:
    """An alert in words, from its figures (the stored message is English)."""
    fmt = Locale(lang)
    area, partner = names.get(a["area"], a["area"]), names.get(a["partner"], a["partner"])
    measure = a["measure"]
    what = (f"{partner} → {area}" if a["partner"] else
            t(lang, "what_of", measure=t(lang, f"m_{measure}"), area=area))
    kind = a["kind"]
    return t(lang, f"alert_{kind}", partner=partner, area=area, what=what,
             previous=_value(fmt, measure, a["previous"]), value=_value(fmt, measure, a["value"]),
             year=a["year"], pct=_pct(fmt, a["previous"], a["value"]),
             threshold=fmt.number(a["threshold"], 1 if a["threshold"] % 1 else 0),
             revision=a["revision"])


def _when(stamp: str | None) -> str:
    """An ISO timestamp as "2026-12-01 18:38:23 UTC"."""
    return (stamp or "").replace("T", " ").replace("+00:00", " UTC")


def names_in(con: Any, lang: str) -> dict[str, str]:
    """Area names in `lang`, the unknown origin (OOO) included."""
    return {**facts.names_by_lang(con)[lang], "OOO": t(lang, "unknown_origin")}


def source_in(lang: str, text: str) -> str:
    """An alert's source ("file, rows 46 and 47") with its words in `lang`."""
    return re.sub(r", (rows?) (\S+)(?: and (\S+))?", lambda m: (
        f", {t(lang, 'w_' + m.group(1))} {m.group(2)}"
        + (f" {t(lang, 'w_and')} {m.group(3)}" if m.group(3) else "")), text)


def build_view(lang: str, b: dict[str, Any]) -> dict[str, Any]:
    changed = [s for s in b["sources"] if s["status"] in ("changed", "added", "removed")]
    if all(s["status"] == "first" for s in b["sources"]):
        line = t(lang, "first_build")
    elif not changed:
        line = t(lang, "nothing_changed")
    else:
        line = t(lang, "sources_changed", n=len(changed))
        if not b["views"]:
            line += " " + t(lang, "same_rows")
    return {"n": b["build"], "when": _when(b["finished"]), "line": line,
            "sources": [{**s, "label": t(lang, f"st_{s['status']}")} for s in changed],
            "views": b["views"]}


def pair_view(lang: str, p: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    fmt = Locale(lang)
    world = [{"label": t(lang, f"m_{r['measure']}"), "old": _value(fmt, r["measure"],
              r["old_value"]), "new": _value(fmt, r["measure"], r["new_value"]),
              "change": _signed(fmt, r["change"], 2 if "share" in r["measure"] else 0),
              "relative": _pct(fmt, r["old_value"], r["new_value"])} for r in p["world"]]
    conc = [{"name": names.get(c["area"], c["name"]), "change": _signed(fmt, c["change"]),
             "share": fmt.number(c["share_pct"], 1) + " %"}
            for c in p["concentration"]["largest"]
            if p["concentration"]["sum_of_absolute_revisions"]]
    events = [(t(lang, f"ev_{k}"), fmt.number(p["events"][k])) for k in EVENTS
              if k in p["events"]]
    return {"title": t(lang, "pair", dataset=p["dataset"], old=p["old_revision"],
                       new=p["new_revision"]),
            "years": t(lang, "common_years", years=", ".join(map(str, p["common_years"]))),
            "world_title": t(lang, "world", year=p["year"]), "world": world,
            "concentration_title": t(lang, "concentration", year=p["year"]),
            "concentration": conc, "events": events}


@pages.get("/whats-new", response_class=HTMLResponse)
def whats_new_page(ev: Ev, snap: Snap, lang: str = LANG) -> HTMLResponse:
    data = _news(ev, snap)
    names = names_in(ev.con, lang)
    return page("whats_new.html", title=t(lang, "title"), lang=lang,
                w=lambda key, **v: t(lang, key, **v),
                languages=[(code, t(code, "language")) for code in LANGUAGES],
                builds=[build_view(lang, b) for b in data["builds"]],
                alerts=[{**a, "sentence": alert_sentence(lang, a, names),
                         "source": source_in(lang, a["source"])} for a in data["alerts"]],
                pairs=[pair_view(lang, p, names) for p in data["pairs"]])


@pages.get("/whats-new.atom")
def whats_new_feed(ev: Ev, snap: Snap, lang: str = LANG) -> Response:
    """Builds and alerts as an Atom feed, newest first (an alert is dated by its build)."""
    data = _news(ev, snap)
    names = names_in(ev.con, lang)
    finished = {b["build"]: b["finished"] or b["started"] for b in data["builds"]}
    started = {b["build"]: b["started"] for b in data["builds"]}
    entries = []
    for b in data["builds"]:
        view = build_view(lang, b)
        text = view["line"] + "".join(f" {s['source']}: {s['label']}." for s in view["sources"])
        entries.append((f"build:{b['started']}", finished[b["build"]],
                        t(lang, "feed_build", n=b["build"], what=view["line"]), text))
    for a in data["alerts"]:
        sentence = alert_sentence(lang, a, names)
        key = (f"alert:{started.get(a['build'], a['build'])}:{a['rule']}:{a['area']}:"
               f"{a['partner']}:{a['year']}")
        entries.append((key, finished.get(a["build"], ""),
                        t(lang, "feed_alert", rule=a["rule"], n=a["build"], sentence=sentence),
                        f"{sentence} [{source_in(lang, a['source'])}]"))
    entries.sort(key=lambda e: e[1], reverse=True)
    updated = entries[0][1] if entries else "1970-01-01T00:00:00+00:00"
    items = "".join(
        f"<entry><id>urn:tmo:{escape(key)}</id><title>{escape(title)}</title>"
        f"<updated>{escape(when)}</updated><content type=\"text\">{escape(text)}</content>"
        f"<link href=\"/whats-new?lang={lang}\"/></entry>"
        for key, when, title, text in entries)
    xml = ('<?xml version="1.0" encoding="utf-8"?>'
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}">'
           f"<id>urn:tmo:whats-new:{lang}</id><title>{escape(t(lang, 'feed_title'))}"
           f"</title><updated>{escape(updated)}</updated>"
           f'<link rel="self" href="/whats-new.atom?lang={lang}"/>'
           f'<link href="/whats-new?lang={lang}"/>{items}</feed>')
    return Response(xml, media_type="application/atom+xml")


router.include_router(api)
router.include_router(pages)
