"""Explainable matching of people and opportunities (a pure kernel over numpy arrays).

Each criterion an opportunity states gives every person a value from 0 to 1:

- required_occupation, preferred_occupation: by the ISCO-08 distance to the nearest code
  asked, 1 within the group asked, 0.75 in the same minor group, 0.5 the same sub-major
  group, 0.25 the same major group, else 0;
- required_skills, preferred_skills: the share of the skills asked that the person lists;
- languages: the mean over the languages asked of 1 at the CEFR level asked or above, 0.5
  one level below, else 0 (a language the person does not list: 0);
- education: 1 at the ISCED level asked or above, 0.5 one level below, else 0;
- field: 1 for the ISCED-F broad field asked, else 0;
- experience: years of experience ÷ years asked, at most 1;
- mode: 1 when the person offers the opportunity's mode (mentoring, visit, ...), else 0;
- text: the cosine similarity of the opportunity's title and description with the
  person's skills, sector and summary (tmo.skills.text).

The score is the weighted mean of the values of the criteria the opportunity states
(`Weights`; a criterion it leaves empty takes no part): score = Σ wᵢ·vᵢ ÷ Σ wᵢ. An
explanation lists exactly those criteria, each with its weight's share, its value and its
contribution wᵢ·vᵢ ÷ Σ wᵢ; the contributions add up to the score."""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from tmo.errors import InputError
from tmo.skills import taxonomy
from tmo.skills.forms import Criteria, Profile
from tmo.skills.text import Encoder, Hashed, similarities
from tmo.skills.vocabulary import CRITERIA, OFFERS

# Value of an occupation at ISCO distance 0, 1, 2, 3, 4 (taxonomy.distance).
SIMILARITY = np.array([1.0, 0.75, 0.5, 0.25, 0.0])
WEIGHTS_ENV = "TMO_SKILLS_WEIGHTS"


@dataclass(frozen=True)
class Weights:
    """Each criterion's weight (docs/skills.md). Change them per call, or for a server by
    `TMO_SKILLS_WEIGHTS="required_occupation=5,text=0.5"`."""

    required_occupation: float = 4.0
    preferred_occupation: float = 1.0
    required_skills: float = 3.0
    preferred_skills: float = 1.0
    languages: float = 2.0
    education: float = 1.5
    field: float = 0.5
    experience: float = 1.0
    mode: float = 1.0
    text: float = 1.0

    @classmethod
    def parse(cls, text: str) -> Weights:
        out = cls()
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, _eq, value = part.partition("=")
            name = name.strip()
            if name not in CRITERIA:
                raise InputError(f"{WEIGHTS_ENV}: {name!r} is not a criterion",
                                 hint=f"use {', '.join(CRITERIA)}")
            try:
                weight = float(value)
            except ValueError:
                weight = math.nan
            if not math.isfinite(weight) or weight < 0:
                raise InputError(f"{WEIGHTS_ENV}: {name} = {value!r} is not a weight",
                                 hint="a number, 0 or more")
            out = replace(out, **{name: weight})
        return out

    @classmethod
    def from_env(cls) -> Weights:
        return cls.parse(os.environ.get(WEIGHTS_ENV, ""))

    def of(self, criterion: str) -> float:
        return float(getattr(self, criterion))


REQUIRED = frozenset({"required_occupation", "required_skills", "languages", "education",
                      "experience"})


def stated(criteria: Criteria, weights: Weights) -> list[str]:
    """The criteria an opportunity states (with a weight above 0), in CRITERIA order."""
    present = {
        "required_occupation": bool(criteria.required_occupations),
        "preferred_occupation": bool(criteria.preferred_occupations),
        "required_skills": bool(criteria.required_skills),
        "preferred_skills": bool(criteria.preferred_skills),
        "languages": bool(criteria.languages),
        "education": criteria.education is not None,
        "field": criteria.field is not None,
        "experience": bool(criteria.experience),
        "mode": criteria.mode is not None,
        "text": bool(criteria.text.strip()),
    }
    return [c for c in CRITERIA if present[c] and weights.of(c) > 0]


def profile_text(p: Profile) -> str:
    return " ".join([", ".join(p.skills), p.sector, p.summary])


class Index:
    """People as arrays, ready to be scored against any opportunity."""

    def __init__(self, ids: Sequence[int], profiles: Sequence[Profile],
                 encoder: Encoder | None = None) -> None:
        self.encoder = encoder or Hashed()
        self.ids = np.asarray(ids, dtype=np.int64)
        self.profiles = list(profiles)
        n = len(self.profiles)
        self.code = np.full(n, -1, dtype=np.int32)  # the unit group as a number
        self.education = np.full(n, -1, dtype=np.int8)
        self.field = np.full(n, -1, dtype=np.int8)
        self.experience = np.zeros(n, dtype=np.float64)
        self.offers = np.zeros(n, dtype=np.uint8)
        self.languages: dict[str, np.ndarray] = {}
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        for i, p in enumerate(self.profiles):
            if len(p.occupation) == 4 and p.occupation.isdigit():
                self.code[i] = int(p.occupation)
            if p.education is not None:
                self.education[i] = int(p.education)
            if p.field is not None:
                self.field[i] = int(p.field)
            self.experience[i] = p.experience or 0
            for offer in p.offers:
                self.offers[i] |= 1 << OFFERS.index(offer)
            for lang, level in p.languages.items():
                column = self.languages.get(lang)
                if column is None:
                    column = self.languages[lang] = np.zeros(n, dtype=np.int8)
                column[i] = taxonomy.cefr_rank(level)
            for skill in p.skills:
                rows.append(i)
                columns.append(vocabulary.setdefault(skill, len(vocabulary)))
        self.vocabulary = vocabulary
        self.skills = sparse.csc_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns)),
            shape=(n, max(len(vocabulary), 1)))
        text = self.encoder.encode([profile_text(p) for p in self.profiles])
        self.text = sparse.csc_matrix(text) if sparse.issparse(text) else text

    def __len__(self) -> int:
        return len(self.profiles)

    # ------------------------------------------------------------ criterion values
    def occupation(self, codes: Sequence[str]) -> np.ndarray:
        """The value of the nearest code asked. Four-digit codes as numbers: the group of
        level m of a unit group u is u // 10^(4 - m), and groups agreeing at level m agree
        at every level above, so the levels shared are counted level by level."""
        best = np.zeros(len(self), dtype=np.float64)
        for code in codes:
            common = np.zeros(len(self), dtype=np.int8)
            for m in range(1, len(code) + 1):
                common += (self.code // 10 ** (4 - m)) == int(code[:m])
            distance = np.where(common == len(code), 0, 4 - common)
            best = np.maximum(best, SIMILARITY[distance])
        return best

    def share_of_skills(self, asked: Sequence[str]) -> np.ndarray:
        known = [self.vocabulary[s] for s in asked if s in self.vocabulary]
        if not known:
            return np.zeros(len(self), dtype=np.float64)
        held = np.asarray(self.skills[:, known].sum(axis=1)).ravel()
        return held.astype(np.float64) / len(asked)

    def language_levels(self, asked: dict[str, str]) -> np.ndarray:
        total = np.zeros(len(self), dtype=np.float64)
        for lang, level in asked.items():
            need = taxonomy.cefr_rank(level)
            have = self.languages.get(lang)
            if have is None:
                continue
            total += np.where(have >= need, 1.0,
                              np.where((have == need - 1) & (have > 0), 0.5, 0.0))
        return total / len(asked)

    def education_level(self, lowest: str) -> np.ndarray:
        need = int(lowest)
        have = self.education
        return np.where(have < 0, 0.0, np.where(have >= need, 1.0,
                                                 np.where(have == need - 1, 0.5, 0.0)))

    def values(self, criteria: Criteria, weights: Weights) -> dict[str, np.ndarray]:
        """Each stated criterion's value for every person."""
        c = criteria
        how: dict[str, Any] = {
            "required_occupation": lambda: self.occupation(c.required_occupations),
            "preferred_occupation": lambda: self.occupation(c.preferred_occupations),
            "required_skills": lambda: self.share_of_skills(c.required_skills),
            "preferred_skills": lambda: self.share_of_skills(c.preferred_skills),
            "languages": lambda: self.language_levels(c.languages),
            "education": lambda: self.education_level(c.education or "0"),
            "field": lambda: (self.field == int(c.field or -1)).astype(np.float64),
            "experience": lambda: np.minimum(1.0, self.experience / float(c.experience or 1)),
            "mode": lambda: ((self.offers & (1 << OFFERS.index(c.mode or OFFERS[0]))) > 0
                             ).astype(np.float64),
            "text": lambda: similarities(self.text, self.encoder.encode([c.text])),
        }
        return {name: how[name]() for name in stated(criteria, weights)}


def combine(values: dict[str, np.ndarray], weights: Weights, n: int) -> np.ndarray:
    """The weighted mean of the values (0 for everyone when nothing is stated)."""
    total = sum(weights.of(c) for c in values)
    score = np.zeros(n, dtype=np.float64)
    for c, v in values.items():
        score += weights.of(c) * v
    return score / total if total > 0 else score


@dataclass(frozen=True)
class Ranked:
    id: int
    score: float
    row: int


def rank(index: Index, criteria: Criteria, weights: Weights | None = None, *,
         limit: int = 50, eligible: np.ndarray | None = None
         ) -> tuple[list[Ranked], dict[str, np.ndarray]]:
    """The best `limit` people for `criteria` (score descending, then id ascending), among
    the rows `eligible` marks (default: all), with the criterion values they were scored
    on."""
    weights = weights or Weights()
    values = index.values(criteria, weights)
    scores = combine(values, weights, len(index))
    if len(index) == 0 or limit <= 0:
        return [], values
    keep = np.flatnonzero(eligible) if eligible is not None else np.arange(len(index))
    if len(keep) > limit:
        cut = np.partition(scores[keep], len(keep) - limit)[len(keep) - limit]
        keep = keep[scores[keep] >= cut]
    order = keep[np.lexsort((index.ids[keep], -scores[keep]))][:limit]
    return [Ranked(int(index.ids[i]), float(scores[i]), int(i)) for i in order], values


def _verdict(value: float) -> str:
    return "matched" if value >= 1.0 - 1e-9 else ("partly" if value > 0 else "not matched")


def explain(values: dict[str, np.ndarray], row: int, weights: Weights) -> list[dict[str, Any]]:
    """The criteria that produced one person's score: each with its weight, its share of
    all weights, the person's value, the contribution to the score and a verdict."""
    total = sum(weights.of(c) for c in values)
    out = []
    for c, v in values.items():
        value = float(v[row])
        share = weights.of(c) / total
        out.append({"criterion": c, "required": c in REQUIRED, "weight": weights.of(c),
                    "share": share, "value": value, "contribution": share * value,
                    "verdict": _verdict(value)})
    return out


def meets_requirements(explanation: list[dict[str, Any]]) -> bool:
    return all(e["verdict"] == "matched" for e in explanation if e["required"])


def score_one(profile: Profile, criteria: Criteria, weights: Weights | None = None,
              encoder: Encoder | None = None) -> tuple[float, list[dict[str, Any]]]:
    """One person against one opportunity: the score and its explanation."""
    weights = weights or Weights()
    index = Index([0], [profile], encoder)
    values = index.values(criteria, weights)
    return float(combine(values, weights, 1)[0]), explain(values, 0, weights)


def values_one(p: Profile, c: Criteria, weights: Weights, text: float = 0.0
               ) -> dict[str, np.ndarray]:
    """The same values as `Index.values`, for one person, in plain Python (the text's
    similarity given), each as an array of one."""
    def occupation(codes: Sequence[str]) -> float:
        return max(float(SIMILARITY[taxonomy.distance(code, p.occupation)]) for code in codes)

    def share(asked: Sequence[str]) -> float:
        return len(set(asked) & set(p.skills)) / len(asked)

    def language(lang: str, level: str) -> float:
        have, need = taxonomy.cefr_rank(p.languages.get(lang)), taxonomy.cefr_rank(level)
        return 1.0 if have >= need else 0.5 if have == need - 1 > 0 else 0.0

    def education(lowest: str) -> float:
        if p.education is None:
            return 0.0
        have, need = int(p.education), int(lowest)
        return 1.0 if have >= need else 0.5 if have == need - 1 else 0.0

    how: dict[str, Any] = {
        "required_occupation": lambda: occupation(c.required_occupations),
        "preferred_occupation": lambda: occupation(c.preferred_occupations),
        "required_skills": lambda: share(c.required_skills),
        "preferred_skills": lambda: share(c.preferred_skills),
        "languages": lambda: sum(language(k, v) for k, v in c.languages.items())
        / len(c.languages),
        "education": lambda: education(c.education or "0"),
        "field": lambda: float(p.field is not None and p.field == c.field),
        "experience": lambda: min(1.0, (p.experience or 0) / float(c.experience or 1)),
        "mode": lambda: float(c.mode in p.offers),
        "text": lambda: text,
    }
    return {name: np.array([how[name]()]) for name in stated(c, weights)}


def rank_opportunities(profile: Profile, opportunities: Sequence[tuple[int, Criteria]],
                       weights: Weights | None = None, encoder: Encoder | None = None,
                       *, limit: int = 50) -> list[tuple[int, float, list[dict[str, Any]]]]:
    """The other way: opportunities for one person, best first (then by id). The texts are
    compared in one product; every other value is computed for the one person."""
    weights = weights or Weights()
    coder = encoder or Hashed()
    texts = [c.text for _id, c in opportunities]
    similar = similarities(coder.encode(texts), coder.encode([profile_text(profile)])) \
        if texts else np.zeros(0)
    scored = []
    for (oid, criteria), text in zip(opportunities, similar, strict=True):
        values = values_one(profile, criteria, weights, float(text))
        scored.append((oid, float(combine(values, weights, 1)[0]),
                       explain(values, 0, weights)))
    scored.sort(key=lambda t: (-t[1], t[0]))
    return scored[:limit]


def names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Weights))
