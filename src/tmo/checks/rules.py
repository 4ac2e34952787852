"""The data-quality rules every build runs, as SQL over the new store.

Each rule returns findings; none raises on a data problem. The rules:
- `od_sums`: origin-destination sums against the published destination totals;
- `sexes`: female + male = total (migrant stock, destination totals, population);
- `coverage`: years and countries present per revision, destinations without
  origin-destination rows;
- `remittance_sources`: the two publications of remittances (World Bank WDI and KNOMAD)
  where both give a country's year and they differ by more than `REMITTANCE_TOLERANCE`
  of the larger figure (and by at least `REMITTANCE_MIN_GAP_USD`): one warning per country
  and direction, naming the years, and the largest gap with both figures and their rows;
- `origin_breakdown`: destinations whose origin breakdown a revision cuts against the
  previous revision (same year, the latest both publish): fewer than half the origins
  listed before, or a share of "other / unknown" origin up by more than
  `UNKNOWN_RISE_PP` points; one warning per destination, with both revisions' figures.
  The profiles put the consequence beside the emigrants of each origin they lose
  (`tmo.profiles.caveats`);
- `refugee_sources`, `population_sources`, `stock_jumps`: UN DESA's refugees against
  UNHCR's, the IMS population against WPP's, and implausible jumps of a migrant stock
  between years or revisions, with the kernels and thresholds of `tmo.checks.comparisons`
  (one finding per country and pair of publications, naming the years and the largest gap
  with both figures and their rows).

Negative counts are not a rule: the adapters refuse them as unusable input (see the
policy table in `tmo.errors`), so no negative count ever reaches the store.
Each rule has a hand-made fixture that makes it fire in `tests/checks/`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb

from tmo.checks import comparisons as cmp
from tmo.findings import Finding

Rule = Callable[[duckdb.DuckDBPyConnection], list[Finding]]


def od_sums(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    rows = con.execute(
        """
        WITH od AS (
            SELECT revision, year, destination, sex, sum(stock) AS od_sum, count(*) AS n
            FROM base.migrant_stock GROUP BY ALL
        )
        SELECT d.revision, d.year, d.destination, d.sex, d.stock, od.od_sum, d.src_file, d.src_row
        FROM base.destination_stock d
        JOIN od USING (revision, year, destination, sex)
        WHERE od.od_sum <> d.stock
        ORDER BY ALL
        """
    ).fetchall()
    findings = [
        Finding(
            "od_sum_vs_destination_total", "error", f"IMS {rev}",
            f"{dest} {year} {sex} ({file} row {row})",
            f"origin-destination rows sum to {od:,} but the published total is {total:,} "
            f"(difference {od - total:+,})",
        )
        for rev, year, dest, sex, total, od, file, row in rows
    ]
    compared = con.execute(
        """SELECT revision, count(*) FROM base.destination_stock d
           WHERE EXISTS (SELECT 1 FROM base.migrant_stock m WHERE m.revision = d.revision
                         AND m.year = d.year AND m.destination = d.destination AND m.sex = d.sex)
           GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    for rev, n in compared:
        bad = sum(1 for f in findings if f.source == f"IMS {rev}")
        findings.append(Finding(
            "od_sum_vs_destination_total", "info", f"IMS {rev}", "all destinations",
            f"{n:,} destination totals compared with origin-destination sums: {bad} differ",
        ))
    return findings


MAX_LISTED = 200  # findings listed per table and rule; an info finding counts the rest


def _sex_sql(table: str, keys: str, value: str, tolerance: int) -> str:
    return f"""
        SELECT {keys}, max(CASE WHEN sex = 'total' THEN {value} END) AS t,
               max(CASE WHEN sex = 'female' THEN {value} END) AS f,
               max(CASE WHEN sex = 'male' THEN {value} END) AS m, count(*) OVER () AS n
        FROM base.{table} GROUP BY {keys}
        HAVING t IS NOT NULL AND f IS NOT NULL AND m IS NOT NULL
           AND abs(f + m - t) > {tolerance}
        ORDER BY ALL LIMIT {MAX_LISTED}"""


def _unlisted(check: str, source: str, where: str, n: int) -> list[Finding]:
    """An info finding saying how many findings the limit left out (none if none)."""
    if n <= MAX_LISTED:
        return []
    return [Finding(check, "info", source, where,
                    f"{n:,} found; the first {MAX_LISTED} are listed")]


def sexes(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    findings = []
    specs = [
        ("migrant_stock", "revision, year, origin, destination", "stock", 0),
        ("destination_stock", "revision, year, destination", "stock", 0),
        # population converted from thousands with three decimals: allow rounding of 3 persons
        ("population", "source, revision, year, country", "population", 3),
    ]
    for table, keys, value, tolerance in specs:
        # the tolerance is applied in SQL, before the limit, so that rounding
        # differences cannot crowd real ones out of the first rows
        rows = con.execute(_sex_sql(table, keys, value, tolerance)).fetchall()
        for *key, total, female, male, _n in rows:
            findings.append(Finding(
                "sexes_add_up", "warning", table, " ".join(map(str, key)),
                f"female {female:,} + male {male:,} = {female + male:,}, total is {total:,}",
            ))
        findings += _unlisted("sexes_add_up", table, "all keys", rows[0][-1] if rows else 0)
    return findings


def coverage(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    findings = []
    for rev, years, origins, dests in con.execute(
        """SELECT revision, string_agg(DISTINCT year::VARCHAR, ', ' ORDER BY year::VARCHAR),
                  count(DISTINCT origin), count(DISTINCT destination)
           FROM base.migrant_stock GROUP BY ALL ORDER BY ALL"""
    ).fetchall():
        findings.append(Finding(
            "coverage", "info", f"IMS {rev}", "migrant_stock",
            f"years {years}; {origins} origins, {dests} destinations",
        ))
    gaps = con.execute(
        f"""SELECT d.revision, d.year, d.destination, count(*) OVER () AS n
            FROM base.destination_stock d
            WHERE d.destination NOT LIKE '%:%' AND d.sex = 'total'
              AND d.revision IN (SELECT DISTINCT revision FROM base.migrant_stock)
              AND NOT EXISTS (SELECT 1 FROM base.migrant_stock m WHERE m.revision = d.revision
                 AND m.year = d.year AND m.destination = d.destination)
            ORDER BY d.revision, d.year, d.destination LIMIT {MAX_LISTED}"""
    ).fetchall()
    for rev, year, dest, _n in gaps:
        findings.append(Finding(
            "coverage", "warning", f"IMS {rev}", f"{dest} {year}",
            "a published destination total has no origin-destination rows",
        ))
    findings += _unlisted("coverage", "IMS", "destination_stock", gaps[0][-1] if gaps else 0)
    for source, rev, first, last, n in con.execute(
        """SELECT source, revision, min(year), max(year), count(DISTINCT country)
           FROM base.population GROUP BY ALL ORDER BY ALL"""
    ).fetchall():
        findings.append(Finding(
            "coverage", "info", f"{source} {rev}", "population",
            f"years {first}-{last}; {n} countries and aggregates",
        ))
    return findings


REMITTANCE_TOLERANCE = 0.25  # of the larger of the two figures
REMITTANCE_MIN_GAP_USD = 1_000_000  # smaller gaps are rounding between releases


def _usd(value: float) -> str:
    return f"US$ {value:,.0f}"


def remittance_sources(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    rows = con.execute(
        f"""
        WITH pair AS (
            SELECT w.country, w.direction, w.year, w.usd AS wdi, k.usd AS knomad,
                   w.src_file AS wf, w.src_sheet AS ws, w.src_row AS wr,
                   k.src_file AS kf, k.src_sheet AS ks, k.src_row AS kr,
                   abs(w.usd - k.usd) AS gap
            FROM base.remittances w JOIN base.remittances k
              ON w.country = k.country AND w.direction = k.direction AND w.year = k.year
            WHERE w.source = 'WDI' AND k.source = 'KNOMAD'
              AND abs(w.usd - k.usd) > {REMITTANCE_TOLERANCE} * greatest(w.usd, k.usd)
              AND abs(w.usd - k.usd) >= {REMITTANCE_MIN_GAP_USD}
        )
        SELECT country, direction,
               string_agg(year::VARCHAR, ', ' ORDER BY year) AS years, count(*) AS n,
               arg_max(struct_pack(year, wdi, knomad, wf, ws, wr, kf, ks, kr), gap) AS worst
        FROM pair GROUP BY ALL ORDER BY country, direction
        """
    ).fetchall()
    findings = []
    for country, direction, years, n, worst in rows:
        where = lambda f, sh, r: f"{f}{f' {sh!r}' if sh else ''} row {r}"  # noqa: E731
        findings.append(Finding(
            "remittance_sources", "warning", "WDI, KNOMAD", f"{country} {direction}",
            f"World Bank WDI and KNOMAD differ by more than {REMITTANCE_TOLERANCE:.0%} in "
            f"{n} year{'s' if n > 1 else ''} ({years}); most in {worst['year']}: WDI "
            f"{_usd(worst['wdi'])} ({where(worst['wf'], worst['ws'], worst['wr'])}), KNOMAD "
            f"{_usd(worst['knomad'])} ({where(worst['kf'], worst['ks'], worst['kr'])})",
        ))
    [(compared,)] = con.execute(  # fetchall: a result left open would block the build's writes
        """SELECT count(DISTINCT w.country || w.direction) FROM base.remittances w
           JOIN base.remittances k USING (country, direction, year)
           WHERE w.source = 'WDI' AND k.source = 'KNOMAD'""").fetchall()
    findings.append(Finding(
        "remittance_sources", "info", "WDI, KNOMAD", "all countries",
        f"{compared:,} country series given by both compared: "
        f"{len(findings)} differ by more than {REMITTANCE_TOLERANCE:.0%} in some year",
    ))
    return findings


UNKNOWN_RISE_PP = 5.0  # points of "other / unknown" origin between revisions


def origin_breakdown(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    rows = con.execute(
        f"""
        WITH pair AS (  -- the latest revision and the one before it, the latest common year
            SELECT p.revision AS before, l.revision AS rev, max(p.year) AS year
            FROM (SELECT DISTINCT revision, year FROM base.migrant_stock) p
            JOIN (SELECT DISTINCT revision, year FROM base.migrant_stock) l
              ON p.year = l.year AND p.revision < l.revision
            WHERE l.revision = (SELECT max(revision) FROM base.migrant_stock)
            GROUP BY ALL ORDER BY before DESC LIMIT 1
        ), per AS (
            SELECT m.revision, m.destination, count(DISTINCT m.origin) AS origins,
                   sum(m.stock) FILTER (WHERE m.origin = 'OOO') AS unknown,
                   sum(m.stock) AS total, any_value(m.src_file) AS file
            FROM base.migrant_stock m, pair
            WHERE m.year = pair.year AND m.sex = 'total'
              AND m.revision IN (pair.before, pair.rev)
            GROUP BY ALL
        )
        SELECT pair.rev, pair.before, pair.year, n.destination, o.origins, n.origins,
               100 * coalesce(o.unknown, 0) / o.total, 100 * coalesce(n.unknown, 0) / n.total,
               coalesce(o.unknown, 0), coalesce(n.unknown, 0), n.file
        FROM pair JOIN per n ON n.revision = pair.rev
        JOIN per o ON o.revision = pair.before AND o.destination = n.destination
        WHERE n.total > 0 AND o.total > 0
          AND (2 * n.origins < o.origins
               OR 100 * coalesce(n.unknown, 0) / n.total
                  - 100 * coalesce(o.unknown, 0) / o.total > {UNKNOWN_RISE_PP})
        ORDER BY n.destination
        """).fetchall()
    return [Finding(
        "origin_breakdown", "warning", f"IMS {rev}", f"{dest} {year} ({file})",
        f"origins listed: {n_old} in the {before} revision, {n_new} in the {rev}; other or "
        f"unknown origin: {u_old:,.0f} ({p_old:.1f}%) then {u_new:,.0f} ({p_new:.1f}%); the "
        "emigrants of the origins no longer listed are missing from their countries' totals")
        for rev, before, year, dest, n_old, n_new, p_old, p_new, u_old, u_new, file in rows]


def _grouped(rows: list[dict[str, Any]], *keys: str) -> dict[tuple[Any, ...], list[dict[str, Any]]]:
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(tuple(r[k] for k in keys), []).append(r)
    return out


def _years(group: list[dict[str, Any]]) -> str:
    n = len(group)
    return f"{n} year{'s' if n > 1 else ''} ({', '.join(str(r['year']) for r in group)})"


def _count(value: int | None, covered: bool = True) -> str:
    if not covered:
        return "not in the file"
    return "none listed" if value is None else f"{value:,}"


def refugee_sources(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    gaps = cmp.refugee_gaps(con)
    findings = []
    for (rev, area), group in _grouped(gaps, "revision", "area").items():
        w = max(group, key=lambda r: abs(r["ims"] - (r["unhcr"] or 0)))
        findings.append(Finding(
            "refugee_sources", "warning", f"IMS {rev}, UNHCR", f"{area} refugees",
            f"UN DESA's refugees and asylum seekers at mid-year and UNHCR's (refugees, asylum "
            f"seekers and others in need of international protection) at the end of the year "
            f"before and of the year differ by more than {cmp.REFUGEE_TOLERANCE:.0%} in "
            f"{_years(group)}; most in {w['year']}: UN DESA {w['ims']:,} ({w['ims_file']} "
            f"{w['ims_sheet']!r} row {w['ims_row']}), UNHCR end {w['year'] - 1} "
            f"{_count(w['unhcr_before'], w['covered_before'])}, end {w['year']} "
            f"{_count(w['unhcr'], w['covered'])} "
            + (f"({w['unhcr_file']}, {w['unhcr_rows']} rows)" if w["unhcr_rows"]
               else "(no UNHCR row for the country in either year)")))
    [(compared,)] = con.execute(  # in the years UNHCR's file covers
        """SELECT count(DISTINCT area) FROM base.ims_indicator
           WHERE indicator = 'refugees' AND sex = 'total' AND area NOT LIKE '%:%'
             AND (TRY_CAST(period AS INTEGER) IN (SELECT year FROM base.refugees)
                  OR TRY_CAST(period AS INTEGER) - 1 IN (SELECT year FROM base.refugees))"""
    ).fetchall()
    findings.append(Finding(
        "refugee_sources", "info", "IMS, UNHCR", "all countries",
        f"{compared:,} countries' refugees compared: {len(findings)} differ by more than "
        f"{cmp.REFUGEE_TOLERANCE:.0%} in some year"))
    return findings


def population_sources(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    gaps = cmp.population_gaps(con)
    findings = []
    for (rev, wpp, area), group in _grouped(gaps, "revision", "wpp_revision", "area").items():
        w = max(group, key=lambda r: abs(r["ims"] - r["wpp"]))
        findings.append(Finding(
            "population_sources", "warning", f"IMS {rev}, WPP {wpp}", f"{area} population",
            f"the population published with the IMS {rev} and WPP {wpp} differ by more than "
            f"{cmp.POPULATION_TOLERANCE:.0%} in {_years(group)}; most in {w['year']}: IMS "
            f"{w['ims']:,} ({w['ims_file']} {w['ims_sheet']!r} row {w['ims_row']}), WPP "
            f"{w['wpp']:,} ({w['wpp_file']} row {w['wpp_row']})"))
    listed = findings[:MAX_LISTED]
    listed += _unlisted("population_sources", "IMS, WPP", "population", len(findings))
    for rev, wpp, n in con.execute(
            """SELECT i.revision, w.revision, count(DISTINCT i.country)
               FROM base.population i JOIN base.population w USING (country, year, sex)
               WHERE i.source = 'UN DESA IMS' AND w.source = 'UN WPP' AND sex = 'total'
                 AND country NOT LIKE '%:%' AND w.revision = (SELECT max(revision)
                     FROM base.population WHERE source = 'UN WPP')
               GROUP BY ALL ORDER BY ALL""").fetchall():
        bad = sum(1 for f in findings if f.source == f"IMS {rev}, WPP {wpp}")
        listed.append(Finding(
            "population_sources", "info", f"IMS {rev}, WPP {wpp}", "all countries",
            f"{n:,} countries' populations compared: {bad} differ by more than "
            f"{cmp.POPULATION_TOLERANCE:.0%} in some year"))
    return listed


def stock_jumps(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    jumps = cmp.stock_jumps(con)
    findings: dict[str, list[Finding]] = {"years": [], "revisions": []}
    for (kind, side, area, rev), group in _grouped(
            jumps, "kind", "side", "area", "revision").items():
        w = max(group, key=lambda r: abs(r["new"] - r["old"]))
        what = "immigrants" if side == "destination" else "emigrants"
        change = f"{w['old']:,} to {w['new']:,} ({(w['new'] - w['old']) / w['old']:+.0%})" \
            if w["old"] else f"{w['old']:,} to {w['new']:,}"
        rows = f"({w['old_file']} {w['old_row']}; {w['file']} {w['row']})"
        if kind == "years":
            findings[kind].append(Finding(
                "stock_jumps", "info", f"IMS {rev}", f"{area} {what}",
                f"{what} change by more than {cmp.JUMP_TOLERANCE:.0%} (and "
                f"{cmp.JUMP_MIN_GAP:,}) between consecutive years in {_years(group)}; most "
                f"from {w['before']} to {w['year']}: {change} {rows}"))
        else:
            findings[kind].append(Finding(
                "stock_jumps", "warning", f"IMS {w['before']}, IMS {rev}", f"{area} {what}",
                f"the {rev} revision changes the {what} of the {w['before']} revision by more "
                f"than {cmp.REVISION_TOLERANCE:.0%} (and {cmp.JUMP_MIN_GAP:,}) in "
                f"{_years(group)}; most in {w['year']}: {change} {rows}"))
    out = []
    for kind, found in findings.items():
        out += found[:MAX_LISTED] + _unlisted("stock_jumps", "IMS", kind, len(found))
    return out


RULES: dict[str, Rule] = {
    "od_sums": od_sums,
    "sexes": sexes,
    "coverage": coverage,
    "remittance_sources": remittance_sources,
    "origin_breakdown": origin_breakdown,
    "refugee_sources": refugee_sources,
    "population_sources": population_sources,
    "stock_jumps": stock_jumps,
}


def run_all(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    findings: list[Finding] = []
    for rule in RULES.values():
        findings += rule(con)
    return findings
