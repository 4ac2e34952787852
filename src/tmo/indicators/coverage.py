"""What the migrant stock figures of one revision leave out, compared with what they are
read as: destinations that publish no origin breakdown where the previous revision gave
one, the share of immigrants of unknown origin, and sex splits published as exactly half
women and half men (UN DESA imputes such splits where a country reports none).

Each function reads the whole store once (`fn(con, revision, ...)`, kept by
`tmo.store.evidence.ViewCache.fact` for a build's 233 profiles) and answers per country;
with `only`, for that one country (a single profile, read on demand).
"""

from __future__ import annotations

from typing import Any

import duckdb

from tmo.vocabulary import UNKNOWN_ORIGIN

# a published split counts as imputed when women and men differ by at most this (an odd
# total split in two)
EVEN_SPLIT = 1


def previous_revision(con: duckdb.DuckDBPyConnection, revision: str) -> tuple[str, int] | None:
    """The revision before `revision` and the latest year both publish, if any."""
    found = con.execute(
        """SELECT p.revision, max(p.year) FROM
               (SELECT DISTINCT revision, year FROM migrant_stock) p
           JOIN (SELECT DISTINCT year FROM migrant_stock WHERE revision = ?) l USING (year)
           WHERE p.revision < ? GROUP BY p.revision ORDER BY p.revision DESC LIMIT 1""",
        [revision, revision]).fetchall()
    return (str(found[0][0]), int(found[0][1])) if found else None


def origin_gaps(con: duckdb.DuckDBPyConnection, revision: str,
                only: str | None = None) -> dict[str, dict[str, Any]]:
    """Origin -> the destinations that publish a total in `revision` but no figure for the
    origin, where the previous revision gave one (same year, the latest both publish);
    with the origin's emigrants in that year in both revisions."""
    prev = previous_revision(con, revision)
    if prev is None:
        return {}
    before, year = prev
    rows = con.execute(
        f"""SELECT p.origin, p.destination, p.stock, p.src_file, p.src_row
            FROM migrant_stock p
            WHERE p.revision = $before AND p.year = $year AND p.sex = 'total' AND p.stock > 0
              AND p.origin <> '{UNKNOWN_ORIGIN}' AND ($only IS NULL OR p.origin = $only)
              AND EXISTS (SELECT 1 FROM destination_stock d WHERE d.revision = $rev
                          AND d.year = $year AND d.destination = p.destination)
              AND NOT EXISTS (SELECT 1 FROM migrant_stock l WHERE l.revision = $rev
                              AND l.year = $year AND l.origin = p.origin
                              AND l.destination = p.destination)
            ORDER BY p.origin, p.stock DESC, p.destination""",
        {"before": before, "year": year, "rev": revision, "only": only}).fetchall()
    totals = {(o, r): int(s) for o, r, s in con.execute(
        """SELECT origin, revision, sum(stock) FROM migrant_stock
           WHERE revision IN ($before, $rev) AND year = $year AND sex = 'total'
             AND ($only IS NULL OR origin = $only)
           GROUP BY ALL""", {"before": before, "year": year, "rev": revision, "only": only}
    ).fetchall()}
    out: dict[str, dict[str, Any]] = {}
    for origin, dest, stock, file, row in rows:
        gap = out.setdefault(origin, {
            "revision": revision, "previous": before, "year": year, "missing": [],
            "total": totals.get((origin, revision)),
            "previous_total": totals.get((origin, before))})
        gap["missing"].append({"area": dest, "stock": int(stock), "file": file,
                               "row": str(row)})
    return out


def unknown_origin(con: duckdb.DuckDBPyConnection, revision: str, year: int,
                   only: str | None = None) -> dict[str, dict[str, Any]]:
    """Destination -> immigrants of other or unknown origin in `year` of `revision`, and
    their share of the destination's origin-destination sum."""
    rows = con.execute(
        f"""SELECT destination, sum(stock) FILTER (WHERE origin = '{UNKNOWN_ORIGIN}'),
                   sum(stock), any_value(src_file)
            FROM migrant_stock WHERE revision = ? AND year = ? AND sex = 'total'
              AND (?::VARCHAR IS NULL OR destination = ?)
            GROUP BY destination""", [revision, year, only, only]).fetchall()
    return {d: {"unknown": int(u or 0), "total": int(t), "file": f,
                "share_pct": 100 * (u or 0) / t if t else None} for d, u, t, f in rows}


def even_splits(con: duckdb.DuckDBPyConnection, revision: str, year: int,
                only: str | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """"immigrants"/"emigrants" -> country -> the persons in origin-destination figures of
    `year` published as exactly half women, half men, and the share of all they make."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for side, key in (("immigrants", "destination"), ("emigrants", "origin")):
        rows = con.execute(
            f"""WITH pair AS (
                    SELECT {key} AS country,
                           max(stock) FILTER (WHERE sex = 'female') AS f,
                           max(stock) FILTER (WHERE sex = 'male') AS m,
                           max(stock) FILTER (WHERE sex = 'total') AS t
                    FROM migrant_stock WHERE revision = ? AND year = ?
                      AND (?::VARCHAR IS NULL OR {key} = ?)
                    GROUP BY origin, destination)
                SELECT country, sum(t) FILTER (WHERE abs(f - m) <= {EVEN_SPLIT} AND t > 0),
                       sum(t), count(*) FILTER (WHERE abs(f - m) <= {EVEN_SPLIT} AND t > 0)
                FROM pair GROUP BY country""", [revision, year, only, only]).fetchall()
        out[side] = {c: {"even": int(e or 0), "total": int(t or 0), "pairs": int(n),
                         "share_pct": 100 * (e or 0) / t if t else None}
                     for c, e, t, n in rows}
    totals = con.execute(
        f"""SELECT destination FROM destination_stock WHERE revision = ? AND year = ?
              AND (?::VARCHAR IS NULL OR destination = ?)
            GROUP BY destination
            HAVING abs(max(stock) FILTER (WHERE sex = 'female')
                       - max(stock) FILTER (WHERE sex = 'male')) <= {EVEN_SPLIT}""",
        [revision, year, only, only]).fetchall()
    out["destination_totals"] = {d: {"share_pct": 100.0} for (d,) in totals}
    return out
