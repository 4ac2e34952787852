"""Voting from abroad on the web (docs/voting.md): seat apportionment and the stations plan
of a country with shipped rules, in the API's envelope; the plan as a page, with its
maps drawn by the project's world map, and its voter-information pages in each language;
an index of the countries with shipped rules (linked from the site's navigation)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, Response

from tmo.errors import InputError, NotFound
from tmo.profiles import charts
from tmo.profiles.i18n import Locale as ChartLocale
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.voting.apportionment import FLOOR_RULES, METHODS, TIE_BREAKS, apportion
from tmo.voting.i18n import Locale
from tmo.voting.info import info_languages
from tmo.voting.inputs import describe, example_registrations, read_registrations
from tmo.voting.plan import plan_stations
from tmo.voting.render import MapDrawer, to_csv, to_html, to_info_html
from tmo.voting.ruleset import load, shipped
from tmo.web.envelope import ok
from tmo.web.pages import page
from tmo.web.schemas import (
    ApportionAnswer,
    PlanAnswer,
    VotingRulesAnswer,
    VotingRulesIndexAnswer,
    answers,
)
from tmo.web.state import Snapshot, evidence, snapshot
from tmo.web.wording import LANG_PATTERN, language_links, words

api = APIRouter(prefix="/api/v1/voting", tags=["api"])
pages = APIRouter(include_in_schema=False)
router = APIRouter()
ISO3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 code")
Ev = Annotated[Evidence, Depends(evidence)]
VOTES_HINT = "repeat votes=NAME:NUMBER, e.g. ?votes=A:6100&votes=B:5000&seats=10"


EXAMPLE = "example"  # ?registrations=example: the synthetic file shipped with the rules
EXAMPLE_QUERY = Query(None, pattern=f"^{EXAMPLE}$",
                      description="'example': the synthetic registrations shipped with the "
                                  "rules (labelled synthetic on every page)")


def _choice(values: tuple[str, ...]) -> str:
    return "^(" + "|".join(values) + ")$"


def parse_votes(items: list[str]) -> dict[str, str]:
    """`NAME:NUMBER` items as a mapping (the number is checked by the kernel)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, number = item.rpartition(":")
        if not sep or not name.strip():
            raise InputError(f"votes item {item!r} is not NAME:NUMBER", hint=VOTES_HINT)
        if name.strip() in out:
            raise InputError(f"votes name {name.strip()!r} is given twice", hint=VOTES_HINT)
        out[name.strip()] = number.strip()
    return out


@api.get("/apportion", summary="Seats by D'Hondt, Sainte-Laguë, largest remainder, "
                               "Huntington-Hill",
         **answers(ApportionAnswer, "seats, exact quotas, ties decided"))
def apportion_route(*, votes: list[str] = Query(..., min_length=1, max_length=200),
                    seats: int = Query(..., ge=0, le=10_000),
                    method: str = Query("dhondt", pattern=_choice(METHODS)),
                    floor: int = Query(0, ge=0, le=1_000),
                    floor_rule: str = Query("add", pattern=_choice(FLOOR_RULES)),
                    tie_break: str = Query("most_votes", pattern=_choice(TIE_BREAKS)),
                    seed: int = Query(0, ge=0, le=2**31)) -> dict[str, Any]:
    for item in votes:
        if len(item) > 200:
            raise InputError("a votes item is longer than 200 characters", hint=VOTES_HINT)
    result = apportion(parse_votes(votes), seats, method, floor=floor, floor_rule=floor_rule,
                       tie_break=tie_break, seed=seed)
    answer = result.as_dict()
    return ok({"seats": answer["seats"], "quotas": answer["quotas"], "ties": answer["ties"]},
              method=result.method, house=seats, floor=floor, floor_rule=floor_rule,
              tie_break=tie_break)


@api.get("/rules", summary="The countries with shipped rules files",
         **answers(VotingRulesIndexAnswer, "ISO3 codes"))
def rules_index() -> dict[str, Any]:
    return ok(sorted(shipped()))


@api.get("/rules/{iso3}", summary="A country's shipped rules: every value with its sources",
         **answers(VotingRulesAnswer, "the rules file (meta.file: its path)"))
def rules_route(iso3: Annotated[str, ISO3]) -> dict[str, Any]:
    rules = load(iso3)
    return ok(rules.data, file=rules.path)


def map_drawer(shapes: dict[str, str], names: dict[str, str]) -> MapDrawer:
    """The plan's maps drawn by the project's world map (tmo.profiles.charts)."""
    fmt = ChartLocale("en").number

    def draw(values: dict[str, float], title: str) -> str:
        return charts.world_map(shapes, values, title=title, fmt=fmt, names=names)

    return draw


def _plan(ev: Evidence, iso3: str, *, example: bool = False, **options: Any) -> dict[str, Any]:
    code = facts.require_country(ev.con, iso3)
    rules = load(code)
    cities, inputs = None, None
    if example:
        path = shipped().get(code)
        found = example_registrations(path) if path else None
        if found is None:
            raise NotFound(f"no example registrations ship for {code}",
                           hint="leave out registrations=example: the plan from UN DESA stocks")
        cities = read_registrations(found, facts.registry(ev.con), facts.capitals(ev.con))
        inputs = {"registrations": describe(found, len(cities))}
    return plan_stations(ev.con, code, rules, registrations=cities, inputs=inputs,
                         **options).as_dict()


def _query(**params: Any) -> str:
    given = [f"{k}={v}" for k, v in params.items() if v is not None]
    return "?" + "&".join(given) if given else ""


@api.get("/plan/{iso3}", summary="The stations plan of a country's citizens abroad",
         **answers(PlanAnswer, "the plan, as `tmo voting plan --format json` prints it "
                   "(CSV: a row per site)", csv=True))
def plan_route(ev: Ev, iso3: Annotated[str, ISO3], *,
               year: int | None = Query(None, ge=1990, le=2100),
               revision: str | None = Query(None, max_length=10),
               stock_year: int | None = Query(None, ge=1990, le=2100),
               adult_share: float | None = Query(None, ge=0, le=1),
               citizenship_share: float | None = Query(None, ge=0, le=1),
               turnout: float | None = Query(None, ge=0, le=1),
               registrations: str | None = EXAMPLE_QUERY,
               format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    document = _plan(ev, iso3, example=registrations == EXAMPLE, year=year, revision=revision,
                     stock_year=stock_year, adult_share=adult_share,
                     citizenship_share=citizenship_share, turnout=turnout)
    if format == "csv":
        return Response(to_csv(document), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{document["origin"]}-stations.csv"'})
    return ok(document)


@pages.get("/voting", response_class=HTMLResponse)
def voting_index(snap: Snapshot = Depends(snapshot),
                 lang: str = Query("en", pattern=LANG_PATTERN)) -> HTMLResponse:
    """The countries with shipped rules: their plans and voter-information pages (the
    index's words in `lang`; the plans are in English)."""
    countries = []
    for code, path in sorted(shipped().items()):
        languages = [(lang, Locale(lang).t("language")) for lang in info_languages(
            {"voter_information": load(code).data.get("voter_information", {})})]
        countries.append({"iso3": code, "name": snap.lexicon.name(code, lang),
                          "example": example_registrations(path) is not None,
                          "languages": languages})
    w = words(lang)
    return page("voting_index.html", title=w["voting_title"], countries=countries, lang=lang,
                w=w, current="/voting", crumbs=[(w["nav_voting"], None)],
                langs=language_links("/voting", [("lang", lang)]))


@pages.get("/voting/{iso3}", response_class=HTMLResponse)
def plan_page(ev: Ev, iso3: str = Path(pattern=r"^[A-Za-z]{3}$"), *,
              year: int | None = Query(None, ge=1990, le=2100),
              turnout: float | None = Query(None, ge=0, le=1),
              registrations: str | None = EXAMPLE_QUERY,
              snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    document = _plan(ev, iso3, example=registrations == EXAMPLE, year=year, turnout=turnout)
    code = document["origin"]
    info = [(lang, Locale(lang).t("language"),
             f"/voting/{code}/info{_query(lang=lang, registrations=registrations)}")
            for lang in info_languages(document)]
    other = (("Plan from UN DESA stocks only", f"/voting/{code}") if registrations else
             ("Plan with the synthetic pre-registrations (example)",
              f"/voting/{code}?registrations={EXAMPLE}"))
    nav = [("Transnational Migration Observatory", "/"), ("Voting from abroad", "/voting"),
           other]
    draw = map_drawer(snap.lexicon.shapes, snap.names)
    return HTMLResponse(to_html(document, draw, info_links=info, nav=nav))


@pages.get("/voting/{iso3}/info", response_class=HTMLResponse)
def info_page(ev: Ev, iso3: str = Path(pattern=r"^[A-Za-z]{3}$"), *,
              lang: str = Query("en", pattern=r"^[a-z]{2}$"),
              election: datetime.date | None = Query(
                  None, description="election day (YYYY-MM-DD): dates are counted from it"),
              registrations: str | None = EXAMPLE_QUERY,
              snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    document = _plan(ev, iso3, example=registrations == EXAMPLE)
    code = document["origin"]
    languages = info_languages(document)
    if lang not in languages:
        raise InputError(f"no voter information in {lang!r} for {code}",
                         hint=f"lang is one of {', '.join(languages)}")
    day = election.isoformat() if election else None
    links = {other: f"/voting/{code}/info"
                    + _query(lang=other, registrations=registrations, election=day)
             for other in languages}
    plan_href = f"/voting/{code}{_query(registrations=registrations)}"
    return HTMLResponse(to_info_html(document, lang, snap.lexicon.names, links=links,
                                     plan_href=plan_href, election=election))


router.include_router(api)
router.include_router(pages)
