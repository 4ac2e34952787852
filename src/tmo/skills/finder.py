"""Full-text and faceted search over the skills profiles of people who consent to being
contacted (issue #18, item 4), for verified institutions: words (every word must start a
word of the profile's skills, sector, occupation code or title), and facets (country of
residence, ISCO-08 major group, ISCED level, what the person offers, language). Results
are the anonymised profiles (`profiles.anonymised`); the facet counts are computed over
the profiles that match the words and every other facet chosen (a facet's own choice
left out, so its other values stay reachable). Every search is audit-logged by count."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tmo.registry import audit
from tmo.registry.access import Actor, Invalid
from tmo.registry.fields import Checker
from tmo.registry.models import Consent, Registration
from tmo.skills import institutions, profiles, taxonomy, words
from tmo.skills.models import SkillsProfile
from tmo.skills.vocabulary import OFFERS

WORDS = 200
FACETS = ("residence", "major_group", "education", "offer", "language")
terms = words.terms


@dataclass(frozen=True)
class Query:
    words: str = ""
    residence: str | None = None
    major_group: str | None = None
    education: str | None = None
    offer: str | None = None
    language: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Query:
        return cls(**{k: v for k, v in json.loads(text).items() if k in cls.__annotations__})


def query(data: dict[str, Any], lang: str) -> Query:
    """A search from what was sent (form or JSON); `Invalid` naming each bad field."""
    check = Checker(lang)
    words = check.text("words", data.get("words") or "", WORDS, minimum=0) or ""

    def code(name: str, valid: Any) -> str | None:
        value = data.get(name)
        return check.code(name, value, valid) if value not in (None, "") else None

    made = Query(words=words,
                 residence=code("residence", lambda v: re.fullmatch("[A-Z]{3}", v)),
                 major_group=code("major_group", lambda v: re.fullmatch("[0-9]", v)),
                 education=code("education", lambda v: v in taxonomy.ISCED_LEVELS),
                 offer=code("offer", lambda v: v in OFFERS),
                 language=code("language", lambda v: re.fullmatch("[a-z]{2}", v)))
    if check.errors:
        raise Invalid(check.errors)
    return made


Found = tuple[int, Any, str, dict[str, set[str]]]  # id, updated_at, residence, facets
_lock = threading.Lock()


_split = words.split


def facets_of(row: Any) -> dict[str, set[str]]:
    return {"residence": {row.residence}, "major_group": {row.occupation[:1]},
            "education": {row.education} if row.education else set(),
            "offer": set(_split(row.offers)),
            "language": {p.split(":", 1)[0] for p in _split(row.languages)}}


@dataclass(frozen=True)
class Facets:
    """The consenting profiles' facet values, kept between searches for one registry and
    read again whenever a profile, registration or consent changes: `ids` sorted, a
    boolean column per facet value, and the order newest change first."""

    mark: tuple[Any, ...]
    ids: np.ndarray
    updated: list[Any]
    residence: list[str]
    values: dict[str, dict[str, np.ndarray]]
    newest_first: np.ndarray
    rows: list[dict[str, set[str]]]


_kept: dict[str, Facets] = {}


def _mark(session: Session) -> tuple[Any, ...]:
    """What changes when a profile, a registration's residence or a consent changes."""
    p = session.execute(select(func.max(SkillsProfile.updated_at), func.max(SkillsProfile.id),
                               func.count(SkillsProfile.id))).one()
    others = session.execute(select(
        select(func.max(Registration.updated_at)).scalar_subquery(),
        select(func.max(Consent.id)).scalar_subquery(),
        select(func.max(Consent.withdrawn_at)).scalar_subquery())).one()
    return (*p, *others)


def facets(session: Session) -> Facets:
    """This registry's kept facet values, read again if anything changed."""
    key = str(session.get_bind().engine.url)
    mark = _mark(session)
    with _lock:
        found = _kept.get(key)
    if found is not None and found.mark == mark:
        return found
    query = (select(SkillsProfile.id, SkillsProfile.updated_at, SkillsProfile.occupation,
                    SkillsProfile.education, SkillsProfile.languages, SkillsProfile.offers,
                    Registration.residence)
             .join(Registration, Registration.user_id == SkillsProfile.user_id)
             .where(profiles.consenting(SkillsProfile.user_id)).order_by(SkillsProfile.id))
    rows = list(session.execute(query))
    held = [facets_of(r) for r in rows]
    values: dict[str, dict[str, np.ndarray]] = {f: {} for f in FACETS}
    for i, row in enumerate(held):
        for f in FACETS:
            for v in row[f]:
                column = values[f].get(v)
                if column is None:
                    column = values[f][v] = np.zeros(len(rows), dtype=bool)
                column[i] = True
    order = sorted(range(len(rows)), key=lambda i: (rows[i].updated_at, rows[i].id),
                   reverse=True)
    found = Facets(mark, np.asarray([r.id for r in rows], dtype=np.int64),
                   [r.updated_at for r in rows], [r.residence for r in rows], values,
                   np.asarray(order, dtype=np.int64), held)
    with _lock:
        _kept[key] = found
    return found


def forget() -> None:
    """Drop every kept facet table (tests)."""
    with _lock:
        _kept.clear()
    words.forget()


def _wanted(session: Session, f: Facets, q: Query) -> np.ndarray:
    """Which of the kept profiles hold the words of `q` (all of them when none)."""
    wanted = terms(q.words)
    if not wanted:
        return np.ones(len(f.ids), dtype=bool)
    words.catch_up(session, f.mark[:3])
    return words.within(words.having(session, wanted), f.ids)


def _mask(f: Facets, q: Query, base: np.ndarray, leave_out: str | None = None
          ) -> np.ndarray:
    out = base.copy()
    for facet, value in _chosen(q).items():
        if facet != leave_out:
            column = f.values[facet].get(value)
            if column is None:
                return np.zeros(len(f.ids), dtype=bool)
            out &= column
    return out


def matches(session: Session, q: Query, *, since: Any = None) -> list[Found]:
    """The consenting profiles matching the words (and changed after `since`, if given),
    with their facet values; the facets are not applied. With `since` (the notification
    run) only the profiles changed since are read, through the `updated_at` index."""
    if since is None:
        f = facets(session)
        return [(int(f.ids[i]), f.updated[i], f.residence[i], f.rows[i])
                for i in np.flatnonzero(_wanted(session, f, q))]
    wanted = terms(q.words)
    query = (select(SkillsProfile.id, SkillsProfile.updated_at, SkillsProfile.occupation,
                    SkillsProfile.education, SkillsProfile.skills, SkillsProfile.languages,
                    SkillsProfile.offers, SkillsProfile.sector, Registration.residence)
             .join(Registration, Registration.user_id == SkillsProfile.user_id)
             .where(profiles.consenting(SkillsProfile.user_id),
                    SkillsProfile.updated_at > since).order_by(SkillsProfile.id))
    out = []
    for row in session.execute(query):
        held = words.of(row)
        if all(any(w.startswith(asked) for w in held) for asked in wanted):
            out.append((row.id, row.updated_at, row.residence, facets_of(row)))
    return out


def _chosen(q: Query) -> dict[str, str]:
    return {f: v for f in FACETS if (v := getattr(q, f)) is not None}


def filtered(found: list[Found], q: Query, leave_out: str | None = None) -> list[Found]:
    chosen = {f: v for f, v in _chosen(q).items() if f != leave_out}
    return [m for m in found if all(v in m[3][f] for f, v in chosen.items())]


def search(session: Session, actor: Actor, q: Query, lang: str, *, limit: int = 50
           ) -> dict[str, Any]:
    """For a verified institution: the anonymised profiles matching `q` (newest change
    first), how many, and the count of each facet value."""
    institution = institutions.own(session, actor)
    f = facets(session)
    hit = _wanted(session, f, q)
    chosen = _mask(f, q, hit)
    counts: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        among = _mask(f, q, hit, leave_out=facet)
        tally = {v: int(np.count_nonzero(among & column))
                 for v, column in f.values[facet].items()}
        counts[facet] = dict(sorted(((v, n) for v, n in tally.items() if n),
                                    key=lambda kv: (-kv[1], kv[0])))
    ordered = f.newest_first[chosen[f.newest_first]]
    top = [int(f.ids[i]) for i in ordered[:limit]]
    rows = {row.id: (row, residence) for row, residence in session.execute(
        profiles.matchable().where(SkillsProfile.id.in_(top)))} if top else {}
    shown = [profiles.anonymised(*rows[i], lang) for i in top if i in rows]
    audit.record(session, actor, "searched_profiles", records=len(shown),
                 institution=institution.id)
    return {"total": int(np.count_nonzero(chosen)), "profiles": shown, "facets": counts,
            "query": asdict(q)}
