"""Reads of the projected flows with their intervals (docs/projections.md, "Projected
flows"): the `projected_flows` of one scenario for a place (either side), each cell with
the 80 % and 95 % bounds of the flows estimated in the simulated futures (scenarios
`draws_*`) where the store holds them, and the provenance a reader needs: the rows'
filter and the published files behind them. Used by the API, the projections page and
the profile's projections section."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from tmo.store.evidence import describe
from tmo.store.projected import DRAW_SCENARIOS

Con = duckdb.DuckDBPyConnection
SCENARIOS = ("median", "lower80", "upper80", "draws")
BOUNDS = ("lower80", "upper80", "lower95", "upper95")
KEYS = ["revision", "jump_off", "kind", "method", "wpp_revision", "sex", "period_start",
        "period_end", "origin", "destination"]


@dataclass(frozen=True)
class Cells:
    """Projected flows of a place, largest first per period: `frame` has the `KEYS`, the
    `scenario`, `flow` (NaN for a cell only the draws have), the `BOUNDS` (NaN where the
    store holds no draws for the revision and sex; 0 where the draws' bound is no flow)
    and `stored`, the rows of the cell; `filter` is the WHERE clause of the
    `projected_flows` rows behind them (`n_rows`), `files` the published files, `draws`
    how many simulated futures the bounds come from (None when not stored)."""

    frame: pd.DataFrame
    filter: str
    files: tuple[str, ...]
    n_rows: int
    draws: int | None = None  # the simulated futures the bounds come from, if stored


def _has(con: Con) -> bool:
    return con.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' "
                       "AND table_name = 'projected_flows'").fetchone() is not None


def _has_column(con: Con, column: str) -> bool:
    return con.execute("SELECT 1 FROM information_schema.columns WHERE table_schema = 'main' "
                       "AND table_name = 'projected_flows' AND column_name = ?",
                       [column]).fetchone() is not None


def flow_cells(con: Con, country: str | None, *, scenario: str = "median",
               sex: str = "total", period: int | list[int] | None = None,
               revision: str | None = None) -> Cells:
    """The projected flows into and out of `country` (None: every place) of a revision
    (default: the latest), one sex, some period starts or all; empty `frame` when none
    are stored."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}")
    empty = Cells(pd.DataFrame(columns=[*KEYS, "scenario", "flow", "stored", *BOUNDS]), "",
                  (), 0)
    if not _has(con):
        return empty
    found = con.execute("SELECT max(revision) FROM projected_flows").fetchone()
    rev = revision or (found[0] if found else None)
    if rev is None:
        return empty
    if country is not None and not country.isalnum():
        raise ValueError(f"not a place code: {country!r}")
    where: dict[str, object] = {"revision": rev, "sex": sex}
    if period is not None:
        where["period_start"] = period
    wanted = ([*DRAW_SCENARIOS] if scenario == "draws" else [scenario]
              if scenario in ("lower80", "upper80") else [scenario, *DRAW_SCENARIOS])
    clause = describe(where | {"scenario": wanted})
    if country is not None:
        clause += " AND " + describe({"origin": country}).replace("origin = ", "") \
            + " IN (origin, destination)"
    point = "draws_median" if scenario == "draws" else scenario
    bounds = ", ".join(
        f"sum(flow) FILTER (WHERE scenario = 'draws_{b}') AS {b}" for b in BOUNDS)
    keys = ", ".join(KEYS)
    # one row a cell: the scenario's flow (NULL for a cell only the draws have), the
    # draws' bounds (NULL where none is stored), the rows behind it
    # a store written before the column was declared has no `draws`
    column = "draws" if _has_column(con, "draws") else "NULL::INTEGER"
    out = con.execute(f"""SELECT {keys}, sum(flow) FILTER (WHERE scenario = ?) AS flow,
                                 {bounds}, count(*) AS stored,
                                 count(*) FILTER (WHERE scenario LIKE 'draws_%') AS drawn,
                                 max({column}) FILTER (WHERE scenario LIKE 'draws_%')
                                     AS futures
                          FROM projected_flows WHERE {clause} GROUP BY ALL""",
                      [point]).df()
    if out.empty:
        return empty
    drawn = out["futures"].dropna()
    draws = int(drawn.max()) if len(drawn) and scenario not in ("lower80", "upper80") \
        else None
    has_draws = bool((out["drawn"] > 0).any())
    out = out.drop(columns=["drawn", "futures"]).assign(scenario=scenario)
    for bound in BOUNDS:
        if not has_draws or scenario in ("lower80", "upper80"):
            out[bound] = float("nan")
        else:  # a bound the draws give as no flow is not stored: 0
            out[bound] = out[bound].astype(float).fillna(0.0)
    out = out[[*KEYS, "scenario", "flow", "stored", *BOUNDS]]
    out = out.sort_values(["period_start", "flow", "origin", "destination"],
                          ascending=[True, False, True, True], ignore_index=True,
                          na_position="last")
    files = _files(con, rev, str(out["wpp_revision"].iloc[0]) if len(out) else "")
    return Cells(out, clause, files, int(out["stored"].sum()), draws)


def _files(con: Con, revision: str, wpp: str) -> tuple[str, ...]:
    """The published files the projected flows come from: the IMS revision's stocks by
    sex and population, WPP's projected population and vital events."""
    found = con.execute(
        """SELECT DISTINCT src_file FROM migrant_stock WHERE revision = ?
                  AND sex IN ('female', 'male')
           UNION SELECT DISTINCT src_file FROM population WHERE source = 'UN DESA IMS'
                  AND revision = ?
           UNION SELECT DISTINCT src_file FROM population_projection WHERE source = 'UN WPP'
                  AND revision = ? AND variant = 'medium'
           UNION SELECT DISTINCT src_file FROM vital_events WHERE source = 'UN WPP'
                  AND revision = ?
           ORDER BY 1""", [revision, revision, wpp, wpp]).fetchall()
    return tuple(str(r[0]) for r in found if r[0] is not None)
