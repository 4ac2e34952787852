"""Projections on the web (docs/projections.md): `/projections?country=ISO3&lang=` shows a
country's immigrants and emigrants projected to 2030-2050 with the fan of their 80 % and
95 % intervals, its main corridors and the backtest beside them, in English, French or
Spanish: the projections section of its Migration Profile, with a country chooser. The
figures are those `GET /api/v1/projections` serves. Below them, the country's largest
projected inflows and outflows (more of them than the profile shows, in the first and
the last projected period) with their intervals, as `GET /api/v1/projections/flows`
serves them. `/projections/backtest?lang=` is the report of the backtest stored beside
the projections (`tmo projections backtest --format html`, drawn from the
`projection_backtest` rows)."""

from __future__ import annotations

import math
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from tmo.errors import NotFound
from tmo.profiles import projected_flows
from tmo.profiles.i18n import LANGUAGES, Locale
from tmo.profiles.outlook import section_html
from tmo.projections.projection import Settings
from tmo.projections.report import About, render_html
from tmo.store import facts, projected
from tmo.store.evidence import Evidence
from tmo.web.pages import page
from tmo.web.state import Snapshot, evidence, snapshot

router = APIRouter(include_in_schema=False)
Snap = Annotated[Snapshot, Depends(snapshot)]
Ev = Annotated[Evidence, Depends(evidence)]
LANG = Query("en", pattern="^(en|fr|es)$")


@router.get("/projections", response_class=HTMLResponse)
def projections_page(snap: Snap, ev: Ev, lang: str = LANG,
                     country: str | None = Query(None, pattern=r"^[A-Za-z]{3}$")
                     ) -> HTMLResponse:
    loc = Locale(lang)
    names = snap.lexicon.names_in(lang)
    countries = sorted(((c["iso3"], names.get(c["iso3"], c["name"])) for c in snap.country_list),
                       key=lambda c: c[1])
    code = country.upper() if country else None
    section = ""
    if code:
        profile: dict[str, Any] = dict(snap.profile(snap.key(code, None, None)))
        outlook: dict[str, Any] = dict(profile.get("projections") or {})
        if outlook:  # the page shows more flows than the profile
            outlook["flows"] = projected_flows.section(
                ev, code, outlook["revision"], top=projected_flows.PAGE_TOP, periods="both")
            profile["projections"] = outlook
        section = section_html(profile, names, lang)
    suffix = f"&country={code}" if code else ""
    return page("projections.html", title=loc.t("projections"), lang=lang, t=loc.t,
                languages=[(lg, Locale(lg).t("language"), f"/projections?lang={lg}{suffix}")
                           for lg in LANGUAGES],
                countries=countries, code=code, name=names.get(code or "", code),
                section=section)


def stored_backtest(ev: Evidence) -> tuple[list[dict[str, Any]], About]:
    """The backtest stored beside the latest projections, as the report's rows (a measure
    the stored row leaves empty is absent, the PIT histogram a list), and what it was
    computed from. NotFound when nothing is stored."""
    revisions = projected.projected_revisions(ev.con)
    frame = facts.projection_backtest(ev.con, revisions[-1]) if revisions else None
    if frame is None or frame.empty:
        raise NotFound("the store holds no projection backtest",
                       hint="`tmo projections run` scores the model beside its projections")
    pits = [f"pit{k}" for k in range(1, 11)]
    rows = []
    for record in frame.to_dict(orient="records"):
        row = {str(k): v for k, v in record.items() if k not in pits and not (
            isinstance(v, float) and math.isnan(v))}
        values = [record.get(k) for k in pits]
        if all(isinstance(v, float) and not math.isnan(v) for v in values):
            row["pit"] = values
        rows.append(row)
    revision = str(frame["revision"].iloc[0])
    _, source = ev.rows("migrant_stock", {"revision": revision, "sex": ["female", "male"]},
                        ["year"])
    defaults = Settings()  # `tmo projections run` scores with the model's own settings
    about = About(revision, int(frame["draws"].iloc[0]), int(frame["seed"].iloc[0]),
                  defaults.scale, defaults.damping, source.view, source.filter,
                  source.files, source.n_rows)
    return rows, about


@router.get("/projections/backtest", response_class=HTMLResponse)
def backtest_page(ev: Ev, lang: str = LANG) -> HTMLResponse:
    rows, about = stored_backtest(ev)
    return HTMLResponse(render_html(rows, about, lang))
