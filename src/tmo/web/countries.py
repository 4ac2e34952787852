"""The countries index: every area by UN region, linked to its profile, in EN/FR/ES."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.web.pages import LANG, here, page
from tmo.web.state import Snapshot, evidence, snapshot
from tmo.web.wording import REGION_NAMES, words

router = APIRouter(include_in_schema=False)

# the UN region codes (M49) of the `countries` view's region names: their fact cards
# (the Americas are two UN regions, 904 and 905: no one code)
REGION_CODES = {"Africa": "UN:903", "Asia": "UN:935", "Europe": "UN:908", "Oceania": "UN:909"}


def by_region(rows: list[dict[str, Any]], names: dict[str, str], profiled: set[str],
              lang: str, known: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Areas grouped by UN region (regions in their usual order, areas by name in `lang`);
    areas without a region last."""
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for r in rows:
        if r["kind"] not in ("country", "special"):
            continue
        groups.setdefault(r["region"] or None, []).append(
            {"iso3": r["iso3"], "name": names.get(r["iso3"], r["name"]),
             "profile": r["iso3"] in profiled})
    order = [*(k for k in REGION_NAMES if k in groups),
             *sorted(k for k in groups if k is not None and k not in REGION_NAMES),
             *([None] if None in groups else [])]
    return [{"region": region,
             "code": code if (code := REGION_CODES.get(region or "")) in known else None,
             "area": REGION_CODES.get(region or ""),  # its area profile (/areas/{code})
             "name": REGION_NAMES.get(region or "", {}).get(lang, region) if region else None,
             "areas": sorted(groups[region], key=lambda a: a["name"])} for region in order]


@router.get("/countries", response_class=HTMLResponse)
def countries_index(request: Request, lang: str = LANG, ev: Evidence = Depends(evidence),
                    snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    w = words(lang)
    profiled = {key[0] for key in snap.answers} | snap.partial
    regions = by_region(facts.countries_table(ev.con), snap.lexicon.names_in(lang), profiled,
                        lang, set(snap.known))
    return page("countries.html", title=w["countries_title"], regions=regions, lang=lang,
                w=w, count=sum(a["profile"] for g in regions for a in g["areas"]),
                langs=here(request), current="/countries",
                crumbs=[(w["nav_countries"], None)])
