"""Accounts and sessions: the first administrator, invitations of officers and analysts,
sign-in with a password (Argon2id), sessions with idle and absolute time-outs, and the
limits on attempts (failed sign-ins per account, registrations per address)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tmo.errors import InputError
from tmo.registry import audit
from tmo.registry.access import SYSTEM, Actor, TooMany, Unauthenticated, require
from tmo.registry.fields import EMAIL_RE
from tmo.registry.models import Attempt, Mail, Mission, Token, User, now
from tmo.registry.models import Session as SessionRow
from tmo.registry.passwords import MIN_LENGTH, check_password, digest, hash_password, new_token

HOUR = dt.timedelta(hours=1)
SIGN_IN_FAILURES_PER_HOUR = 100  # per account (OWASP ASVS 4.0, 2.2.1)
REGISTRATIONS_PER_HOUR = 20  # per address


@dataclass(frozen=True)
class Timeouts:
    idle: dt.timedelta = dt.timedelta(minutes=30)
    absolute: dt.timedelta = dt.timedelta(hours=12)


def count_recent(session: Session, key: str, window: dt.timedelta = HOUR) -> int:
    cutoff = now() - window
    session.execute(delete(Attempt).where(Attempt.key == key, Attempt.at < cutoff))
    return session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.key == key)) or 0


def limit(session: Session, key: str, allowed: int, what: str) -> None:
    """Count one attempt under `key`, refusing it beyond `allowed` an hour."""
    if count_recent(session, key) >= allowed:
        raise TooMany(f"too many {what} in the last hour", wait=3600,
                      hint="try again in an hour")
    session.add(Attempt(key=key))
    session.commit()  # counted even if what follows is refused


def create_admin(session: Session, email: str, password: str) -> int:
    """The first administrator (`tmo registry init`)."""
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise InputError(f"{email!r} is not an e-mail address")
    if len(password) < MIN_LENGTH:
        raise InputError(f"the administrator's password is shorter than {MIN_LENGTH} "
                         "characters")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InputError(f"{email} already has an account")
    user = User(email=email, role="admin", password_hash=hash_password(password),
                verified_at=now())
    session.add(user)
    session.flush()
    audit.record(session, SYSTEM, "admin_created", subject_id=user.id)
    return user.id


def invite(session: Session, actor: Actor, email: str, role: str, *, mission_id: int | None,
           base_url: str) -> int:
    """An officer or analyst account, invited by an administrator: a link to set a
    password is put in the outbox. Officers belong to one mission."""
    require(actor, "admin")
    if role not in ("officer", "analyst", "admin"):
        raise InputError(f"role {role!r}: invite an officer, analyst or admin")
    if role == "officer" and (mission_id is None or session.get(Mission, mission_id) is None):
        raise InputError("an officer needs the id of an existing mission")
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise InputError(f"{email!r} is not an e-mail address")
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise InputError(f"{email} already has an account")
    user = User(email=email, role=role, mission_id=mission_id if role == "officer" else None)
    session.add(user)
    session.flush()
    token = issue(session, user.id, "invite", dt.timedelta(days=7))
    session.add(Mail(user_id=user.id, to=email, subject="Your registry account",
                     body=f"Set your password: {base_url}/registry/accept?token={token}"))
    audit.record(session, actor, "invited", subject_id=user.id, role=role,
                 mission=mission_id)
    return user.id


def issue(session: Session, user_id: int, purpose: str, valid: dt.timedelta) -> str:
    token = new_token()
    session.add(Token(user_id=user_id, purpose=purpose, digest=digest(token),
                      expires_at=now() + valid))
    return token


def redeem(session: Session, token: str, purpose: str) -> User:
    """The user a valid, unused token of `purpose` belongs to (the token is used up)."""
    row = session.scalar(select(Token).where(Token.digest == digest(token),
                                             Token.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at < now():
        raise Unauthenticated("this link is invalid, used or expired",
                              hint="ask for a new one")
    row.used_at = now()
    user = session.get(User, row.user_id)
    assert user is not None  # tokens are deleted with their user
    return user


def accept(session: Session, token: str, password: str) -> int:
    """An invited user sets a password (the invitation's token is used up)."""
    if not MIN_LENGTH <= len(password) <= 128:
        raise InputError(f"a password of {MIN_LENGTH} to 128 characters")
    user = redeem(session, token, "invite")
    user.password_hash = hash_password(password)
    user.verified_at = now()
    audit.record(session, Actor(user.id, user.role, user.mission_id), "accepted_invitation",
                 subject_id=user.id)
    return user.id


def sign_in(session: Session, email: str, password: str) -> tuple[str, str]:
    """A new session (its cookie token, its CSRF token) for a verified account. At most
    `SIGN_IN_FAILURES_PER_HOUR` failed sign-ins per account and hour."""
    email = email.strip().lower()[:254]
    user = session.scalar(select(User).where(User.email == email))
    key = f"signin:{user.id if user else 'unknown'}"
    if user is not None and count_recent(session, key) >= SIGN_IN_FAILURES_PER_HOUR:
        raise TooMany("too many failed sign-ins for this account in the last hour",
                      wait=3600, hint="try again in an hour")
    session.commit()  # not held while Argon2id checks (on SQLite: the one write lock)
    if user is None or not check_password(user.password_hash, password):
        if user is not None:
            session.add(Attempt(key=key))
            audit.record(session, Actor(user.id, user.role), "sign_in_failed",
                         subject_id=user.id)
            session.commit()  # the failure stays counted although the caller's rolls back
        raise Unauthenticated("wrong e-mail or password")
    if user.verified_at is None:
        raise Unauthenticated("this e-mail is not verified yet",
                              hint="open the link we sent to it")
    token, csrf = new_token(), secrets.token_hex(32)
    session.add(SessionRow(digest=digest(token), user_id=user.id, csrf=csrf))
    audit.record(session, Actor(user.id, user.role), "signed_in", subject_id=user.id)
    return token, csrf


def current(session: Session, token: str | None, timeouts: Timeouts = Timeouts()
            ) -> tuple[Actor, str]:
    """The actor of a live session and its CSRF token; an expired one is deleted."""
    if not token:
        raise Unauthenticated("not signed in", hint="sign in first")
    row = session.get(SessionRow, digest(token))
    moment = now()
    if row is None:
        raise Unauthenticated("not signed in", hint="sign in first")
    if moment - row.seen_at > timeouts.idle or moment - row.created_at > timeouts.absolute:
        session.delete(row)
        session.commit()  # gone for good, although the caller's transaction rolls back
        raise Unauthenticated("your session has expired", hint="sign in again")
    row.seen_at = moment
    user = session.get(User, row.user_id)
    assert user is not None  # sessions are deleted with their user
    return Actor(user.id, user.role, user.mission_id), row.csrf


def sign_out(session: Session, token: str) -> None:
    session.execute(delete(SessionRow).where(SessionRow.digest == digest(token)))
