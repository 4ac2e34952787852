"""Domestic institutions: they apply (an account of role "institution" whose e-mail is
verified as a registrant's is), the ministry (an analyst or administrator) verifies or
refuses them, and a verified institution publishes and closes opportunities. Another
institution's opportunity is answered as not found, never as forbidden, so its existence
is not revealed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tmo.errors import NotFound
from tmo.registry import accounts, audit
from tmo.registry.access import Actor, Forbidden, Invalid, require
from tmo.registry.fields import Checker, _email
from tmo.registry.i18n import language
from tmo.registry.i18n import t as registry_t
from tmo.registry.models import Mail, User, now
from tmo.registry.passwords import MAX_LENGTH, MIN_LENGTH, hash_password
from tmo.skills import forms, profiles
from tmo.skills.i18n import t
from tmo.skills.models import Institution, Member, Opportunity


def apply(session: Session, data: Any, lang: str, base_url: str, *,
          address: str = "local") -> int:
    """An institution's application with its first account (e-mail and password); the
    id of the new account. A verification link goes to the outbox."""
    lang = language(lang)
    password = data.get("password") if isinstance(data, dict) else None
    hashed = hash_password(password) if isinstance(password, str) \
        and MIN_LENGTH <= len(password) <= MAX_LENGTH else None
    accounts.limit(session, f"register:{address}"[:100], accounts.REGISTRATIONS_PER_HOUR,
                   "registrations from this address")
    check = Checker(lang)
    if not isinstance(data, dict):
        check.kind("form", "list")
        raise Invalid(check.errors)
    fields = forms.institution(check, data)
    email = _email(check, "email", data.get("email"))
    if hashed is None:
        check.fail("password", "err_too_short", n=MIN_LENGTH)
    if check.errors:
        raise Invalid(check.errors)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Invalid({"email": registry_t(lang, "err_email_taken")})
    user = User(email=email, role="institution", language=lang, password_hash=hashed)
    institution = Institution(contact=email or "", **fields)
    session.add_all([user, institution])
    session.flush()
    session.add(Member(user_id=user.id, institution_id=institution.id))
    token = accounts.issue(session, user.id, "verify", dt.timedelta(hours=48))
    session.add(Mail(user_id=user.id, to=user.email, subject=t(lang, "verify_subject"),
                     body=t(lang, "verify_body",
                            link=f"{base_url}/registry/verify?token={token}")))
    audit.record(session, Actor(user.id, "institution"), "institution_applied",
                 subject_id=user.id, institution=institution.id, kind=institution.kind)
    return user.id


def _row(i: Institution) -> dict[str, Any]:
    return {"id": i.id, "name": i.name, "kind": i.kind, "sector": i.sector,
            "contact": i.contact, "state": i.state,
            "applied_at": i.applied_at.isoformat(timespec="seconds"),
            "decided_at": i.decided_at.isoformat(timespec="seconds") if i.decided_at
            else None}


def listing(session: Session, actor: Actor, state: str | None = None) -> list[dict[str, Any]]:
    """The institutions (for the ministry), oldest application first."""
    require(actor, "analyst", "admin")
    query = select(Institution).order_by(Institution.applied_at, Institution.id)
    if state:
        query = query.where(Institution.state == state)
    return [_row(i) for i in session.scalars(query)]


def decide(session: Session, actor: Actor, institution_id: int, verified: bool) -> dict[str, Any]:
    """The ministry verifies (or refuses) an institution."""
    require(actor, "analyst", "admin")
    row = session.get(Institution, institution_id)
    if row is None:
        raise NotFound(f"no institution {institution_id}")
    row.state = "verified" if verified else "refused"
    row.decided_at, row.decided_by = now(), actor.id
    audit.record(session, actor, "institution_verified" if verified else "institution_refused",
                 institution=institution_id)
    return _row(row)


def own(session: Session, actor: Actor, *, verified: bool = True) -> Institution:
    """The institution the signed-in account acts for (verified, unless said otherwise)."""
    require(actor, "institution")
    row = session.scalar(select(Institution).join(Member, Member.institution_id ==
                                                  Institution.id)
                         .where(Member.user_id == actor.id))
    if row is None:
        raise Forbidden("this account acts for no institution")
    if verified and row.state != "verified":
        raise Forbidden(f"the institution is {row.state}, not verified",
                        hint="the ministry verifies institutions before they publish")
    return row


def mine(session: Session, actor: Actor) -> dict[str, Any]:
    return _row(own(session, actor, verified=False))


def _opportunity(o: Opportunity, lang: str, institution: Institution | None = None
                 ) -> dict[str, Any]:
    criteria = json.loads(o.criteria)
    for key in ("required_occupations", "preferred_occupations"):
        criteria[key] = [profiles.occupation(c, lang) for c in criteria.get(key, [])]
    criteria.pop("text", None)
    out = {"id": o.id, "title": o.title, "description": o.description, "kind": o.kind,
           "open": o.open, "created_at": o.created_at.isoformat(timespec="seconds"),
           "criteria": criteria}
    if institution is not None:
        out["institution"] = {"name": institution.name, "kind": institution.kind,
                              "sector": institution.sector}
    return out


def publish(session: Session, actor: Actor, data: Any, lang: str) -> dict[str, Any]:
    """A verified institution publishes an opportunity (its fields checked)."""
    institution = own(session, actor)
    form = forms.opportunity(data, lang)
    row = Opportunity(institution_id=institution.id, title=form.title,
                      description=form.description, kind=form.kind,
                      criteria=json.dumps(form.criteria.as_json(), sort_keys=True))
    session.add(row)
    session.flush()
    audit.record(session, actor, "opportunity_published", institution=institution.id,
                 opportunity=row.id)
    return _opportunity(row, lang)


def owned(session: Session, actor: Actor, opportunity_id: int) -> Opportunity:
    """One of the actor's institution's opportunities (another's: not found)."""
    institution = own(session, actor)
    row = session.get(Opportunity, opportunity_id)
    if row is None or row.institution_id != institution.id:
        raise NotFound(f"no opportunity {opportunity_id} of this institution")
    return row


def opportunities(session: Session, actor: Actor, lang: str) -> list[dict[str, Any]]:
    """The institution's own opportunities, newest first."""
    institution = own(session, actor, verified=False)
    rows = session.scalars(select(Opportunity).where(
        Opportunity.institution_id == institution.id).order_by(Opportunity.id.desc()))
    return [_opportunity(o, lang) for o in rows]


def opportunity(session: Session, actor: Actor, opportunity_id: int, lang: str
                ) -> dict[str, Any]:
    return _opportunity(owned(session, actor, opportunity_id), lang)


def set_open(session: Session, actor: Actor, opportunity_id: int, is_open: bool
             ) -> dict[str, Any]:
    row = owned(session, actor, opportunity_id)
    row.open = is_open
    audit.record(session, actor, "opportunity_opened" if is_open else "opportunity_closed",
                 opportunity=opportunity_id)
    return {"id": row.id, "open": row.open}


def open_opportunities(session: Session) -> list[tuple[Opportunity, Institution]]:
    """Every open opportunity of a verified institution."""
    return list(session.execute(
        select(Opportunity, Institution).join(Institution, Institution.id ==
                                              Opportunity.institution_id)
        .where(Opportunity.open.is_(True), Institution.state == "verified")
        .order_by(Opportunity.id)).all())


def public(o: Opportunity, institution: Institution, lang: str) -> dict[str, Any]:
    """An opportunity as a person sees it."""
    return _opportunity(o, lang, institution)
