"""The skills composition of the registered diaspora, the only skills figures that leave
the registry: people with a skills profile by country of residence crossed with ISCO-08
major group and with ISCED 2011 level, both tables protected together by the registry's
small-cell and complementary suppression (`tmo.registry.suppression`, cells under k = 10
by default). Synthetic registrants (`tmo registry demo`, `tmo.skills.demo`) are counted and
labelled. For the registry country's Migration Profile: `composition(made)`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select

from tmo.errors import InputError
from tmo.registry import audit, organisation
from tmo.registry import publication as published
from tmo.registry.access import SYSTEM, Actor, require
from tmo.registry.aggregates import K
from tmo.registry.database import transaction, where
from tmo.registry.models import Registration
from tmo.registry.suppression import Protected, protect_tables
from tmo.registry.vocabulary import ISCED, ISCO_MAJOR, NOT_STATED
from tmo.skills.models import SkillsProfile

SOURCE = ("the diaspora registry's skills profiles (tmo.skills.models.SkillsProfile) "
          "joined to their registrations' country of residence")
TABLES = {"occupation_major_group": [*ISCO_MAJOR, NOT_STATED],
          "education": [*ISCED, NOT_STATED]}


def counts(made: Engine) -> tuple[list[str], dict[str, list[list[int]]], int]:
    """Countries of residence, each table's counts (rows: countries), the synthetic count."""
    major = func.substr(SkillsProfile.occupation, 1, 1)
    with transaction(made) as s:
        by_major = s.execute(select(Registration.residence, major, func.count())
                             .join(SkillsProfile, SkillsProfile.user_id ==
                                   Registration.user_id)
                             .group_by(Registration.residence, major)).all()
        by_level = s.execute(select(Registration.residence, SkillsProfile.education,
                                    func.count())
                             .join(SkillsProfile, SkillsProfile.user_id ==
                                   Registration.user_id)
                             .group_by(Registration.residence, SkillsProfile.education)).all()
        synthetic = s.scalar(select(func.count()).select_from(SkillsProfile).join(
            Registration, Registration.user_id == SkillsProfile.user_id)
            .where(Registration.synthetic.is_(True))) or 0
    residences = sorted({r for r, _v, _n in by_major})
    row = {r: i for i, r in enumerate(residences)}
    out: dict[str, list[list[int]]] = {}
    for name, found in (("occupation_major_group", by_major), ("education", by_level)):
        columns = {c: j for j, c in enumerate(TABLES[name])}
        cells = [[0] * len(columns) for _ in residences]
        for residence, value, n in found:
            cells[row[residence]][columns.get(value or NOT_STATED, columns[NOT_STATED])] += n
        out[name] = cells
    return residences, out, synthetic


def _table(columns: list[str], residences: list[str], p: Protected) -> dict[str, Any]:
    return {"columns": columns,
            "rows": [{"residence": r, "total": p.row_totals[i],
                      "cells": dict(zip(columns, p.cells[i], strict=True))}
                     for i, r in enumerate(residences)],
            "column_totals": dict(zip(columns, p.column_totals, strict=True)),
            "total": p.total}


def composition(made: Engine, k: int = K) -> dict[str, Any]:
    """People with a skills profile by country of residence × ISCO-08 major group and ×
    ISCED level, protected together; a suppressed figure is null. "no data" is an empty
    `tables` (no profile at all), never a table of zeros."""
    residences, raw, synthetic = counts(made)
    names = list(TABLES) if residences else []
    protected = protect_tables([raw[n] for n in names], k) if residences else []
    return {
        "k": k, "synthetic": synthetic, "label": "SYNTHETIC" if synthetic else None,
        "source": SOURCE,
        "note": (f"figures under {k} and the figures that would reveal them are suppressed "
                 "(null); major groups: ILO ISCO-08; levels: UNESCO ISCED 2011"),
        "tables": {n: _table(TABLES[n], residences, p)
                   for n, p in zip(names, protected, strict=True)},
    }


def analyst_composition(made: Engine, actor: Actor, k: int = K) -> dict[str, Any]:
    """The same for a ministry analyst or an administrator (audit-logged)."""
    require(actor, "analyst", "admin")
    out = composition(made, k)
    with transaction(made) as s:
        audit.record(s, actor, "viewed_skills_composition", k=k)
    return out


def publication(made: Engine, k: int = K,
                at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The rows of the store's `registry_skills` table: the skills composition
    (`composition`, both tables suppressed together), one row per
    country of residence, classification (ISCO-08 major group, ISCED level) and category
    (`people` None where suppressed); category `total` holds a country's people with a
    skills profile, residence `UN:900` each category's total. Empty when no one has a
    skills profile (no data, never zeros). Audit-logged."""
    with transaction(made) as session:
        origin = organisation.origin(session)
    if origin is None:
        raise InputError(f"the registry at {where(made)} has no country of origin yet",
                         hint="run `tmo registry demo --country ISO3` or add its missions")
    found = composition(made, k)
    stamp = (at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    common = {"origin": origin, "synthetic": int(found["synthetic"]), "k": k,
              "rule": published.rule(k), "registry": where(made), "published_at": stamp}
    rows: list[dict[str, Any]] = []
    for name, table in found["tables"].items():
        for row in table["rows"]:
            rows += [{"residence": row["residence"], "classification": name,
                      "category": c, "people": n, **common} for c, n in row["cells"].items()]
            rows.append({"residence": row["residence"], "classification": name,
                         "category": "total", "people": row["total"], **common})
        rows += [{"residence": published.TOTAL, "classification": name, "category": c, "people": n,
                  **common} for c, n in table["column_totals"].items()]
        rows.append({"residence": published.TOTAL, "classification": name, "category": "total",
                     "people": table["total"], **common})
    with transaction(made) as session:
        audit.record(session, SYSTEM, "published_skills_composition", k=k, rows=len(rows))
    return rows
