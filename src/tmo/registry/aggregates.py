"""The registry's aggregates, the only figures that leave it: registrants by country of
residence crossed with sex, age band, education, occupation major group, decade of
departure and each intention, every table protected together by small-cell and
complementary suppression (`tmo.registry.suppression`). Synthetic registrants (from
`tmo registry demo`) are counted and labelled as such."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine, case, func, select
from sqlalchemy.sql.elements import ColumnElement

from tmo.registry import audit
from tmo.registry.access import Actor, require
from tmo.registry.database import transaction
from tmo.registry.models import Registration
from tmo.registry.suppression import Protected, protect_tables
from tmo.registry.vocabulary import AGE_BANDS, INTENTIONS, ISCED, ISCO_MAJOR, NOT_STATED, SEXES

K = 10  # cells under K are suppressed by default
DECADES = ("before 1960", "1960s", "1970s", "1980s", "1990s", "2000s", "2010s", "2020s")


Predicate = ColumnElement[bool]


def dimensions(year: int) -> dict[str, tuple[list[str], list[Predicate]]]:
    """Each table's columns and, for every column but the last, the SQL condition a
    registrant of that column meets; the last column (not stated, or "no") holds the
    rest, so the columns add up to the row total by construction."""
    r = Registration
    bands = [f"{lo}+" if hi >= 200 else f"{lo}-{hi}" for lo, hi in AGE_BANDS]
    dims: dict[str, tuple[list[str], list[Predicate]]] = {
        "sex": ([*SEXES, NOT_STATED], [r.sex == v for v in SEXES]),
        "age_band": ([*bands, NOT_STATED],
                     [r.birth_year.between(year - hi, year - lo) for lo, hi in AGE_BANDS]),
        "education": ([*ISCED, NOT_STATED], [r.education == v for v in ISCED]),
        "occupation_major_group": ([*ISCO_MAJOR, NOT_STATED],
                                   [r.occupation.startswith(g) for g in ISCO_MAJOR]),
        "departure": ([*DECADES, NOT_STATED],
                      [r.departure_year < 1960] + [
                          r.departure_year.between(1950 + 10 * n, 1959 + 10 * n)
                          for n in range(1, 8)]),
    }
    for intention in INTENTIONS:
        dims[f"intends_{intention}"] = (["yes", "no"],
                                        [getattr(r, f"intends_{intention}").is_(True)])
    return dims


def counts(made: Engine, year: int) -> tuple[list[str], dict[str, list[list[int]]], int]:
    """Countries of residence (those with registrants), each dimension's table of counts
    (rows: countries, columns: the dimension's values), and the synthetic count; one
    scan of the registrations, grouped by country of residence."""
    dims = dimensions(year)
    sums = [func.sum(case((p, 1), else_=0)) for _cols, preds in dims.values() for p in preds]
    query = select(Registration.residence, func.count(),
                   func.sum(case((Registration.synthetic.is_(True), 1), else_=0)), *sums
                   ).group_by(Registration.residence).order_by(Registration.residence)
    with transaction(made) as session:
        rows = session.execute(query).all()
    residences = [row[0] for row in rows]
    out: dict[str, list[list[int]]] = {name: [] for name in dims}
    for row in rows:
        total, values = int(row[1]), [int(v or 0) for v in row[3:]]
        at = 0
        for name, (_cols, preds) in dims.items():
            cells = values[at:at + len(preds)]
            at += len(preds)
            out[name].append([*cells, total - sum(cells)])
    return residences, out, sum(int(row[2] or 0) for row in rows)


def _table(columns: list[str], residences: list[str], p: Protected) -> dict[str, Any]:
    return {"columns": columns,
            "rows": [{"residence": r, "total": p.row_totals[i],
                      "cells": dict(zip(columns, p.cells[i], strict=True))}
                     for i, r in enumerate(residences)],
            "column_totals": dict(zip(columns, p.column_totals, strict=True)),
            "total": p.total}


def tables(made: Engine, k: int = K, year: int | None = None) -> dict[str, Any]:
    """Every aggregate table, protected together. A suppressed figure is null."""
    year = year or dt.date.today().year
    residences, raw, synthetic = counts(made, year)
    names = list(raw)
    protected = protect_tables([raw[n] for n in names], k) if residences else []
    dims = dimensions(year)
    if not residences:
        names = []
    return {
        "k": k, "year": year, "synthetic": synthetic,
        "label": "SYNTHETIC" if synthetic else None,
        "note": (f"figures under {k} and the figures that would reveal them are suppressed "
                 "(null); synthetic registrants come from `tmo registry demo`"),
        "tables": {n: _table(dims[n][0], residences, p)
                   for n, p in zip(names, protected, strict=True)},
    }


def analyst_tables(made: Engine, actor: Actor, k: int = K) -> dict[str, Any]:
    """The tables for a ministry analyst or an administrator (audit-logged)."""
    require(actor, "analyst", "admin")
    out = tables(made, k)
    with transaction(made) as session:
        audit.record(session, actor, "viewed_aggregates", k=k)
    return out


def registered_by_residence(made: Engine, k: int = K) -> dict[str, Any]:
    """Registrants by country of residence, suppressed as in `tables` (the figures a
    Migration Profile may set beside the UN DESA emigrant stocks): residence -> count or
    None, the total, and whether synthetic registrants are among them."""
    out = tables(made, k)
    sex = out["tables"].get("sex")
    by = {row["residence"]: row["total"] for row in sex["rows"]} if sex else {}
    return {"by_residence": by, "total": sex["total"] if sex else 0, "k": k,
            "synthetic": out["synthetic"], "label": out["label"]}
