"""The skills library on the registry's database (SQLite and PostgreSQL): the suppressed
skills composition against counts made here, "no data" when there is none, and an erasure
that takes the skills profile and its contact requests with it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from tmo.registry import registrations
from tmo.registry.access import Actor
from tmo.registry.database import transaction
from tmo.registry.models import Registration
from tmo.skills import aggregates, contacts, demo, institutions, matching, profiles, search
from tmo.skills.models import ContactRequest, SkillsProfile

from .conftest import BASE


def add_people(world: dict[str, Any], residences: list[str], occupation: str = "2512",
               education: str | None = "7", batch: str = "a") -> list[Actor]:
    missions = {"GBR": world["london_mission"], "IRL": world["london_mission"],
                "ZAF": world["pretoria_mission"]}
    made, out = world["made"], []
    for n, residence in enumerate(residences):
        with transaction(made) as s:
            user = registrations.register(s, {
                "name": f"Person {n}", "email": f"{batch}{n}-{residence}@example.org",
                "password": "a long passphrase", "residence": residence,
                "mission": missions[residence], "consents": ["domestic_institutions"]},
                "en", BASE, address=f"{batch}{n}")
            actor = Actor(user, "registrant")
            profiles.save(s, actor, {"occupation": occupation, "education": education}, "en")
        out.append(actor)
    return out


def test_the_composition_is_suppressed_and_adds_up(world: dict[str, Any]) -> None:
    made = world["made"]
    assert aggregates.composition(made)["tables"] == {}  # no data: no table of zeros
    add_people(world, ["GBR"] * 12, "2512", "7")
    add_people(world, ["GBR"] * 11 + ["IRL"], "7212", None, batch="b")
    out = aggregates.composition(made)
    occupation = out["tables"]["occupation_major_group"]
    rows = {r["residence"]: r for r in occupation["rows"]}
    assert occupation["total"] == 24
    assert rows["GBR"]["cells"]["2"] == 12
    assert rows["IRL"]["total"] is None
    assert rows["IRL"]["cells"]["7"] is None
    assert rows["GBR"]["cells"]["7"] is None  # else column 7's total gives IRL away
    assert rows["GBR"]["total"] is None  # else 24 - 23 gives IRL away
    education = {r["residence"]: r for r in out["tables"]["education"]["rows"]}
    assert education["IRL"]["total"] is None  # protected together with the other table
    assert out["label"] is None
    assert out["synthetic"] == 0


def test_erasing_a_registration_takes_its_skills_and_requests(world: dict[str, Any]) -> None:
    made = world["made"]
    (mutale,) = add_people(world, ["GBR"])
    with transaction(made) as s:
        uid = institutions.apply(s, {"name": "Copperbelt University", "kind": "university",
                                     "email": "cbu@univ.test",
                                     "password": "institution pass 1"}, "en", BASE)
        institutions.decide(s, world["analyst"], 1, True)
        inst = Actor(uid, "institution")
        opportunity = institutions.publish(s, inst, {"title": "Mining research",
                                                     "kind": "research",
                                                     "required_occupations": ["21"]}, "en")
        search.forget()
        found = search.candidates(s, inst, opportunity["id"], "en")["candidates"]
        assert [c["profile"]["candidate"] for c in found] == [1]
        contacts.request(s, inst, opportunity["id"], 1)
        with pytest.raises(Exception, match="already asked"):
            contacts.request(s, inst, opportunity["id"], 1)
    with transaction(made) as s:
        registrations.erase(s, mutale)
    with transaction(made) as s:
        assert s.scalar(select(func.count()).select_from(SkillsProfile)) == 0
        assert s.scalar(select(func.count()).select_from(ContactRequest)) == 0
        assert search.candidates(s, inst, opportunity["id"], "en")["candidates"] == []


def test_synthetic_profiles_are_counted_and_labelled(world: dict[str, Any]) -> None:
    made = world["made"]
    with transaction(made) as s:
        for n in range(13):  # the last one real: never given a profile here
            user = registrations.register(s, {
                "name": f"Synthetic {n}", "email": f"s{n}@example.invalid",
                "password": "a long passphrase", "residence": "ZAF",
                "mission": world["pretoria_mission"], "occupation": "2211",
                "education": "7"}, "en", BASE, address=f"s{n}")
            s.execute(update(Registration).where(Registration.user_id == user)
                      .values(synthetic=n < 12))
    assert demo.fill(made, share=1.0) == 12
    assert demo.fill(made, share=1.0) == 0  # once each, and never the real one
    out = aggregates.composition(made)
    rows = {r["residence"]: r for r in out["tables"]["occupation_major_group"]["rows"]}
    assert rows["ZAF"]["cells"]["2"] == 12
    assert out["synthetic"] == 12
    assert out["label"] == "SYNTHETIC"


def test_the_kept_arrays_follow_every_change(world: dict[str, Any]) -> None:
    """Without forgetting anything between rankings: a changed profile is ranked on its
    new values, a new one appears, a deleted or withdrawn one is gone at once, and a
    renewed consent brings the person back."""
    made = world["made"]
    a, b = add_people(world, ["GBR", "ZAF"])
    with transaction(made) as s:
        uid = institutions.apply(s, {"name": "Zambia Statistics Agency",
                                     "kind": "public_agency", "email": "zsa@gov.test",
                                     "password": "institution pass 1"}, "en", BASE)
        institutions.decide(s, world["analyst"], 1, True)
        inst = Actor(uid, "institution")
        asked = institutions.publish(s, inst, {"title": "Data", "kind": "job",
                                               "required_occupations": ["2512"]}, "en")["id"]
    search.forget()

    def ranked() -> dict[int, float]:
        with transaction(made) as s:
            got = search.candidates(s, inst, asked, "en", weights=matching.Weights(text=0))
        got = got["candidates"]
        return {c["profile"]["candidate"]: c["score"] for c in got}

    assert ranked() == {1: 1.0, 2: 1.0}
    with transaction(made) as s:
        profiles.save(s, a, {"occupation": "2511"}, "en")  # same minor group: 0.75
    assert ranked() == {1: 0.75, 2: 1.0}
    (c,) = add_people(world, ["IRL"], occupation="7212", batch="c")
    assert ranked() == {1: 0.75, 2: 1.0, 3: 0.0}
    with transaction(made) as s:
        profiles.remove(s, c)
        registrations.consent(s, b, "domestic_institutions", False)
    assert ranked() == {1: 0.75}
    with transaction(made) as s:
        registrations.consent(s, b, "domestic_institutions", True)
    assert ranked() == {1: 0.75, 2: 1.0}
