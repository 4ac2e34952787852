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


def _bands(year: int) -> tuple[list[str], ColumnElement[Any]]:
    labels = [f"{lo}+" if hi >= 200 else f"{lo}-{hi}" for lo, hi in AGE_BANDS]
    age = year - Registration.birth_year
    whens = [(age.between(lo, hi), label) for (lo, hi), label in zip(AGE_BANDS, labels,
                                                                     strict=True)]
    return [*labels, NOT_STATED], case(*whens, else_=NOT_STATED)


def _decade() -> tuple[list[str], ColumnElement[Any]]:
    y = Registration.departure_year
    whens = [(y < 1960, DECADES[0])] + [
        (y.between(1950 + 10 * n, 1959 + 10 * n), DECADES[n]) for n in range(1, 8)]
    return [*DECADES, NOT_STATED], case(*whens, else_=NOT_STATED)


def dimensions(year: int) -> dict[str, tuple[list[str], ColumnElement[Any]]]:
    """Each table's columns and the SQL expression giving a registrant's column."""
    dims: dict[str, tuple[list[str], ColumnElement[Any]]] = {
        "sex": ([*SEXES, NOT_STATED], func.coalesce(Registration.sex, NOT_STATED)),
        "age_band": _bands(year),
        "education": ([*ISCED, NOT_STATED],
                      func.coalesce(Registration.education, NOT_STATED)),
        "occupation_major_group": ([*ISCO_MAJOR, NOT_STATED], func.coalesce(
            func.substr(Registration.occupation, 1, 1), NOT_STATED)),
        "departure": _decade(),
    }
    for intention in INTENTIONS:
        column = getattr(Registration, f"intends_{intention}")
        dims[f"intends_{intention}"] = (["yes", "no"], case((column, "yes"), else_="no"))
    return dims


def counts(made: Engine, year: int) -> tuple[list[str], dict[str, list[list[int]]], int]:
    """Countries of residence (those with registrants), each dimension's table of counts
    (rows: countries, columns: the dimension's values), and the synthetic count."""
    tables: dict[str, dict[tuple[str, str], int]] = {}
    with transaction(made) as session:
        synthetic = session.scalar(select(func.count()).where(Registration.synthetic)) or 0
        for name, (_cols, expr) in dimensions(year).items():
            rows = session.execute(select(Registration.residence, expr, func.count())
                                   .group_by(Registration.residence, expr)).all()
            tables[name] = {(r, str(v)): n for r, v, n in rows}
    residences = sorted({r for table in tables.values() for r, _v in table})
    out = {}
    for name, (columns, _expr) in dimensions(year).items():
        out[name] = [[tables[name].get((r, c), 0) for c in columns] for r in residences]
    return residences, out, synthetic


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
