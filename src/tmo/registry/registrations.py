"""A registrant's own data: register, verify the e-mail, see, correct, export and erase
everything held, and give or withdraw consent per purpose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from tmo.errors import InputError
from tmo.registry import accounts, audit, tallies
from tmo.registry.access import Actor, Invalid, require
from tmo.registry.fields import EDITABLE, clean
from tmo.registry.i18n import language, t
from tmo.registry.models import (
    Attempt,
    Consent,
    Jurisdiction,
    Mail,
    Registration,
    Token,
    User,
    now,
)
from tmo.registry.models import (
    Session as SessionRow,
)
from tmo.registry.passwords import MAX_LENGTH, MIN_LENGTH, hash_password
from tmo.registry.vocabulary import PURPOSES

FIELDS = ("name", "residence", "mission_id", "birth_year", "sex", "city", "education",
          "occupation", "languages", "departure_year", "intends_return", "intends_invest",
          "intends_mentor", "intends_vote")


def served(session: Session) -> dict[str, int]:
    """Country of residence -> the id of the mission whose jurisdiction it is in."""
    return dict(session.execute(select(Jurisdiction.residence, Jurisdiction.mission_id))
                .all())


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {("mission_id" if k == "mission" else k): v for k, v in data.items()
            if k in EDITABLE}


def register(session: Session, data: Any, lang: str, base_url: str, *,
             address: str = "local") -> int:
    """A new registrant (unverified until the e-mailed link is opened); the id of the new
    user. Registrations per `address` are limited (`accounts.REGISTRATIONS_PER_HOUR`)."""
    lang = language(lang)
    # hashed before the first statement: the transaction (on SQLite, the database's one
    # write lock) is not held while Argon2id spends its 19 MiB and its time
    password = data.get("password") if isinstance(data, dict) else None
    hashed = hash_password(password) if isinstance(password, str) \
        and MIN_LENGTH <= len(password) <= MAX_LENGTH else None
    accounts.limit(session, f"register:{address}"[:100], accounts.REGISTRATIONS_PER_HOUR,
                   "registrations from this address")
    values = clean(data, lang, served(session))
    if session.scalar(select(User.id).where(User.email == values["email"])) is not None:
        raise Invalid({"email": t(lang, "err_email_taken")})
    user = User(email=values["email"], role="registrant", language=lang,
                password_hash=hashed or hash_password(values["password"]))
    session.add(user)
    session.flush()
    registration = Registration(user_id=user.id, **_values(values))
    session.add(registration)
    tallies.change(session, after=tallies.of(registration))
    for purpose in values["consents"]:
        session.add(Consent(user_id=user.id, purpose=purpose))
    token = accounts.issue(session, user.id, "verify", dt.timedelta(hours=48))
    link = f"{base_url}/registry/verify?token={token}"
    session.add(Mail(user_id=user.id, to=user.email, subject=t(lang, "mail_subject"),
                     body=t(lang, "mail_body", link=link)))
    audit.record(session, Actor(user.id, "registrant"), "registered", subject_id=user.id,
                 consents=",".join(values["consents"]))
    return user.id


def verify(session: Session, token: str) -> int:
    user = accounts.redeem(session, token, "verify")
    user.verified_at = now()
    audit.record(session, Actor(user.id, user.role), "verified", subject_id=user.id)
    return user.id


def _registration(session: Session, actor: Actor) -> Registration:
    require(actor, "registrant")
    row = session.scalar(select(Registration).where(Registration.user_id == actor.id))
    assert row is not None  # a registrant's user and registration go together
    return row


def consents(session: Session, user_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(Consent).where(Consent.user_id == user_id)
                           .order_by(Consent.granted_at, Consent.id))
    return [{"purpose": c.purpose, "granted_at": c.granted_at.isoformat(timespec="seconds"),
             "withdrawn_at": c.withdrawn_at.isoformat(timespec="seconds")
             if c.withdrawn_at else None} for c in rows]


def mine(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything the registry holds about the signed-in registrant (the export)."""
    row = _registration(session, actor)
    user = session.get(User, actor.id)
    assert user is not None
    audit.record(session, actor, "viewed_own", subject_id=actor.id, records=1)
    return {
        "account": {"email": user.email, "language": user.language,
                    "created_at": user.created_at.isoformat(timespec="seconds"),
                    "verified_at": user.verified_at.isoformat(timespec="seconds")
                    if user.verified_at else None,
                    "password": "stored only as an Argon2id hash"},
        "registration": {f: getattr(row, f) for f in FIELDS}
        | {"updated_at": row.updated_at.isoformat(timespec="seconds")},
        "consents": consents(session, actor.id),
        "sessions": len(session.scalars(select(SessionRow.digest).where(
            SessionRow.user_id == actor.id)).all()),
    }


def correct(session: Session, actor: Actor, data: Any, lang: str) -> None:
    """Change some fields of one's own registration (each one checked as at registration)."""
    row = _registration(session, actor)
    if not isinstance(data, dict):
        raise Invalid({"form": t(lang, "err_type", kind="object")})
    given = tuple(k for k in data if k in EDITABLE)
    values = clean({k: v for k, v in data.items() if k != "consents"}, lang, served(session),
                   fields=given)
    values = _values(values)
    residence = values.get("residence", row.residence)
    mission = values.get("mission_id", row.mission_id)
    if served(session).get(residence) != mission:
        raise Invalid({"mission": t(lang, "err_mission")})
    before = tallies.of(row)
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_at = now()
    tallies.change(session, before=before, after=tallies.of(row))
    audit.record(session, actor, "corrected", subject_id=actor.id,
                 fields=",".join(sorted(values)))


def consent(session: Session, actor: Actor, purpose: str, given: bool) -> None:
    """Give (a new timestamped record) or withdraw (every open record) one purpose."""
    require(actor, "registrant")
    if purpose not in PURPOSES:
        raise Invalid({"purpose": f"one of {', '.join(PURPOSES)}"})
    open_ = session.scalars(select(Consent).where(
        Consent.user_id == actor.id, Consent.purpose == purpose,
        Consent.withdrawn_at.is_(None))).all()
    if given and not open_:
        session.add(Consent(user_id=actor.id, purpose=purpose))
    if not given:
        for row in open_:
            row.withdrawn_at = now()
    audit.record(session, actor, "consent_given" if given else "consent_withdrawn",
                 subject_id=actor.id, purpose=purpose)


def erase(session: Session, actor: Actor) -> None:
    """Delete the registrant and everything held about them (registration, consents,
    tokens, sessions, mail, counted attempts) in one transaction; the audit keeps one
    entry without personal data. On SQLite the rows are overwritten (secure_delete) and
    the write-ahead log is emptied by `scrub` after the commit."""
    require(actor, "registrant")
    for row in session.scalars(select(Registration).where(Registration.user_id == actor.id)):
        tallies.change(session, before=tallies.of(row))
    for table in (Registration, Consent, Token, SessionRow, Mail):
        session.execute(delete(table).where(table.user_id == actor.id))
    session.execute(delete(Attempt).where(Attempt.key == f"signin:{actor.id}"))
    session.execute(delete(User).where(User.id == actor.id))
    audit.record(session, Actor(0, "registrant"), "erased")


def purge_unverified(session: Session, days: int) -> int:
    """Erase registrants who never verified their e-mail within `days` days of
    registering (the operator's retention schedule: docs/registry.md); how many."""
    if days < 1:
        raise InputError("--unverified-days: at least 1")
    cutoff = now() - dt.timedelta(days=days)
    stale = session.scalars(select(User.id).where(
        User.role == "registrant", User.verified_at.is_(None),
        User.created_at < cutoff)).all()
    for user in stale:
        erase(session, Actor(user, "registrant"))
    audit.record(session, Actor(0, "system"), "purged_unverified", records=len(stale),
                 days=days)
    return len(stale)


def scrub(made: Engine) -> None:
    """After an erasure: on SQLite, move the write-ahead log into the database file (whose
    freed pages secure_delete zeroed) and truncate it, so no copy of the erased rows is
    left in either file. PostgreSQL keeps dead rows until VACUUM (docs/registry.md)."""
    if made.url.get_backend_name() == "sqlite":
        raw = made.raw_connection()  # outside any transaction, as a checkpoint must be
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]
        finally:
            raw.close()
