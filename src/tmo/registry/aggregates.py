"""The registry's aggregates, the only figures that leave it: registrants by country of
residence crossed with sex, age band, education, occupation major group, decade of
departure and each intention, every table protected together by small-cell and
complementary suppression (`tmo.registry.suppression`). Synthetic registrants (from
`tmo registry demo`) are counted and labelled as such."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from tmo.registry import audit, tallies
from tmo.registry.access import Actor, require
from tmo.registry.database import transaction
from tmo.registry.suppression import Protected, protect_tables
from tmo.registry.vocabulary import AGE_BANDS, INTENTIONS, ISCED, ISCO_MAJOR, NOT_STATED, SEXES

K = 10  # cells under K are suppressed by default
DECADES = ("before 1960", "1960s", "1970s", "1980s", "1990s", "2000s", "2010s", "2020s")


BANDS = [f"{lo}+" if hi >= 200 else f"{lo}-{hi}" for lo, hi in AGE_BANDS]
Counts = dict[tuple[str, str], int]


def _in(counts: Counts, field: str, low: int, high: int) -> int:
    """Registrants whose `field` (a year) is from `low` to `high`."""
    return sum(n for (f, v), n in counts.items() if f == field and v
               and low <= int(v) <= high)


def _columns(year: int) -> dict[str, tuple[list[str], Any]]:
    """Each table's columns and how a country's counts give every column but the last;
    the last (not stated, or "no") holds the rest, so the columns add up to the total."""
    def eq(field: str) -> Any:
        return lambda c, v: c.get((field, v), 0)

    ages = [(year - hi, year - lo) for lo, hi in AGE_BANDS]
    decades = [(0, 1959)] + [(1950 + 10 * n, 1959 + 10 * n) for n in range(1, 8)]
    dims: dict[str, tuple[list[str], Any]] = {
        "sex": ([*SEXES, NOT_STATED], lambda c: [eq("sex")(c, v) for v in SEXES]),
        "age_band": ([*BANDS, NOT_STATED],
                     lambda c: [_in(c, "birth_year", lo, hi) for lo, hi in ages]),
        "education": ([*ISCED, NOT_STATED],
                      lambda c: [eq("education")(c, v) for v in ISCED]),
        "occupation_major_group": ([*ISCO_MAJOR, NOT_STATED],
                                   lambda c: [eq("occupation")(c, v) for v in ISCO_MAJOR]),
        "departure": ([*DECADES, NOT_STATED],
                      lambda c: [_in(c, "departure_year", lo, hi) for lo, hi in decades]),
    }
    for intention in INTENTIONS:
        dims[f"intends_{intention}"] = (
            ["yes", "no"], lambda c, f=f"intends_{intention}": [c.get((f, "1"), 0)])
    return dims


def dimensions(year: int) -> dict[str, list[str]]:
    """Each table's columns."""
    return {name: columns for name, (columns, _f) in _columns(year).items()}


def counts(made: Engine, year: int) -> tuple[list[str], dict[str, list[list[int]]], int]:
    """Countries of residence (those with registrants), each dimension's table of counts
    (rows: countries, columns: the dimension's values), and the synthetic count; read
    from the running tallies (tmo.registry.tallies), not from every registration."""
    with transaction(made) as session:
        held = tallies.read(session)
    residences = sorted(held)
    dims = _columns(year)
    out: dict[str, list[list[int]]] = {name: [] for name in dims}
    for residence in residences:
        c = held[residence]
        total = c[("total", "")]
        for name, (_cols, given) in dims.items():
            cells = given(c)
            out[name].append([*cells, total - sum(cells)])
    return residences, out, sum(c.get(("synthetic", "1"), 0) for c in held.values())


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
        "tables": {n: _table(dims[n], residences, p)
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
