"""Synthetic registrants for demonstrations and load tests (`tmo registry demo`): their
countries of residence follow the UN DESA emigrant stocks of the registry's country, and
their sexes the female and male stocks of each country of residence (both read from the
statistics store, each registrant carrying the source row it was drawn from in the audit
entry of the run). Ages, education, occupation and the rest are drawn from simple
assumptions of this generator, not from statistics: every such registrant is marked
`synthetic` and every aggregate that counts one says SYNTHETIC."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
from sqlalchemy import Engine, func, insert, select

from tmo.errors import InputError
from tmo.registry import audit, organisation, tallies
from tmo.registry.access import SYSTEM
from tmo.registry.database import transaction
from tmo.registry.models import Consent, Jurisdiction, Registration, User, name_key
from tmo.registry.vocabulary import ISCED, ISCO_MAJOR, PURPOSES
from tmo.store import facts

MISSIONS = 8  # the largest countries of residence each get a mission; a desk serves the rest
BATCH = 20_000


def plan(con: facts.Con, origin: str, revision: str | None = None, year: int | None = None
         ) -> dict[str, Any]:
    """The UN DESA emigrant stocks the synthetic registrants follow, with their source."""
    rev = facts.revision_or_latest(con, revision)
    yr = facts.year_or_default(con, rev, year)
    rows = [r for r in facts.emigrant_stock_rows(con, origin, rev, yr) if r["stock"] > 0]
    if not rows:
        raise InputError(f"the store has no emigrants of {origin} in {rev} {yr}",
                         hint="pick a country of origin with UN DESA emigrant stocks")
    return {"origin": origin, "revision": rev, "year": yr, "rows": rows,
            "sexes": facts.emigrant_stock_by_sex(con, origin, rev, yr)}


def missions_for(made: Engine, origin: str, name: str, rows: list[dict[str, Any]]
                 ) -> dict[str, int]:
    """Missions in the largest countries of residence and a desk at home for the others
    (made once; an existing registry keeps its own)."""
    with transaction(made) as session:
        organisation.set_origin(session, origin, name)
        served = dict(session.execute(select(Jurisdiction.residence,
                                             Jurisdiction.mission_id)).all())
        if served:
            return served
        top = [r["destination"] for r in rows[:MISSIONS]]
        for code in top:
            organisation.add_mission(session, SYSTEM, f"Mission in {code} (synthetic)", code,
                                     residences=[code])
        rest = [r["destination"] for r in rows[MISSIONS:]]
        if rest:
            organisation.add_mission(session, SYSTEM, "Consular desk (synthetic)", origin,
                                     residences=rest)
        return dict(session.execute(select(Jurisdiction.residence,
                                           Jurisdiction.mission_id)).all())


def _draws(rng: np.random.Generator, n: int, source: dict[str, Any], served: dict[str, int]
           ) -> dict[str, np.ndarray]:
    rows = [r for r in source["rows"] if r["destination"] in served]
    if not rows:
        raise InputError("no country of residence of the stocks is served by a mission")
    stock = np.array([r["stock"] for r in rows], dtype=float)
    where = rng.choice(len(rows), size=n, p=stock / stock.sum())
    residences = np.array([r["destination"] for r in rows])[where]
    female = np.array([
        source["sexes"].get(r["destination"], {}).get("female", np.nan) /
        max(sum(source["sexes"].get(r["destination"], {}).values()), 1e-9) for r in rows])
    female = np.where(np.isfinite(female), female, 0.5)[where]
    year = dt.date.today().year
    age = rng.integers(18, 80, size=n)
    return {
        "residence": residences,
        "sex": np.where(rng.random(n) < female, "female", "male"),
        "birth_year": year - age,
        "departure_year": year - (rng.random(n) * (age - 16)).astype(int),
        "education": rng.choice(list(ISCED), size=n),
        "occupation": np.array([f"{g}{rng.integers(100, 999)}" for g in
                                rng.choice(list(ISCO_MAJOR), size=n)]),
        "intends": rng.random((n, 4)) < [0.3, 0.15, 0.1, 0.5],
    }


def populate(made: Engine, con: facts.Con, origin: str, n: int, *, seed: int = 0,
             revision: str | None = None, year: int | None = None) -> dict[str, Any]:
    """Add `n` synthetic registrants to the registry; what was drawn from where."""
    if not 1 <= n <= 10_000_000:
        raise InputError(f"--n {n}: a number of registrants from 1 to 10,000,000")
    source = plan(con, origin, revision, year)
    names = facts.area_names(con)
    served = missions_for(made, origin, names.get(origin, origin), source["rows"])
    rng = np.random.default_rng(seed)
    d = _draws(rng, n, source, served)
    with transaction(made) as session:
        start = (session.scalar(select(func.max(User.id))) or 0) + 1
    created = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for lo in range(0, n, BATCH):
        hi = min(n, lo + BATCH)
        ids = range(start + lo, start + hi)
        with transaction(made) as session:
            session.execute(insert(User), [
                {"id": i, "email": f"synthetic-{i}@example.invalid", "role": "registrant",
                 "verified_at": created, "created_at": created, "language": "en"}
                for i in ids])
            rows = [_registration(i, k, d, served, created)
                    for k, i in zip(range(lo, hi), ids, strict=True)]
            session.execute(insert(Registration), rows)
            tallies.add(session, Counter(key for row in rows for key in tallies.keys(row)))
            session.execute(insert(Consent), [
                {"user_id": i, "purpose": PURPOSES[(i % 2)], "granted_at": created}
                for i in ids])
    with transaction(made) as session:
        audit.record(session, SYSTEM, "synthetic_registrants", records=n, seed=seed,
                     source=source["rows"][0]["src_file"], revision=source["revision"],
                     year=source["year"])
    return {"origin": origin, "added": n, "revision": source["revision"],
            "year": source["year"], "source": source["rows"][0]["src_file"],
            "countries_of_residence": len({str(r) for r in d["residence"]}),
            "label": "SYNTHETIC"}


def _registration(i: int, k: int, d: dict[str, np.ndarray], served: dict[str, int],
                  created: dt.datetime) -> dict[str, Any]:
    residence = str(d["residence"][k])
    intends = d["intends"][k]
    name = f"Synthetic Registrant {i}"
    return {"user_id": i, "name": name, "name_key": name_key(name), "residence": residence,
            "mission_id": served[residence], "birth_year": int(d["birth_year"][k]),
            "sex": str(d["sex"][k]), "city": None, "education": str(d["education"][k]),
            "occupation": str(d["occupation"][k]), "languages": "en",
            "departure_year": int(d["departure_year"][k]),
            "intends_return": bool(intends[0]), "intends_invest": bool(intends[1]),
            "intends_mentor": bool(intends[2]), "intends_vote": bool(intends[3]),
            "synthetic": True, "created_at": created, "updated_at": created}
