"""The store's questions about change (docs/monitoring.md): the inputs of a revision
comparison, the stored comparison and alerts, and what changed from one build to the next.

Read functions take an open connection to a store (its views); `record_build` and
`view_changes` run on the new file of a build, before it is swapped in, with the
previous store attached read-only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from tmo.errors import NotFound
from tmo.frame import STATISTICS, TABLES

Con = duckdb.DuckDBPyConnection
IMS = "UN DESA IMS"
WPP = "UN WPP"


# ---------------------------------------------------------------- revision inputs

def ims_release_frames(con: Con, revision: str) -> dict[str, pd.DataFrame]:
    """The frames of one IMS revision for `tmo.revisions.compare.Release`: od, totals
    and population (both sexes, IMS Table 2, persons)."""
    od = con.execute("SELECT year, origin, destination, sex, stock FROM migrant_stock "
                     "WHERE revision = ?", [revision]).df()
    totals = con.execute("SELECT year, destination, sex, stock FROM destination_stock "
                         "WHERE revision = ?", [revision]).df()
    population = con.execute("SELECT year, country, population FROM population WHERE "
                             "source = ? AND revision = ? AND sex = 'total'",
                             [IMS, revision]).df()
    return {"od": od, "totals": totals, "population": population}


def ims_files(con: Con, revision: str) -> dict[str, str]:
    """The files behind an IMS revision's figures: "totals" (destination workbook: totals,
    population, shares) and "od" (origin-destination table: corridors and emigrants)."""
    out = {}
    for key, view in (("totals", "destination_stock"), ("od", "migrant_stock")):
        rows = con.execute(f"SELECT DISTINCT src_file FROM {view} WHERE revision = ? "
                           "ORDER BY 1", [revision]).fetchall()
        out[key] = "; ".join(r[0] for r in rows)
    return out


def population_revisions(con: Con, source: str = WPP) -> list[str]:
    """The revisions of a population source in the store, oldest first."""
    return [r[0] for r in con.execute("SELECT DISTINCT revision FROM population WHERE "
                                      "source = ? ORDER BY 1", [source]).fetchall()]


def population_series(con: Con, source: str, revision: str) -> tuple[pd.DataFrame, str]:
    """(country, sex, year, population) of one source and revision, and its files."""
    frame = con.execute("SELECT country, sex, year, population FROM population WHERE "
                        "source = ? AND revision = ?", [source, revision]).df()
    files = con.execute("SELECT DISTINCT src_file FROM population WHERE source = ? AND "
                        "revision = ? ORDER BY 1", [source, revision]).fetchall()
    return frame, "; ".join(r[0] for r in files)


def net_migration_revisions(con: Con, source: str = WPP) -> list[str]:
    """The revisions of a source's births, deaths and net migration, oldest first."""
    return [r[0] for r in con.execute("SELECT DISTINCT revision FROM vital_events WHERE "
                                      "source = ? ORDER BY 1", [source]).fetchall()]


def net_migration_series(con: Con, source: str, revision: str) -> tuple[pd.DataFrame, str]:
    """(area, year, period_years, value) of a revision's net migration (persons over the
    period starting in `year`), and its files."""
    frame = con.execute("SELECT country AS area, year, period_years, net_migration AS value "
                        "FROM vital_events WHERE source = ? AND revision = ? AND "
                        "net_migration IS NOT NULL", [source, revision]).df()
    files = con.execute("SELECT DISTINCT src_file FROM vital_events WHERE source = ? AND "
                        "revision = ? ORDER BY 1", [source, revision]).fetchall()
    return frame, "; ".join(r[0] for r in files)


def flow_revisions(con: Con) -> list[str]:
    """The IMS revisions with flows stored by `tmo flows`, oldest first."""
    return [r[0] for r in con.execute("SELECT DISTINCT revision FROM migration_flows "
                                      "ORDER BY 1").fetchall()]


def flow_frame(con: Con, revision: str) -> pd.DataFrame:
    """method, sex, period_start, origin, destination, flow of one revision's flows."""
    return con.execute("SELECT method, sex, period_start, origin, destination, flow FROM "
                       "migration_flows WHERE revision = ?", [revision]).df()


FLOW_CHANGE_COLUMNS = ("dataset", "old_revision", "new_revision", "level", "area",
                       "partner", "measure", "sex", "year", "old_value", "new_value",
                       "change", "relative", "old_file", "new_file")

# The rows of `tmo.revisions.compare.flow_changes` (the definition; tested against it),
# computed in DuckDB from `migration_flows`: on the (method, sex, period) both revisions
# hold, every corridor (a flow absent from one side is zero there) and every country's
# inflow and outflow (sums), with the revision pair and source columns.
_FLOW_CHANGES_SQL = """
WITH runs AS (
    SELECT DISTINCT method, sex, period_start FROM migration_flows WHERE revision = $old
    INTERSECT
    SELECT DISTINCT method, sex, period_start FROM migration_flows WHERE revision = $new),
a AS (SELECT f.method, f.sex, f.period_start, f.origin, f.destination, f.flow
      FROM migration_flows f JOIN runs USING (method, sex, period_start)
      WHERE f.revision = $old),
b AS (SELECT f.method, f.sex, f.period_start, f.origin, f.destination, f.flow
      FROM migration_flows f JOIN runs USING (method, sex, period_start)
      WHERE f.revision = $new),
pair AS (
    SELECT method, sex, period_start, origin, destination,
           coalesce(a.flow, 0.0)::DOUBLE AS old_value,
           coalesce(b.flow, 0.0)::DOUBLE AS new_value
    FROM a FULL OUTER JOIN b USING (method, sex, period_start, origin, destination)),
sums AS (
    SELECT 'inflow_' || method AS measure, sex, period_start, destination AS area,
           fsum(old_value) AS old_value, fsum(new_value) AS new_value
    FROM pair GROUP BY method, sex, period_start, destination
    UNION ALL
    SELECT 'outflow_' || method, sex, period_start, origin,
           fsum(old_value), fsum(new_value)
    FROM pair GROUP BY method, sex, period_start, origin),
rows AS (
    SELECT 'corridor' AS level, destination AS area, origin AS partner,
           'flow_' || method AS measure, sex, period_start AS year, old_value, new_value
    FROM pair
    UNION ALL
    SELECT 'country', area, '', measure, sex, period_start, old_value, new_value FROM sums)
SELECT $dataset AS dataset, $old AS old_revision, $new AS new_revision, level, area,
       partner, measure, sex, year::INTEGER AS year, old_value, new_value,
       new_value - old_value AS change,
       CASE WHEN old_value <> 0 THEN 100.0 * (new_value - old_value) / old_value END
           AS relative,
       $source AS old_file, $source AS new_file
FROM rows
"""


def flow_changes_frame(con: Con, old: str, new: str, *, dataset: str, source: str
                       ) -> pd.DataFrame:
    """The comparison of the flows of revisions `old` and `new` (see `_FLOW_CHANGES_SQL`)
    as rows of `revision_changes`."""
    return con.execute(_FLOW_CHANGES_SQL, {"old": old, "new": new, "dataset": dataset,
                                           "source": source}).df()


def insert_flow_changes(con: Con, old: str, new: str, *, dataset: str, source: str) -> int:
    """In a store being written: add the comparison of the flows of revisions `old` and
    `new` to `revision_changes` in one INSERT ... SELECT (no frame in between); returns
    how many rows."""
    cols = ", ".join(f'"{c}"' for c in FLOW_CHANGE_COLUMNS)
    row = con.execute(f'INSERT INTO base."revision_changes" ({cols}) {_FLOW_CHANGES_SQL}',
                      {"old": old, "new": new, "dataset": dataset, "source": source}
                      ).fetchone()
    return int(row[0]) if row else 0


def has_table(con: Con, table: str) -> bool:
    """Whether the store being written has the base table (a store written by an older
    version may lack the monitoring tables)."""
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'base' AND "
                      "table_name = ? AND database_name = current_database()",
                      [table]).fetchone()
    return bool(row and row[0])


def clear_dataset(con: Con, dataset: str) -> None:
    """In a store being written: remove one dataset's rows of the revision comparison."""
    for table in ("revision_changes", "revision_events"):
        con.execute(f'DELETE FROM base."{table}" WHERE dataset = ?', [dataset])


def country_codes(con: Con) -> list[str]:
    """Codes of the `countries` view of kind country (the special codes left out)."""
    return [r[0] for r in con.execute(
        "SELECT iso3 FROM countries WHERE kind = 'country' ORDER BY 1").fetchall()]


def un_aggregates(con: Con) -> list[str]:
    """UN aggregate codes (`UN:<m49>`) with a published migrant stock."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT destination FROM destination_stock WHERE destination LIKE 'UN:%' "
        "ORDER BY 1").fetchall()]


def sdg_regions(con: Con) -> dict[str, str]:
    """Country -> its SDG region's name (for where revisions concentrate)."""
    return dict(con.execute("SELECT member, min(group_name) FROM country_groups WHERE "
                            "group_type = 'sdg_region' AND member <> '' GROUP BY member"
                            ).fetchall())


# ---------------------------------------------------------------- stored comparison

MONITORING = ("revision_changes", "revision_events", "alerts", "build_history",
              "build_sources", "build_view_changes")


def require_monitoring(con: Con) -> None:
    """NotFound in one line when the store predates the monitoring views."""
    have = {r[0] for r in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    missing = [v for v in MONITORING if v not in have]
    if missing:
        raise NotFound(f"this store was built before the monitoring views ({', '.join(missing)})",
                       hint="build it again with `tmo build` (docs/monitoring.md)")



def revision_pairs(con: Con) -> list[tuple[str, str, str]]:
    """(dataset, old revision, new revision) compared in the store."""
    return [(r[0], r[1], r[2]) for r in con.execute(
        "SELECT DISTINCT dataset, old_revision, new_revision FROM revision_changes "
        "ORDER BY 1, 2, 3").fetchall()]


def revision_changes(con: Con, *, dataset: str | None = None, area: str | None = None,
                     levels: tuple[str, ...] | None = None, sex: str | None = None,
                     corridors_of: str | None = None, old_revision: str | None = None,
                     new_revision: str | None = None, year: int | None = None,
                     measure: str | None = None) -> pd.DataFrame:
    """Rows of `revision_changes` (all, or of a dataset, revisions, area, levels, sex,
    year, measure; with `corridors_of` the corridors in which that country is origin or
    destination)."""
    where, params = _where(dataset=dataset, area=area, levels=levels, sex=sex,
                           old_revision=old_revision, new_revision=new_revision, year=year,
                           measure=measure)
    if corridors_of:
        where.append("level = 'corridor' AND (area = ? OR partner = ?)")
        params += [corridors_of, corridors_of]
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return con.execute(f"SELECT * FROM revision_changes {clause} ORDER BY dataset, "
                       "old_revision, new_revision, level, area, partner, measure, sex, year",
                       params).df()


def event_counts(con: Con, dataset: str, old_revision: str, new_revision: str
                 ) -> dict[str, int]:
    """The number of `revision_events` of each kind of one pair of revisions."""
    return {k: int(n) for k, n in con.execute(
        "SELECT kind, count(*) FROM revision_events WHERE dataset = ? AND old_revision = ? "
        "AND new_revision = ? GROUP BY kind ORDER BY kind",
        [dataset, old_revision, new_revision]).fetchall()}


def revision_events(con: Con, *, dataset: str | None = None, area: str | None = None
                    ) -> pd.DataFrame:
    """Rows of `revision_events` (all, or of a dataset; of one country on either side)."""
    where, params = _where(dataset=dataset)
    if area:
        where.append("(area = ? OR partner = ?)")
        params += [area, area]
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return con.execute(f"SELECT * FROM revision_events {clause} ORDER BY dataset, "
                       "old_revision, new_revision, kind, area, partner, year", params).df()


def _where(**filters: Any) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for column, value in filters.items():
        if value is None:
            continue
        if column == "levels":
            where.append(f"level IN ({', '.join('?' * len(value))})")
            params += list(value)
        else:
            where.append(f"{column} = ?")
            params.append(value)
    return where, params


# ---------------------------------------------------------------- alerts

def alerts(con: Con, country: str | None = None) -> pd.DataFrame:
    """Rows of `alerts` (of one country, or all), newest build first."""
    where, params = ("WHERE country = ?", [country]) if country else ("", [])
    return con.execute(f"SELECT * FROM alerts {where} ORDER BY build DESC, country, rule, "
                       "area, partner, year", params).df()


def corridor_series(con: Con, revision: str, country: str) -> pd.DataFrame:
    """origin, destination, year, stock (both sexes) of the corridors of a country in one
    IMS revision, with their source rows (for alerts between consecutive years)."""
    return con.execute("SELECT origin, destination, year, stock, src_file, src_row FROM "
                       "migrant_stock WHERE revision = ? AND sex = 'total' AND "
                       "(origin = ? OR destination = ?) ORDER BY origin, destination, year",
                       [revision, country, country]).df()


# ---------------------------------------------------------------- builds

def current_build(con: Con) -> int:
    """The number of the latest build in the store's history (0 if none)."""
    row = con.execute("SELECT max(build) FROM build_history").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def builds(con: Con) -> pd.DataFrame:
    """The store's history of builds, newest first."""
    return con.execute("SELECT * FROM build_history ORDER BY build DESC").df()


def build_changes(con: Con, build: int | None = None) -> dict[str, pd.DataFrame]:
    """The sources and views that changed at a build (default: the latest)."""
    if build is None:
        row = con.execute("SELECT max(build) FROM build_history").fetchone()
        build = int(row[0]) if row and row[0] is not None else 0
    return {"sources": con.execute("SELECT * FROM build_sources WHERE build = ? ORDER BY "
                                   "source, file", [build]).df(),
            "views": con.execute("SELECT * FROM build_view_changes WHERE build = ? ORDER "
                                 "BY view", [build]).df()}


def _attach(con: Con, previous: Path) -> str | None:
    """Attach the previous store read-only as `previous`; why it cannot be, or None."""
    path = str(previous).replace("'", "''")
    try:
        con.execute(f"ATTACH '{path}' AS previous (READ_ONLY)")
    except duckdb.Error as exc:
        return str(exc).splitlines()[0]
    return None


def _previous_has(con: Con, table: str) -> bool:
    row = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = "
                      "'previous' AND schema_name = 'base' AND table_name = ?",
                      [table]).fetchone()
    return bool(row and row[0])


def view_changes(con: Con, view: str) -> tuple[int, int, int]:
    """(added, removed, changed) rows of a statistics or reference view between the
    attached previous store and the new one, matched on the view's key; a changed row
    has the same key and another value in a column outside the key and provenance."""
    schema = TABLES[view]
    keys = list(schema.key)
    values = [c for c in schema.columns if c not in keys]
    on = " AND ".join(f'n."{k}" = o."{k}"' for k in keys)
    differs = " OR ".join(f'n."{c}" IS DISTINCT FROM o."{c}"' for c in values) or "false"
    row = con.execute(f"""
        SELECT count(*) FILTER (WHERE o_present IS NULL),
               count(*) FILTER (WHERE n_present IS NULL),
               count(*) FILTER (WHERE n_present IS NOT NULL AND o_present IS NOT NULL
                                AND ({differs}))
        FROM (SELECT *, true AS n_present FROM base."{view}") n
        FULL OUTER JOIN (SELECT *, true AS o_present FROM previous.base."{view}") o
        ON {on}""").fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


HISTORY = ("build_history", "build_sources", "build_view_changes", "alerts")


def record_build(con: Con, previous: Path) -> dict[str, Any]:
    """On the new file of a build: carry over the previous store's history of builds,
    compare its source files (sha256 per source and file) with the new provenance and,
    when one differs, count the rows added, removed and changed per view; append this
    build to the history. Returns the summary stored in `build_history.summary`."""
    now = {(s, f): sha for s, f, sha in con.execute(
        "SELECT source, file, sha256 FROM base.provenance").fetchall()}
    info = dict(con.execute("SELECT key, value FROM base.build_info").fetchall())
    unreadable = _attach(con, previous) if previous.is_file() else None
    attached = previous.is_file() and unreadable is None
    before: dict[tuple[str, str], str] = {}
    previous_fp = ""
    views: list[tuple[int, str, int, int, int]] = []
    try:
        if attached:
            before, previous_fp = _carry_over(con)
        row = con.execute("SELECT max(build) FROM base.build_history").fetchone()
        number = int(row[0]) + 1 if row and row[0] is not None else 1
        sources = _source_rows(number, before, now, attached)
        changed_sources = sorted({s for _b, s, _f, _o, _n, st in sources
                                  if st in ("changed", "added", "removed")})
        if attached and changed_sources:
            views = _changed_views(con, number)
    finally:
        if attached:
            con.execute("DETACH previous")
    summary = {"previous": str(previous) if attached else "",
               **({"previous_unreadable": unreadable} if unreadable else {}),
               "changed_sources":
               changed_sources, "views": {v: {"added": a, "removed": r, "changed": c}
                                          for _b, v, a, r, c in views}}
    con.executemany("INSERT INTO base.build_sources VALUES (?, ?, ?, ?, ?, ?)", sources)
    if views:
        con.executemany("INSERT INTO base.build_view_changes VALUES (?, ?, ?, ?, ?)", views)
    con.execute("INSERT INTO base.build_history VALUES (?, ?, ?, ?, ?, ?)",
                [number, info.get("started", ""), info.get("finished", ""),
                 info.get("tmo_version", ""), previous_fp, json.dumps(summary)])
    return {"build": number, **summary}


def _carry_over(con: Con) -> tuple[dict[tuple[str, str], str], str]:
    """Copy the attached previous store's history; its files' checksums and fingerprint."""
    before: dict[tuple[str, str], str] = {}
    if _previous_has(con, "provenance"):
        before = {(s, f): sha for s, f, sha in con.execute(
            "SELECT source, file, sha256 FROM previous.base.provenance").fetchall()}
    for table in HISTORY:
        if _previous_has(con, table):
            _copy_history(con, table)
    fp = None
    if _previous_has(con, "build_info"):
        fp = con.execute("SELECT value FROM previous.base.build_info WHERE key = "
                         "'fingerprint'").fetchone()
    return before, fp[0] if fp else ""


def _changed_views(con: Con, number: int) -> list[tuple[int, str, int, int, int]]:
    views = []
    for view in (*STATISTICS, "countries", "country_groups"):
        if _previous_has(con, view) and _same_columns(con, view):
            added, removed, changed = view_changes(con, view)
            if added or removed or changed:
                views.append((number, view, added, removed, changed))
    return views


def _source_rows(number: int, before: dict[tuple[str, str], str],
                 now: dict[tuple[str, str], str], compared: bool
                 ) -> list[tuple[int, str, str, str, str, str]]:
    rows = []
    for key in sorted(set(before) | set(now)):
        old, new = before.get(key, ""), now.get(key, "")
        if not compared:
            status = "first"
        elif not old:
            status = "added"
        elif not new:
            status = "removed"
        else:
            status = "same" if old == new else "changed"
        rows.append((number, key[0], key[1], old, new, status))
    return rows


def _same_columns(con: Con, view: str) -> bool:
    cols = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = 'previous' AND "
        "schema_name = 'base' AND table_name = ? ORDER BY column_index", [view]).fetchall()]
    return cols == list(TABLES[view].all_columns)


def _copy_history(con: Con, table: str) -> None:
    if not _same_columns(con, table):
        return
    cols = ", ".join(f'"{c}"' for c in TABLES[table].columns)
    con.execute(f'INSERT INTO base."{table}" ({cols}) SELECT {cols} FROM previous.base."{table}"')
