"""A registrant's life: register, verify, sign in, see, correct, consent, export and
erase; an erasure leaves nothing personal in any table (nor, on SQLite, in the files)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select, text

from tmo.registry import accounts, registrations
from tmo.registry.access import Actor, Forbidden, Invalid, Unauthenticated
from tmo.registry.database import transaction
from tmo.registry.models import AuditEntry, Consent

from .conftest import BASE, link

AMA: dict[str, Any] = {
       "name": "Ama Mwale", "email": "Ama.Mwale@example.org", "password": "a long passphrase",
       "residence": "GBR", "mission": None, "birth_year": 1990, "sex": "female",
       "city": "Leeds", "education": "7", "occupation": "2211", "languages": "en,ny",
       "departure_year": 2015, "intends_return": True, "consents": ["crisis_contact"]}


def register(world: dict[str, Any], **changes: Any) -> int:
    data = {**AMA, "mission": world["london_mission"], **changes}
    with transaction(world["made"]) as s:
        return registrations.register(s, data, "en", BASE)


def signed_in(made: Engine, email: str, password: str) -> Actor:
    with transaction(made) as s:
        token, _csrf = accounts.sign_in(s, email, password)
    with transaction(made) as s:
        return accounts.current(s, token)[0]


def everything(made: Engine) -> str:
    """Every row of every table as text (what an attacker with the database would see)."""
    out = []
    with made.connect() as c:
        for table in inspect(made).get_table_names():
            out += [repr(tuple(r)) for r in c.execute(text(f'SELECT * FROM "{table}"'))]
    return "\n".join(out)


def test_register_verify_sign_in_and_see_everything(world: dict[str, Any]) -> None:
    made = world["made"]
    user = register(world)
    with pytest.raises(Unauthenticated, match="not verified"):
        signed_in(made, "ama.mwale@example.org", AMA["password"])
    with transaction(made) as s:
        registrations.verify(s, link(made, user).split("token=")[1])
    me = signed_in(made, "ama.mwale@example.org", AMA["password"])
    assert me == Actor(user, "registrant", None)
    with transaction(made) as s:
        mine = registrations.mine(s, me)
    assert mine["account"]["email"] == "ama.mwale@example.org"
    assert mine["registration"]["name"] == "Ama Mwale"
    assert mine["registration"]["residence"] == "GBR"
    assert mine["registration"]["occupation"] == "2211"
    assert [c["purpose"] for c in mine["consents"]] == ["crisis_contact"]
    assert "hash" not in json.dumps(mine["registration"])
    json.dumps(mine)  # the export is JSON as it is


def test_a_verification_link_works_once(world: dict[str, Any]) -> None:
    made = world["made"]
    token = link(made, register(world)).split("token=")[1]
    with transaction(made) as s:
        registrations.verify(s, token)
    with pytest.raises(Unauthenticated, match="invalid, used or expired"), \
            transaction(made) as s:
        registrations.verify(s, token)


def test_correct_checks_each_field_and_keeps_mission_and_residence_together(
        world: dict[str, Any]) -> None:
    made = world["made"]
    me = Actor(register(world), "registrant")
    with transaction(made) as s:
        registrations.correct(s, me, {"city": "York", "residence": "IRL"}, "en")
    with pytest.raises(Invalid) as err, transaction(made) as s:
        registrations.correct(s, me, {"residence": "ZAF"}, "fr")
    assert err.value.fields == {"mission": "cette mission ne dessert pas le pays de résidence"}
    with transaction(made) as s:
        row = registrations.mine(s, me)["registration"]
    assert (row["city"], row["residence"]) == ("York", "IRL")


def test_consent_is_timestamped_and_withdrawn_in_one_step(world: dict[str, Any]) -> None:
    made = world["made"]
    me = Actor(register(world), "registrant")
    with transaction(made) as s:
        registrations.consent(s, me, "statistics", True)
    with transaction(made) as s:
        registrations.consent(s, me, "crisis_contact", False)
    with transaction(made) as s:
        held = {c["purpose"]: c for c in registrations.mine(s, me)["consents"]}
    assert held["statistics"]["granted_at"]
    assert held["statistics"]["withdrawn_at"] is None
    assert held["crisis_contact"]["withdrawn_at"] is not None
    with pytest.raises(Invalid), transaction(made) as s:
        registrations.consent(s, me, "marketing", True)


def test_erasure_leaves_nothing_personal_in_any_table(world: dict[str, Any]) -> None:
    made = world["made"]
    user = register(world)
    with transaction(made) as s:
        registrations.verify(s, link(made, user).split("token=")[1])
    me = signed_in(made, AMA["email"], AMA["password"])
    before = everything(made)
    assert "Mwale" in before
    assert "ama.mwale@example.org" in before
    with transaction(made) as s:
        registrations.erase(s, me)
    registrations.scrub(made)
    after = everything(made)
    for personal in ("Mwale", "ama.mwale", "Leeds", "2211"):
        assert personal not in after
    with transaction(made) as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "erased")).all()
        assert len(entries) == 1
        assert entries[0].subject_id is None
        assert not s.scalars(select(Consent).where(Consent.user_id == user)).all()
    with pytest.raises(Unauthenticated):
        signed_in(made, AMA["email"], AMA["password"])


def test_erased_data_is_not_left_in_the_sqlite_files(world: dict[str, Any]) -> None:
    made = world["made"]
    if made.url.get_backend_name() != "sqlite":
        return  # PostgreSQL keeps dead rows until VACUUM: docs/registry.md
    me = Actor(register(world, name="Chanda Unforgettable-Name"), "registrant")
    path = Path(str(made.url.database))
    raw = path.read_bytes() + Path(f"{path}-wal").read_bytes()
    assert b"Unforgettable-Name" in raw
    with transaction(made) as s:
        registrations.erase(s, me)
    registrations.scrub(made)
    wal = Path(f"{path}-wal")
    raw = path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"Unforgettable-Name" not in raw
    assert b"ama.mwale@example.org" not in raw


def test_only_registrants_have_own_data(world: dict[str, Any]) -> None:
    with pytest.raises(Forbidden), transaction(world["made"]) as s:
        registrations.mine(s, world["london"])


def test_a_retention_rule_erases_registrations_never_verified(world: dict[str, Any]) -> None:
    import datetime as dt

    from tmo.registry.models import User, now

    made = world["made"]
    old, fresh_, verified = (register(world, email=f"{n}@example.org") for n in
                             ("old", "fresh", "verified"))
    with transaction(made) as s:
        registrations.verify(s, link(made, verified).split("token=")[1])
        for user in (old, verified):
            row = s.get(User, user)
            assert row is not None
            row.created_at = now() - dt.timedelta(days=40)
    with transaction(made) as s:
        assert registrations.purge_unverified(s, 30) == 1
    with transaction(made) as s:
        assert s.get(User, old) is None
        assert s.get(User, fresh_) is not None  # too recent
        assert s.get(User, verified) is not None  # verified
