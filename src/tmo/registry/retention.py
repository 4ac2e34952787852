"""Retention rules the operator schedules (docs/registry.md, "Retention") beyond the
erasure of unverified registrations (`registrations.purge_unverified`): staff accounts
(officers, analysts, administrators) unused for a number of days, and audit entries older
than a number of days. Each run leaves one audit entry saying what it removed (counts and
days only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tmo.errors import InputError
from tmo.registry import audit
from tmo.registry.access import SYSTEM
from tmo.registry.models import Attempt, AuditEntry, Mail, Token, User, now
from tmo.registry.models import Session as SessionRow

STAFF = ("officer", "analyst", "admin")


def _cutoff(days: int, option: str) -> dt.datetime:
    if days < 1:
        raise InputError(f"{option}: at least 1")
    return now() - dt.timedelta(days=days)


def last_used(session: Session, user: User) -> dt.datetime:
    """When a staff account was last used: its latest sign-in (audit), its latest live
    session, or else its creation."""
    signed = session.scalar(select(func.max(AuditEntry.at)).where(
        AuditEntry.actor_id == user.id, AuditEntry.action == "signed_in"))
    seen = session.scalar(select(func.max(SessionRow.seen_at)).where(
        SessionRow.user_id == user.id))
    return max(d for d in (signed, seen, user.created_at) if d is not None)


def purge_idle_staff(session: Session, days: int) -> int:
    """Remove the staff accounts not used for `days` days (those of people who left),
    keeping at least one administrator; how many. Their audit entries stay (by id)."""
    cutoff = _cutoff(days, "--idle-staff-days")
    staff = list(session.scalars(select(User).where(User.role.in_(STAFF)).order_by(User.id)))
    idle = [u for u in staff if last_used(session, u) < cutoff]
    admins = [u for u in staff if u.role == "admin"]
    if admins and all(u in idle for u in admins):
        keep = max(admins, key=lambda u: (last_used(session, u), u.id))
        idle.remove(keep)  # never lock the operator out
    for user in idle:
        for table in (Token, SessionRow, Mail):
            session.execute(delete(table).where(table.user_id == user.id))
        session.execute(delete(Attempt).where(Attempt.key == f"signin:{user.id}"))
        session.execute(delete(User).where(User.id == user.id))
    audit.record(session, SYSTEM, "purged_idle_staff", records=len(idle), days=days)
    return len(idle)


def purge_audit(session: Session, days: int) -> int:
    """Delete the audit entries older than `days` days; how many."""
    cutoff = _cutoff(days, "--audit-days")
    done = session.execute(delete(AuditEntry).where(AuditEntry.at < cutoff))
    count = int(getattr(done, "rowcount", 0) or 0)
    audit.record(session, SYSTEM, "purged_audit", records=count, days=days)
    return count
