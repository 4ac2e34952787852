"""Sign-in and sessions: at most 100 failed sign-ins per account an hour, idle and
absolute time-outs, invitations that work once, the same answer for an unknown account
as for a wrong password."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from tmo.registry import accounts
from tmo.registry.access import Forbidden, TooMany, Unauthenticated
from tmo.registry.database import transaction
from tmo.registry.models import Attempt, AuditEntry, Session, now
from tmo.registry.passwords import digest


def test_the_101st_sign_in_after_100_failures_in_an_hour_is_refused(
        world: dict[str, Any]) -> None:
    made, officer = world["made"], world["london"]
    with transaction(made) as s:  # 99 failures already counted within the hour
        s.add_all([Attempt(key=f"signin:{officer.id}", at=now() - dt.timedelta(minutes=50))
                   for _ in range(99)])
    with pytest.raises(Unauthenticated, match="wrong e-mail or password"), \
            transaction(made) as s:
        accounts.sign_in(s, "london@registry.test", "a wrong password")  # the 100th
    with pytest.raises(TooMany, match="too many failed sign-ins") as err, \
            transaction(made) as s:
        accounts.sign_in(s, "london@registry.test", "officer password 1")  # even the right one
    assert err.value.wait > 0
    with transaction(made) as s:  # an hour later the old failures no longer count
        for row in s.scalars(select(Attempt)):
            row.at = now() - dt.timedelta(minutes=61)
    with transaction(made) as s:
        assert accounts.sign_in(s, "london@registry.test", "officer password 1")


def test_failures_are_counted_and_audited_even_though_the_sign_in_fails(
        world: dict[str, Any]) -> None:
    made = world["made"]
    for _ in range(3):
        with pytest.raises(Unauthenticated), transaction(made) as s:
            accounts.sign_in(s, "london@registry.test", "a wrong password")
    with transaction(made) as s:
        assert accounts.count_recent(s, f"signin:{world['london'].id}") == 3
        failed = s.scalars(select(AuditEntry).where(AuditEntry.action == "sign_in_failed"))
        assert len(failed.all()) == 3


def test_an_unknown_account_gets_the_same_answer_as_a_wrong_password(
        world: dict[str, Any]) -> None:
    with pytest.raises(Unauthenticated) as unknown, transaction(world["made"]) as s:
        accounts.sign_in(s, "nobody@registry.test", "officer password 1")
    with pytest.raises(Unauthenticated) as wrong, transaction(world["made"]) as s:
        accounts.sign_in(s, "london@registry.test", "not the password")
    assert str(unknown.value) == str(wrong.value)


@pytest.mark.parametrize(("idle", "age", "alive"), [
    (dt.timedelta(minutes=29), dt.timedelta(hours=1), True),
    (dt.timedelta(minutes=31), dt.timedelta(hours=1), False),  # idle time-out
    (dt.timedelta(minutes=1), dt.timedelta(hours=12, minutes=1), False),  # absolute
])
def test_sessions_time_out(world: dict[str, Any], idle: dt.timedelta, age: dt.timedelta,
                           alive: bool) -> None:
    made = world["made"]
    with transaction(made) as s:
        token, _csrf = accounts.sign_in(s, "analyst@registry.test", "analyst password 1")
    with transaction(made) as s:
        row = s.get(Session, digest(token))
        assert row is not None
        row.seen_at, row.created_at = now() - idle, now() - age
    if alive:
        with transaction(made) as s:
            assert accounts.current(s, token)[0] == world["analyst"]
        return
    with pytest.raises(Unauthenticated, match="expired"), transaction(made) as s:
        accounts.current(s, token)
    with pytest.raises(Unauthenticated, match="not signed in"), transaction(made) as s:
        accounts.current(s, token)  # and it is gone


def test_only_an_administrator_invites(world: dict[str, Any]) -> None:
    for actor in (world["london"], world["analyst"]):
        with pytest.raises(Forbidden), transaction(world["made"]) as s:
            accounts.invite(s, actor, "x@registry.test", "officer",
                            mission_id=world["london_mission"], base_url="https://x")


def test_registrations_from_one_address_are_limited(world: dict[str, Any]) -> None:
    from tmo.registry import registrations

    made = world["made"]
    with transaction(made) as s:
        s.add_all([Attempt(key="register:10.0.0.1") for _ in range(
            accounts.REGISTRATIONS_PER_HOUR)])
    data = {"name": "A", "email": "a@example.org", "password": "p" * 12,
            "residence": "GBR", "mission": world["london_mission"]}
    with pytest.raises(TooMany, match="too many registrations from this address"), \
            transaction(made) as s:
        registrations.register(s, data, "en", "https://x", address="10.0.0.1")
    with transaction(made) as s:  # another address may
        registrations.register(s, data, "en", "https://x", address="10.0.0.2")
