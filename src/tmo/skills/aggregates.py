"""The skills composition of the registered diaspora, the only skills figures that leave
the registry: people with a skills profile by country of residence crossed with ISCO-08
major group and with ISCED 2011 level, both tables protected together by the registry's
small-cell and complementary suppression (`tmo.registry.suppression`, cells under k = 10
by default). Synthetic registrants (`tmo registry demo`, `tmo.skills.demo`) are counted and
labelled. For the registry country's Migration Profile: `composition(made)`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from tmo.registry import audit
from tmo.registry.access import Actor, require
from tmo.registry.aggregates import K
from tmo.registry.database import transaction
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
