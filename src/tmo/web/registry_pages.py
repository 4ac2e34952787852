"""The registry's pages (docs/registry.md), in English, French or Spanish: the
registration form, e-mail verification, sign-in, a registrant's own data, an officer's
search and an analyst's tables. Never cached; every form carries its CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path as FilePath
from typing import Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tmo.registry import accounts, aggregates, consular, links, organisation, registrations
from tmo.registry.access import Actor, Invalid, Unauthenticated
from tmo.registry.database import transaction
from tmo.registry.i18n import LANGUAGES, TEXT
from tmo.registry.vocabulary import ISCED, PURPOSES, SEXES
from tmo.web import messages
from tmo.web.registry_session import (
    COOKIE,
    NO_STORE,
    Made,
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

pages = APIRouter(include_in_schema=False)
_env = Environment(loader=FileSystemLoader(FilePath(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]))


def area_names(request: Request, lang: str) -> dict[str, str]:
    """Country names in the page's language, from the statistics store the app serves (the
    registry holds ISO 3166 codes only); a code without a name shows as itself."""
    state = getattr(request.app.state, "tmo", None)
    return {} if state is None else state.current.lexicon.names_in(lang)


def render(request: Request, template: str, status_code: int = 200, **ctx: Any
           ) -> HTMLResponse:
    lang = lang_of(request)
    return HTMLResponse(_env.get_template(f"registry/{template}").render(
        lang=lang, t=TEXT[lang], languages=LANGUAGES, path=request.url.path,
        area=area_names(request, lang), **ctx),
        status_code=status_code, headers=NO_STORE)


def message_page(request: Request, text: str, code: int = 200, *, raised: bool = False
                 ) -> HTMLResponse:
    """A message in the page's language; `raised`: a refusal the code raised in English,
    translated (`tmo.web.messages`; one no pattern knows stays as raised, marked as
    English)."""
    said = messages.translate(text, lang_of(request)) if raised else text
    return render(request, "message.html", code, title=TEXT[lang_of(request)]["title"],
                  message=said or text, message_en=said is None)


def _form_page(request: Request, made: Engine, values: dict[str, Any],
               errors: dict[str, str], code: int = 200) -> Response:
    with transaction(made) as s:
        missions = organisation.missions(s)
    token = anonymous_token(request)
    return set_csrf(render(request, "form.html", code, title=TEXT[lang_of(request)]["title"],
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
    lang = lang_of(request)
    try:
        with transaction(made) as s:
            registrations.register(s, values, lang, base_url(request),
                                   address=address(request))
    except Invalid as exc:
        values.pop("password", None)
        return _form_page(request, made, values, exc.fields, 422)
    return message_page(request, TEXT[lang]["registered"])


@pages.get("/registry/verify", response_class=HTMLResponse)
def verify_page(request: Request, made: Made, token: str = Query(..., max_length=100)
                ) -> HTMLResponse:
    with transaction(made) as s:
        registrations.verify(s, token)
    return message_page(request, TEXT[lang_of(request)]["verified"])


@pages.get("/registry/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    token = anonymous_token(request)
    return set_csrf(render(request, "sign_in.html", title=TEXT[lang_of(request)]["sign_in"],
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
        return render(request, "sign_in.html", 401, title=TEXT[lang_of(request)]["sign_in"],
                      csrf=csrf, failed=messages.translate(str(exc), lang_of(request))
                      or str(exc))
    with transaction(made) as s:
        role = accounts.current(s, token)[0].role
    response = RedirectResponse(f"{_landing(role)}?lang={lang_of(request)}", 303,
                                headers=NO_STORE)
    set_session(response, token)
    return response


def _landing(role: str) -> str:
    return {"registrant": "/registry/me", "officer": "/registry/officer",
            "institution": "/registry/skills/institution"}.get(role, "/registry/aggregates")


@pages.get("/registry/sign-in/link", response_class=HTMLResponse)
def link_page(request: Request) -> Response:
    token = anonymous_token(request)
    return set_csrf(render(request, "sign_in_link.html", title=TEXT[lang_of(request)][
        "link_title"], csrf=token, sent=False), token)


@pages.post("/registry/sign-in/link", response_class=HTMLResponse)
def link_post(request: Request, made: Made, email: str = Form(..., max_length=254),
              csrf: str = Form("", max_length=100)) -> Response:
    anonymous_csrf(request, csrf)
    with transaction(made) as s:
        links.request(s, email, base_url(request), lang_of(request),
                      address=address(request))
    return render(request, "sign_in_link.html", title=TEXT[lang_of(request)]["link_title"],
                  csrf=csrf, sent=True)


@pages.get("/registry/sign-in/link/open", response_class=HTMLResponse)
def link_open_page(request: Request, token: str = Query(..., max_length=100)) -> Response:
    """A button, not a sign-in: a mail scanner that fetches the link does not use it up."""
    csrf = anonymous_token(request)
    return set_csrf(render(request, "sign_in_open.html", title=TEXT[lang_of(request)][
        "link_open"], csrf=csrf, token=token), csrf)


@pages.post("/registry/sign-in/link/open")
def link_open_post(request: Request, made: Made, token: str = Form(..., max_length=100),
                   csrf: str = Form("", max_length=100)) -> Response:
    anonymous_csrf(request, csrf)
    with transaction(made) as s:
        cookie, _csrf = links.redeem(s, token)
    with transaction(made) as s:
        role = accounts.current(s, cookie)[0].role
    response = RedirectResponse(f"{_landing(role)}?lang={lang_of(request)}", 303,
                                headers=NO_STORE)
    set_session(response, cookie)
    return response


def _me_page(request: Request, made: Engine, actor: Actor, csrf: str, *,
             errors: dict[str, str] | None = None, code: int = 200) -> HTMLResponse:
    with transaction(made) as s:
        data = registrations.mine(s, actor)
        missions = organisation.missions(s)
    open_ = {c["purpose"] for c in data["consents"] if c["withdrawn_at"] is None}
    return render(request, "me.html", code, title=TEXT[lang_of(request)]["my_data"], data=data,
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
                       if k not in ("action", "consents")}, lang_of(request)),
        **{f"grant:{p}": partial(_consent, actor=actor, purpose=p, given=True)
           for p in PURPOSES},
        **{f"withdraw:{p}": partial(_consent, actor=actor, purpose=p, given=False)
           for p in PURPOSES},
    }
    if action == "delete":
        with transaction(made) as s:
            registrations.erase(s, actor)
        registrations.scrub(made)
        response = message_page(request, TEXT[lang_of(request)]["deleted"])
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
    return RedirectResponse(f"/registry/me?lang={lang_of(request)}", 303, headers=NO_STORE)


@pages.get("/registry/officer", response_class=HTMLResponse)
def officer_page(request: Request, made: Made,
                 residence: str | None = Query(None, max_length=3),
                 name: str | None = Query(None, max_length=200),
                 page: int = Query(0, ge=0, le=100_000)) -> HTMLResponse:
    actor, csrf = signed_in(request, made)
    with transaction(made) as s:
        board = consular.dashboard(s, actor)
        rows = consular.search(s, actor, consular.Filters(residence=residence or None,
                                                          name=name or None), page=page)
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
    response = RedirectResponse(f"/registry/sign-in?lang={lang_of(request)}", 303,
                                headers=NO_STORE)
    response.delete_cookie(COOKIE, path="/")
    return response
