"""Consular work: an officer searches, filters and exports the registrants of their own
mission's jurisdiction, never another's. Every view and export of personal data is
audit-logged with its reason."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tmo.errors import InputError
from tmo.registry import audit
from tmo.registry.access import Actor, require
from tmo.registry.models import Consent, Registration, User, name_key
from tmo.registry.vocabulary import SEXES

PAGE = 50
CRISIS_COLUMNS = ("name", "email", "residence", "city", "languages", "synthetic")


@dataclass(frozen=True)
class Filters:
    residence: str | None = None
    name: str | None = None  # the start of the name, any case
    city: str | None = None
    sex: str | None = None
    crisis_contact: bool = False  # only those who consented to crisis contact

    def check(self) -> None:
        if self.residence is not None and not (len(self.residence) == 3
                                               and self.residence.isalpha()):
            raise InputError(f"residence {self.residence[:10]!r} is not an ISO3 code")
        if self.sex is not None and self.sex not in SEXES:
            raise InputError(f"sex {self.sex[:10]!r}: one of {', '.join(SEXES)}")
        for text in (self.name, self.city):
            if text is not None and len(text) > 200:
                raise InputError("a search text is longer than 200 characters")


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _query(actor: Actor, filters: Filters) -> Select[Registration, str]:
    require(actor, "officer")
    filters.check()
    query: Select[Registration, str] = (
        select(Registration, User.email).join(User, User.id == Registration.user_id)
        .where(Registration.mission_id == actor.mission_id))
    if filters.residence:
        query = query.where(Registration.residence == filters.residence.upper())
    if filters.name:  # the start of the name, any case: a range of keys, indexed
        start = name_key(filters.name)
        query = query.where(Registration.name_key >= start,
                            Registration.name_key < start + "\U0010ffff")
    if filters.city:
        query = query.where(Registration.city.ilike(_escaped(filters.city), escape="\\"))
    if filters.sex:
        query = query.where(Registration.sex == filters.sex)
    if filters.crisis_contact:
        query = query.where(select(Consent.id).where(
            Consent.user_id == Registration.user_id, Consent.purpose == "crisis_contact",
            Consent.withdrawn_at.is_(None)).exists())
    return query


def _row(reg: Registration, email: str) -> dict[str, Any]:
    return {"id": reg.id, "name": reg.name, "email": email, "residence": reg.residence,
            "city": reg.city, "sex": reg.sex, "birth_year": reg.birth_year,
            "languages": reg.languages, "synthetic": reg.synthetic}


def search(session: Session, actor: Actor, filters: Filters, *, page: int = 0,
           reason: str = "search") -> list[dict[str, Any]]:
    """One page of the officer's jurisdiction's registrants matching `filters`, by name."""
    query = (_query(actor, filters).order_by(Registration.name_key, Registration.id)
             .limit(PAGE).offset(max(page, 0) * PAGE))
    rows = [_row(reg, email) for reg, email in session.execute(query)]
    audit.record(session, actor, "searched", records=len(rows), reason=reason,
                 residence=filters.residence, crisis_contact=filters.crisis_contact)
    return rows


def crisis_csv(session: Session, actor: Actor, reason: str, residence: str | None = None
               ) -> str:
    """The crisis-contact list (CSV) of the officer's jurisdiction: those who consented to
    consular contact in a crisis and have not withdrawn it. `reason` is required."""
    if not reason.strip():
        raise InputError("say why the list is exported", hint="pass a reason")
    query = _query(actor, Filters(residence=residence, crisis_contact=True)).order_by(
        Registration.residence, Registration.name_key, Registration.id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CRISIS_COLUMNS)
    count = 0
    for reg, email in session.execute(query):
        row = _row(reg, email)
        writer.writerow([_cell(row[c]) for c in CRISIS_COLUMNS])
        count += 1
    audit.record(session, actor, "exported_crisis_list", records=count, reason=reason,
                 residence=residence)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def dashboard(session: Session, actor: Actor) -> dict[str, Any]:
    """The officer's mission at a glance: registrants by country of residence."""
    require(actor, "officer")
    rows = session.execute(select(Registration.residence, func.count())
                           .where(Registration.mission_id == actor.mission_id)
                           .group_by(Registration.residence)
                           .order_by(Registration.residence)).all()
    audit.record(session, actor, "viewed_dashboard")
    return {"mission_id": actor.mission_id,
            "by_residence": [{"residence": r, "registrants": n} for r, n in rows],
            "total": sum(n for _r, n in rows)}
