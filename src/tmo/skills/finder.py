"""Full-text and faceted search over the skills profiles of people who consent to being
contacted (issue #18, item 4), for verified institutions: words (every word must start a
word of the profile's skills, sector, occupation code or title), and facets (country of
residence, ISCO-08 major group, ISCED level, what the person offers, language). Results
are the anonymised profiles (`profiles.anonymised`); the facet counts are computed over
the profiles that match the words and every other facet chosen (a facet's own choice
left out, so its other values stay reachable). Every search is audit-logged by count."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from tmo.registry import audit
from tmo.registry.access import Actor, Invalid
from tmo.registry.database import transaction
from tmo.registry.fields import Checker
from tmo.registry.models import Consent, Registration, now
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
MARGIN = dt.timedelta(minutes=5)  # for transactions that began before a read, committed after
REREAD_SHARE = 0.05  # more profiles changed than this share: the table is read again in full
CHUNK = 20_000  # profiles read per transaction when the table is read in full


_split = words.split


def facets_of(row: Any) -> dict[str, set[str]]:
    return {"residence": {row.residence}, "major_group": {row.occupation[:1]},
            "education": {row.education} if row.education else set(),
            "offer": set(_split(row.offers)),
            "language": {p.split(":", 1)[0] for p in _split(row.languages)}}


@dataclass(frozen=True)
class Facets:
    """The consenting profiles' facet values, kept between searches for one registry:
    `ids` sorted, a boolean column per facet value, and the order newest change first.
    Brought up to date by the changes alone (`facets`): `since` is when the last read
    began, `top` and `total` the largest profile id and the count of every profile then."""

    mark: tuple[Any, ...]
    ids: np.ndarray
    updated: np.ndarray  # of objects, as `residence` and `rows` (the facets of each)
    residence: np.ndarray
    values: dict[str, dict[str, np.ndarray]]
    newest_first: np.ndarray
    rows: np.ndarray
    since: Any = None
    top: int = 0
    total: int = 0
    stamps: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype="datetime64[us]"))


EMPTY = Facets((), np.zeros(0, dtype=np.int64), np.empty(0, dtype=object),
               np.empty(0, dtype=object), {f: {} for f in FACETS},
               np.zeros(0, dtype=np.int64), np.empty(0, dtype=object))
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


_COLUMNS = (SkillsProfile.id, SkillsProfile.updated_at, SkillsProfile.occupation,
            SkillsProfile.education, SkillsProfile.languages, SkillsProfile.offers,
            Registration.residence)


def _consenting_rows() -> Any:
    return (select(*_COLUMNS).join(Registration, Registration.user_id == SkillsProfile.user_id)
            .where(profiles.consenting(SkillsProfile.user_id)).order_by(SkillsProfile.id))


def patched(f: Facets, changed: dict[int, Any]) -> Facets:
    """`f` with the profiles of `changed` (id -> row, or None for a profile that is gone or
    no longer consents) replaced, added or removed; `f` is left as it was (a search still
    reading it keeps a consistent view). A pure function of its arguments."""
    keep = np.flatnonzero(~np.isin(f.ids, np.fromiter(changed, dtype=np.int64,
                                                       count=len(changed))))
    new = [r for r in changed.values() if r is not None]
    held = [facets_of(r) for r in new]
    n_keep, n = len(keep), len(keep) + len(new)
    ids = np.concatenate([f.ids[keep], np.asarray([r.id for r in new], dtype=np.int64)])
    order = np.argsort(ids, kind="stable")
    stamps = np.concatenate([f.stamps[keep], np.asarray([r.updated_at for r in new],
                                                        dtype="datetime64[us]")])
    at: dict[str, dict[str, list[int]]] = {facet: {} for facet in FACETS}
    for i, row in enumerate(held):
        for facet in FACETS:
            for v in row[facet]:
                at[facet].setdefault(v, []).append(n_keep + i)
    values: dict[str, dict[str, np.ndarray]] = {}
    for facet in FACETS:
        values[facet] = {}
        for v in set(f.values[facet]) | set(at[facet]):
            column = np.zeros(n, dtype=bool)
            old = f.values[facet].get(v)
            if old is not None:
                column[:n_keep] = old[keep]
            column[at[facet].get(v, [])] = True
            if column.any():
                values[facet][v] = column[order]

    def merged(old: np.ndarray, added: list[Any]) -> np.ndarray:
        extra = np.empty(len(added), dtype=object)
        extra[:] = added
        return np.concatenate([old[keep], extra])[order]

    ids, stamps = ids[order], stamps[order]
    return replace(f, ids=ids, stamps=stamps, values=values,
                   updated=merged(f.updated, [r.updated_at for r in new]),
                   residence=merged(f.residence, [r.residence for r in new]),
                   rows=merged(f.rows, held),
                   newest_first=np.lexsort((ids, stamps))[::-1].astype(np.int64))


def _in_full(made: Engine) -> dict[int, Any]:
    """Every consenting profile, read in transactions of `CHUNK` rows (a profile changed
    between two of them is caught by the next `facets`, through `since`)."""
    rows: dict[int, Any] = {}
    after = -1
    while True:
        with transaction(made) as s:
            part = list(s.execute(_consenting_rows().where(SkillsProfile.id > after)
                                  .limit(CHUNK)))
        rows.update((r.id, r) for r in part)
        if len(part) < CHUNK:
            return rows
        after = part[-1].id


def _changes(session: Session, f: Facets) -> dict[int, Any] | None:
    """The profiles added, changed, deleted, or whose residence or consent changed since
    `f` was read (index look-ups; None: too many, read everything again)."""
    since = f.since - MARGIN
    p = SkillsProfile
    ids = set(session.scalars(select(p.id).where(or_(p.updated_at > since, p.id > f.top))))
    users = set(session.scalars(select(Registration.user_id).where(
        Registration.updated_at > since)))
    users |= set(session.scalars(select(Consent.user_id).where(
        or_(Consent.id > (f.mark[4] or 0), Consent.withdrawn_at > since))))
    for low in range(0, len(users), 500):
        ids |= set(session.scalars(select(p.id).where(p.user_id.in_(
            sorted(users)[low:low + 500]))))
    count = session.scalar(select(func.count(p.id))) or 0
    if count != f.total + sum(1 for i in ids if i > f.top):  # profiles were deleted
        present = np.asarray(session.scalars(select(p.id)).all(), dtype=np.int64)
        ids |= {int(i) for i in f.ids[~np.isin(f.ids, present)]}
    if len(ids) > max(1000, REREAD_SHARE * f.total):
        return None
    changed: dict[int, Any] = dict.fromkeys(ids)
    listed = sorted(ids)
    for low in range(0, len(listed), 500):
        for r in session.execute(_consenting_rows().where(
                p.id.in_(listed[low:low + 500]))):
            changed[r.id] = r
    return changed


def facets(session: Session) -> Facets:
    """This registry's kept facet values, brought up to date by what changed since they
    were read (only the profiles changed, index look-ups), or read in full the first time
    or when many changed."""
    key = str(session.get_bind().engine.url)
    mark = _mark(session)
    with _lock:
        found = _kept.get(key)
    if found is not None and found.mark == mark:
        return found
    begun, (_newest, top, total) = now(), mark[:3]
    changed = _changes(session, found) if found is not None else None
    base = found if changed is not None and found is not None else EMPTY
    if changed is None:
        changed = {r.id: r for r in session.execute(_consenting_rows())}
    made = replace(patched(base, changed), mark=mark, since=begun, top=top or 0,
                   total=total)
    with _lock:
        _kept[key] = made
    return made


def prepare(made: Engine) -> Facets:
    """Read this registry's facet table ahead of the first search (a server's start-up),
    in short transactions, and keep it."""
    key = str(made.url)
    with transaction(made) as s:
        mark = _mark(s)
    begun, (_newest, top, total) = now(), mark[:3]
    ready = replace(patched(EMPTY, _in_full(made)), mark=mark, since=begun, top=top or 0,
                    total=total)
    with _lock:
        _kept.setdefault(key, ready)
        return _kept[key]


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
