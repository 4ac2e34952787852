"""The skills pages of the diaspora registry (issue #18; docs/skills.md), in English,
French and Spanish, on the library `tmo.skills`: a registrant's skills profile, consent
"may be contacted by domestic institutions", the opportunities ranked for them and the
contact requests they accept or refuse; an institution's application, its opportunities,
its anonymised candidates (with the criteria behind each score) and its requests, the
contact shown once the person accepts; the ministry's verification of institutions; and
the full-text and faceted search over consenting profiles with saved searches. Every
form carries its CSRF token; every route is in the authorisation matrix of
tests/registry/test_skills_pages.py."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from tmo.errors import InputError
from tmo.registry import registrations
from tmo.registry.access import Actor, Invalid
from tmo.registry.database import transaction
from tmo.skills import contacts, finder, institutions, profiles, saved, search, taxonomy
from tmo.skills.vocabulary import CONSENT, INSTITUTION_KINDS, OFFERS, OPPORTUNITY_KINDS
from tmo.web.registry_pages import render
from tmo.web.registry_session import (
    NO_STORE,
    Made,
    acting,
    address,
    anonymous_csrf,
    anonymous_token,
    base_url,
    lang_of,
    prepared,
    set_csrf,
    signed_in,
)
from tmo.web.skills_words import CRITERIA_WORDS, WORDS

pages = APIRouter(include_in_schema=False)
ROOT = "/registry/skills"
Id = Path(ge=1, le=2**31 - 1)


def _page(request: Request, template: str, code: int = 200, **ctx: Any) -> HTMLResponse:
    lang = lang_of(request)
    return render(request, f"skills_{template}.html", code, w=WORDS[lang],
                  crit=CRITERIA_WORDS[lang], kinds=INSTITUTION_KINDS,
                  opportunity_kinds=OPPORTUNITY_KINDS, offers=OFFERS,
                  isced=taxonomy.ISCED_LEVELS, fields=taxonomy.ISCED_F, root=ROOT,
                  level_name=lambda level: taxonomy.isced_name(level, lang),
                  major_title=lambda code: taxonomy.title(code, lang),  # ISCO-08 (ILO)
                  language_name=lambda code: taxonomy.language_name(code, lang), **ctx)


def _back(request: Request, where: str, **query: Any) -> Response:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return RedirectResponse(f"{where}?lang={lang_of(request)}{extra}", 303, headers=NO_STORE)


def _list(text: Any) -> list[str]:
    return [p.strip() for p in str(text or "").split(",") if p.strip()]


def _languages(text: Any) -> Any:
    """"en:C1, fr:B2" as {"en": "C1", "fr": "B2"}; a malformed entry is sent as it is,
    for the library to name the field."""
    out: dict[str, str] = {}
    for part in _list(text):
        code, sep, level = part.partition(":")
        if not sep:
            return part
        out[code.strip().lower()] = level.strip().upper()
    return out


def _number(text: Any) -> Any:
    text = str(text or "").strip()
    return int(text) if text.isdigit() else (text or None)


def _optional(form: FormData, name: str) -> Any:
    value = str(form.get(name) or "").strip()
    return value or None


# ------------------------------------------------------------------ the registrant

def _profile_fields(form: FormData) -> dict[str, Any]:
    data = {"occupation": str(form.get("occupation") or "").strip(),
            "education": _optional(form, "education"), "field": _optional(form, "field"),
            "experience": _number(form.get("experience")),
            "sector": str(form.get("sector") or ""), "skills": _list(form.get("skills")),
            "languages": _languages(form.get("languages")),
            "offers": [str(o) for o in form.getlist("offers")],
            "summary": str(form.get("summary") or "")}
    return {k: v for k, v in data.items() if v is not None}


def _me(request: Request, made: Made, actor: Actor, csrf: str, *,
        errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
        code: int = 200) -> HTMLResponse:
    lang = lang_of(request)
    with transaction(made) as s:
        mine = profiles.mine(s, actor, lang)
        consents = registrations.mine(s, actor)["consents"]
        ranked = search.opportunities_for(s, actor, lang) if mine["matched"] else \
            {"opportunities": []}
        asked = contacts.for_person(s, actor)
    consenting = any(c["purpose"] == CONSENT and c["withdrawn_at"] is None for c in consents)
    return _page(request, "me", code, mine=mine, profile=mine["profile"] or {},
                 values=values, errors=errors or {}, consenting=consenting,
                 ranked=ranked["opportunities"], asked=asked, csrf=csrf)


@pages.get(f"{ROOT}/me", response_class=HTMLResponse)
def me_page(request: Request, made: Made) -> HTMLResponse:
    actor, csrf = signed_in(request, made)
    return _me(request, made, actor, csrf)


@pages.post(f"{ROOT}/me", response_class=HTMLResponse)
async def me_post(request: Request, made: Made) -> Response:
    form = await request.form()
    csrf = str(form.get("csrf", ""))
    actor = acting(request, made, csrf)
    action = str(form.get("action", ""))[:40]
    lang = lang_of(request)
    try:
        with transaction(made) as s:
            if action == "save":
                profiles.save(s, actor, _profile_fields(form), lang)
            elif action == "delete":
                profiles.remove(s, actor)
            elif action in ("consent:on", "consent:off"):
                registrations.consent(s, actor, CONSENT, action == "consent:on")
            elif action.startswith(("accept:", "refuse:")) and action[7:].isdigit():
                contacts.answer(s, actor, int(action[7:]), action.startswith("accept:"))
            else:
                raise Invalid({"action": action})
    except Invalid as exc:
        return _me(request, made, actor, csrf, errors=exc.fields,
                   values=_profile_fields(form), code=422)
    return _back(request, f"{ROOT}/me")


# ------------------------------------------------------------------ institutions

@pages.get(f"{ROOT}/apply", response_class=HTMLResponse)
def apply_page(request: Request) -> Response:
    token = anonymous_token(request)
    return set_csrf(_page(request, "apply", csrf=token, values={}, errors={}, done=False),
                    token)


@pages.post(f"{ROOT}/apply", response_class=HTMLResponse)
async def apply_post(request: Request, made: Made) -> Response:
    form = await request.form()
    csrf = str(form.get("csrf", ""))
    anonymous_csrf(request, csrf)
    data = {k: str(form.get(k) or "") for k in ("name", "kind", "sector", "email",
                                                 "password")}
    try:
        with transaction(made) as s:
            institutions.apply(s, data, lang_of(request), base_url(request),
                               address=address(request))
    except Invalid as exc:
        data.pop("password")
        return _page(request, "apply", 422, csrf=csrf, values=data, errors=exc.fields,
                     done=False)
    return _page(request, "apply", csrf=csrf, values={}, errors={}, done=True)


def _opportunity_fields(form: FormData) -> dict[str, Any]:
    data = {"title": str(form.get("title") or ""), "kind": str(form.get("kind") or ""),
            "description": str(form.get("description") or ""),
            "required_occupations": _list(form.get("required_occupations")),
            "preferred_occupations": _list(form.get("preferred_occupations")),
            "required_skills": _list(form.get("required_skills")),
            "preferred_skills": _list(form.get("preferred_skills")),
            "languages": _languages(form.get("languages")),
            "education": _optional(form, "education"), "field": _optional(form, "field"),
            "experience": _number(form.get("experience")), "mode": _optional(form, "mode")}
    return {k: v for k, v in data.items() if v not in (None, [], {})}


def _institution(request: Request, made: Made, actor: Actor, csrf: str, *,
                 errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                 code: int = 200) -> HTMLResponse:
    lang = lang_of(request)
    with transaction(made) as s:
        mine = institutions.mine(s, actor)
        verified = mine["state"] == "verified"
        listed = institutions.opportunities(s, actor, lang) if verified else []
        asked = contacts.for_institution(s, actor, lang) if verified else []
    return _page(request, "institution", code, institution=mine, verified=verified,
                 opportunities=listed, asked=asked, csrf=csrf, errors=errors or {},
                 values=values or {})


@pages.get(f"{ROOT}/institution", response_class=HTMLResponse)
def institution_page(request: Request, made: Made) -> HTMLResponse:
    actor, csrf = signed_in(request, made)
    return _institution(request, made, actor, csrf)


@pages.post(f"{ROOT}/institution", response_class=HTMLResponse)
async def institution_post(request: Request, made: Made) -> Response:
    form = await request.form()
    csrf = str(form.get("csrf", ""))
    actor = acting(request, made, csrf)
    action = str(form.get("action", ""))[:40]
    try:
        with transaction(made) as s:
            if action == "publish":
                made_ = institutions.publish(s, actor, _opportunity_fields(form),
                                             lang_of(request))
            elif action.startswith(("close:", "open:")) and action.split(":")[1].isdigit():
                institutions.set_open(s, actor, int(action.split(":")[1]),
                                      action.startswith("open:"))
                made_ = None
            else:
                raise Invalid({"action": action})
    except Invalid as exc:
        return _institution(request, made, actor, csrf, errors=exc.fields,
                            values=dict(form), code=422)
    if made_ is not None:
        return _back(request, f"{ROOT}/opportunities/{made_['id']}")
    return _back(request, f"{ROOT}/institution")


@pages.get(f"{ROOT}/opportunities/{{opportunity_id}}", response_class=HTMLResponse)
def opportunity_page(request: Request, made: Made, opportunity_id: int = Id,
                     asked: int | None = Query(None, ge=1, le=2**31 - 1)) -> HTMLResponse:
    actor, csrf = signed_in(request, made)
    lang = lang_of(request)
    prepared(request)
    with transaction(made) as s:
        opportunity = institutions.opportunity(s, actor, opportunity_id, lang)
        ranked = search.candidates(s, actor, opportunity_id, lang, limit=20)
        requests = contacts.for_institution(s, actor, lang, opportunity_id)
    already = {r["profile"]["candidate"] for r in requests if r["profile"]}
    return _page(request, "opportunity", opportunity=opportunity, ranked=ranked,
                 already=already, csrf=csrf, asked=asked)


@pages.post(f"{ROOT}/opportunities/{{opportunity_id}}", response_class=HTMLResponse)
async def request_post(request: Request, made: Made, opportunity_id: int = Id) -> Response:
    form = await request.form()
    actor = acting(request, made, str(form.get("csrf", "")))
    candidate = str(form.get("candidate", ""))
    if not candidate.isdigit() or len(candidate) > 10:
        raise Invalid({"candidate": candidate[:20]})
    with transaction(made) as s:
        contacts.request(s, actor, opportunity_id, int(candidate),
                         str(form.get("message") or "")[:contacts.MESSAGE])
    return _back(request, f"{ROOT}/opportunities/{opportunity_id}", asked=candidate)


# ------------------------------------------------------------------ search

def _query(params: Any, lang: str) -> finder.Query:
    return finder.query({k: params.get(k) for k in ("words", *finder.FACETS)}, lang)


@pages.get(f"{ROOT}/search", response_class=HTMLResponse)
def search_page(request: Request, made: Made,
                saved_id: int | None = Query(None, alias="saved", ge=1, le=2**31 - 1)
                ) -> HTMLResponse:
    actor, csrf = signed_in(request, made)
    lang = lang_of(request)
    errors: dict[str, str] = {}
    prepared(request, words=True)
    with transaction(made) as s:
        if saved_id is not None:
            q = saved.get(s, actor, saved_id)
        else:
            try:
                q = _query(request.query_params, lang)
            except Invalid as exc:
                errors, q = exc.fields, finder.Query()
        found = finder.search(s, actor, q, lang)
        kept = saved.listing(s, actor)
    return _page(request, "search", 422 if errors else 200, found=found, q=q,
                 errors=errors, saved=kept, csrf=csrf)


@pages.post(f"{ROOT}/search", response_class=HTMLResponse)
async def search_post(request: Request, made: Made) -> Response:
    form = await request.form()
    actor = acting(request, made, str(form.get("csrf", "")))
    action = str(form.get("action", ""))[:40]
    lang = lang_of(request)
    with transaction(made) as s:
        if action == "save":
            search_id = saved.save(s, actor, str(form.get("name") or ""), _query(form, lang),
                                   lang)
        elif action.startswith("delete:") and action[7:].isdigit():
            saved.remove(s, actor, int(action[7:]))
            return _back(request, f"{ROOT}/search")
        else:
            raise Invalid({"action": action})
    return _back(request, f"{ROOT}/search", saved=search_id)


# ------------------------------------------------------------------ the ministry

@pages.get(f"{ROOT}/ministry", response_class=HTMLResponse)
def ministry_page(request: Request, made: Made) -> HTMLResponse:
    actor, csrf = signed_in(request, made)
    with transaction(made) as s:
        listed = institutions.listing(s, actor)
    return _page(request, "ministry", institutions=listed, csrf=csrf)


@pages.post(f"{ROOT}/ministry", response_class=HTMLResponse)
async def ministry_post(request: Request, made: Made) -> Response:
    form = await request.form()
    actor = acting(request, made, str(form.get("csrf", "")))
    action = str(form.get("action", ""))[:40]
    verb, _sep, number = action.partition(":")
    if verb not in ("verify", "refuse") or not number.isdigit():
        raise InputError(f"unknown action {action!r}")
    with transaction(made) as s:
        institutions.decide(s, actor, int(number), verb == "verify")
    return _back(request, f"{ROOT}/ministry")
