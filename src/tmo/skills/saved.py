"""Saved searches of institutions and the notifications of new matches (issue #18, item
4): an institution saves a search (`tmo.skills.finder`); `tmo registry notify` (from cron)
finds, for each saved search, the consenting profiles added or changed since it last
looked, and puts one message in the outbox (tmo.registry.outbox) saying how many, with a
link: no profile, name or skill in the mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tmo.errors import InputError, NotFound
from tmo.registry import audit
from tmo.registry.access import SYSTEM, Actor, Invalid
from tmo.registry.i18n import language
from tmo.registry.models import Base, Mail, User, now
from tmo.skills import finder, institutions

NAME = 100
PER_INSTITUTION = 20

MAIL = {
    "en": ("New profiles for your saved search",
           ("{n} consenting profiles were added or changed that match your saved search "
           "\"{name}\": {link}")),
    "fr": ("Nouveaux profils pour votre recherche enregistrée",
           ("{n} profils consentants ajoutés ou modifiés correspondent à votre recherche "
           "enregistrée « {name} » : {link}")),
    "es": ("Nuevos perfiles para su búsqueda guardada",
           ("{n} perfiles con consentimiento añadidos o modificados coinciden con su "
           "búsqueda guardada «{name}»: {link}")),
}


class SavedSearch(Base):
    """A search an institution's account saved; `checked_at`: the last notification run
    that looked at it (profiles changed after it are new to it)."""

    __tablename__ = "saved_searches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(NAME))
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    checked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


def save(session: Session, actor: Actor, name: str, q: finder.Query, lang: str) -> int:
    """Save a search for a verified institution's account; its id."""
    institution = institutions.own(session, actor)
    name = " ".join(str(name).split())
    if not 1 <= len(name) <= NAME:
        from tmo.registry.fields import Checker  # noqa: PLC0415 - only for the message

        check = Checker(lang)
        check.text("name", name, NAME)
        raise Invalid(check.errors or {"name": "?"})
    held = session.scalars(select(SavedSearch.id).where(SavedSearch.user_id == actor.id))
    if len(list(held)) >= PER_INSTITUTION:
        raise InputError(f"at most {PER_INSTITUTION} saved searches",
                         hint="delete one first")
    row = SavedSearch(user_id=actor.id, name=name, query=q.to_json())
    session.add(row)
    session.flush()
    audit.record(session, actor, "saved_search", institution=institution.id, search=row.id)
    return row.id


def listing(session: Session, actor: Actor) -> list[dict[str, Any]]:
    institutions.own(session, actor)
    return [{"id": r.id, "name": r.name, "query": finder.Query.from_json(r.query).__dict__,
             "created_at": r.created_at.isoformat(timespec="seconds")}
            for r in session.scalars(select(SavedSearch).where(
                SavedSearch.user_id == actor.id).order_by(SavedSearch.id))]


def get(session: Session, actor: Actor, search_id: int) -> finder.Query:
    institutions.own(session, actor)
    row = session.scalar(select(SavedSearch).where(SavedSearch.id == search_id,
                                                   SavedSearch.user_id == actor.id))
    if row is None:
        raise NotFound(f"no saved search {search_id}")
    return finder.Query.from_json(row.query)


def remove(session: Session, actor: Actor, search_id: int) -> bool:
    institutions.own(session, actor, verified=False)
    gone = session.execute(delete(SavedSearch).where(SavedSearch.id == search_id,
                                                     SavedSearch.user_id == actor.id))
    return bool(getattr(gone, "rowcount", 0))


def notify(session: Session, base_url: str, moment: dt.datetime | None = None) -> int:
    """One message per saved search with new matching profiles since it was last
    checked (only for institutions still verified); how many messages."""
    moment = moment or now()
    sent = 0
    for row in list(session.scalars(select(SavedSearch).order_by(SavedSearch.id))):
        user = session.get(User, row.user_id)
        if user is None:
            continue
        try:
            institutions.own(session, Actor(user.id, user.role))
        except Exception:  # noqa: BLE001 - refused or no longer verified: no mail
            row.checked_at = moment
            continue
        q = finder.Query.from_json(row.query)
        new = finder.filtered(finder.matches(session, q, since=row.checked_at), q)
        row.checked_at = moment
        if not new:
            continue
        lang = language(user.language)
        subject, body = MAIL[lang]
        link = f"{base_url}/registry/skills/search?saved={row.id}&lang={lang}"
        session.add(Mail(user_id=user.id, to=user.email, subject=subject,
                         body=body.format(n=len(new), name=row.name, link=link)))
        sent += 1
    audit.record(session, SYSTEM, "notified_saved_searches", records=sent)
    return sent
