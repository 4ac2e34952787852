"""Voting from abroad on the web (docs/voting.md): seat apportionment and the stations plan
of a country with shipped rules, in the API's envelope, and the plan as a page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, Response

from tmo.errors import InputError
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.voting.apportionment import FLOOR_RULES, METHODS, TIE_BREAKS, apportion
from tmo.voting.plan import plan_stations
from tmo.voting.render import to_csv, to_html
from tmo.voting.ruleset import load, shipped
from tmo.web.envelope import ok
from tmo.web.state import Snapshot, evidence, snapshot

api = APIRouter(prefix="/api/v1/voting", tags=["api"])
pages = APIRouter(include_in_schema=False)
router = APIRouter()
ISO3 = Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166 alpha-3 code")
Ev = Annotated[Evidence, Depends(evidence)]
VOTES_HINT = "repeat votes=NAME:NUMBER, e.g. ?votes=A:6100&votes=B:5000&seats=10"


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
                               "Huntington-Hill")
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


@api.get("/rules", summary="The countries with shipped rules files")
def rules_index() -> dict[str, Any]:
    return ok(sorted(shipped()))


@api.get("/rules/{iso3}", summary="A country's shipped rules: every value with its sources")
def rules_route(iso3: Annotated[str, ISO3]) -> dict[str, Any]:
    rules = load(iso3)
    return ok(rules.data, file=rules.path)


def _plan(ev: Evidence, iso3: str, **options: Any) -> dict[str, Any]:
    code = facts.require_country(ev.con, iso3)
    return plan_stations(ev.con, code, load(code), **options).as_dict()


@api.get("/plan/{iso3}", summary="The stations plan of a country's citizens abroad")
def plan_route(ev: Ev, iso3: Annotated[str, ISO3], *,
               year: int | None = Query(None, ge=1990, le=2100),
               revision: str | None = Query(None, max_length=10),
               stock_year: int | None = Query(None, ge=1990, le=2100),
               adult_share: float | None = Query(None, ge=0, le=1),
               citizenship_share: float | None = Query(None, ge=0, le=1),
               turnout: float | None = Query(None, ge=0, le=1),
               format: str = Query("json", pattern="^(json|csv)$")) -> Any:
    document = _plan(ev, iso3, year=year, revision=revision, stock_year=stock_year,
                     adult_share=adult_share, citizenship_share=citizenship_share,
                     turnout=turnout)
    if format == "csv":
        return Response(to_csv(document), media_type="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{document["origin"]}-stations.csv"'})
    return ok(document)


@pages.get("/voting/{iso3}", response_class=HTMLResponse)
def plan_page(ev: Ev, iso3: str = Path(pattern=r"^[A-Za-z]{3}$"), *,
              year: int | None = Query(None, ge=1990, le=2100),
              turnout: float | None = Query(None, ge=0, le=1),
              snap: Snapshot = Depends(snapshot)) -> HTMLResponse:
    document = _plan(ev, iso3, year=year, turnout=turnout)
    return HTMLResponse(to_html(document, snap.lexicon.shapes))


router.include_router(api)
router.include_router(pages)
