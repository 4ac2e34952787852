"""Matching on the registry's data: the candidates for an institution's opportunity (as
anonymised profiles, with the score's explanation) and the opportunities for a person.

Only people who consent, now, to being contacted by domestic institutions are matched.
The people's arrays (`matching.Index`) are kept between requests for each registry and
rebuilt when a fingerprint of the profiles changes (their count, latest change, latest
id); which of them consent is read again whenever a fingerprint of that consent changes
(count, latest grant, latest withdrawal, withdrawals): a withdrawal or an erasure changes
it, so the person leaves the very next ranking; and the rows ranked are read back with the
same consent test before anything is shown."""

from __future__ import annotations

import json
import threading
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tmo.registry import audit
from tmo.registry.access import Actor, require
from tmo.registry.models import Consent, Registration
from tmo.skills import institutions, matching, profiles
from tmo.skills.forms import criteria_from_json
from tmo.skills.models import SkillsProfile
from tmo.skills.text import Encoder, encoder
from tmo.skills.vocabulary import CONSENT

LIMIT = 50
_lock = threading.Lock()
_indexes: dict[str, tuple[tuple[Any, ...], matching.Index, dict[int, str]]] = {}
_consents: dict[str, tuple[tuple[Any, ...], np.ndarray]] = {}


def profiles_mark(session: Session) -> tuple[Any, ...]:
    """What changes whenever a skills profile is added, changed or deleted."""
    return tuple(session.execute(select(func.count(), func.max(SkillsProfile.updated_at),
                                        func.max(SkillsProfile.id))).one())


def consent_mark(session: Session) -> tuple[Any, ...]:
    """What changes whenever a consent to being contacted is given, withdrawn or erased."""
    return tuple(session.execute(select(func.count(), func.max(Consent.id),
                                        func.max(Consent.withdrawn_at),
                                        func.count(Consent.withdrawn_at))
                                 .where(Consent.purpose == CONSENT)).one())


def index(session: Session, coder: Encoder | None = None
          ) -> tuple[matching.Index, dict[int, str], np.ndarray]:
    """The arrays of every skills profile (by profile id), each one's country of
    residence, and which of them may be matched now (their consent)."""
    key = repr(session.get_bind())
    mark = profiles_mark(session)
    with _lock:
        held = _indexes.get(key) if coder is None else None
    if held is None or held[0] != mark:
        rows = session.execute(
            select(SkillsProfile, Registration.residence)
            .join(Registration, Registration.user_id == SkillsProfile.user_id)
            .order_by(SkillsProfile.id)).all()
        made = matching.Index([r[0].id for r in rows], [profiles.to_profile(r[0]) for r in rows],
                              coder or encoder())
        held = (mark, made, {r[0].id: r[1] for r in rows})
        if coder is None:
            with _lock:
                _indexes[key] = held
    people = held[1]
    agreed = consent_mark(session)
    with _lock:
        known = _consents.get(key)
    if known is None or known[0] != (agreed, mark) or len(known[1]) != len(people):
        ids = session.scalars(select(SkillsProfile.id).where(
            profiles.consenting(SkillsProfile.user_id))).all()
        known = ((agreed, mark), np.isin(people.ids, np.asarray(ids, dtype=np.int64)))
        with _lock:
            _consents[key] = known
    return people, held[2], known[1]


def forget() -> None:
    """Drop every kept index (tests)."""
    with _lock:
        _indexes.clear()
        _consents.clear()


def candidates(session: Session, actor: Actor, opportunity_id: int, lang: str, *,
               limit: int = LIMIT, weights: matching.Weights | None = None
               ) -> dict[str, Any]:
    """The best candidates for one of the institution's opportunities, anonymised, each
    with its score and the criteria that produced it."""
    row = institutions.owned(session, actor, opportunity_id)
    weights = weights or matching.Weights.from_env()
    criteria = criteria_from_json(json.loads(row.criteria))
    people, residence, eligible = index(session)
    ranked, values = matching.rank(people, criteria, weights, limit=limit, eligible=eligible)
    shown = {p.id: p for p in session.scalars(
        select(SkillsProfile).where(SkillsProfile.id.in_([r.id for r in ranked]),
                                    profiles.consenting(SkillsProfile.user_id)))}
    out = []
    for r in ranked:
        found = shown.get(r.id)
        if found is None:
            continue  # consent withdrawn or erased since the index was made
        explanation = matching.explain(values, r.row, weights)
        out.append({"score": r.score, "meets_requirements":
                    matching.meets_requirements(explanation), "explanation": explanation,
                    "profile": profiles.anonymised(found, residence[r.id], lang)})
    audit.record(session, actor, "matched_candidates", records=len(out),
                 opportunity=opportunity_id)
    return {"opportunity": opportunity_id, "candidates": out,
            "weights": {c: weights.of(c) for c in matching.stated(criteria, weights)},
            "considered": int(eligible.sum()), "encoder": people.encoder.name}


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
