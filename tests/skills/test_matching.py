"""The matching kernel: properties of the score (hypothesis), the explanation lists exactly
the criteria that produced it and adds up to it, the ISCO hierarchy and CEFR levels order
candidates, the vectorised ranking agrees with one-by-one scoring, and the weights can be
changed (and refused when wrong) as docs/skills.md says."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tmo.errors import InputError
from tmo.registry.access import Invalid
from tmo.skills import forms, matching, taxonomy, text
from tmo.skills.forms import Criteria, Profile
from tmo.skills.i18n import TEXT
from tmo.skills.vocabulary import CRITERIA, OFFERS

UNITS = taxonomy.units()
GROUPS = list(taxonomy.isco())
SKILLS = ["python", "sql", "welding", "nursing", "accounting", "law", "statistics"]
LANGS = ["en", "fr", "es", "pt"]
WEIGHTS = matching.Weights(text=0.0)  # hashed text is covered apart: exact values here

profiles = st.builds(
    Profile,
    occupation=st.sampled_from(UNITS),
    education=st.none() | st.sampled_from(taxonomy.ISCED_LEVELS),
    field=st.none() | st.sampled_from(list(taxonomy.ISCED_F)),
    experience=st.none() | st.integers(0, 40),
    skills=st.lists(st.sampled_from(SKILLS), unique=True, max_size=4).map(tuple),
    languages=st.dictionaries(st.sampled_from(LANGS), st.sampled_from(taxonomy.CEFR),
                              max_size=3),
    offers=st.lists(st.sampled_from(OFFERS), unique=True, max_size=3).map(tuple))
criteria = st.builds(
    Criteria,
    required_occupations=st.lists(st.sampled_from(GROUPS), unique=True, max_size=2)
    .map(tuple),
    preferred_occupations=st.lists(st.sampled_from(GROUPS), unique=True, max_size=2)
    .map(tuple),
    required_skills=st.lists(st.sampled_from(SKILLS), unique=True, max_size=3).map(tuple),
    preferred_skills=st.lists(st.sampled_from(SKILLS), unique=True, max_size=3).map(tuple),
    languages=st.dictionaries(st.sampled_from(LANGS), st.sampled_from(taxonomy.CEFR),
                              max_size=2),
    education=st.none() | st.sampled_from(taxonomy.ISCED_LEVELS),
    field=st.none() | st.sampled_from(list(taxonomy.ISCED_F)),
    experience=st.none() | st.integers(1, 20),
    mode=st.none() | st.sampled_from(OFFERS))
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=20, deadline=None,  # each example scores many people
               suppress_health_check=[HealthCheck.too_slow])


def expected_criteria(c: Criteria) -> list[str]:
    """The criteria an opportunity states, read from its fields directly."""
    named = {"required_occupation": c.required_occupations,
             "preferred_occupation": c.preferred_occupations,
             "required_skills": c.required_skills, "preferred_skills": c.preferred_skills,
             "languages": c.languages, "education": c.education is not None,
             "field": c.field is not None, "experience": c.experience, "mode": c.mode}
    return [k for k in CRITERIA if named.get(k)]


@FAST
@given(profiles, criteria)
def test_the_explanation_is_exactly_what_made_the_score(p: Profile, c: Criteria) -> None:
    score, explanation = matching.score_one(p, c, WEIGHTS)
    assert 0.0 <= score <= 1.0
    assert [e["criterion"] for e in explanation] == expected_criteria(c)
    assert sum(e["contribution"] for e in explanation) == pytest.approx(score, abs=1e-12)
    total = sum(WEIGHTS.of(e["criterion"]) for e in explanation)
    for e in explanation:
        assert 0.0 <= e["value"] <= 1.0
        assert e["share"] == pytest.approx(WEIGHTS.of(e["criterion"]) / total)
        assert e["verdict"] == ("matched" if e["value"] == 1 else
                                "partly" if e["value"] > 0 else "not matched")


@FAST
@given(profiles, criteria)
def test_each_value_follows_its_rule(p: Profile, c: Criteria) -> None:
    _score, explanation = matching.score_one(p, c, WEIGHTS)
    got = {e["criterion"]: e["value"] for e in explanation}
    sims = {0: 1.0, 1: 0.75, 2: 0.5, 3: 0.25, 4: 0.0}
    if c.required_occupations:
        assert got["required_occupation"] == max(
            sims[taxonomy.distance(code, p.occupation)] for code in c.required_occupations)
    if c.required_skills:
        assert got["required_skills"] == pytest.approx(
            len(set(c.required_skills) & set(p.skills)) / len(c.required_skills))
    if c.languages:
        def one(lang: str, level: str) -> float:
            have, need = taxonomy.cefr_rank(p.languages.get(lang)), taxonomy.cefr_rank(level)
            return 1.0 if have >= need else 0.5 if have == need - 1 > 0 else 0.0
        assert got["languages"] == pytest.approx(
            sum(one(k, v) for k, v in c.languages.items()) / len(c.languages))
    if c.mode:
        assert got["mode"] == float(c.mode in p.offers)


@FAST
@given(profiles, criteria, st.sampled_from(LANGS))
def test_a_better_language_level_never_lowers_the_score(p: Profile, c: Criteria,
                                                        lang: str) -> None:
    before, _e = matching.score_one(p, c, WEIGHTS)
    better = dict(p.languages)
    better[lang] = taxonomy.CEFR[min(5, taxonomy.cefr_rank(p.languages.get(lang)))]
    after, _e = matching.score_one(Profile(**{**p.__dict__, "languages": better}), c, WEIGHTS)
    assert after >= before - 1e-12


@FEW
@given(st.sampled_from(UNITS), profiles)
def test_a_nearer_occupation_scores_higher(asked: str, p: Profile) -> None:
    c = Criteria(required_occupations=(asked,))
    scores = []
    for steps in range(5):  # a unit group at each distance, where the table has one
        near = next((u for u in UNITS if taxonomy.distance(u, asked) == steps), None)
        if near is not None:
            scores.append(matching.score_one(Profile(**{**p.__dict__, "occupation": near}),
                                             c, WEIGHTS)[0])
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 1.0


@FEW
@given(st.lists(profiles, min_size=1, max_size=15), criteria, st.integers(1, 20))
def test_ranking_agrees_with_scoring_one_by_one(people: list[Profile], c: Criteria,
                                                limit: int) -> None:
    index = matching.Index(list(range(100, 100 + len(people))), people)
    ranked, values = matching.rank(index, c, WEIGHTS, limit=limit)
    alone = [matching.score_one(p, c, WEIGHTS)[0] for p in people]
    expected = sorted(range(len(people)), key=lambda i: (-alone[i], i))[:limit]
    assert [r.id - 100 for r in ranked] == expected
    for r in ranked:
        assert r.score == pytest.approx(alone[r.row], abs=1e-12)
        explained = matching.explain(values, r.row, WEIGHTS)
        assert sum(e["contribution"] for e in explained) == pytest.approx(r.score)


@FEW
@given(profiles, st.lists(criteria, min_size=1, max_size=8))
def test_the_other_way_agrees_with_scoring_one_by_one(p: Profile, cs: list[Criteria]) -> None:
    got = matching.rank_opportunities(p, list(enumerate(cs)), WEIGHTS)
    alone = [matching.score_one(p, c, WEIGHTS) for c in cs]
    assert [oid for oid, _s, _e in got] == sorted(range(len(cs)),
                                                  key=lambda i: (-alone[i][0], i))
    for oid, score, explanation in got:
        assert score == pytest.approx(alone[oid][0], abs=1e-12)
        assert [e["criterion"] for e in explanation] == \
            [e["criterion"] for e in alone[oid][1]]
        assert [e["value"] for e in explanation] == \
            pytest.approx([e["value"] for e in alone[oid][1]], abs=1e-12)


def test_free_text_is_deterministic_and_prefers_the_nearer_text() -> None:
    c = Criteria(text="water treatment engineer for rural supply")
    near = Profile("2143", summary="I design water treatment plants for rural supply")
    far = Profile("2143", summary="I teach baroque music")
    a, explained = matching.score_one(near, c)
    b, _e = matching.score_one(far, c)
    assert a > b >= 0.0
    assert explained[0]["criterion"] == "text"
    assert matching.score_one(near, c)[0] == a  # the same every time, no model


def test_weights_change_the_score_and_bad_weights_are_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    p = Profile("2512", languages={"en": "B2"})
    c = Criteria(required_occupations=("2512",), languages={"en": "C1"})
    default, _e = matching.score_one(p, c)
    assert default == pytest.approx((4 * 1.0 + 2 * 0.5) / 6)
    monkeypatch.setenv(matching.WEIGHTS_ENV, "languages=0")
    only_job, explained = matching.score_one(p, c, matching.Weights.from_env())
    assert only_job == 1.0
    assert [e["criterion"] for e in explained] == ["required_occupation"]
    for bad in ("salary=2", "languages=-1", "languages=x"):
        with pytest.raises(InputError, match="TMO_SKILLS_WEIGHTS"):
            matching.Weights.parse(bad)


def test_forms_answer_per_field_in_the_users_language() -> None:
    with pytest.raises(Invalid) as err:
        forms.profile({"occupation": "2510", "languages": {"en": "fluent"},
                       "offers": ["money"], "experience": "many", "colour": "red"}, "fr")
    assert set(err.value.fields) == {"occupation", "languages", "offers", "experience",
                                     "colour"}
    assert err.value.fields["experience"] == "un nombre entier attendu"
    with pytest.raises(Invalid) as err:
        forms.opportunity({"required_occupations": ["99"]}, "es")
    assert set(err.value.fields) == {"title", "kind", "required_occupations"}
    made = forms.profile({"occupation": "2512", "skills": "Python,  Data  Engineering,python",
                          "languages": "EN:c1"}, "en")
    assert made.skills == ("python", "data engineering")
    assert made.languages == {"en": "C1"}


def test_every_word_is_in_every_language() -> None:
    assert set(TEXT["fr"]) == set(TEXT["en"]) == set(TEXT["es"])


class Model:
    """A stand-in for the optional sentence model: two made-up dimensions (water, music)."""

    def encode(self, texts: list[str], normalize_embeddings: bool = True) -> np.ndarray:
        rows = np.array([[t.count("water") + 0.1, t.count("music") + 0.1] for t in texts])
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_the_optional_model_is_used_through_the_same_index() -> None:
    people = [Profile("2143", summary="water water"), Profile("2652", summary="music")]
    index = matching.Index([1, 2], people, text.Embedding(Model()))
    ranked, values = matching.rank(index, Criteria(text="water supply"), limit=2)
    assert [r.id for r in ranked] == [1, 2]
    assert values["text"][0] == pytest.approx(float(Model().encode(["water supply"])[0]
                                                    @ Model().encode(["water water"])[0]))
    assert text.encoder(semantic=False).name == "hashed words"
