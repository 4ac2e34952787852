"""The diaspora registry on the web (docs/registry.md): the registration form, e-mail
verification, sign-in, a registrant's own data (see, correct, export, delete, consent),
an officer's search and crisis-contact export limited to their mission's jurisdiction,
and an analyst's suppressed aggregates; the same as a JSON API.

Sessions live in the registry's database; the browser holds a random token in a cookie
that is Secure, HttpOnly and SameSite=Strict. Every state change needs the CSRF token of
its session (or, before sign-in, the double-submit token of the `tmo_registry_csrf`
cookie), as a form field `csrf` or the header `X-CSRF-Token`. Nothing personal is cached:
every answer says `Cache-Control: no-store`."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Body, FastAPI, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError

from tmo.errors import TmoError
from tmo.registry import accounts, aggregates, consular, organisation, registrations
from tmo.registry.access import Forbidden, Invalid, TooMany, Unauthenticated
from tmo.registry.database import transaction
from tmo.skills import contacts
from tmo.web import skills, skills_pages
from tmo.web.envelope import error, ok
from tmo.web.registry_pages import message_page, pages
from tmo.web.registry_session import (
    COOKIE,
    NO_STORE,
    Fields,
    Lang,
    Made,
    RegistryHandle,
    acting,
    address,
    anonymous_csrf,
    anonymous_token,
    base_url,
    lang_of,
    set_csrf,
    set_session,
    signed_in,
)
from tmo.web.schemas import (
    CSV_ONLY,
    CsrfAnswer,
    DoneAnswer,
    MissionsAnswer,
    Record,
    Registrant,
    RegistrantAnswer,
    Rows,
    SuppressedAnswer,
    answers,
)

api = APIRouter(prefix="/api/v1/registry", tags=["api"])


log = logging.getLogger("tmo.web.registry")


def install(app: FastAPI, url: str) -> None:
    """Serve the registry at `url` in `app`: its state, routes and refusal answers."""
    app.state.registry = RegistryHandle(url)
    app.include_router(api)
    app.include_router(skills.api)  # the skills side: docs/skills.md
    app.include_router(pages)
    app.include_router(skills_pages.pages)  # the skills pages: docs/skills.md

    def answer(request: Request, code: int, exc: Exception, **extra: Any) -> Response:
        if request.url.path.startswith("/api/"):
            response: Response = error(code, str(exc), getattr(exc, "hint", None))
            if extra:
                body = json.loads(bytes(response.body))
                body["error"].update(extra)
                response = JSONResponse(body, status_code=code)
        elif code == 401:
            response = RedirectResponse(f"/registry/sign-in?lang={lang_of(request)}", 303)
        else:
            response = message_page(request, str(exc), code, raised=True)
        response.headers.update(NO_STORE)
        return response

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, exc: Unauthenticated) -> Response:
        return answer(request, 401, exc)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return answer(request, 403, exc)

    @app.exception_handler(TooMany)
    async def too_many(request: Request, exc: TooMany) -> Response:
        response = answer(request, 429, exc)
        response.headers["Retry-After"] = str(exc.wait)
        return response

    @app.exception_handler(Invalid)
    async def invalid(request: Request, exc: Invalid) -> Response:
        return answer(request, 422, exc, fields=exc.fields)

    @app.exception_handler(OperationalError)
    async def busy(request: Request, exc: OperationalError) -> Response:
        log.warning("registry database: %s", str(exc.orig).splitlines()[0])
        response = answer(request, 503, TmoError(
            "the registry's database is busy or unreachable", hint="try again shortly"))
        response.headers["Retry-After"] = "5"
        return response



def _ok(data: Any, **meta: Any) -> JSONResponse:
    return JSONResponse(ok(data, **meta), headers=NO_STORE)


@api.get("/csrf", summary="A token for registering and signing in (sets its cookie)",
         **answers(CsrfAnswer, "the token (also set as a cookie)"))
def csrf_route(request: Request) -> Response:
    token = anonymous_token(request)
    return set_csrf(_ok({"csrf": token}), token)


@api.get("/missions", summary="The registry's missions and the countries each serves",
         **answers(MissionsAnswer, "the missions (meta.origin: the country of origin)"))
def missions_route(made: Made) -> JSONResponse:
    with transaction(made) as s:
        return _ok(organisation.missions(s), origin=organisation.origin(s))


@api.post("/registrations", summary="Register (the fields of docs/registry.md); an "
                                    "e-mail with a verification link is sent",
          **answers(DoneAnswer, "registered: the new user's id", 201))
def register_route(request: Request, made: Made, data: Fields, lang: Lang = "en"
                   ) -> JSONResponse:
    anonymous_csrf(request)
    with transaction(made) as s:
        user = registrations.register(s, data, lang, base_url(request),
                                      address=address(request))
    return JSONResponse(ok({"registered": True, "user": user}), status_code=201,
                        headers=NO_STORE)


@api.post("/verify", summary="Verify an e-mail address with the token of its link",
          **answers(DoneAnswer, "verified"))
def verify_route(made: Made, token: str = Body(..., embed=True, max_length=100)
                 ) -> JSONResponse:
    with transaction(made) as s:
        registrations.verify(s, token)
    return _ok({"verified": True})


@api.post("/session", summary="Sign in (sets the session cookie; answers its CSRF token)",
          **answers(CsrfAnswer, "signed in: the session's CSRF token"))
def sign_in_route(request: Request, made: Made,
                  email: str = Body(..., max_length=254),
                  password: str = Body(..., max_length=128)) -> JSONResponse:
    anonymous_csrf(request)
    with transaction(made) as s:
        token, csrf = accounts.sign_in(s, email, password)
    response = _ok({"csrf": csrf})
    set_session(response, token)
    return response


@api.delete("/session", summary="Sign out",
            **answers(DoneAnswer, "signed out"))
def sign_out_route(request: Request, made: Made) -> JSONResponse:
    acting(request, made)
    with transaction(made) as s:
        accounts.sign_out(s, request.cookies.get(COOKIE, ""))
    response = _ok({"signed_out": True})
    response.delete_cookie(COOKIE, path="/")
    return response


@api.get("/me", summary="Everything the registry holds about the signed-in registrant",
         **answers(RegistrantAnswer, "everything held"))
def me_route(request: Request, made: Made) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(registrations.mine(s, actor) | {"skills": contacts.held(s, actor)})


@api.get("/me/export", summary="The same, as a JSON file to keep",
         **answers(Registrant, "everything held, as a file (no envelope)"))
def export_route(request: Request, made: Made) -> Response:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        data = registrations.mine(s, actor) | {"skills": contacts.held(s, actor)}
    return Response(json.dumps(data, indent=2, ensure_ascii=False, default=str),
                    media_type="application/json", headers={
                        **NO_STORE, "Content-Disposition":
                        'attachment; filename="my-registration.json"'})


@api.patch("/me", summary="Correct some fields of one's registration",
           **answers(DoneAnswer, "the fields corrected"))
def correct_route(request: Request, made: Made, data: Fields, lang: Lang = "en"
                  ) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        registrations.correct(s, actor, data, lang)
    return _ok({"corrected": sorted(data)})


@api.delete("/me", summary="Delete everything held about the signed-in registrant",
            **answers(DoneAnswer, "erased"))
def erase_route(request: Request, made: Made) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        registrations.erase(s, actor)
    registrations.scrub(made)
    response = _ok({"erased": True})
    response.delete_cookie(COOKIE, path="/")
    return response


@api.put("/me/consents/{purpose}", summary="Give (true) or withdraw (false) consent to a "
                                           "purpose",
         **answers(DoneAnswer, "the purpose and the consent"))
def consent_route(request: Request, made: Made, purpose: str,
                  given: bool = Body(..., embed=True)) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        registrations.consent(s, actor, purpose, given)
    return _ok({"purpose": purpose, "given": given})


def _filters(residence: str | None, name: str | None, city: str | None, sex: str | None,
             crisis_contact: bool) -> consular.Filters:
    return consular.Filters(residence=residence, name=name, city=city, sex=sex,
                            crisis_contact=crisis_contact)


@api.get("/officer/registrants", summary="An officer's search of their jurisdiction",
         **answers(Rows, "registrants (meta: page, page_size)"))
def search_route(request: Request, made: Made, *,
                 residence: str | None = Query(None, max_length=3),
                 name: str | None = Query(None, max_length=200),
                 city: str | None = Query(None, max_length=120),
                 sex: str | None = Query(None, max_length=8),
                 crisis_contact: bool = False, page: int = Query(0, ge=0, le=100_000),
                 reason: str = Query("search", max_length=200)) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        rows = consular.search(s, actor, _filters(residence, name, city, sex,
                                                  crisis_contact), page=page, reason=reason)
    return _ok(rows, page=page, page_size=consular.PAGE)


@api.get("/officer/crisis-contacts.csv", summary="An officer's crisis-contact list (CSV)",
         **CSV_ONLY)
def crisis_route(request: Request, made: Made, reason: str = Query(..., max_length=200),
                 residence: str | None = Query(None, max_length=3)) -> Response:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        text = consular.crisis_csv(s, actor, reason, residence)
    return Response(text, media_type="text/csv", headers={
        **NO_STORE, "Content-Disposition": 'attachment; filename="crisis-contacts.csv"'})


@api.get("/officer/dashboard", summary="An officer's mission: registrants by country",
         **answers(Record, "registrants by country of residence"))
def dashboard_route(request: Request, made: Made) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(consular.dashboard(s, actor))


@api.get("/aggregates", summary="Suppressed aggregate tables (analysts, administrators)",
         **answers(SuppressedAnswer, "the suppressed tables"))
def aggregates_route(request: Request, made: Made,
                     k: int = Query(aggregates.K, ge=aggregates.K, le=1000)) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    return _ok(aggregates.analyst_tables(made, actor, k))


@api.post("/missions", summary="Add a mission and its jurisdiction (administrators)",
          **answers(DoneAnswer, "the new mission's id", 201))
def add_mission_route(request: Request, made: Made, *,
                      name: str = Body(..., max_length=200),
                      host: str = Body(..., pattern="^[A-Z]{3}$"),
                      residences: Annotated[list[str], Body(max_length=250)],
                      city: str = Body("", max_length=120)) -> JSONResponse:
    actor = acting(request, made)
    if not all(len(r) == 3 and r.isalpha() and r.isupper() for r in residences):
        raise Invalid({"residences": "ISO 3166 alpha-3 codes"})
    with transaction(made) as s:
        mission = organisation.add_mission(s, actor, name, host, residences=residences,
                                           city=city)
    return JSONResponse(ok({"mission": mission}), status_code=201, headers=NO_STORE)


@api.post("/invitations", summary="Invite an officer, analyst or administrator "
                                  "(administrators)",
          **answers(DoneAnswer, "the invited user's id", 201))
def invite_route(request: Request, made: Made, email: str = Body(..., max_length=254),
                 role: str = Body(..., pattern="^(officer|analyst|admin)$"),
                 mission: int | None = Body(None)) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        user = accounts.invite(s, actor, email, role, mission_id=mission,
                               base_url=base_url(request))
    return JSONResponse(ok({"user": user}), status_code=201, headers=NO_STORE)


@api.post("/invitations/accept", summary="Accept an invitation: set one's password",
          **answers(DoneAnswer, "accepted"))
def accept_route(request: Request, made: Made, token: str = Body(..., max_length=100),
                 password: str = Body(..., max_length=128)) -> JSONResponse:
    anonymous_csrf(request)
    with transaction(made) as s:
        accounts.accept(s, token, password)
    return _ok({"accepted": True})
