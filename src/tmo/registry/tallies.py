"""Running counts of the registrations, kept in the same transaction as every change
(register, correct, erase, the synthetic demo): per country of residence, the total and
the count of each value of each field the aggregates use. The aggregate tables read
these few thousand rows instead of scanning every registration, so they take the same
time with a million registrants as with a hundred, and an erasure leaves them at once.
`rebuild` recounts from the registrations (the tests check both agree)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from tmo.registry.models import Registration, Tally

Key = tuple[str, str, str]  # residence, field, value ("" = not stated)
FIELDS = ("sex", "birth_year", "education", "occupation", "departure_year")
FLAGS = ("intends_return", "intends_invest", "intends_mentor", "intends_vote", "synthetic")


def _value(field: str, value: Any) -> str:
    if value is None:
        return ""
    return str(value)[:1] if field == "occupation" else str(value)  # its major group


def keys(values: Mapping[str, Any]) -> list[Key]:
    """The tallies one registration counts in (`values`: its fields by name)."""
    residence = values["residence"]
    out = [(residence, "total", "")]
    out += [(residence, f, _value(f, values.get(f))) for f in FIELDS]
    out += [(residence, f, "1") for f in FLAGS if values.get(f)]
    return out


def of(reg: Registration) -> list[Key]:
    return keys({c: getattr(reg, c) for c in ("residence", *FIELDS, *FLAGS)})


def add(session: Session, counts: Mapping[Key, int]) -> None:
    """Add `counts` to the tallies (negative to take away), in key order so concurrent
    writers lock rows in the same order."""
    dialect = session.get_bind().dialect.name
    make = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for (residence, field, value), n in sorted(counts.items()):
        if n == 0:
            continue
        stmt = make(Tally).values(residence=residence, field=field, value=value, n=n)
        session.execute(stmt.on_conflict_do_update(
            index_elements=["residence", "field", "value"], set_={"n": Tally.n + n}))


def change(session: Session, *, before: Iterable[Key] = (), after: Iterable[Key] = ()
           ) -> None:
    counts: Counter[Key] = Counter(after)
    counts.subtract(Counter(before))
    add(session, counts)


def rebuild(session: Session) -> None:
    """Recount every tally from the registrations."""
    session.execute(delete(Tally))
    counts: Counter[Key] = Counter()
    r = Registration
    for residence, n in session.execute(select(r.residence, func.count())
                                        .group_by(r.residence)):
        counts[(residence, "total", "")] = n
    for field in FIELDS:
        column = getattr(r, field)
        expr = func.substr(column, 1, 1) if field == "occupation" else column
        for residence, value, n in session.execute(
                select(r.residence, expr, func.count()).group_by(r.residence, expr)):
            counts[(residence, field, _value("education", value))] += n
    for field in FLAGS:
        for residence, n in session.execute(
                select(r.residence, func.count()).where(getattr(r, field).is_(True))
                .group_by(r.residence)):
            counts[(residence, field, "1")] = n
    add(session, counts)


def read(session: Session) -> dict[str, dict[tuple[str, str], int]]:
    """Country of residence -> (field, value) -> count, for countries with registrants."""
    out: dict[str, dict[tuple[str, str], int]] = {}
    for t in session.scalars(select(Tally).where(Tally.n != 0)):
        out.setdefault(t.residence, {})[(t.field, t.value)] = t.n
    return {r: v for r, v in out.items() if v.get(("total", ""), 0) > 0}
