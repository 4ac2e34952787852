"""Retention rules beyond unverified registrations: staff accounts unused for N days are
removed (one administrator always kept), audit entries older than N days are deleted, and
each run leaves one audit entry of counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from click.testing import CliRunner
from sqlalchemy import func, select, update

from tmo.cli import cli
from tmo.registry import accounts, retention
from tmo.registry.database import transaction
from tmo.registry.models import AuditEntry, User, now

LONG_AGO = dt.timedelta(days=100)


def _age_everyone(made: Any) -> None:
    with transaction(made) as s:
        s.execute(update(User).values(created_at=now() - LONG_AGO))
        s.execute(update(AuditEntry).values(at=now() - LONG_AGO))


def test_idle_staff_accounts_are_removed_but_one_administrator_stays(
        world: dict[str, Any]) -> None:
    made = world["made"]
    _age_everyone(made)
    with transaction(made) as s:  # the Pretoria officer signs in today
        accounts.sign_in(s, "pretoria@registry.test", "officer password 1")
    with transaction(made) as s:
        assert retention.purge_idle_staff(s, 90) == 2
    with transaction(made) as s:
        left = set(s.scalars(select(User.email)))
        entry = s.scalars(select(AuditEntry).where(
            AuditEntry.action == "purged_idle_staff")).one()
    assert left == {"admin@registry.test", "pretoria@registry.test"}
    assert entry.records == 2
    with transaction(made) as s:  # nobody idle for 200 days: nothing more
        assert retention.purge_idle_staff(s, 200) == 0


def test_old_audit_entries_are_deleted(world: dict[str, Any]) -> None:
    made = world["made"]
    with transaction(made) as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
        old_ids = list(s.scalars(select(AuditEntry.id).order_by(AuditEntry.id).limit(3)))
        s.execute(update(AuditEntry).where(AuditEntry.id.in_(old_ids))
                  .values(at=now() - LONG_AGO))
    with transaction(made) as s:
        assert retention.purge_audit(s, 30) == 3
    with transaction(made) as s:
        after = s.scalar(select(func.count()).select_from(AuditEntry))
        assert not set(s.scalars(select(AuditEntry.id))) & set(old_ids)
    assert (after or 0) == (before or 0) - 3 + 1  # and the entry of the purge itself


def test_the_command_applies_each_rule_and_needs_one(world: dict[str, Any]) -> None:
    made = world["made"]
    url = made.url.render_as_string(hide_password=False)
    done = CliRunner().invoke(cli, ["registry", "purge", "--registry", url])
    assert done.exit_code == 1
    assert done.output.splitlines()[0] == "error: no retention rule given"
    _age_everyone(made)
    done = CliRunner().invoke(cli, ["registry", "purge", "--registry", url,
                                    "--idle-staff-days", "90", "--audit-days", "90"])
    assert done.exit_code == 0, done.output
    assert "removed 3 staff accounts unused for 90 days" in done.output
    done_lines = done.output.splitlines()
    assert done_lines[1].startswith("deleted ")
    assert done_lines[1].endswith("older than 90 days")
    done = CliRunner().invoke(cli, ["registry", "purge", "--registry", url,
                                    "--audit-days", "0"])
    assert done.exit_code == 1
    assert "--audit-days: at least 1" in done.output
