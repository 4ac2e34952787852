"""Population margins to rake to: from a census file, or from the store.

A margins file (CSV) has one row per category: `variable,category,total` and optionally
`source` (the census table it was copied from). The store gives the population by sex of
a country and year, the mid-year population published with the UN DESA International
Migrant Stock (itself from World Population Prospects), with the rows it rests on.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from tmo.errors import InputError, NotFound
from tmo.store.evidence import Evidence
from tmo.surveys.calibration import Margin
from tmo.surveys.design import Design, cell_text, row_number

MARGIN_COLUMNS = ("variable", "category", "total")
POPULATION_SOURCE = "UN DESA IMS"  # the mid-year population published with each IMS revision
WPP_SOURCE = "UN WPP"


def read_margins(path: Path) -> list[Margin]:
    """The margins of a CSV file, in the order their variables first appear."""
    if not path.is_file():
        raise InputError(f"{path}: no such margins file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot be read as CSV ({str(exc).splitlines()[0]})") from exc
    missing = [c for c in MARGIN_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(f"{path}: no column {missing[0]!r}",
                         hint="a margins file has the columns variable,category,total "
                              "(and optionally source)")
    totals: dict[str, dict[str, float]] = {}
    sources: dict[str, str] = {}
    for i, row in enumerate(frame.itertuples(index=False)):
        variable, category = str(row.variable).strip(), cell_text(row.category)
        try:
            value = float(str(row.total).replace(",", "").replace("_", ""))
        except ValueError:
            value = float("nan")
        if not variable or not category:
            raise InputError(f"{path}: row {row_number(i)}: empty variable or category")
        if not np.isfinite(value) or value <= 0:
            raise InputError(f"{path}: row {row_number(i)}, column 'total': {row.total!r} is "
                             "not a positive number")
        if category in totals.setdefault(variable, {}):
            raise InputError(f"{path}: row {row_number(i)}: category {category!r} of "
                             f"{variable!r} given twice")
        totals[variable][category] = value
        cited = str(getattr(row, "source", "") or "").strip()
        sources.setdefault(variable, cited or f"{path.name}")
    return [Margin(v, t, sources[v]) for v, t in totals.items()]


def population_by_sex(ev: Evidence, iso3: str, year: int, revision: str, *, column: str,
                      codes: Mapping[str, str], source: str = POPULATION_SOURCE) -> Margin:
    """The store's population of `iso3` in `year` by sex, as a margin on `column`.

    `codes` maps the store's sexes (`female`, `male`) to the answers in the responses
    (e.g. {"female": "F", "male": "M"}); `source` and `revision` choose the rows: the
    IMS revision's population (default), or `UN WPP` and a WPP revision (e.g. `2024`).
    """
    rows, src = ev.rows("population", {"source": source, "revision": revision,
                                       "country": iso3, "year": year, "sex": list(codes)},
                        ["sex", "population"])
    found = set(rows["sex"])
    if found != set(codes):
        raise NotFound(f"the store has no population of {iso3} in {year} by sex "
                       f"({source}, revision {revision})",
                       hint="choose a year the store publishes (tmo sql \"SELECT DISTINCT year "
                            "FROM population\")")
    totals = {codes[str(sex)]: float(value)
              for sex, value in zip(rows["sex"], rows["population"].astype(float), strict=True)}
    return Margin(column, totals, src.cite())


def proportional(margin: Margin, design: Design) -> Margin:
    """`margin` rescaled to the design's weighted total: its shares kept, the survey's
    total kept (for a survey of part of the population, e.g. adults)."""
    grand = float(sum(margin.totals.values()))
    factor = float(design.weights.sum()) / grand
    return Margin(margin.column, {k: v * factor for k, v in margin.totals.items()},
                  f"{margin.source} (shares only)")
