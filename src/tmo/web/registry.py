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

import hmac
import json
import secrets
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tmo.registry import accounts, aggregates, consular, organisation, registrations
from tmo.registry.access import Actor, Forbidden, Invalid, TooMany, Unauthenticated
from tmo.registry.database import engine, require_current, transaction
from tmo.registry.i18n import LANGUAGES, TEXT, language
from tmo.registry.vocabulary import ISCED, PURPOSES, SEXES
from tmo.web.envelope import error, ok

COOKIE = "tmo_registry"
CSRF_COOKIE = "tmo_registry_csrf"
NO_STORE = {"Cache-Control": "no-store"}
api = APIRouter(prefix="/api/v1/registry", tags=["api"])
pages = APIRouter(include_in_schema=False)
_env = Environment(loader=FileSystemLoader(FilePath(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]))
Lang = Annotated[str, Query(pattern="^(en|fr|es)$")]
Fields = Annotated[dict[str, Any], Body()]


class RegistryHandle:
    """The registry a web app serves: its engine, made on first use, and its schema
    checked once (an uninitialised registry answers 404 with the command that makes it)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._ready = False
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = engine(self.url)
            if not self._ready:
                require_current(self._engine)
                self._ready = True
            return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def registry(request: Request) -> Engine:
    handle: RegistryHandle = request.app.state.registry
    return handle.engine()


Made = Annotated[Engine, Depends(registry)]


def install(app: FastAPI, url: str) -> None:
    """Serve the registry at `url` in `app`: its state, routes and refusal answers."""
    app.state.registry = RegistryHandle(url)
    app.include_router(api)
    app.include_router(pages)

    def answer(request: Request, code: int, exc: Exception, **extra: Any) -> Response:
        if request.url.path.startswith("/api/"):
            response: Response = error(code, str(exc), getattr(exc, "hint", None))
            if extra:
                body = json.loads(bytes(response.body))
                body["error"].update(extra)
                response = JSONResponse(body, status_code=code)
        elif code == 401:
            response = RedirectResponse(f"/registry/sign-in?lang={_lang(request)}", 303)
        else:
            response = message_page(request, str(exc), code)
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


def _lang(request: Request) -> str:
    return language(request.query_params.get("lang"))


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# ------------------------------------------------------------------ sessions and CSRF

def signed_in(request: Request, made: Made) -> tuple[Actor, str]:
    """The signed-in actor and the session's CSRF token."""
    with transaction(made) as s:
        return accounts.current(s, request.cookies.get(COOKIE))


def _check_csrf(request: Request, given: str | None, expected: str | None) -> None:
    origin = request.headers.get("origin")
    # "null": what a browser sends under the app's Referrer-Policy no-referrer; the token
    # below still has to match
    if origin and origin != "null" and origin.rstrip("/") != _base(request):
        raise Forbidden("this request comes from another site", hint="use the registry's "
                        "own pages")
    if not given or not expected or not hmac.compare_digest(given, expected):
        raise Forbidden("the form's security token is missing or stale",
                        hint="reload the page and send it again")


def acting(request: Request, made: Made, csrf: str | None = None) -> Actor:
    """The signed-in actor of a state change whose CSRF token matches its session."""
    actor, expected = signed_in(request, made)
    _check_csrf(request, csrf or request.headers.get("x-csrf-token"), expected)
    return actor


def anonymous_csrf(request: Request, csrf: str | None = None) -> None:
    """Before sign-in: the double-submit token (cookie and field or header agree)."""
    _check_csrf(request, csrf or request.headers.get("x-csrf-token"),
                request.cookies.get(CSRF_COOKIE))


def _set_session(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, secure=True, samesite="strict",
                        path="/")


def _anonymous_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_hex(32)


def _set_csrf(response: Response, token: str) -> Response:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, secure=True, samesite="strict",
                        path="/")
    return response


# ------------------------------------------------------------------------- JSON API

def _ok(data: Any, **meta: Any) -> JSONResponse:
    return JSONResponse(ok(data, **meta), headers=NO_STORE)


@api.get("/csrf", summary="A token for registering and signing in (sets its cookie)")
def csrf_route(request: Request) -> Response:
    token = _anonymous_token(request)
    return _set_csrf(_ok({"csrf": token}), token)


@api.get("/missions", summary="The registry's missions and the countries each serves")
def missions_route(made: Made) -> JSONResponse:
    with transaction(made) as s:
        return _ok(organisation.missions(s), origin=organisation.origin(s))


@api.post("/registrations", summary="Register (the fields of docs/registry.md); an "
                                    "e-mail with a verification link is sent")
def register_route(request: Request, made: Made, data: Fields, lang: Lang = "en"
                   ) -> JSONResponse:
    anonymous_csrf(request)
    with transaction(made) as s:
        user = registrations.register(s, data, lang, _base(request),
                                      address=_address(request))
    return JSONResponse(ok({"registered": True, "user": user}), status_code=201,
                        headers=NO_STORE)


@api.post("/verify", summary="Verify an e-mail address with the token of its link")
def verify_route(made: Made, token: str = Body(..., embed=True, max_length=100)
                 ) -> JSONResponse:
    with transaction(made) as s:
        registrations.verify(s, token)
    return _ok({"verified": True})


@api.post("/session", summary="Sign in (sets the session cookie; answers its CSRF token)")
def sign_in_route(request: Request, made: Made,
                  email: str = Body(..., max_length=254),
                  password: str = Body(..., max_length=128)) -> JSONResponse:
    anonymous_csrf(request)
    with transaction(made) as s:
        token, csrf = accounts.sign_in(s, email, password)
    response = _ok({"csrf": csrf})
    _set_session(response, token)
    return response


@api.delete("/session", summary="Sign out")
def sign_out_route(request: Request, made: Made) -> JSONResponse:
    acting(request, made)
    with transaction(made) as s:
        accounts.sign_out(s, request.cookies.get(COOKIE, ""))
    response = _ok({"signed_out": True})
    response.delete_cookie(COOKIE, path="/")
    return response


@api.get("/me", summary="Everything the registry holds about the signed-in registrant")
def me_route(request: Request, made: Made) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(registrations.mine(s, actor))


@api.get("/me/export", summary="The same, as a JSON file to keep")
def export_route(request: Request, made: Made) -> Response:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        data = registrations.mine(s, actor)
    return Response(json.dumps(data, indent=2, ensure_ascii=False, default=str),
                    media_type="application/json", headers={
                        **NO_STORE, "Content-Disposition":
                        'attachment; filename="my-registration.json"'})


@api.patch("/me", summary="Correct some fields of one's registration")
def correct_route(request: Request, made: Made, data: Fields, lang: Lang = "en"
                  ) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        registrations.correct(s, actor, data, lang)
    return _ok({"corrected": sorted(data)})


@api.delete("/me", summary="Delete everything held about the signed-in registrant")
def erase_route(request: Request, made: Made) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        registrations.erase(s, actor)
    registrations.scrub(made)
    response = _ok({"erased": True})
    response.delete_cookie(COOKIE, path="/")
    return response


@api.put("/me/consents/{purpose}", summary="Give (true) or withdraw (false) consent to a "
                                           "purpose")
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


@api.get("/officer/registrants", summary="An officer's search of their jurisdiction")
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


@api.get("/officer/crisis-contacts.csv", summary="An officer's crisis-contact list (CSV)")
def crisis_route(request: Request, made: Made, reason: str = Query(..., max_length=200),
                 residence: str | None = Query(None, max_length=3)) -> Response:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        text = consular.crisis_csv(s, actor, reason, residence)
    return Response(text, media_type="text/csv", headers={
        **NO_STORE, "Content-Disposition": 'attachment; filename="crisis-contacts.csv"'})


@api.get("/officer/dashboard", summary="An officer's mission: registrants by country")
def dashboard_route(request: Request, made: Made) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    with transaction(made) as s:
        return _ok(consular.dashboard(s, actor))


@api.get("/aggregates", summary="Suppressed aggregate tables (analysts, administrators)")
def aggregates_route(request: Request, made: Made,
                     k: int = Query(aggregates.K, ge=aggregates.K, le=1000)) -> JSONResponse:
    actor, _csrf = signed_in(request, made)
    return _ok(aggregates.analyst_tables(made, actor, k))


@api.post("/missions", summary="Add a mission and its jurisdiction (administrators)")
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
                                  "(administrators)")
def invite_route(request: Request, made: Made, email: str = Body(..., max_length=254),
                 role: str = Body(..., pattern="^(officer|analyst|admin)$"),
                 mission: int | None = Body(None)) -> JSONResponse:
    actor = acting(request, made)
    with transaction(made) as s:
        user = accounts.invite(s, actor, email, role, mission_id=mission,
                               base_url=_base(request))
    return JSONResponse(ok({"user": user}), status_code=201, headers=NO_STORE)


@api.post("/invitations/accept", summary="Accept an invitation: set one's password")
def accept_route(request: Request, made: Made, token: str = Body(..., max_length=100),
                 password: str = Body(..., max_length=128)) -> JSONResponse:
    anonymous_csrf(request)
    with transaction(made) as s:
        accounts.accept(s, token, password)
    return _ok({"accepted": True})


# ---------------------------------------------------------------------------- pages

def render(request: Request, template: str, status_code: int = 200, **ctx: Any
           ) -> HTMLResponse:
    lang = _lang(request)
    return HTMLResponse(_env.get_template(f"registry/{template}").render(
        lang=lang, t=TEXT[lang], languages=LANGUAGES, path=request.url.path, **ctx),
        status_code=status_code, headers=NO_STORE)


def message_page(request: Request, text: str, code: int = 200) -> HTMLResponse:
    return render(request, "message.html", code, title=TEXT[_lang(request)]["title"],
                  message=text)


def _form_page(request: Request, made: Engine, values: dict[str, Any],
               errors: dict[str, str], code: int = 200) -> Response:
    with transaction(made) as s:
        missions = organisation.missions(s)
    token = _anonymous_token(request)
    return _set_csrf(render(request, "form.html", code, title=TEXT[_lang(request)]["title"],
                            missions=missions, values=values, errors=errors, sexes=SEXES,
                            isced=ISCED, purposes=PURPOSES, csrf=token), token)


def _form_values(form: Any) -> dict[str, Any]:
    values: dict[str, Any] = {k: v for k, v in form.items() if k not in ("csrf", "consents")}
    values["consents"] = form.getlist("consents")
    return values


@pages.get("/registry", response_class=HTMLResponse)
def form_page(request: Request, made: Made) -> Response:
    return _form_page(request, made, {}, {})


@pages.post("/registry", response_class=HTMLResponse)
async def form_post(request: Request, made: Made) -> Response:
    form = await request.form()
    anonymous_csrf(request, str(form.get("csrf", "")))
    values = _form_values(form)
    lang = _lang(request)
    try:
        with transaction(made) as s:
            registrations.register(s, values, lang, _base(request),
                                   address=_address(request))
    except Invalid as exc:
        values.pop("password", None)
        return _form_page(request, made, values, exc.fields, 422)
    return message_page(request, TEXT[lang]["registered"])


@pages.get("/registry/verify", response_class=HTMLResponse)
def verify_page(request: Request, made: Made, token: str = Query(..., max_length=100)
                ) -> HTMLResponse:
    with transaction(made) as s:
        registrations.verify(s, token)
    return message_page(request, TEXT[_lang(request)]["verified"])


@pages.get("/registry/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    token = _anonymous_token(request)
    return _set_csrf(render(request, "sign_in.html", title=TEXT[_lang(request)]["sign_in"],
                            csrf=token, failed=None), token)


@pages.post("/registry/sign-in")
def sign_in_post(request: Request, made: Made, email: str = Form(..., max_length=254),
                 password: str = Form(..., max_length=128),
                 csrf: str = Form("", max_length=100)) -> Response:
    anonymous_csrf(request, csrf)
    try:
        with transaction(made) as s:
            token, _session_csrf = accounts.sign_in(s, email, password)
    except Unauthenticated as exc:
        return render(request, "sign_in.html", 401, title=TEXT[_lang(request)]["sign_in"],
                      csrf=csrf, failed=str(exc))
    with transaction(made) as s:
        role = accounts.current(s, token)[0].role
    where = {"registrant": "/registry/me", "officer": "/registry/officer"}.get(
        role, "/registry/aggregates")
    response = RedirectResponse(f"{where}?lang={_lang(request)}", 303, headers=NO_STORE)
    _set_session(response, token)
    return response


def _me_page(request: Request, made: Engine, actor: Actor, csrf: str, *,
             errors: dict[str, str] | None = None, code: int = 200) -> HTMLResponse:
    with transaction(made) as s:
        data = registrations.mine(s, actor)
        missions = organisation.missions(s)
    open_ = {c["purpose"] for c in data["consents"] if c["withdrawn_at"] is None}
    return render(request, "me.html", code, title=TEXT[_lang(request)]["my_data"], data=data,
                  reg=data["registration"], csrf=csrf, errors=errors or {},
                  missions=missions, sexes=SEXES, isced=ISCED, purposes=PURPOSES,
                  consented=open_)


@pages.get("/registry/me", response_class=HTMLResponse)
def me_page(request: Request, made: Made) -> HTMLResponse:
    actor, csrf = signed_in(request, made)
    return _me_page(request, made, actor, csrf)


def _consent(s: Session, *, actor: Actor, purpose: str, given: bool) -> None:
    registrations.consent(s, actor, purpose, given)


@pages.post("/registry/me", response_class=HTMLResponse)
async def me_post(request: Request, made: Made) -> Response:
    form = await request.form()
    actor = acting(request, made, str(form.get("csrf", "")))
    action = str(form.get("action", "save"))
    handlers: dict[str, Callable[[Session], None]] = {
        "save": lambda s: registrations.correct(
            s, actor, {k: v for k, v in _form_values(form).items()
                       if k not in ("action", "consents")}, _lang(request)),
        **{f"grant:{p}": partial(_consent, actor=actor, purpose=p, given=True)
           for p in PURPOSES},
        **{f"withdraw:{p}": partial(_consent, actor=actor, purpose=p, given=False)
           for p in PURPOSES},
    }
    if action == "delete":
        with transaction(made) as s:
            registrations.erase(s, actor)
        registrations.scrub(made)
        response = message_page(request, TEXT[_lang(request)]["deleted"])
        response.delete_cookie(COOKIE, path="/")
        return response
    if action not in handlers:
        raise Invalid({"action": action[:40]})
    try:
        with transaction(made) as s:
            handlers[action](s)
    except Invalid as exc:
        return _me_page(request, made, actor, str(form.get("csrf", "")), errors=exc.fields,
                        code=422)
    return RedirectResponse(f"/registry/me?lang={_lang(request)}", 303, headers=NO_STORE)


@pages.get("/registry/officer", response_class=HTMLResponse)
def officer_page(request: Request, made: Made,
                 residence: str | None = Query(None, max_length=3),
                 name: str | None = Query(None, max_length=200),
                 page: int = Query(0, ge=0, le=100_000)) -> HTMLResponse:
    actor, csrf = signed_in(request, made)
    with transaction(made) as s:
        board = consular.dashboard(s, actor)
        rows = consular.search(s, actor, _filters(residence or None, name or None, None,
                                                  None, False), page=page)
    return render(request, "officer.html", title="Consular registrants", rows=rows,
                  board=board, residence=residence or "", name=name or "", page=page,
                  csrf=csrf)


@pages.get("/registry/aggregates", response_class=HTMLResponse)
def aggregates_page(request: Request, made: Made) -> HTMLResponse:
    actor, _csrf = signed_in(request, made)
    return render(request, "aggregates.html", title="Registered diaspora",
                  out=aggregates.analyst_tables(made, actor))


@pages.post("/registry/sign-out")
def sign_out_post(request: Request, made: Made, csrf: str = Form("", max_length=100)
                  ) -> Response:
    acting(request, made, csrf)
    with transaction(made) as s:
        accounts.sign_out(s, request.cookies.get(COOKIE, ""))
    response = RedirectResponse(f"/registry/sign-in?lang={_lang(request)}", 303,
                                headers=NO_STORE)
    response.delete_cookie(COOKIE, path="/")
    return response
