"""Reads for the projected flows (`tmo projections flows`): the stored corridor
projections as stock tables, WPP's medium-variant population, and the stored projected
flows read back. Kept apart from `facts` so the flow projection's SQL is in one place."""

from __future__ import annotations

import duckdb
import pandas as pd

Con = duckdb.DuckDBPyConnection
WORLD = "UN:900"
SCENARIOS = ("median", "lower80", "upper80")
# the quantiles of the flows estimated in each simulated future (`tmo projections flows
# run --scenario draws`); read together as scenario "draws"
DRAW_SCENARIOS = ("draws_median", "draws_lower80", "draws_upper80", "draws_lower95",
                  "draws_upper95")


def _has(con: Con, table: str) -> bool:
    return con.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' "
                       "AND table_name = ?", [table]).fetchone() is not None


def projected_revisions(con: Con) -> list[str]:
    """IMS revisions with stored projections (the `projections` view), oldest first."""
    if not _has(con, "projections"):
        return []
    return [r[0] for r in con.execute(
        "SELECT DISTINCT revision FROM projections ORDER BY revision").fetchall()]


def projected_corridors(con: Con, revision: str, scenario: str) -> pd.DataFrame:
    """The corridors (no totals) of a revision's projections: jump_off, year, origin,
    destination, sex, jump_off_stock and `value` = the scenario's column."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}")
    return con.execute(
        f"""SELECT jump_off, year, origin, destination, sex, jump_off_stock,
                   {scenario} AS value FROM projections
            WHERE revision = ? AND origin <> ? AND destination <> ?""",
        [revision, WORLD, WORLD]).df()


def projection_revisions(con: Con) -> list[str]:
    """WPP revisions with a medium-variant population projection, oldest first."""
    return [str(r[0]) for r in con.execute(
        """SELECT DISTINCT revision FROM population_projection WHERE source = 'UN WPP'
           AND variant = 'medium' ORDER BY 1""").fetchall()]


def projected_population(con: Con, revision: str) -> pd.DataFrame:
    """WPP's medium-variant projected population of one revision: year, date ('07-01' or
    '12-31'), country, sex, population (persons)."""
    return con.execute(
        """SELECT year, date, country, sex, population FROM population_projection
           WHERE source = 'UN WPP' AND revision = ? AND variant = 'medium'""",
        [revision]).df()


def population_on_1_july(pop: pd.DataFrame, year: int, sex: str) -> pd.Series:
    """WPP's 1 July population of `year` by country from `projected_population` rows: the
    '07-01' figure, else the mean of the year ends before and after."""
    p = pop[pop["sex"] == sex]
    july = p[(p["date"] == "07-01") & (p["year"] == year)].set_index("country")["population"]
    ends = p[p["date"] == "12-31"]
    before = ends[ends["year"] == year - 1].set_index("country")["population"]
    after = ends[ends["year"] == year].set_index("country")["population"]
    mean = ((before + after) / 2).dropna()
    return pd.concat([july, mean[~mean.index.isin(july.index)]]).astype(float)


def projected_flow_rows(con: Con, *, revision: str | None = None,
                        country: str | None = None, scenario: str = "median",
                        sexes: tuple[str, ...] = ("total",)) -> pd.DataFrame:
    """Stored projected flows (the `projected_flows` view) of a revision (default: the
    latest), a scenario ("draws": every `DRAW_SCENARIOS` row), some sexes, of a country
    on either side or all; largest first. Empty when none are stored."""
    if not _has(con, "projected_flows"):
        return pd.DataFrame()
    latest = con.execute("SELECT max(revision) FROM projected_flows").fetchone()
    rev = revision or (latest[0] if latest else None)
    wanted = list(DRAW_SCENARIOS) if scenario == "draws" else [scenario]
    where = ["revision = ?", "scenario IN (SELECT unnest(?))", "sex IN (SELECT unnest(?))"]
    params: list[object] = [rev, wanted, list(sexes)]
    if country:
        where.append("(origin = ? OR destination = ?)")
        params += [country, country]
    return con.execute(f"""SELECT * FROM projected_flows WHERE {' AND '.join(where)}
                           ORDER BY period_start, sex, flow DESC, origin, destination""",
                       params).df()


def projection_settings(con: Con, revision: str) -> tuple[int, int] | None:
    """(draws, seed) of a revision's stored projections; None when none are stored."""
    if not _has(con, "projections"):
        return None
    found = con.execute("SELECT max(draws), max(seed) FROM projections WHERE revision = ?",
                        [revision]).fetchone()
    return None if found is None or found[0] is None else (int(found[0]), int(found[1]))
