"""An officer sees only their own mission's jurisdiction, by every function and every
parameter; the crisis list holds only those who consented; every view is audited."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import select

from tmo.errors import InputError
from tmo.registry import aggregates, consular, registrations
from tmo.registry.access import Actor, Forbidden
from tmo.registry.consular import Filters
from tmo.registry.database import transaction
from tmo.registry.models import AuditEntry

from .conftest import BASE

PEOPLE = [  # name, residence, sex, consents
    ("Bwalya Banda", "GBR", "male", ["crisis_contact"]),
    ("=HYPERLINK(\"http://x\")", "GBR", "female", ["crisis_contact"]),
    ("Chipo Phiri", "IRL", "female", []),
    ("Daliso Zulu", "ZAF", "male", ["crisis_contact"]),
    ("Esther Tembo", "ZAF", "female", ["statistics"]),
]


@pytest.fixture
def peopled(world: dict[str, Any]) -> dict[str, Any]:
    missions = {"GBR": world["london_mission"], "IRL": world["london_mission"],
                "ZAF": world["pretoria_mission"]}
    for n, (name, residence, sex, consents) in enumerate(PEOPLE):
        with transaction(world["made"]) as s:
            registrations.register(s, {"name": name, "email": f"p{n}@example.org",
                                       "password": "a long passphrase",
                                       "residence": residence, "mission": missions[residence],
                                       "sex": sex, "consents": consents}, "en", BASE)
    return world


def names(rows: list[dict[str, Any]]) -> set[str]:
    return {r["name"] for r in rows}


def test_an_officer_searches_only_their_jurisdiction(peopled: dict[str, Any]) -> None:
    made = peopled["made"]
    with transaction(made) as s:
        london = consular.search(s, peopled["london"], Filters())
        pretoria = consular.search(s, peopled["pretoria"], Filters())
    assert names(london) == {"Bwalya Banda", "=HYPERLINK(\"http://x\")", "Chipo Phiri"}
    assert names(pretoria) == {"Daliso Zulu", "Esther Tembo"}


FILTERS = [
    Filters(residence="ZAF"), Filters(name="Daliso"), Filters(name="D"), Filters(sex="male"),
    Filters(name="%"), Filters(name="_"), Filters(residence="zaf", crisis_contact=True),
    Filters(city="%"), Filters(sex="female"),
]


def test_no_filter_reaches_another_missions_registrants(peopled: dict[str, Any]) -> None:
    reached = []
    for filters in FILTERS:
        with transaction(peopled["made"]) as s:
            found = names(consular.search(s, peopled["london"], filters))
            found |= names(consular.search(s, peopled["london"], filters, page=1))
            listed = consular.crisis_csv(s, peopled["london"], "drill",
                                         residence=filters.residence)
        reached += [(filters, n) for n in found & {"Daliso Zulu", "Esther Tembo"}]
        reached += [(filters, "crisis list") for _ in [1] if "Daliso" in listed]
    assert reached == []
    with transaction(peopled["made"]) as s:  # the filters do select, in the own mission
        assert names(consular.search(s, peopled["london"], Filters(sex="female"))) == {
            "=HYPERLINK(\"http://x\")", "Chipo Phiri"}


def test_other_roles_cannot_search_or_export(peopled: dict[str, Any]) -> None:
    made = peopled["made"]
    registrant = Actor(peopled["london"].id + 100, "registrant")
    for actor in (peopled["analyst"], peopled["admin"], registrant):
        with pytest.raises(Forbidden), transaction(made) as s:
            consular.search(s, actor, Filters())
        with pytest.raises(Forbidden), transaction(made) as s:
            consular.crisis_csv(s, actor, "drill")
        with pytest.raises(Forbidden), transaction(made) as s:
            consular.dashboard(s, actor)
    for actor in (peopled["london"], registrant):
        with pytest.raises(Forbidden):
            aggregates.analyst_tables(made, actor)


def test_the_crisis_list_holds_only_consenting_people_and_cannot_run_formulas(
        peopled: dict[str, Any]) -> None:
    with transaction(peopled["made"]) as s:
        text = consular.crisis_csv(s, peopled["london"], "flood in Leeds")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["name"] for r in rows] == ["'=HYPERLINK(\"http://x\")", "Bwalya Banda"]
    assert {r["email"] for r in rows} == {"p0@example.org", "p1@example.org"}


def test_withdrawn_consent_leaves_the_crisis_list_at_once(peopled: dict[str, Any]) -> None:
    made = peopled["made"]
    with transaction(made) as s:
        first = consular.search(s, peopled["pretoria"], Filters(name="Daliso"))[0]
    from tmo.registry.models import Registration

    with transaction(made) as s:
        user = s.get(Registration, first["id"]).user_id  # type: ignore[union-attr]
        registrations.consent(s, Actor(user, "registrant"), "crisis_contact", False)
    with transaction(made) as s:
        assert "Daliso" not in consular.crisis_csv(s, peopled["pretoria"], "drill")


def test_every_view_and_export_is_audited_with_its_reason(peopled: dict[str, Any]) -> None:
    made = peopled["made"]
    with transaction(made) as s:
        consular.search(s, peopled["london"], Filters(residence="GBR"), reason="check-in")
        consular.crisis_csv(s, peopled["london"], "evacuation drill")
    with transaction(made) as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.actor_id == peopled["london"].id,
                                                  AuditEntry.action != "signed_in")
                         .order_by(AuditEntry.id)).all()
    got = [(r.action, r.records, r.reason) for r in rows if r.action != "accepted_invitation"]
    assert got == [("searched", 2, "check-in"),
                   ("exported_crisis_list", 2, "evacuation drill")]
    assert all("Banda" not in r.detail for r in rows)


def test_an_export_needs_a_reason_and_filters_are_checked(peopled: dict[str, Any]) -> None:
    with pytest.raises(InputError, match="say why"), transaction(peopled["made"]) as s:
        consular.crisis_csv(s, peopled["london"], "  ")
    with pytest.raises(InputError, match="ISO3"), transaction(peopled["made"]) as s:
        consular.search(s, peopled["london"], Filters(residence="GB' OR 1=1 --"))
