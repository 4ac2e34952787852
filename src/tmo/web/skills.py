"""The skills side of the diaspora registry as a JSON API (docs/skills.md), under
`/api/v1/registry/skills`: taxonomies; a registrant's skills profile, the opportunities
ranked for them and the contact requests made to them; institutions' applications and
the ministry's verification; an institution's opportunities, its ranked anonymised
candidates and its contact requests; the suppressed skills composition. Sessions, CSRF
and refusals are the registry's (tmo.web.registry_session, tmo.web.registry); every
route is in the authorisation matrix of tests/registry/test_skills_web.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse

from tmo.registry import aggregates as registry_aggregates
from tmo.registry.database import transaction
from tmo.skills import aggregates, contacts, institutions, profiles, search, taxonomy
from tmo.skills.i18n import t
from tmo.skills.vocabulary import INSTITUTION_KINDS, OFFERS, OPPORTUNITY_KINDS
from tmo.web.envelope import ok
from tmo.web.registry_session import (
    NO_STORE,
    Fields,
    Lang,
    Made,
    acting,
    address,
    anonymous_csrf,
    base_url,
    prepared,
    signed_in,
)
from tmo.web.schemas import DoneAnswer, Record, Rows, SuppressedAnswer, answers

api = APIRouter(prefix="/api/v1/registry/skills", tags=["api"])
Limit = Annotated[int, Query(ge=1, le=200)]


def _ok(data: Any, status: int = 200, **meta: Any) -> JSONResponse:
    return JSONResponse(ok(data, **meta), status_code=status, headers=NO_STORE)


# ------------------------------------------------------------------ open: taxonomies

@api.get("/taxonomies", summary="The codes: ISCED 2011 levels, ISCED-F 2013 broad fields, "
                                "CEFR levels, offers, kinds",
         **answers(Record, "the codes (meta.citations)"))
def taxonomies_route() -> JSONResponse:
    return _ok({"isced_levels": list(taxonomy.ISCED_LEVELS),
                "isced_level_names": {lang: dict(zip(taxonomy.ISCED_LEVELS, names,
                                                     strict=True))
                                      for lang, names in taxonomy.ISCED_NAMES.items()},
                "isced_fields": taxonomy.ISCED_F, "cefr": list(taxonomy.CEFR),
                "offers": list(OFFERS), "institution_kinds": list(INSTITUTION_KINDS),
                "opportunity_kinds": list(OPPORTUNITY_KINDS)},
               citations={"isced": taxonomy.ISCED_CITATION,
                          "isced_level_names": taxonomy.ISCED_NAMES_CITATION,
                          "cefr": taxonomy.CEFR_CITATION, "esco": taxonomy.ESCO_CITATION})


@api.get("/taxonomies/isco", summary="ISCO-08 groups with their titles in a language "
                                     "(English where the table has none, said so)",
         **answers(Rows, "ISCO-08 groups (meta.citation)"))
def isco_route(lang: Lang = "en", level: str | None = Query(
        None, pattern="^(major|sub-major|minor|unit)$")) -> JSONResponse:
    rows = []
    for code, group in taxonomy.isco().items():
        if level and group.level != level:
            continue
        title = taxonomy.title(code, lang)
        rows.append({"code": code, "level": group.level, "parent": group.parent,
                     "title": title.text, "title_language": title.language,
                     "fallback": title.fallback})
    fallback = any(r["fallback"] for r in rows)
    return _ok(rows, citation=taxonomy.ISCO_CITATION,
               note=t(lang, "fallback", language=t(lang, f"language_{lang}"))
               if fallback else None)


# ------------------------------------------------------------------ the registrant

@api.get("/me/profile", summary="The signed-in registrant's skills profile",
         **answers(Record, "the profile (null without one)"))
def my_profile_route(request: Request, made: Made, lang: Lang = "en") -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(profiles.mine(s, actor, lang))


@api.put("/me/profile", summary="Create or replace one's skills profile",
         **answers(Record, "the profile saved"))
def save_profile_route(request: Request, made: Made, data: Fields, lang: Lang = "en"
                       ) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        return _ok(profiles.save(s, actor, data, lang))


@api.delete("/me/profile", summary="Delete one's skills profile",
            **answers(DoneAnswer, "deleted"))
def delete_profile_route(request: Request, made: Made) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        return _ok({"deleted": profiles.remove(s, actor)})


@api.get("/me/opportunities", summary="Open opportunities ranked for one's skills profile, "
                                      "each with its explanation",
         **answers(Record, "opportunities ranked, each explained"))
def my_opportunities_route(request: Request, made: Made, lang: Lang = "en",
                           limit: Limit = 50) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(search.opportunities_for(s, actor, lang, limit=limit))


@api.get("/me/requests", summary="Contact requests made to the signed-in registrant",
         **answers(Rows, "contact requests"))
def my_requests_route(request: Request, made: Made) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(contacts.for_person(s, actor))


@api.post("/me/requests/{request_id}", summary="Accept (true) or refuse (false) a contact "
                                              "request",
          **answers(Record, "the request answered"))
def answer_route(request: Request, made: Made, request_id: int,
                 accept: bool = Body(..., embed=True)) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        return _ok(contacts.answer(s, actor, request_id, accept))


# ------------------------------------------------------------------ institutions

@api.post("/institutions", summary="An institution applies (name, kind, sector, e-mail, "
                                   "password); a verification link is sent",
          **answers(DoneAnswer, "applied: the new user's id", 201))
def apply_route(request: Request, made: Made, data: Fields, lang: Lang = "en"
                ) -> JSONResponse:
    anonymous_csrf(request)
    with transaction(made) as s:
        user = institutions.apply(s, data, lang, base_url(request), address=address(request))
    return _ok({"applied": True, "user": user}, status=201)


@api.get("/institutions", summary="Institutions and their state (ministry: analysts, "
                                  "administrators)",
         **answers(Rows, "institutions and their state"))
def institutions_route(request: Request, made: Made, state: str | None = Query(
        None, pattern="^(applied|verified|refused)$")) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(institutions.listing(s, actor, state))


@api.post("/institutions/{institution_id}/decision", summary="Verify (true) or refuse "
                                                             "(false) an institution",
          **answers(Record, "the institution decided"))
def decide_route(request: Request, made: Made, institution_id: int,
                 verified: bool = Body(..., embed=True)) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        return _ok(institutions.decide(s, actor, institution_id, verified))


@api.get("/institution", summary="The institution the signed-in account acts for",
         **answers(Record, "the institution"))
def my_institution_route(request: Request, made: Made) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(institutions.mine(s, actor))


@api.get("/opportunities", summary="The institution's own opportunities",
         **answers(Rows, "the institution's opportunities"))
def opportunities_route(request: Request, made: Made, lang: Lang = "en") -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(institutions.opportunities(s, actor, lang))


@api.post("/opportunities", summary="Publish an opportunity (verified institutions)",
          **answers(Record, "the opportunity published", 201))
def publish_route(request: Request, made: Made, data: Fields, lang: Lang = "en"
                  ) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        return _ok(institutions.publish(s, actor, data, lang), status=201)


@api.get("/opportunities/{opportunity_id}", summary="One of the institution's opportunities",
         **answers(Record, "the opportunity"))
def opportunity_route(request: Request, made: Made, opportunity_id: int, lang: Lang = "en"
                      ) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(institutions.opportunity(s, actor, opportunity_id, lang))


@api.patch("/opportunities/{opportunity_id}", summary="Open (true) or close (false) an "
                                                      "opportunity",
           **answers(Record, "the opportunity opened or closed"))
def set_open_route(request: Request, made: Made, opportunity_id: int,
                   open: bool = Body(..., embed=True)) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        return _ok(institutions.set_open(s, actor, opportunity_id, open))


@api.get("/opportunities/{opportunity_id}/candidates", summary="Ranked anonymised "
         "candidates, each with the criteria that produced its score",
         **answers(Record, "ranked anonymised candidates"))
def candidates_route(request: Request, made: Made, opportunity_id: int, lang: Lang = "en",
                     limit: Limit = 50) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    prepared(request)
    with transaction(made) as s:
        return _ok(search.candidates(s, actor, opportunity_id, lang, limit=limit))


@api.post("/opportunities/{opportunity_id}/requests", summary="Ask to contact a candidate "
                                                              "(the first opt-in)",
          **answers(Record, "the contact request", 201))
def request_route(request: Request, made: Made, opportunity_id: int,
                  candidate: int = Body(...),
                  message: str = Body("", max_length=contacts.MESSAGE)) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        return _ok(contacts.request(s, actor, opportunity_id, candidate, message), status=201)


@api.get("/requests", summary="The institution's contact requests (contact shown once "
                              "accepted)",
         **answers(Rows, "the contact requests"))
def institution_requests_route(request: Request, made: Made, lang: Lang = "en",
                               opportunity: int | None = None) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(contacts.for_institution(s, actor, lang, opportunity))


# ------------------------------------------------------------------ the ministry

@api.get("/aggregates", summary="The diaspora's skills composition, suppressed (analysts, "
                                "administrators)",
         **answers(SuppressedAnswer, "the skills composition, suppressed"))
def composition_route(request: Request, made: Made, k: int = Query(
        registry_aggregates.K, ge=registry_aggregates.K, le=1000)) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    return _ok(aggregates.analyst_composition(made, actor, k))
