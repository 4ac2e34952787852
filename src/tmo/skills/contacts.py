"""Contact requests with double opt-in. A verified institution asks to contact a candidate
about one of its opportunities (the first opt-in: it chose the person from an anonymised
profile); the person accepts or refuses (the second). Only while a request is accepted,
and the person still consents to being contacted, does the institution see the person's
name, e-mail, city and summary, and the person the institution's contact address. Every
request, acceptance and refusal is audit-logged (ids and codes only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tmo.errors import InputError, NotFound
from tmo.registry import audit
from tmo.registry.access import Actor, require
from tmo.registry.models import Mail, Registration, User, now
from tmo.skills import institutions, profiles
from tmo.skills.i18n import t
from tmo.skills.models import ContactRequest, Institution, Opportunity, SkillsProfile

MESSAGE = 1000


def request(session: Session, actor: Actor, opportunity_id: int, candidate: int,
            message: str = "") -> dict[str, Any]:
    """The institution asks to contact candidate `candidate` (a skills profile's number)
    about its opportunity. A candidate who does not consent is not found."""
    opportunity = institutions.owned(session, actor, opportunity_id)
    if not opportunity.open:
        raise InputError(f"opportunity {opportunity_id} is closed", hint="open it first")
    if len(message) > MESSAGE:
        raise InputError(f"the message is longer than {MESSAGE} characters")
    row = session.scalar(select(SkillsProfile).where(
        SkillsProfile.id == candidate, profiles.consenting(SkillsProfile.user_id)))
    if row is None:
        raise NotFound(f"no candidate {candidate}")
    institution = institutions.own(session, actor)
    asked = ContactRequest(opportunity_id=opportunity_id, user_id=row.user_id,
                           message=message.strip())
    try:
        with session.begin_nested():
            session.add(asked)
    except IntegrityError as exc:
        raise InputError(f"candidate {candidate} was already asked about opportunity "
                         f"{opportunity_id}") from exc
    person = session.get(User, row.user_id)
    assert person is not None  # profiles are deleted with their user
    session.add(Mail(user_id=person.id, to=person.email,
                     subject=t(person.language, "request_subject"),
                     body=t(person.language, "request_body", institution=institution.name,
                            opportunity=opportunity.title)))
    audit.record(session, actor, "contact_requested", subject_id=person.id,
                 opportunity=opportunity_id, request=asked.id)
    return {"request": asked.id, "candidate": candidate, "state": asked.state}


def _person_view(session: Session, r: ContactRequest, o: Opportunity, i: Institution
                 ) -> dict[str, Any]:
    return {"request": r.id, "state": r.state, "message": r.message,
            "created_at": r.created_at.isoformat(timespec="seconds"),
            "opportunity": {"id": o.id, "title": o.title, "kind": o.kind},
            "institution": {"name": i.name, "kind": i.kind, "sector": i.sector,
                            "contact": i.contact if r.state == "accepted" else None}}


def _mine(session: Session, actor: Actor) -> Any:
    return (select(ContactRequest, Opportunity, Institution)
            .join(Opportunity, Opportunity.id == ContactRequest.opportunity_id)
            .join(Institution, Institution.id == Opportunity.institution_id)
            .where(ContactRequest.user_id == actor.id))


def for_person(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The requests made to the signed-in registrant, newest first."""
    require(actor, "registrant")
    rows = session.execute(_mine(session, actor).order_by(ContactRequest.id.desc())).all()
    return [_person_view(session, r, o, i) for r, o, i in rows]


def answer(session: Session, actor: Actor, request_id: int, accept: bool) -> dict[str, Any]:
    """The person accepts (the second opt-in) or refuses a pending request."""
    require(actor, "registrant")
    found = session.execute(_mine(session, actor).where(
        ContactRequest.id == request_id)).first()
    if found is None:
        raise NotFound(f"no request {request_id} to you")
    r, o, i = found
    if r.state != "pending":
        raise InputError(f"request {request_id} was already {r.state}")
    r.state, r.answered_at = ("accepted" if accept else "refused"), now()
    audit.record(session, actor, "contact_accepted" if accept else "contact_refused",
                 subject_id=actor.id, request=r.id, opportunity=o.id)
    return _person_view(session, r, o, i)


def for_institution(session: Session, actor: Actor, lang: str,
                    opportunity_id: int | None = None) -> list[dict[str, Any]]:
    """The institution's requests: the anonymised profile until the person accepts; then
    their name, e-mail, city and summary too. Only while the person consents: after a
    withdrawal, the request shows nothing of them."""
    institution = institutions.own(session, actor)
    query = (select(ContactRequest, Opportunity, SkillsProfile, Registration, User)
             .join(Opportunity, Opportunity.id == ContactRequest.opportunity_id)
             .join(SkillsProfile, SkillsProfile.user_id == ContactRequest.user_id)
             .join(Registration, Registration.user_id == ContactRequest.user_id)
             .join(User, User.id == ContactRequest.user_id)
             .where(Opportunity.institution_id == institution.id)
             .order_by(ContactRequest.id.desc()))
    if opportunity_id is not None:
        query = query.where(Opportunity.id == opportunity_id)
    out, revealed = [], 0
    for r, o, p, reg, user in session.execute(query):
        consents = profiles.may_be_matched(session, user.id)
        item: dict[str, Any] = {
            "request": r.id, "state": r.state, "opportunity": o.id,
            "created_at": r.created_at.isoformat(timespec="seconds"),
            # a person who withdrew consent is shown as nothing but that
            "profile": profiles.anonymised(p, reg.residence, lang) if consents else None,
            "withdrawn": not consents, "contact": None}
        if r.state == "accepted" and consents:
            item["contact"] = {"name": reg.name, "email": user.email, "city": reg.city,
                               "summary": p.summary}
            revealed += 1
        out.append(item)
    audit.record(session, actor, "viewed_contact_requests", records=revealed,
                 institution=institution.id)
    return out


def held(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything the skills side holds about a registrant, for their own view and export:
    the skills profile and the contact requests made to them."""
    require(actor, "registrant")
    row = session.scalar(select(SkillsProfile).where(SkillsProfile.user_id == actor.id))
    return {"profile": profiles.view(row, "en") if row else None,
            "contact_requests": for_person(session, actor)}
