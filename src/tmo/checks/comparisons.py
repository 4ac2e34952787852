"""Where two publications measure one thing, or one publication the same thing twice:
the kernels behind the cross-source rules of `tmo.checks.rules` and the caveats of the
profiles (`tmo.profiles.caveats`), which thus flag exactly what `tmo check` reports.

- `refugee_gaps`: UN DESA's refugees and asylum seekers at mid-year (IMS 2020, Table 6)
  against UNHCR's refugees + asylum seekers + other people in need of international
  protection (where UNHCR defines them) in the country of asylum at the end of the year
  before and of the year itself (the two counts around 1 July): a gap when UN DESA's figure
  is more than `REFUGEE_TOLERANCE` of the larger figure (and `REFUGEE_MIN_GAP` persons)
  away from both;
- `population_gaps`: the population published with the migrant stock (IMS Table 2, each
  revision) against the latest World Population Prospects in the store (the one the
  profiles' demographic context shows), same country and year: more than
  `POPULATION_TOLERANCE` of the larger figure and `POPULATION_MIN_GAP` persons;
- `stock_jumps`: a destination's published migrant stock (Table 1) or an origin's
  emigrants (sum of the origin-destination rows) changing between consecutive years of
  one revision by more than `JUMP_TOLERANCE` of the larger figure and `JUMP_MIN_GAP`
  persons, or between two revisions for the same year by more than `REVISION_TOLERANCE`
  and `JUMP_MIN_GAP` (a large revision).

Thresholds and their reasons: docs/indicators.md, "Cross-source checks". Every function
reads the whole store once (`fn(con, prefix)`; a build's profiles keep the answer) or,
with `only`, one country; `prefix` is "base." for the build's tables (the rules run
before the views exist) and "" for the public views.
"""

from __future__ import annotations

from typing import Any

import duckdb

from tmo.vocabulary import UNKNOWN_ORIGIN

REFUGEE_TOLERANCE = 0.25  # of the larger figure
REFUGEE_MIN_GAP = 5_000  # persons
POPULATION_TOLERANCE = 0.05  # of the larger figure
POPULATION_MIN_GAP = 10_000  # persons
JUMP_TOLERANCE = 0.50  # of the larger figure, consecutive years of one revision
REVISION_TOLERANCE = 0.25  # of the larger figure, one year in two revisions
JUMP_MIN_GAP = 50_000  # persons, both


def _beyond(a: str, b: str, tolerance: float, min_gap: int) -> str:
    return (f"abs({a} - {b}) > {tolerance} * greatest({a}, {b}) "
            f"AND abs({a} - {b}) >= {min_gap}")


def refugee_gaps(con: duckdb.DuckDBPyConnection, prefix: str = "base.",
                 only: str | None = None) -> list[dict[str, Any]]:
    """Country-years where UN DESA's refugees (IMS Table 6) and UNHCR's disagree, with
    both UNHCR end-year counts (None where UNHCR lists no one) and the rows behind them."""
    # a year UNHCR's file does not cover is not compared (not a count of 0); a covered
    # year without a row for the country is: UNHCR lists no one there
    each = " AND ".join(
        f"(NOT {u}_in OR (" + _beyond("value", f"coalesce({u}_unhcr, 0)", REFUGEE_TOLERANCE,
                                      REFUGEE_MIN_GAP) + "))" for u in ("a", "b"))
    rows = con.execute(
        f"""
        WITH d AS (
            SELECT revision, area, TRY_CAST(period AS INTEGER) AS year, value,
                   src_file, src_sheet, src_row
            FROM {prefix}ims_indicator
            WHERE indicator = 'refugees' AND sex = 'total' AND area NOT LIKE '%:%'
              AND ($only IS NULL OR area = $only)
        ), u AS (
            SELECT asylum, year,
                   sum(coalesce(refugees, 0) + coalesce(asylum_seekers, 0)
                       + coalesce(oip, 0)) AS unhcr,
                   count(*) AS n, min(src_file) AS file
            FROM {prefix}refugees WHERE ($only IS NULL OR asylum = $only)
            GROUP BY ALL
        ), covered AS (SELECT DISTINCT year FROM {prefix}refugees),
        pair AS (
            SELECT d.*, b.unhcr AS b_unhcr, a.unhcr AS a_unhcr, a.file AS a_file,
                   b.file AS b_file, a.n AS a_n, b.n AS b_n,
                   d.year - 1 IN (SELECT year FROM covered) AS b_in,
                   d.year IN (SELECT year FROM covered) AS a_in
            FROM d LEFT JOIN u b ON b.asylum = d.area AND b.year = d.year - 1
            LEFT JOIN u a ON a.asylum = d.area AND a.year = d.year
            WHERE d.year IS NOT NULL
        )
        SELECT revision, area, year, value, b_unhcr, a_unhcr, src_file, src_sheet, src_row,
               coalesce(a_file, b_file), coalesce(b_n, 0) + coalesce(a_n, 0), b_in, a_in
        FROM pair WHERE (a_in OR b_in) AND {each}
        ORDER BY area, revision, year
        """, {"only": only}).fetchall()
    return [{"revision": rev, "area": area, "year": int(year), "ims": int(value),
             "unhcr_before": None if before is None else int(before),
             "unhcr": None if after is None else int(after),
             "ims_file": file, "ims_sheet": sheet, "ims_row": str(row),
             "unhcr_file": ufile, "unhcr_rows": int(n), "covered_before": bool(b_in),
             "covered": bool(a_in)}
            for rev, area, year, value, before, after, file, sheet, row, ufile, n, b_in, a_in
            in rows]


def population_gaps(con: duckdb.DuckDBPyConnection, prefix: str = "base.",
                    only: str | None = None) -> list[dict[str, Any]]:
    """Country-years where a revision of the IMS population (Table 2) and the latest WPP
    differ beyond the tolerance, with both figures and their rows."""
    rows = con.execute(
        f"""
        SELECT i.revision, w.revision, i.country, i.year, i.population, w.population,
               i.src_file, i.src_sheet, i.src_row, w.src_file, w.src_row
        FROM {prefix}population i JOIN {prefix}population w
          ON i.country = w.country AND i.year = w.year AND i.sex = w.sex
        WHERE i.source = 'UN DESA IMS' AND w.source = 'UN WPP' AND i.sex = 'total'
          AND i.country NOT LIKE '%:%' AND ($only IS NULL OR i.country = $only)
          AND w.revision = (SELECT max(revision) FROM {prefix}population
                            WHERE source = 'UN WPP')
          AND {_beyond('i.population', 'w.population', POPULATION_TOLERANCE,
                       POPULATION_MIN_GAP)}
        ORDER BY i.country, i.revision, w.revision, i.year
        """, {"only": only}).fetchall()
    return [{"revision": irev, "wpp_revision": wrev, "area": area, "year": int(year),
             "ims": int(ip), "wpp": int(wp), "ims_file": ifile, "ims_sheet": isheet,
             "ims_row": str(irow), "wpp_file": wfile, "wpp_row": str(wrow)}
            for irev, wrev, area, year, ip, wp, ifile, isheet, irow, wfile, wrow in rows]


def _stocks(prefix: str) -> str:
    """Destination totals (Table 1) and origin sums, one row per side, revision, year, area."""
    return f"""
        SELECT 'destination' AS side, revision, year, destination AS area, stock,
               src_file AS file, 'row ' || src_row AS row
        FROM {prefix}destination_stock
        WHERE sex = 'total' AND destination NOT LIKE '%:%'
          AND ($only IS NULL OR destination = $only)
        UNION ALL
        SELECT 'origin', revision, year, origin, sum(stock), min(src_file),
               count(*)::VARCHAR || ' rows'
        FROM {prefix}migrant_stock
        WHERE sex = 'total' AND origin <> '{UNKNOWN_ORIGIN}' AND ($only IS NULL OR origin = $only)
        GROUP BY ALL"""


def stock_jumps(con: duckdb.DuckDBPyConnection, prefix: str = "base.",
                only: str | None = None) -> list[dict[str, Any]]:
    """Immigrant stocks (side "destination") and emigrant totals (side "origin") that jump
    between consecutive years of a revision (kind "years": `before`/`after` are years) or
    between the two latest revisions for one year (kind "revisions": `before`/`after` are
    revisions), beyond the thresholds."""
    rows = con.execute(
        f"""
        WITH s AS ({_stocks(prefix)}),
        years AS (
            SELECT 'years' AS kind, side, area, revision, year,
                   lag(year) OVER w AS before_year, lag(stock) OVER w AS old, stock AS new,
                   lag(file) OVER w AS old_file, lag(row) OVER w AS old_row, file, row
            FROM s WINDOW w AS (PARTITION BY side, revision, area ORDER BY year)
        ), revs AS (
            SELECT 'revisions' AS kind, n.side, n.area, n.revision, n.year,
                   o.revision AS before_rev, o.stock AS old, n.stock AS new,
                   o.file AS old_file, o.row AS old_row, n.file, n.row
            FROM s n JOIN s o ON o.side = n.side AND o.area = n.area AND o.year = n.year
            WHERE o.revision = (SELECT max(revision) FROM s WHERE revision < n.revision)
        )
        SELECT kind, side, area, revision, year, before_year::VARCHAR, old, new,
               old_file, old_row, file, row
        FROM years WHERE before_year IS NOT NULL
          AND {_beyond('old', 'new', JUMP_TOLERANCE, JUMP_MIN_GAP)}
        UNION ALL
        SELECT kind, side, area, revision, year, before_rev, old, new,
               old_file, old_row, file, row
        FROM revs WHERE {_beyond('old', 'new', REVISION_TOLERANCE, JUMP_MIN_GAP)}
        ORDER BY side, area, kind, revision, year
        """, {"only": only}).fetchall()
    return [{"kind": kind, "side": side, "area": area, "revision": rev, "year": int(year),
             "before": before, "old": int(old), "new": int(new), "old_file": old_file,
             "old_row": old_row, "file": file, "row": row}
            for kind, side, area, rev, year, before, old, new, old_file, old_row, file, row
            in rows]
