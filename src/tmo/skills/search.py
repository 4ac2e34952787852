"""Matching on the registry's data: the candidates for an institution's opportunity (as
anonymised profiles, with the score's explanation) and the opportunities for a person.

Only people who consent, now, to being contacted by domestic institutions are matched.
The people's arrays (`matching.Index`) are kept between requests for each registry: a
base of every profile, and a delta of the profiles added or changed since (read by the
`updated_at` index whenever the newest change or id differs), folded into a new base when
it grows past 5 % of it; the ids of the people who consent are read again whenever a
consent has been given. Every ranked row is read back with the consent test before
anything is shown, and more rows are ranked than shown: a person who withdraws consent,
deletes the profile or is erased is gone from the very next answer."""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from tmo.registry import audit
from tmo.registry.access import Actor, require
from tmo.registry.database import transaction
from tmo.registry.models import Consent, Registration, now
from tmo.skills import institutions, matching, profiles
from tmo.skills.forms import criteria_from_json
from tmo.skills.models import SkillsProfile
from tmo.skills.text import Encoder, encoder

LIMIT = 50
OVERFETCH = 50  # ranked beyond the limit, for people found gone when read back
REBUILD_SHARE = 0.05  # the changed profiles are folded into a new base beyond this share
MARGIN = dt.timedelta(minutes=5)
CHUNK = 20_000  # profiles read per transaction by `prepare`
_lock = threading.Lock()


@dataclass(frozen=True)
class Held:
    """One registry's kept arrays: a base of every profile at one moment and a delta of
    the profiles added or changed since, with the profile ids that consent."""

    base: matching.Index
    since: Any  # when the base was read
    residence: dict[int, str]
    delta: matching.Index
    profiles_mark: tuple[Any, ...]
    consent_mark: Any
    consenting: np.ndarray  # sorted profile ids


_held: dict[str, Held] = {}
COLUMNS = (SkillsProfile.id, SkillsProfile.occupation, SkillsProfile.education,
           SkillsProfile.field, SkillsProfile.experience, SkillsProfile.sector,
           SkillsProfile.skills, SkillsProfile.languages, SkillsProfile.offers,
           SkillsProfile.summary, SkillsProfile.updated_at, Registration.residence)


def profiles_mark(session: Session) -> tuple[Any, ...]:
    """What changes when a skills profile is added or changed (two index look-ups; a
    deleted profile is caught when the ranked rows are read back)."""
    return tuple(session.execute(select(func.max(SkillsProfile.updated_at),
                                        func.max(SkillsProfile.id))).one())


def consent_mark(session: Session) -> Any:
    """What changes when a consent is given (the newest consent's id; a withdrawal or an
    erasure is caught when the ranked rows are read back)."""
    return session.scalar(select(func.max(Consent.id)))


def _query() -> Any:
    return (select(*COLUMNS).join(Registration, Registration.user_id == SkillsProfile.user_id)
            .order_by(SkillsProfile.id))


def _rows(session: Session, since: Any = None, after: int = 0) -> list[Any]:
    """Every profile with its residence; or those changed since `since` (less a margin,
    for transactions that began before it and committed after) or with an id above
    `after`."""
    query = _query()
    if since is not None:
        query = query.where(or_(SkillsProfile.updated_at > since - MARGIN,
                                SkillsProfile.id > after))
    return list(session.execute(query).all())


def _index(rows: list[Any], coder: Encoder) -> matching.Index:
    return matching.Index([r.id for r in rows], [profiles.to_profile(r) for r in rows], coder)


def _consenting(session: Session) -> np.ndarray:
    return np.sort(np.asarray(session.scalars(select(SkillsProfile.id).where(
        profiles.consenting(SkillsProfile.user_id))).all(), dtype=np.int64))


def held(session: Session, coder: Encoder | None = None) -> Held:
    """This registry's arrays, brought up to date: a new profile or change since the last
    call goes into the delta (read by the `updated_at` index), the delta is folded into a
    new base when it passes `REBUILD_SHARE` of it, and the consenting ids are read again
    when a consent has been given since."""
    key = repr(session.get_bind())
    mark = profiles_mark(session)
    agreed = consent_mark(session)
    with _lock:
        found = _held.get(key) if coder is None else None
    coder = coder or (found.base.encoder if found else encoder())
    if found is None:
        begun, rows = now(), _rows(session)
        base = _index(rows, coder)
        found = Held(base, begun,
                     {r.id: r.residence for r in rows}, _index([], coder), mark, agreed,
                     _consenting(session))
    elif found.profiles_mark != mark:
        rows = _rows(session, found.since, int(found.base.ids.max(initial=0)))
        if len(rows) > max(1000, REBUILD_SHARE * len(found.base)):
            begun, rows = now(), _rows(session)
            found = Held(_index(rows, coder), begun,
                         {r.id: r.residence for r in rows}, _index([], coder), mark,
                         found.consent_mark, found.consenting)
        else:  # a new Held: a request ranking on the old one keeps a consistent view
            found = replace(found, residence=found.residence | {r.id: r.residence
                                                                for r in rows},
                            delta=_index(rows, coder), profiles_mark=mark)
    if found.consent_mark != agreed:
        found = replace(found, consenting=_consenting(session), consent_mark=agreed)
    with _lock:
        _held[key] = found
    return found


def prepare(made: Engine, coder: Encoder | None = None) -> Held:
    """Build this registry's arrays ahead of the first ranking (a server's start-up): the
    profiles read in transactions of `CHUNK` rows (a profile changed meanwhile is in the
    next delta: the base's `since` is taken before the first), the arrays built outside
    any transaction, and kept unless a request built them first."""
    key = repr(made)
    with transaction(made) as s:
        mark, agreed = profiles_mark(s), consent_mark(s)
    begun, rows, after = now(), [], -1
    while True:
        with transaction(made) as s:
            part = list(s.execute(_query().where(SkillsProfile.id > after).limit(CHUNK)))
        rows.extend(part)
        if len(part) < CHUNK:
            break
        after = part[-1].id
    with transaction(made) as s:
        consenting = _consenting(s)
    coder = coder or encoder()
    ready = Held(_index(rows, coder), begun, {r.id: r.residence for r in rows},
                 _index([], coder), mark, agreed, consenting)
    with _lock:
        return _held.setdefault(key, ready)


def forget() -> None:
    """Drop every kept index (tests)."""
    with _lock:
        _held.clear()


def _ranked(h: Held, criteria: Any, weights: matching.Weights, limit: int
            ) -> tuple[list[tuple[matching.Ranked, dict[str, np.ndarray]]], int]:
    """The best of the base (less the rows the delta replaces) and of the delta, merged;
    with how many people were considered."""
    replaced = np.isin(h.base.ids, h.delta.ids)
    out: list[tuple[matching.Ranked, dict[str, np.ndarray]]] = []
    considered = 0
    for part, eligible in ((h.base, np.isin(h.base.ids, h.consenting) & ~replaced),
                           (h.delta, np.isin(h.delta.ids, h.consenting))):
        if len(part) == 0:
            continue
        considered += int(eligible.sum())
        ranked, values = matching.rank(part, criteria, weights, limit=limit,
                                       eligible=eligible)
        out.extend((r, values) for r in ranked)
    out.sort(key=lambda rv: (-rv[0].score, rv[0].id))
    return out[:limit], considered


def candidates(session: Session, actor: Actor, opportunity_id: int, lang: str, *,
               limit: int = LIMIT, weights: matching.Weights | None = None
               ) -> dict[str, Any]:
    """The best candidates for one of the institution's opportunities, anonymised, each
    with its score and the criteria that produced it."""
    row = institutions.owned(session, actor, opportunity_id)
    weights = weights or matching.Weights.from_env()
    criteria = criteria_from_json(json.loads(row.criteria))
    h = held(session)
    ranked, considered = _ranked(h, criteria, weights, limit + OVERFETCH)
    shown = {p.id: p for p in session.scalars(
        select(SkillsProfile).where(SkillsProfile.id.in_([r.id for r, _v in ranked]),
                                    profiles.consenting(SkillsProfile.user_id)))}
    out = []
    for r, values in ranked:
        found = shown.get(r.id)
        if found is None:
            continue  # consent withdrawn, profile deleted or erased: gone at once
        explanation = matching.explain(values, r.row, weights)
        out.append({"score": r.score, "meets_requirements":
                    matching.meets_requirements(explanation), "explanation": explanation,
                    "profile": profiles.anonymised(found, h.residence[r.id], lang)})
        if len(out) == limit:
            break
    audit.record(session, actor, "matched_candidates", records=len(out),
                 opportunity=opportunity_id)
    return {"opportunity": opportunity_id, "candidates": out,
            "weights": {c: weights.of(c) for c in matching.stated(criteria, weights)},
            "considered": considered, "encoder": h.base.encoder.name}


def opportunities_for(session: Session, actor: Actor, lang: str, *, limit: int = LIMIT,
                      weights: matching.Weights | None = None) -> dict[str, Any]:
    """The open opportunities of verified institutions, best first, for the signed-in
    registrant's skills profile (none: an empty list and a note)."""
    require(actor, "registrant")
    own = session.scalar(select(SkillsProfile).where(SkillsProfile.user_id == actor.id))
    if own is None:
        return {"opportunities": [], "note": "no skills profile yet"}
    weights = weights or matching.Weights.from_env()
    found = institutions.open_opportunities(session)
    by_id = {o.id: (o, i) for o, i in found}
    ranked = matching.rank_opportunities(
        profiles.to_profile(own),
        [(o.id, criteria_from_json(json.loads(o.criteria))) for o, _i in found],
        weights, limit=limit)
    audit.record(session, actor, "matched_opportunities", subject_id=actor.id,
                 records=len(ranked))
    return {"opportunities": [
        {"score": score, "meets_requirements": matching.meets_requirements(explanation),
         "explanation": explanation, "opportunity": institutions.public(*by_id[oid], lang)}
        for oid, score, explanation in ranked]}
