"""The search's facet table (`tmo.skills.finder.facets`) is brought up to date by the
changes alone: after a profile is changed, added or deleted, a residence corrected, a
consent withdrawn or given again, the kept table equals one read in full from the
registry, and both equal the consenting profiles counted here from the tables' own
columns. `finder.patched` (pure) is checked by a property test: patching any table by any
changes gives the table of the final state."""

from __future__ import annotations

import datetime as dt
from collections import namedtuple
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from tmo.registry import registrations
from tmo.registry.database import transaction
from tmo.registry.models import Consent, Registration, now
from tmo.skills import finder, profiles
from tmo.skills.models import SkillsProfile, SkillsWord

from .test_skills_library import add_people

Row = namedtuple("Row", "id updated_at occupation education languages offers residence")


def _content(f: finder.Facets) -> dict[int, tuple[Any, ...]]:
    """Each kept profile's residence, facets and update time, read back from the table's
    columns (the boolean columns, not the rows kept beside them)."""
    out = {}
    for i, pid in enumerate(f.ids):
        on = {facet: {v for v, column in f.values[facet].items() if column[i]}
              for facet in finder.FACETS}
        out[int(pid)] = (f.residence[i], f.updated[i], tuple(sorted(
            (k, tuple(sorted(v))) for k, v in on.items())))
    return out


def _order(f: finder.Facets) -> list[int]:
    return [int(f.ids[i]) for i in f.newest_first]


def _expected(made: Any) -> dict[int, tuple[str, set[str]]]:
    """The consenting profiles' residence and languages, from the tables directly."""
    with transaction(made) as s:
        consenting = {u for u, in s.execute(select(Consent.user_id).where(
            Consent.purpose == "domestic_institutions", Consent.withdrawn_at.is_(None)))}
        residence = dict(s.execute(select(Registration.user_id, Registration.residence))
                         .all())
        rows = s.execute(select(SkillsProfile.id, SkillsProfile.user_id,
                                SkillsProfile.languages)).all()
    return {r.id: (residence[r.user_id], {p.split(":")[0] for p in (r.languages or "")
                                          .split(",") if p})
            for r in rows if r.user_id in consenting}


def test_the_kept_table_follows_every_kind_of_change(world: dict[str, Any],
                                                     monkeypatch: Any) -> None:
    made = world["made"]
    monkeypatch.setattr(finder, "MARGIN", dt.timedelta(0))  # each change found by its own
    finder.forget()
    people = add_people(world, ["GBR", "GBR", "ZAF", "IRL"], "2512", "7")

    def kept_and_fresh() -> tuple[finder.Facets, finder.Facets]:
        with transaction(made) as s:
            kept = finder.facets(s)
        finder.forget()
        with transaction(made) as s:
            fresh = finder.facets(s)
        return kept, fresh

    def check() -> None:
        kept, fresh = kept_and_fresh()
        assert _content(kept) == _content(fresh)
        assert _order(kept) == _order(fresh)
        expected = _expected(made)
        assert {int(i): r for i, r in zip(kept.ids, kept.residence, strict=True)} == \
            {i: e[0] for i, e in expected.items()}
        for i, pid in enumerate(kept.ids):
            assert kept.rows[i]["language"] == expected[int(pid)][1]

    check()  # read in full: the baseline
    with transaction(made) as s:
        profiles.save(s, people[0], {"occupation": "7212", "languages": {"fr": "B2"}}, "en")
    check()
    with transaction(made) as s:
        registrations.correct(s, people[1], {"residence": "IRL",
                                             "mission": world["london_mission"]}, "en")
    check()
    with transaction(made) as s:
        registrations.consent(s, people[2], "domestic_institutions", False)
    check()
    assert people[2].id not in {int(i) for i in _expected(made)}
    with transaction(made) as s:
        registrations.consent(s, people[2], "domestic_institutions", True)
        profiles.remove(s, people[3])
    check()
    add_people(world, ["ZAF"], "2211", "6", batch="late")
    check()
    with transaction(made) as s:
        assert finder.facets(s).total == len(s.scalars(select(SkillsProfile.id)).all()) == 4


_rows = st.builds(
    lambda i, minute, occ, edu, langs, offers, res: Row(
        i, dt.datetime(2026, 1, 1) + dt.timedelta(minutes=minute), occ, edu,
        ",".join(f"{lang}:B2" for lang in langs), ",".join(offers), res),
    st.integers(1, 30), st.integers(0, 50), st.sampled_from(["2512", "7212", "1120"]),
    st.sampled_from([None, "3", "7"]), st.sets(st.sampled_from(["en", "fr", "sw"])),
    st.sets(st.sampled_from(["mentoring", "visit"])), st.sampled_from(["GBR", "ZAF"]))


@settings(max_examples=40, deadline=None)
@given(st.lists(_rows, max_size=20), st.lists(st.tuples(st.integers(1, 30),
                                                        st.none() | _rows), max_size=12))
def test_patching_gives_the_table_of_the_final_state(first: list[Row],
                                                     changes: list[tuple[int, Any]]) -> None:
    state = {r.id: r for r in first}
    table = finder.patched(finder.EMPTY, dict(state))
    changed: dict[int, Any] = {}
    for pid, row in changes:
        changed[pid] = None if row is None else row._replace(id=pid)
    for pid, row in changed.items():
        if row is None:
            state.pop(pid, None)
        else:
            state[pid] = row
    patched = finder.patched(table, changed)
    fresh = finder.patched(finder.EMPTY, dict(state))
    assert _content(patched) == _content(fresh)
    assert _order(patched) == _order(fresh)
    assert list(patched.ids) == sorted(state)
    for facet in finder.FACETS:  # no empty column is kept
        assert all(column.any() for column in patched.values[facet].values())


def test_a_server_prepares_the_arrays_at_start_up(world: dict[str, Any],
                                                  fixture_store: Any) -> None:
    """At start-up (the app's lifespan) the ranking's arrays, the facet table and the word
    index of a profile written around it are built in the background; a ranking or search
    waits for them rather than building its own."""
    from fastapi.testclient import TestClient

    from tmo.skills import search
    from tmo.web.app import create_app

    made = world["made"]
    people = add_people(world, ["GBR", "ZAF"], "2512", "7")
    with transaction(made) as s:
        registrations.consent(s, people[1], "domestic_institutions", False)
        s.execute(update(SkillsProfile).where(SkillsProfile.user_id == people[0].id)
                  .values(skills="welding", updated_at=now()))  # around the word index
    search.forget()
    finder.forget()
    url = made.url.render_as_string(hide_password=False)
    app = create_app(fixture_store, watch=0, registry_url=url)
    with TestClient(app):
        app.state.registry.prepared(words=True)
        key = repr(app.state.registry.engine())
        held = search._held[key]
        kept = finder._kept[str(app.state.registry.engine().url)]
    with transaction(made) as s:
        indexed = set(s.scalars(select(SkillsWord.word).join(
            SkillsProfile, SkillsProfile.id == SkillsWord.profile_id).where(
            SkillsProfile.user_id == people[0].id)))
    assert "welding" in indexed  # the word index caught up at start-up too
    with transaction(made) as s:
        every = sorted(s.scalars(select(SkillsProfile.id)).all())
        consenting = sorted(s.scalars(select(SkillsProfile.id).where(
            profiles.consenting(SkillsProfile.user_id))).all())
    assert sorted(held.base.ids.tolist()) == every
    assert len(every) == 2
    assert held.consenting.tolist() == consenting == kept.ids.tolist()
    assert len(consenting) == 1
