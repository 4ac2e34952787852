"""The audit log: who did what, when, and why. Entries hold ids, roles, actions, counts
and codes only, never a name, e-mail or any other personal field."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tmo.registry.access import Actor
from tmo.registry.models import AuditEntry


def record(session: Session, actor: Actor, action: str, *, subject_id: int | None = None,
           records: int = 0, reason: str = "", **detail: str | int | bool | None) -> None:
    """Add one entry (committed with the caller's transaction, so an action and its entry
    are written together or not at all). `detail` takes codes and counts only."""
    session.add(AuditEntry(actor_id=actor.id or None, actor_role=actor.role, action=action,
                           subject_id=subject_id, records=records, reason=reason[:200],
                           detail=json.dumps(detail, sort_keys=True) if detail else ""))


def entries(session: Session, limit: int = 1000) -> list[dict[str, Any]]:
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [{"at": r.at.isoformat(timespec="seconds"), "actor_id": r.actor_id,
             "actor_role": r.actor_role, "action": r.action, "subject_id": r.subject_id,
             "records": r.records, "reason": r.reason, "detail": r.detail} for r in rows]
