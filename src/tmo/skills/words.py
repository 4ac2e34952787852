"""The word index of the skills search (`tmo.skills.finder`, table `skills_words`,
migration r0007): each skills profile's words (its skills, sector, occupation code and
ISCO-08 title, lower case, letters and digits of any script), rewritten on each profile
write (`tmo.skills.profiles.save`) and, for a profile written without it (a bulk load, a
registry upgraded from r0006), by the next search (`catch_up`, which finds them through
the `updated_at` index). A search word matches the words it begins: one range look-up of
the index per word, the profiles having all of them intersected in the database."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import numpy as np
from sqlalchemy import Engine, Text, cast, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from tmo.registry.database import transaction
from tmo.skills import taxonomy
from tmo.skills.models import SkillsIndexed, SkillsProfile, SkillsWord

MARGIN = dt.timedelta(minutes=5)  # for transactions that began before a mark, committed after
WORD = 60  # characters of a word kept in the index
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def terms(text: str) -> list[str]:
    """The words of a text, in lower case (letters and digits of any script)."""
    return _TOKEN.findall(text.lower())


def split(text: str | None) -> list[str]:
    return [p for p in (text or "").split(",") if p]


def of(row: Any) -> list[str]:
    """A profile's words (its skills, sector, occupation code and title), each once."""
    title = taxonomy.title(row.occupation).text if taxonomy.is_unit(row.occupation) else ""
    return sorted({t[:WORD] for t in terms(" ".join(
        [*split(row.skills), row.sector or "", row.occupation, title]))})


def index(session: Session, rows: list[Any]) -> None:
    """(Re)write the words of these profiles (id, updated_at, occupation, skills, sector)
    in the word index; called on each profile write and by the search for any profile
    written without it."""
    ids = [r.id for r in rows]
    for low in range(0, len(ids), 500):
        part = ids[low:low + 500]
        session.execute(delete(SkillsWord).where(SkillsWord.profile_id.in_(part)))
        session.execute(delete(SkillsIndexed).where(SkillsIndexed.profile_id.in_(part)))
    words = [{"word": w, "profile_id": r.id} for r in rows for w in of(r)]
    for low in range(0, len(words), 20_000):
        session.execute(insert(SkillsWord), words[low:low + 20_000])
    for low in range(0, len(rows), 20_000):
        session.execute(insert(SkillsIndexed), [{"profile_id": r.id, "updated_at": r.updated_at}
                                                for r in rows[low:low + 20_000]])


INDEXED = (SkillsProfile.id, SkillsProfile.updated_at, SkillsProfile.occupation,
            SkillsProfile.skills, SkillsProfile.sector)


_caught: dict[str, Any] = {}
_lock = threading.Lock()


def catch_up(session: Session, mark: Any) -> int:
    """Index the profiles written since the newest indexed one (less a margin) or never
    indexed (through the `updated_at` and primary-key indexes), unless nothing changed
    since the last call with this registry's `mark` (its profiles' newest change, largest
    id and count); how many were indexed."""
    key = str(session.get_bind().engine.url)
    with _lock:
        if _caught.get(key) == mark:
            return 0
    stale = list(session.execute(_stale(session)))
    if stale:
        index(session, stale)
    with _lock:
        _caught[key] = mark
    return len(stale)


def _stale(session: Session) -> Any:
    """The profiles written since the newest indexed one (less a margin) or never indexed,
    and not indexed as they are now."""
    newest, top = session.execute(select(func.max(SkillsIndexed.updated_at),
                                         func.max(SkillsIndexed.profile_id))).one()
    query = select(*INDEXED).outerjoin(
        SkillsIndexed, SkillsIndexed.profile_id == SkillsProfile.id).where(
        or_(SkillsIndexed.updated_at.is_(None),
            SkillsIndexed.updated_at != SkillsProfile.updated_at))
    if newest is not None:
        query = query.where(or_(SkillsProfile.updated_at > newest - MARGIN,
                                SkillsProfile.id > top))
    return query


def prepare(made: Engine, chunk: int = 5000) -> int:
    """Index the profiles written around the index (a bulk load, a registry upgraded from
    r0006) ahead of the first search (a server's start-up), in transactions of `chunk`
    profiles so that the registry's writers wait little; how many were indexed."""
    done, after = 0, 0
    while True:
        with transaction(made) as s:
            stale = list(s.execute(_stale(s).where(SkillsProfile.id > after)
                                   .order_by(SkillsProfile.id).limit(chunk)))
            if stale:
                index(s, stale)
        done += len(stale)
        if len(stale) < chunk:
            return done
        after = stale[-1].id


def forget() -> None:
    """Forget which registries were caught up (tests)."""
    with _lock:
        _caught.clear()


def _joined(session: Session) -> Any:
    """The ids of a look-up as one text, "1,5,9" (reading 100,000 rows one by one costs
    ten times more than one string)."""
    if session.get_bind().dialect.name == "postgresql":
        return func.string_agg(cast(SkillsWord.profile_id, Text), ",")
    return func.group_concat(SkillsWord.profile_id)


def having(session: Session, asked: list[str]) -> np.ndarray:
    """Which profile ids (a boolean array indexed by id) have, for every word asked, a
    word it begins: one range look-up of the index per word, its ids read as one text and
    intersected here (SQLite's INTERSECT builds a temporary tree, ten times slower)."""
    out: np.ndarray | None = None
    joined = _joined(session)
    for w in set(asked):
        text = session.execute(select(joined).where(
            SkillsWord.word >= w[:WORD], SkillsWord.word < w[:WORD] + "\uffff")).scalar()
        found = (np.fromstring(text, dtype=np.int64, sep=",") if text
                 else np.zeros(0, dtype=np.int64))
        top = int(found.max(initial=0)) + 1
        mask = np.zeros(top, dtype=bool)
        mask[found] = True
        out = mask if out is None else out[:top] & mask[:len(out)]
    return out if out is not None else np.zeros(0, dtype=bool)


def within(mask: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of `ids` the boolean array `mask` (indexed by id, shorter than the largest
    id, perhaps) holds."""
    inside = ids < len(mask)
    out = np.zeros(len(ids), dtype=bool)
    out[inside] = mask[ids[inside]]
    return out
