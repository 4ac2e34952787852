"""The word index of the skills search (`tmo.skills.words`): kept on each profile write,
caught up by the next search for a profile written around it, a word finds the words it
begins, and the totals and facet counts equal counts made here from the profiles' own
columns; a withdrawal is out of the very next search."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from tmo.registry import registrations
from tmo.registry.access import Actor
from tmo.registry.database import transaction
from tmo.registry.models import now
from tmo.skills import finder, institutions, profiles
from tmo.skills.models import SkillsProfile, SkillsWord

from .conftest import BASE
from .test_skills_library import add_people


def _institution(world: dict[str, Any]) -> Actor:
    with transaction(world["made"]) as s:
        uid = institutions.apply(s, {"name": "Copperbelt University", "kind": "university",
                                     "email": "cbu@univ.test",
                                     "password": "institution pass 1"}, "en", BASE)
        institutions.decide(s, world["analyst"], 1, True)
    return Actor(uid, "institution")


def test_the_index_follows_writes_and_the_counts_are_right(world: dict[str, Any]) -> None:
    made = world["made"]
    finder.forget()
    people = add_people(world, ["GBR", "GBR", "ZAF"], "2512", "7")
    inst = _institution(world)
    with transaction(made) as s:
        profiles.save(s, people[0], {"occupation": "2512", "education": "6",
                                     "skills": ["Python", "geology"]}, "en")
        words = set(s.scalars(select(SkillsWord.word).where(
            SkillsWord.profile_id == s.scalar(select(SkillsProfile.id).where(
                SkillsProfile.user_id == people[0].id)))))
    assert {"python", "geology", "2512"} <= words
    with transaction(made) as s:
        found = finder.search(s, inst, finder.Query(words="pyth geo"), "en")
    assert found["total"] == 1
    with transaction(made) as s:  # changed: the old words go, the new ones come
        profiles.save(s, people[0], {"occupation": "2512", "skills": ["welding"]}, "en")
        assert finder.search(s, inst, finder.Query(words="python"), "en")["total"] == 0
        assert finder.search(s, inst, finder.Query(words="weld"), "en")["total"] == 1
    with transaction(made) as s:  # written around the index (a bulk load): caught up
        row = s.scalar(select(SkillsProfile).where(SkillsProfile.user_id == people[1].id))
        assert row is not None
        s.execute(update(SkillsProfile).where(SkillsProfile.id == row.id)
                  .values(skills="welding", updated_at=now()))
    with transaction(made) as s:
        found = finder.search(s, inst, finder.Query(words="welding"), "en")
        rows = s.execute(select(SkillsProfile.skills, SkillsProfile.education)).all()
    assert found["total"] == sum("welding" in r.skills for r in rows) == 2
    with transaction(made) as s:
        everyone = finder.search(s, inst, finder.Query(), "en")
    assert everyone["facets"]["residence"] == {"GBR": 2, "ZAF": 1}
    expected: dict[str, int] = {}
    for r in rows:
        if r.education:
            expected[r.education] = expected.get(r.education, 0) + 1
    assert everyone["facets"]["education"] == expected
    with transaction(made) as s:
        registrations.consent(s, people[1], "domestic_institutions", False)
    with transaction(made) as s:
        after = finder.search(s, inst, finder.Query(words="welding"), "en")
    assert after["total"] == 1
    assert after["facets"]["residence"] == {"GBR": 1}
