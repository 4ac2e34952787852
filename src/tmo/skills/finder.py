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
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tmo.registry import audit
from tmo.registry.access import Actor, Invalid
from tmo.registry.fields import Checker
from tmo.registry.models import Registration
from tmo.skills import institutions, profiles, taxonomy
from tmo.skills.models import SkillsProfile
from tmo.skills.vocabulary import OFFERS

WORDS = 200
FACETS = ("residence", "major_group", "education", "offer", "language")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def terms(text: str) -> list[str]:
    """The words of a text, in lower case (letters and digits of any script)."""
    return _TOKEN.findall(text.lower())


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
_kept: dict[tuple[str, int], tuple[Any, str, dict[str, set[str]]]] = {}
_lock = threading.Lock()


def _split(text: str | None) -> list[str]:
    return [p for p in (text or "").split(",") if p]


def _read(row: Any) -> tuple[str, dict[str, set[str]]]:
    """A profile's words (one text, each word after a space, so that " word" finds the
    words it begins) and facet values, from its stored columns."""
    title = taxonomy.title(row.occupation).text if taxonomy.is_unit(row.occupation) else ""
    words = " " + " ".join(sorted(set(terms(" ".join(
        [*_split(row.skills), row.sector or "", row.occupation, title])))))
    facets = {"residence": {row.residence}, "major_group": {row.occupation[:1]},
              "education": {row.education} if row.education else set(),
              "offer": set(_split(row.offers)),
              "language": {p.split(":", 1)[0] for p in _split(row.languages)}}
    return words, facets


def _hits(words: list[str], held: str) -> bool:
    return all(" " + q in held for q in words)


def matches(session: Session, q: Query, *, since: Any = None) -> list[Found]:
    """The consenting profiles matching the words (and changed after `since`, if given),
    with their facet values; the facets are not applied. Each profile's words are read
    once per change (kept by id and time of change)."""
    query = (select(SkillsProfile.id, SkillsProfile.updated_at, SkillsProfile.occupation,
                    SkillsProfile.education, SkillsProfile.skills, SkillsProfile.languages,
                    SkillsProfile.offers, SkillsProfile.sector, Registration.residence)
             .join(Registration, Registration.user_id == SkillsProfile.user_id)
             .where(profiles.consenting(SkillsProfile.user_id)))
    if since is not None:
        query = query.where(SkillsProfile.updated_at > since)
    bound = session.get_bind()
    where = str(bound.engine.url)
    wanted = terms(q.words)
    out = []
    for row in session.execute(query.order_by(SkillsProfile.id)):
        key = (where, row.id)
        with _lock:
            held = _kept.get(key)
        if held is None or held[0] != (row.updated_at, row.residence):
            words, facets = _read(row)
            held = ((row.updated_at, row.residence), words, facets)
            with _lock:
                _kept[key] = held
        if wanted and not _hits(wanted, held[1]):
            continue
        out.append((row.id, row.updated_at, row.residence, held[2]))
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
    found = matches(session, q)
    result = filtered(found, q)
    facets: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        counts: Counter[str] = Counter()
        for *_rest, values in filtered(found, q, leave_out=facet):
            counts.update(values[facet])
        facets[facet] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    result.sort(key=lambda m: (m[1], m[0]), reverse=True)
    top = [m[0] for m in result[:limit]]
    rows = {row.id: (row, residence) for row, residence in session.execute(
        profiles.matchable().where(SkillsProfile.id.in_(top)))} if top else {}
    shown = [profiles.anonymised(*rows[i], lang) for i in top if i in rows]
    audit.record(session, actor, "searched_profiles", records=len(shown),
                 institution=institution.id)
    return {"total": len(result), "profiles": shown, "facets": facets,
            "query": asdict(q)}
