"""The outbox's sender: messages queued in the registry's database (table `outbox`, in the
same transaction as what they announce) are sent by SMTP by `tmo registry send-mail`, a
worker any number of copies of which may run at once.

A sender claims a batch of due messages by leasing them (their next try is set a few
minutes ahead in one short transaction), sends them outside any transaction, then deletes
each message the SMTP server accepted (sent mail is not kept: it holds an address and a
link) or records the refusal and the next try, with exponential back-off (1, 2, 4 ...
minutes, at most 6 hours), up to `MAX_ATTEMPTS`; after that the message stays, marked,
for the operator (`tmo registry send-mail --failed` lists them, by id and error only).
A sender killed mid-batch loses no message: its leases run out and another sends them
(an SMTP server that accepted a message just before the kill may get it twice).

Configured by environment variables (nothing is sent without `TMO_SMTP_HOST`):
TMO_SMTP_HOST, TMO_SMTP_PORT (587), TMO_SMTP_SECURITY (starttls, tls or none),
TMO_SMTP_USER, TMO_SMTP_PASSWORD, TMO_SMTP_FROM (the sender's address)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from sqlalchemy import Engine, and_, delete, func, or_, select, update

from tmo.errors import InputError
from tmo.registry import audit
from tmo.registry.access import SYSTEM
from tmo.registry.database import transaction
from tmo.registry.models import Mail, now

MAX_ATTEMPTS = 8
LEASE = dt.timedelta(minutes=5)
SECURITY = ("starttls", "tls", "none")
ENV_HINT = ("set TMO_SMTP_HOST (and TMO_SMTP_PORT, TMO_SMTP_SECURITY, TMO_SMTP_USER, "
            "TMO_SMTP_PASSWORD, TMO_SMTP_FROM); docs/registry.md, \"Mail\"")


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    sender: str = "registry@localhost"
    timeout: float = 30

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Smtp:
        """The SMTP relay the environment names; one clear error when it names none or
        names it wrongly."""
        env = os.environ if env is None else env
        host = env.get("TMO_SMTP_HOST", "").strip()
        if not host:
            raise InputError("no mail relay configured: TMO_SMTP_HOST is not set",
                             hint=ENV_HINT)
        security = env.get("TMO_SMTP_SECURITY", "starttls").strip().lower()
        if security not in SECURITY:
            raise InputError(f"TMO_SMTP_SECURITY={security!r}: one of {', '.join(SECURITY)}",
                             hint=ENV_HINT)
        port_text = env.get("TMO_SMTP_PORT", "465" if security == "tls" else "587")
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise InputError(f"TMO_SMTP_PORT={port_text!r}: a port number", hint=ENV_HINT)
        return cls(host, int(port_text), security, env.get("TMO_SMTP_USER") or None,
                   env.get("TMO_SMTP_PASSWORD") or None,
                   env.get("TMO_SMTP_FROM") or f"registry@{host}")


@dataclass
class Report:
    sent: int = 0
    failed: int = 0  # refused this time, to be tried again
    given_up: int = 0  # refused for the last time


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th refusal: 1, 2, 4 ... minutes, at most 6 hours."""
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), dt.timedelta(hours=6))


def _due(moment: dt.datetime) -> Any:
    return and_(Mail.attempts < MAX_ATTEMPTS,
                or_(Mail.next_attempt_at.is_(None), Mail.next_attempt_at <= moment))


def claim(made: Engine, limit: int, moment: dt.datetime | None = None) -> list[Mail]:
    """Lease up to `limit` due messages for this sender (oldest first)."""
    moment = moment or now()
    with transaction(made) as session:
        query = select(Mail).where(_due(moment)).order_by(Mail.id).limit(limit)
        if made.url.get_backend_name() == "postgresql":
            query = query.with_for_update(skip_locked=True)
        batch = list(session.scalars(query))
        for mail in batch:
            mail.next_attempt_at = moment + LEASE
        return batch


def message(mail: Mail, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, mail.to, mail.subject
    msg["Message-ID"] = f"<outbox-{mail.id}-{mail.attempts}@{sender.rpartition('@')[2]}>"
    msg.set_content(mail.body)
    return msg


def _connect(smtp: Smtp) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.security == "tls":
        client: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout,
                                                context=context)
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.security == "starttls":
            client.starttls(context=context)
    if smtp.user:
        client.login(smtp.user, smtp.password or "")
    return client


def send_due(made: Engine, smtp: Smtp, limit: int = 100,
             moment: dt.datetime | None = None) -> Report:
    """Send the due messages (up to `limit`) over one SMTP connection; delete the sent,
    schedule the refused again. An unreachable server counts as a refusal of each."""
    batch = claim(made, limit, moment)
    report = Report()
    if not batch:
        return report
    outcome: dict[int, str | None] = {}
    try:
        client = _connect(smtp)
    except (OSError, smtplib.SMTPException) as exc:
        outcome = {m.id: _error(exc) for m in batch}
    else:
        try:
            for mail in batch:
                try:
                    client.send_message(message(mail, smtp.sender))
                    outcome[mail.id] = None
                except smtplib.SMTPServerDisconnected as exc:
                    outcome |= {m.id: _error(exc) for m in batch if m.id not in outcome}
                    break
                except (OSError, smtplib.SMTPException) as exc:
                    outcome[mail.id] = _error(exc)
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                client.quit()
    _settle(made, batch, outcome, report)
    return report


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".replace("\n", " ")[:200]


def _settle(made: Engine, batch: list[Mail], outcome: dict[int, str | None],
            report: Report) -> None:
    moment = now()
    with transaction(made) as session:
        sent = [i for i, error in outcome.items() if error is None]
        if sent:
            session.execute(delete(Mail).where(Mail.id.in_(sent)))
        for mail in batch:
            error = outcome.get(mail.id)
            if mail.id in sent or error is None:
                continue
            tries = mail.attempts + 1
            session.execute(update(Mail).where(Mail.id == mail.id).values(
                attempts=tries, last_error=error, next_attempt_at=moment + backoff(tries)))
            if tries >= MAX_ATTEMPTS:
                report.given_up += 1
                audit.record(session, SYSTEM, "mail_given_up", subject_id=mail.user_id,
                             mail=mail.id)
            else:
                report.failed += 1
        report.sent = len(sent)
        if sent:
            audit.record(session, SYSTEM, "mail_sent", records=len(sent))


def pending(made: Engine) -> dict[str, int]:
    """How many messages wait, and how many were given up."""
    with transaction(made) as session:
        waiting = session.scalar(select(func.count()).select_from(Mail).where(
            Mail.attempts < MAX_ATTEMPTS)) or 0
        failed = session.scalar(select(func.count()).select_from(Mail).where(
            Mail.attempts >= MAX_ATTEMPTS)) or 0
    return {"waiting": waiting, "given_up": failed}


def given_up(made: Engine) -> list[dict[str, Any]]:
    """The messages given up: id, tries and last error (no address, no content)."""
    with transaction(made) as session:
        return [{"id": m.id, "attempts": m.attempts, "last_error": m.last_error}
                for m in session.scalars(select(Mail).where(Mail.attempts >= MAX_ATTEMPTS)
                                         .order_by(Mail.id))]


def retry(made: Engine) -> int:
    """Put the given-up messages back in the queue (after the relay is mended)."""
    with transaction(made) as session:
        done = session.execute(update(Mail).where(Mail.attempts >= MAX_ATTEMPTS).values(
            attempts=0, next_attempt_at=None))
        return int(getattr(done, "rowcount", 0) or 0)
