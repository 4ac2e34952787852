"""Passwordless sign-in: a one-time link by e-mail (OWASP ASVS 4.0, 2.7 "out of band
verifier"): random 256-bit token, only its digest kept, valid 15 minutes, used once; at
most 5 links an hour per account and 20 per address; an address without a verified
account gets the same answer and no mail (no one learns who is registered). Every link
asked for and every sign-in with one is audit-logged."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from tmo.registry import accounts, audit
from tmo.registry.access import Actor, Unauthenticated
from tmo.registry.i18n import language, t
from tmo.registry.models import Attempt, Mail, User
from tmo.registry.models import Session as SessionRow
from tmo.registry.passwords import digest, new_token

VALID = dt.timedelta(minutes=15)
PER_ACCOUNT = 5  # links an hour
PER_ADDRESS = 20
PURPOSE = "signin"


def request(session: Session, email: str, base_url: str, lang: str, *,
            address: str = "local") -> None:
    """Put a sign-in link in the outbox if `email` has a verified account (the caller
    answers the same either way)."""
    accounts.limit(session, f"link:{address}"[:100], PER_ADDRESS,
                   "sign-in links from this address")
    email = str(email).strip().lower()[:254]
    user = session.scalar(select(User).where(User.email == email))
    if user is None or user.verified_at is None:
        return
    key = f"link:user:{user.id}"
    if accounts.count_recent(session, key) >= PER_ACCOUNT:
        return  # said the same way: the owner already has links to use
    session.add(Attempt(key=key))
    token = accounts.issue(session, user.id, PURPOSE, VALID)
    lang = language(user.language or lang)
    session.add(Mail(user_id=user.id, to=user.email, subject=t(lang, "link_subject"),
                     body=t(lang, "link_body",
                            link=f"{base_url}/registry/sign-in/link/open?token={token}")))
    audit.record(session, Actor(user.id, user.role), "sign_in_link_requested",
                 subject_id=user.id)


def redeem(session: Session, token: str) -> tuple[str, str]:
    """A new session (cookie token, CSRF token) for the link's account; the link is used
    up. An invalid, used or expired link is refused."""
    user = accounts.redeem(session, token, PURPOSE)
    if user.verified_at is None:
        raise Unauthenticated("this e-mail is not verified yet",
                              hint="open the link we sent to it")
    cookie, csrf = new_token(), secrets.token_hex(32)
    session.add(SessionRow(digest=digest(cookie), user_id=user.id, csrf=csrf))
    audit.record(session, Actor(user.id, user.role), "signed_in", subject_id=user.id,
                 method="link")
    return cookie, csrf
