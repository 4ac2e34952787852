"""The store's named facts: every question the web, the profiles and the command line ask
of a store, answered in one place (the store's read facade).

Each function takes an open read-only connection (or cursor) and answers from the
documented views. Nothing outside `store/`, `indicators/` and the source adapters writes
SQL against the views; callers ask here.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb
import pandas as pd

from tmo.countries import CountryRegistry
from tmo.errors import NotFound
from tmo.vocabulary import SEXES

Con = duckdb.DuckDBPyConnection
FLOW_COLUMNS = ("method", "sex", "period_start", "period_end", "origin", "destination", "flow")


def revisions(con: Con) -> list[str]:
    """IMS revisions in the store, oldest first."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT revision FROM destination_stock ORDER BY 1").fetchall()]


def latest_revision(con: Con) -> str:
    """The newest IMS revision in the store (the default everywhere)."""
    known = revisions(con)
    if not known:
        raise NotFound("the store holds no migrant stock",
                       hint="build it with an International Migrant Stock source: `tmo build` "
                       "(or --only ims_destination_2024)")
    return known[-1]


def revision_or_latest(con: Con, revision: str | None) -> str:
    """`revision` if the store has it (NotFound naming those it has), else the latest."""
    known = revisions(con)
    if revision is None:
        return latest_revision(con)
    if revision not in known:
        raise NotFound(f"revision {revision!r} is not in the store; available: "
                       f"{', '.join(known)}")
    return revision


def years(con: Con, revision: str) -> list[int]:
    """Estimate years of an IMS revision (1 July), ascending."""
    return [int(r[0]) for r in con.execute(
        "SELECT DISTINCT year FROM destination_stock WHERE revision = ? ORDER BY 1",
        [revision]).fetchall()]


def default_year(con: Con, revision: str) -> int:
    """The latest estimate year of a revision."""
    found = years(con, revision)
    if not found:
        raise NotFound(f"IMS {revision} has no estimate year in the store")
    return found[-1]


def year_or_default(con: Con, revision: str, year: int | None) -> int:
    """`year` if it is an estimate year of the revision (NotFound otherwise), else the latest."""
    found = years(con, revision)
    if year is None:
        return default_year(con, revision)
    if year not in found:
        raise NotFound(f"year {year} is not an estimate year of IMS {revision}; "
                       f"available: {', '.join(map(str, found))}")
    return year


def area_codes(con: Con) -> frozenset[str]:
    """Every code of the `countries` view (countries, areas and the special codes)."""
    return frozenset(r[0] for r in con.execute("SELECT iso3 FROM countries").fetchall())


def require_country(con: Con, code: str) -> str:
    """The upper-case code if the store knows it as a country or area; NotFound otherwise."""
    iso3 = code.upper()
    if con.execute("SELECT 1 FROM countries WHERE iso3 = ?", [iso3]).fetchone() is None:
        raise NotFound(f"unknown country {code!r}", hint="GET /api/v1/countries (or "
                       "`tmo sql \"SELECT iso3, name FROM countries\"`) lists them")
    return iso3


def country_record(con: Con, iso3: str) -> dict[str, Any]:
    """One row of the `countries` view as plain values (provenance columns left out)."""
    cur = con.execute("SELECT * FROM countries WHERE iso3 = ?", [iso3])
    row = cur.fetchone()
    if row is None:
        raise NotFound(f"{iso3} is not a country or area of the store")
    cols = [d[0] for d in cur.description]
    return {c: (None if math.isnan(v) else v) if isinstance(v, float) else v
            for c, v in zip(cols, row, strict=True) if not c.startswith("src_")}


def area_names(con: Con) -> dict[str, str]:
    """Area code -> English name: UN DESA's own names where the IMS workbooks give one
    (later revisions win), else the reference names; aggregates included."""
    rows = con.execute("""SELECT iso3 AS code, name, '0' AS k FROM countries
                          UNION ALL SELECT DISTINCT group_code, group_name, '1' FROM country_groups
                          UNION ALL SELECT area, name, '2 ' || source FROM area_names
                          ORDER BY k, code""").fetchall()
    return {code: name for code, name, _k in rows}


def names_by_lang(con: Con) -> dict[str, dict[str, str]]:
    """Names of areas in each language: English as `area_names`, French and Spanish from the
    official short names where the reference has them (English stays where it has none)."""
    english = area_names(con)
    out = {"en": english}
    for lang in ("fr", "es"):
        rows = con.execute(f"SELECT iso3, name_{lang} FROM countries").fetchall()
        out[lang] = {**english, **{c: n for c, n in rows if isinstance(n, str) and n}}
    return out


def country_list(con: Con, revision: str | None = None) -> list[tuple[str, str]]:
    """(ISO3, English name) of every country and area with a published migrant stock in the
    revision (default: the latest), by name: the countries that have a profile."""
    rev = revision or latest_revision(con)
    names = area_names(con)
    codes = [r[0] for r in con.execute(
        """SELECT DISTINCT c.iso3 FROM countries c JOIN destination_stock d
           ON d.destination = c.iso3 AND d.revision = ?""", [rev]).fetchall()]
    return sorted(((c, names.get(c, c)) for c in codes), key=lambda cn: (cn[1], cn[0]))


def partial_list(con: Con, revision: str | None = None) -> list[tuple[str, str]]:
    """(code, English name) of every place of the `countries` view the IMS revision
    (default: the latest) publishes no migrant stock for but whose population WPP or the
    World Bank publishes, by name: the places with a partial profile
    (`tmo.profiles.partial`)."""
    rev = revision or latest_revision(con)
    names = area_names(con)
    codes = [r[0] for r in con.execute(
        """SELECT DISTINCT c.iso3 FROM countries c JOIN population p ON p.country = c.iso3
           WHERE c.iso3 NOT IN (SELECT destination FROM destination_stock
                                WHERE revision = ?)""", [rev]).fetchall()]
    return sorted(((c, names.get(c, c)) for c in codes), key=lambda cn: (cn[1], cn[0]))


def publishes_stock(con: Con, iso3: str, revision: str) -> bool:
    """Whether the IMS revision publishes a migrant stock for the area (the areas that have
    a Migration Profile; see `country_list`)."""
    return bool(con.execute("SELECT 1 FROM destination_stock WHERE destination = ? AND "
                            "revision = ? LIMIT 1", [iso3, revision]).fetchall())


def shapes(con: Con) -> dict[str, str]:
    """ISO3 -> SVG path of the country's outline (Natural Earth), for maps."""
    return dict(con.execute("SELECT iso3, svg_path FROM country_shapes").fetchall())


def registry(con: Con) -> CountryRegistry:
    """The country registry (names, codes, aliases, groups) as the store holds it."""
    return CountryRegistry.from_frames(con.execute("SELECT * FROM countries").df(),
                                       con.execute("SELECT * FROM country_groups").df())


def groups(con: Con) -> list[dict[str, Any]]:
    """Every group (UN aggregates, World Bank groups, regions) with its name and type."""
    cur = con.execute("""SELECT DISTINCT group_code, group_name, group_type FROM country_groups
                         ORDER BY group_type, group_code""")
    return [dict(zip(("group_code", "group_name", "group_type"), r, strict=True))
            for r in cur.fetchall()]


def countries_table(con: Con) -> list[dict[str, Any]]:
    """The `countries` view's public columns, by English name."""
    cur = con.execute("""SELECT iso3, iso2, m49, name, name_fr, name_es, region, subregion,
                                sdg_region, wb_income, kind FROM countries ORDER BY name""")
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def member_groups(con: Con, iso3: str, kinds: tuple[str, ...]) -> dict[str, str]:
    """The country's group of each kind (e.g. 'un_subregion' -> 'UN:926')."""
    rows = con.execute(f"""SELECT group_type, min(group_code) FROM country_groups
                           WHERE member = ? AND group_type IN ({', '.join('?' * len(kinds))})
                           GROUP BY group_type""", [iso3, *kinds]).fetchall()
    return dict(rows)


def build_info(con: Con) -> dict[str, str]:
    """When and how the store was built (tmo version, started, finished, fingerprint...)."""
    return dict(con.execute("SELECT key, value FROM build_info").fetchall())


def fingerprint(con: Con) -> str:
    """An identifier of this build and its derived stages (the web's ETag)."""
    info = build_info(con)
    return info.get("fingerprint") or info.get("finished", "")


def provenance(con: Con, files: set[str] | None = None) -> list[dict[str, Any]]:
    """The provenance rows of the store's source files (all, or those named in `files`)."""
    cur = con.execute("""SELECT source, file, revision, publisher, licence, citation, sha256,
                                retrieved_at FROM provenance ORDER BY source, file""")
    cols = [d[0] for d in cur.description]
    rows = [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    return rows if files is None else [r for r in rows if r["file"] in files]


def has_flows(con: Con) -> bool:
    """Whether `tmo flows` has stored estimates in this store."""
    row = con.execute("SELECT count(*) FROM migration_flows").fetchone()
    return bool(row and row[0])


def stored_methods(con: Con, revision: str) -> list[str]:
    """The flow methods with stored estimates for a revision."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT method FROM migration_flows WHERE revision = ? ORDER BY 1",
        [revision]).fetchall()]


def stored_sexes(con: Con, revision: str, method: str) -> list[str]:
    """The sexes with stored flows of a method in a revision."""
    return [r[0] for r in con.execute(
        "SELECT DISTINCT sex FROM migration_flows WHERE revision = ? AND method = ? "
        "ORDER BY 1", [revision, method]).fetchall()]


def flow_rows(con: Con, revision: str, *, method: str | None = None, sex: str = "total",
              period: int | None = None, countries: list[str] | None = None,
              pair: bool = False, limit: int = 100) -> list[dict[str, Any]]:
    """Stored flows, largest first: of one country (either side), of a pair of countries
    (`pair`, both directions), or all; optionally one method and one period."""
    if sex not in SEXES:
        raise NotFound(f"unknown sex {sex!r}; choose one of {', '.join(SEXES)}")
    where: list[str] = ["revision = ?", "sex = ?"]
    params: list[object] = [revision, sex]
    if method:
        where.append("method = ?")
        params.append(method)
    if period is not None:
        where.append("period_start = ?")
        params.append(period)
    if countries and pair:
        where.append("origin IN (?, ?) AND destination IN (?, ?)")
        params += countries * 2
    elif countries:
        where.append("(origin = ? OR destination = ?)")
        params += countries * 2
    cur = con.execute(f"""SELECT {', '.join(FLOW_COLUMNS)} FROM migration_flows
                          WHERE {' AND '.join(where)} ORDER BY flow DESC, origin, destination
                          LIMIT {int(limit)}""", params)
    return [dict(zip(FLOW_COLUMNS, r, strict=True)) for r in cur.fetchall()]


def largest_corridors(con: Con, revision: str, year: int, limit: int = 20
                      ) -> list[dict[str, Any]]:
    """The largest country-to-country stocks of a year, with their source rows."""
    cols = ("origin", "destination", "stock", "src_file", "src_sheet", "src_row")
    cur = con.execute(f"""SELECT {', '.join(cols)} FROM migrant_stock
                          WHERE revision = ? AND year = ? AND sex = 'total'
                            AND origin IN (SELECT iso3 FROM countries WHERE kind = 'country')
                          ORDER BY stock DESC LIMIT {int(limit)}""", [revision, year])
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def world_stock(con: Con) -> list[dict[str, Any]]:
    """The world's migrant stock in the latest year of each revision, with its source row."""
    cols = ("revision", "year", "stock", "src_file", "src_sheet", "src_row")
    cur = con.execute(f"""SELECT {', '.join(cols)} FROM destination_stock
                          WHERE destination = 'UN:900' AND sex = 'total'
                            AND year = (SELECT max(year) FROM destination_stock d2
                                        WHERE d2.revision = destination_stock.revision)
                          ORDER BY revision""")
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def findings(con: Con, severity: str | None = None) -> list[dict[str, Any]]:
    """The build's data-quality findings, errors first."""
    where, params = ("WHERE severity = ?", [severity]) if severity else ("", [])
    cur = con.execute(f"""SELECT * FROM findings {where} ORDER BY
        CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "check", "where"
        """, params)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def stock_rows(con: Con, revision: str, sexes: tuple[str, ...]) -> pd.DataFrame:
    """Every origin-destination stock of a revision in the given sexes (year, origin,
    destination, sex, stock), for the flow estimation."""
    return con.execute("SELECT year, origin, destination, sex, stock FROM migrant_stock "
                       "WHERE revision = ? AND sex IN (SELECT unnest(?))",
                       [revision, list(sexes)]).df()


def population_rows(con: Con, source: str, revision: str) -> pd.DataFrame:
    """Population by year, country (as `destination`) and sex of one source and revision."""
    return con.execute("SELECT year, country AS destination, sex, population FROM population "
                       "WHERE source = ? AND revision = ?", [source, revision]).df()


def population_by_age(con: Con, source: str = "UN WPP", country: str | None = None
                      ) -> pd.DataFrame:
    """Each area's age structure on 1 July of the latest year held, in the latest revision
    of `source` that holds the area: country, revision, year, age, age_start, sex,
    population, src_file, src_sheet, src_row; by area, youngest group first. Of one
    `country`, or of every area (one read for every profile of a build: a query per
    country cost 12 ms, 2.9 s for 233; all areas for one profile, 0.27 s)."""
    one = " AND country = ?" if country is not None else ""
    return con.execute(
        f"WITH mine AS (SELECT * FROM population_by_age WHERE source = ?{one}), "
        "rev AS (SELECT country, max(revision) AS revision FROM mine GROUP BY country), "
        "latest AS (SELECT country, revision, max(year) AS year FROM mine "
        "JOIN rev USING (country, revision) GROUP BY country, revision) "
        "SELECT country, revision, year, age, age_start, sex, population, src_file, "
        "src_sheet, src_row FROM mine JOIN latest USING (country, revision, year) "
        "ORDER BY country, age_start, sex",
        [source, *([country] if country is not None else [])]).df()


def vital_event_rows(con: Con, source: str, revision: str) -> pd.DataFrame:
    """Births, deaths and net migration by period start, period length and country of one
    revision."""
    return con.execute("SELECT year, period_years, country, births, deaths, net_migration "
                       "FROM vital_events "
                       "WHERE source = ? AND revision = ?", [source, revision]).df()


def vital_events_of(con: Con, source: str, country: str | None = None) -> pd.DataFrame:
    """Births, deaths and net migration of one source, all revisions, with the file of
    each row: of one country, or of every country (the profiles of a stage read them
    once)."""
    return con.execute("SELECT country, revision, year, period_years, births, deaths, "
                       "net_migration, src_file FROM vital_events WHERE source = ? "
                       "AND (? IS NULL OR country = ?)", [source, country, country]).df()


def stored_profiles(con: Con) -> dict[tuple[str, int, str], str]:
    """(iso3, year, revision) -> the stored profile's JSON text (the `profiles` view)."""
    return {(iso3, int(year), rev): doc for iso3, year, rev, doc in con.execute(
        "SELECT iso3, year, revision, document FROM profiles").fetchall()}


SURVEY_COLUMNS = ("survey", "title", "synthetic", "fieldwork_year", "module", "indicator",
                  "category", "unit", "currency", "estimate", "se", "ci_low", "ci_high",
                  "level", "deff", "n", "method", "status", "reasons", "actual_value",
                  "actual_year",
                  "actual_sources", "files", "published_at")


def survey_estimates(con: Con, country: str) -> list[dict[str, Any]]:
    """The published survey aggregates of `country` (the `survey_estimates` view, written by
    `tmo survey publish`), by survey, module, indicator and category; none when
    no survey was published or the store predates the view."""
    known = con.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = "
                        "'main' AND table_name = 'survey_estimates'").fetchone()
    if known is None:
        return []
    cur = con.execute(f"""SELECT {', '.join(SURVEY_COLUMNS)} FROM survey_estimates
                          WHERE country = ? ORDER BY survey, module, indicator,
                          category""", [country])
    return [dict(zip(SURVEY_COLUMNS, r, strict=True)) for r in cur.fetchall()]


REGISTRY_COLUMNS = ("residence", "registered", "synthetic", "k", "rule", "registry",
                    "published_at")


def registered_diaspora(con: Con, origin: str) -> list[dict[str, Any]]:
    """The diaspora registry's published aggregates of `origin` (the `registry_residence`
    view, written by `tmo registry publish-aggregates`), by residence, `UN:900` the total;
    none when nothing was published or the store predates the view."""
    known = con.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = "
                        "'main' AND table_name = 'registry_residence'").fetchone()
    if known is None:
        return []
    cur = con.execute(f"""SELECT {', '.join(REGISTRY_COLUMNS)} FROM registry_residence
                          WHERE origin = ? ORDER BY residence""", [origin])
    return [dict(zip(REGISTRY_COLUMNS, r, strict=True)) for r in cur.fetchall()]


def reported_flows(con: Con) -> list[tuple[int, str, str, float]]:
    """Reported flows (year, origin, destination, flow) for validation."""
    return con.execute("SELECT year, origin, destination, flow FROM reported_flows").fetchall()


def ims_population(con: Con, revision: str) -> list[tuple[int, str, int]]:
    """(year, country, population) both sexes, published with an IMS revision."""
    return con.execute("""SELECT year, country, population FROM population
                          WHERE sex = 'total' AND source = 'UN DESA IMS' AND revision = ?""",
                       [revision]).fetchall()


def emigrant_stock_rows(con: Con, origin: str, revision: str, year: int
                        ) -> list[dict[str, Any]]:
    """Emigrants of `origin` by country of residence (`destination`, countries and areas
    only), both sexes, in one IMS revision and year, largest first, with their source rows:
    destination, stock, src_file, src_sheet, src_row."""
    cols = ("destination", "stock", "src_file", "src_sheet", "src_row")
    cur = con.execute(f"""SELECT {', '.join('m.' + c for c in cols)} FROM migrant_stock m
                          JOIN countries c ON c.iso3 = m.destination
                          WHERE m.origin = ? AND m.revision = ? AND m.year = ?
                            AND m.sex = 'total' AND c.kind <> 'special'
                          ORDER BY m.stock DESC, m.destination""", [origin, revision, year])
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def emigrant_stock_by_sex(con: Con, origin: str, revision: str, year: int
                          ) -> dict[str, dict[str, float]]:
    """Emigrants of `origin` by country of residence and sex ('female', 'male'), in one
    IMS revision and year (the synthetic registrants of `tmo registry demo` follow them)."""
    cur = con.execute("""SELECT destination, sex, stock FROM migrant_stock
                         WHERE origin = ? AND revision = ? AND year = ?
                           AND sex IN ('female', 'male')""", [origin, revision, year])
    out: dict[str, dict[str, float]] = {}
    for destination, sex, stock in cur.fetchall():
        out.setdefault(destination, {})[sex] = float(stock)
    return out


def capitals(con: Con) -> dict[str, dict[str, Any]]:
    """ISO3 -> the capital of the `countries` view (capital, capital_type, lat, lon), for
    countries whose capital has coordinates (UN World Urbanization Prospects 2014)."""
    cur = con.execute("""SELECT iso3, capital, capital_type, capital_lat, capital_lon
                         FROM countries WHERE capital_lat IS NOT NULL
                           AND capital_lon IS NOT NULL AND NOT isnan(capital_lat)""")
    return {iso3: {"capital": capital, "capital_type": kind, "lat": float(lat),
                   "lon": float(lon)} for iso3, capital, kind, lat, lon in cur.fetchall()}


def stocks_between(con: Con, countries: list[str] | tuple[str, ...], revision: str
                   ) -> list[dict[str, Any]]:
    """Migrant stocks from one of `countries` to another of them (origin and destination
    both in the list, never the same), every year and sex of one IMS revision, with their
    source rows: year, origin, destination, sex, stock, src_file, src_row (the migrants a
    social security agreement among those countries concerns; tmo.pensions.coverage)."""
    codes = sorted(set(countries))
    if not codes:
        return []
    cols = ("year", "origin", "destination", "sex", "stock", "src_file", "src_row")
    marks = ", ".join("?" for _ in codes)
    cur = con.execute(f"""SELECT {', '.join(cols)} FROM migrant_stock
                          WHERE revision = ? AND origin IN ({marks})
                            AND destination IN ({marks}) AND origin <> destination
                          ORDER BY year, origin, destination, sex""",
                      [revision, *codes, *codes])
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def remittance_cost_rows(con: Con) -> pd.DataFrame:
    """Every published corridor cost of Remittance Prices Worldwide (USD 200, percent of
    the amount sent) with its source row: period, year, sender, receiver, cost_pct,
    src_file, src_row; by sender, receiver and period (tmo.remittances)."""
    return con.execute("""SELECT period, year, sender, receiver, cost_pct, src_file, src_row
                          FROM remittance_costs WHERE source = 'RPW'
                          ORDER BY sender, receiver, period""").df()


def remittance_volume_rows(con: Con, priced: bool = False) -> pd.DataFrame:
    """Bilateral remittance estimates (current US$) with their source rows: source, year,
    sender, receiver, usd, src_file, src_sheet, src_row; all, or (`priced`) only those of
    the corridors Remittance Prices Worldwide prices (tmo.remittances)."""
    only = ("WHERE (sender, receiver) IN (SELECT DISTINCT sender, receiver "
            "FROM remittance_costs)") if priced else ""
    return con.execute(f"""SELECT source, year, sender, receiver, usd, src_file, src_sheet,
                                  src_row FROM remittance_corridors {only}
                           ORDER BY sender, receiver, year""").df()


def remittance_volume_totals(con: Con) -> pd.DataFrame:
    """Bilateral remittance estimates summed per sender ('sender') and per receiver
    ('receiver') and year, with the number of rows summed: side, country, year, usd,
    n_rows (what share of a country's money the priced corridors carry)."""
    return con.execute("""SELECT 'sender' AS side, sender AS country, year, sum(usd) AS usd,
                                 count(*) AS n_rows FROM remittance_corridors GROUP BY ALL
                          UNION ALL
                          SELECT 'receiver', receiver, year, sum(usd), count(*)
                          FROM remittance_corridors GROUP BY ALL
                          ORDER BY 1, 2, 3""").df()


def remittance_total_rows(con: Con, source: str = "KNOMAD") -> pd.DataFrame:
    """Remittances received and paid per country and year from one source (KNOMAD by
    default), current US$, with their source rows: year, country, direction, usd,
    src_file, src_sheet, src_row (tmo.remittances)."""
    return con.execute("""SELECT year, country, direction, usd, src_file, src_sheet, src_row
                          FROM remittances WHERE source = ? AND usd IS NOT NULL
                          ORDER BY country, direction, year""", [source]).df()


def wb_regions(con: Con) -> dict[str, str]:
    """ISO3 -> World Bank region of the countries that have one (the regions of the
    Remittance Prices Worldwide regional averages)."""
    return {iso3: region for iso3, region in con.execute(
        "SELECT iso3, wb_region FROM countries").fetchall()
        if isinstance(region, str) and region and region != "nan"}


def projection_rows(con: Con, *, revision: str | None = None, country: str | None = None,
                    years: list[int] | None = None, sexes: tuple[str, ...] = SEXES,
                    corridors: bool = True) -> pd.DataFrame:
    """Stored projections (the `projections` view) of one revision (default: the latest
    projected), of a country on either side (its corridors, its immigrants and emigrants)
    or all, some target years and sexes; totals first (UN:900), then by median, largest
    first. `corridors=False` keeps only totals. Empty when nothing is projected."""
    found = con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = "
                        "'projections' AND table_schema = 'main'").fetchone()
    if found is None:
        return pd.DataFrame()
    where: list[str] = ["sex IN (SELECT unnest(?))"]
    params: list[object] = [list(sexes)]
    latest = con.execute("SELECT max(revision) FROM projections").fetchone()
    rev = revision or (latest[0] if latest else None)
    where.append("revision = ?")
    params.append(rev)
    if country:
        where.append("(origin = ? OR destination = ?)")
        params += [country, country]
    if years:
        where.append("year IN (SELECT unnest(?))")
        params.append(list(years))
    if not corridors:
        where.append("(origin = 'UN:900' OR destination = 'UN:900')")
    return con.execute(f"""SELECT * FROM projections WHERE {' AND '.join(where)}
                           ORDER BY (origin = 'UN:900' OR destination = 'UN:900') DESC,
                                    year, sex, median DESC, origin, destination""",
                       params).df()


def projection_backtest(con: Con, revision: str) -> pd.DataFrame:
    """The backtest stored beside the projections of `revision` (the `projection_backtest`
    view): the model's and the baselines' scores on held-out published years; empty when
    nothing is stored or the store predates the view."""
    found = con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = "
                        "'projection_backtest' AND table_schema = 'main'").fetchone()
    if found is None:
        return pd.DataFrame()
    return con.execute("""SELECT * FROM projection_backtest WHERE revision = ?
                          ORDER BY target, level, sex, method, band""", [revision]).df()


def projected_files(con: Con, revision: str) -> list[str]:
    """The published files behind the `migrant_stock` of an IMS revision by sex (what a
    projection of that revision reads)."""
    return [r[0] for r in con.execute(
        """SELECT DISTINCT src_file FROM migrant_stock WHERE revision = ?
           AND sex IN ('female', 'male') ORDER BY 1""", [revision]).fetchall()]


def flow_totals(con: Con, revision: str) -> pd.DataFrame:
    """Estimated flows of a revision (both sexes) summed per method, period and country:
    `inflow` into the country from every other, `outflow` from it to every other. The sums
    add their terms in a fixed order (by partner), so every reading gives the same last
    digits whatever order the rows are stored or scanned in (a profile stored by a stage
    equals the one built on request)."""
    return con.execute("""
        WITH f AS (SELECT method, period_start, period_end, origin, destination, flow
                   FROM migration_flows WHERE revision = ? AND sex = 'total'
                   AND origin <> destination)
        SELECT i.method, i.period_start, i.period_end, i.country, i.inflow,
               coalesce(o.outflow, 0) AS outflow
        FROM (SELECT method, period_start, period_end, destination AS country,
                     sum(flow ORDER BY origin) AS inflow FROM f GROUP BY ALL) i
        LEFT JOIN (SELECT method, period_start, origin AS country,
                          sum(flow ORDER BY destination) AS outflow
                   FROM f GROUP BY ALL) o USING (method, period_start, country)
        ORDER BY i.country, i.period_start, i.method""", [revision]).df()


def reported_inflows(con: Con) -> pd.DataFrame:
    """Reported flows (Eurostat) summed per source, year and destination, with how many
    countries of previous residence are summed and the files they come from."""
    return con.execute("""
        SELECT source, year, destination, sum(flow) AS flow, count(DISTINCT origin) AS origins,
               string_agg(DISTINCT src_file, ',') AS files
        FROM reported_flows WHERE origin <> destination GROUP BY ALL
        ORDER BY destination, source, year""").df()


# UNHCR asylum and solutions, IDMC displacement (issue #13): per country, year and side
# ('asylum': the country as country of asylum; 'origin': its nationals, wherever they
# are); every country at once (a build's profiles), or one `country`. Persons and cases
# stay apart (`unit`).
def _by_side(con: Con, columns: str, view: str, country: str | None, *, extra: str = "",
             having: str = "") -> pd.DataFrame:
    parts, params = [], []
    for side in ("asylum", "origin"):
        where = f"WHERE {side} = ?" if country is not None else ""
        params += [country] if country is not None else []
        parts.append(f"""SELECT '{side}' AS side, {side} AS country, year, {extra}{columns},
                                count(*) AS n_rows FROM "{view}" {where} GROUP BY ALL {having}""")
    return con.execute(" UNION ALL ".join(parts) + " ORDER BY side, country, year", params).df()


def asylum_application_totals(con: Con, country: str | None = None) -> pd.DataFrame:
    """Applications lodged per side, country, year and unit: all types and levels
    (`applied`) and new applications alone (`new`, app_type 'N')."""
    return _by_side(con, "sum(applied) AS applied, sum(applied) FILTER (WHERE app_type = 'N') "
                         "AS new", "asylum_applications", country, extra="unit, ")


def asylum_decision_totals(con: Con, country: str | None = None) -> pd.DataFrame:
    """Decisions per side, country, year and unit, all procedures and levels: recognised,
    complementary, rejected, otherwise closed, the published total, and the published
    total of first-instance decisions alone (dec_level 'FI')."""
    return _by_side(con, """sum(recognized) AS recognized, sum(complementary) AS complementary,
                            sum(rejected) AS rejected, sum(closed) AS closed,
                            sum(total) AS total,
                            sum(total) FILTER (WHERE dec_level = 'FI') AS first_instance""",
                    "asylum_decisions", country, extra="unit, ")


def solution_totals(con: Con, country: str | None = None) -> pd.DataFrame:
    """Durable solutions per side, country and year: refugees returned (to the origin,
    from the asylum country), resettled and naturalised (in the asylum country); null
    where no row of the year reports the figure (years where none is reported left out)."""
    return _by_side(con, """sum(returned_refugees) AS returned_refugees,
                            sum(resettlement) AS resettlement,
                            sum(naturalisation) AS naturalisation""", "durable_solutions",
                    country, having="HAVING count(returned_refugees) + count(resettlement) "
                                    "+ count(naturalisation) > 0")


def internal_displacement(con: Con) -> pd.DataFrame:
    """IDMC's internally displaced persons (conflict and violence) per country and year,
    with the file and row each comes from."""
    return con.execute("""SELECT country, year, idps, src_file, src_row
                          FROM internal_displacement ORDER BY country, year""").df()


def source_files(con: Con, view: str) -> list[str]:
    """The published files behind a view's rows."""
    return [r[0] for r in con.execute(
        f'SELECT DISTINCT src_file FROM "{view}" ORDER BY 1').fetchall()]
