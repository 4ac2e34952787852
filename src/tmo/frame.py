"""The canonical long tables: one schema per table, validated at entry to the store.

Every table carries its provenance per row: `src_file` (file name as published),
`src_sheet` (sheet or R object name; empty for CSV) and `src_row` (1-based row as a
user sees it in the file: the spreadsheet row number, the CSV line number, or the
row of the R data frame; "12+13" for a figure derived from two rows).

Geographic identifiers in the store are *area codes*: ISO 3166 alpha-3 for countries
and areas (plus the special codes of `tmo.countries`: OOO other/unknown origin,
XCX Channel Islands, XKX Kosovo), `UN:<m49>` for UN aggregates (`UN:900` = World)
and `WB:<code>` for World Bank aggregates. Adapters emit raw identifiers (M49
numbers, ISO3, names) and declare their kind; `tmo.countries.harmonize` turns
them into area codes during the build.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from tmo.errors import SchemaError

PROVENANCE = {"src_file": "VARCHAR", "src_sheet": "VARCHAR", "src_row": "VARCHAR"}


# What a table holds, which decides who writes it:
#  "statistics" canonical rows from the source adapters, with provenance per row;
#  "reference"  the country reference (tmo.countries), with provenance per row;
#  "derived"    computed by a later stage (flows, profiles) from the other tables;
#  "meta"       about the build itself (provenance of files, findings, build info).
TableGroup = Literal["statistics", "reference", "derived", "meta"]


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: dict[str, str]  # column -> DuckDB type, in order
    key: tuple[str, ...]  # columns that identify a row (must be non-null and unique)
    description: str
    group: TableGroup = "statistics"

    @property
    def provenance(self) -> bool:
        """Whether every row names its source file, sheet and row."""
        return self.group in ("statistics", "reference")

    @property
    def all_columns(self) -> dict[str, str]:
        return {**self.columns, **PROVENANCE} if self.provenance else dict(self.columns)


def _t(name: str, columns: dict[str, str], key: tuple[str, ...], description: str,
       group: TableGroup = "statistics") -> TableSchema:
    return TableSchema(name, columns, key, description, group)


TABLES: dict[str, TableSchema] = {
    t.name: t
    for t in [
        _t(
            "migrant_stock",
            {
                "revision": "VARCHAR",
                "year": "INTEGER",
                "origin": "VARCHAR",
                "destination": "VARCHAR",
                "sex": "VARCHAR",
                "stock": "BIGINT",
            },
            ("revision", "year", "origin", "destination", "sex"),
            "International migrant stock on 1 July by place of birth (origin) and residence "
            "(destination), persons. Country-to-country rows only; sex in total/female/male.",
        ),
        _t(
            "destination_stock",
            {
                "revision": "VARCHAR",
                "year": "INTEGER",
                "destination": "VARCHAR",
                "sex": "VARCHAR",
                "stock": "BIGINT",
                "coverage": "VARCHAR",
                "data_type": "VARCHAR",
            },
            ("revision", "year", "destination", "sex"),
            "Published migrant stock totals by destination (countries and UN aggregates), "
            "1 July, persons, from the IMS 'by sex and destination' workbook Table 1.",
        ),
        _t(
            "ims_indicator",
            {
                "revision": "VARCHAR",
                "table_no": "INTEGER",
                "indicator": "VARCHAR",
                "period": "VARCHAR",
                "area": "VARCHAR",
                "sex": "VARCHAR",
                "value": "DOUBLE",
            },
            ("revision", "indicator", "period", "area", "sex"),
            "The other published tables of the IMS destination workbook (shares, rates, refugees) "
            "as published; period is a year ('2020') or a span ('2015-2020').",
        ),
        _t(
            "population",
            {
                "source": "VARCHAR",
                "revision": "VARCHAR",
                "year": "INTEGER",
                "country": "VARCHAR",
                "sex": "VARCHAR",
                "population": "BIGINT",
            },
            ("source", "revision", "year", "country", "sex"),
            "Mid-year (1 July) population in persons (sources publishing thousands are converted).",
        ),
        _t(
            "population_by_age",
            {
                "source": "VARCHAR",
                "revision": "VARCHAR",
                "year": "INTEGER",
                "country": "VARCHAR",
                "age": "VARCHAR",
                "age_start": "INTEGER",
                "sex": "VARCHAR",
                "population": "BIGINT",
            },
            ("source", "revision", "year", "country", "age", "sex"),
            "Mid-year (1 July) population by five-year age group in persons, as published "
            "(WPP 2024 `popAge5dt`, every fifth year 1950-2020); `age` is the published label "
            "('0-4' ... '100+'), `age_start` its first age; sex in total/female/male.",
        ),
        _t(
            "vital_events",
            {
                "source": "VARCHAR",
                "revision": "VARCHAR",
                "year": "INTEGER",
                "period_years": "INTEGER",
                "country": "VARCHAR",
                "births": "DOUBLE",
                "deaths": "DOUBLE",
                "net_migration": "DOUBLE",
            },
            ("source", "revision", "year", "period_years", "country"),
            "Births, deaths and net migration, persons, over the calendar period starting "
            "1 January of `year` and lasting `period_years` years.",
        ),
        _t(
            "population_projection",
            {
                "source": "VARCHAR",
                "revision": "VARCHAR",
                "year": "INTEGER",
                "date": "VARCHAR",
                "country": "VARCHAR",
                "variant": "VARCHAR",
                "sex": "VARCHAR",
                "population": "DOUBLE",
            },
            ("source", "revision", "year", "date", "country", "variant", "sex"),
            "Projected population in persons; `date` is the reference date ('12-31' or '07-01').",
        ),
        _t(
            "refugees",
            {
                "year": "INTEGER",
                "origin": "VARCHAR",
                "asylum": "VARCHAR",
                "refugees": "BIGINT",
                "asylum_seekers": "BIGINT",
                "returned_refugees": "BIGINT",
                "idps": "BIGINT",
                "returned_idps": "BIGINT",
                "stateless": "BIGINT",
                "ooc": "BIGINT",
                "oip": "BIGINT",
            },
            ("year", "origin", "asylum"),
            "UNHCR end-year population by country of origin and country of asylum, persons.",
        ),
        _t(
            "asylum_applications",
            {"year": "INTEGER", "origin": "VARCHAR", "asylum": "VARCHAR",
             "procedure": "VARCHAR", "app_type": "VARCHAR", "dec_level": "VARCHAR",
             "unit": "VARCHAR", "applied": "BIGINT"},
            ("year", "origin", "asylum", "procedure", "app_type", "dec_level", "unit"),
            "UNHCR asylum applications lodged during the year by country of origin and of "
            "asylum; procedure G government, U UNHCR, J joint; app_type and dec_level as "
            "published (N new, R repeat, A appeal...; FI first instance...); `unit` "
            "'persons' or 'cases' (a case may hold several persons: never add the two).",
        ),
        _t(
            "asylum_decisions",
            {"year": "INTEGER", "origin": "VARCHAR", "asylum": "VARCHAR",
             "procedure": "VARCHAR", "dec_level": "VARCHAR", "unit": "VARCHAR",
             "recognized": "BIGINT", "complementary": "BIGINT", "rejected": "BIGINT",
             "closed": "BIGINT", "total": "BIGINT"},
            ("year", "origin", "asylum", "procedure", "dec_level", "unit"),
            "UNHCR decisions on asylum claims taken during the year: recognised as refugees, "
            "complementary protection, rejected, otherwise closed (non-substantive) and the "
            "total as published; `unit` 'persons' or 'cases'.",
        ),
        _t(
            "durable_solutions",
            {"year": "INTEGER", "origin": "VARCHAR", "asylum": "VARCHAR",
             "returned_refugees": "BIGINT", "resettlement": "BIGINT",
             "naturalisation": "BIGINT", "returned_idps": "BIGINT"},
            ("year", "origin", "asylum"),
            "UNHCR durable solutions during the year, persons: refugees returned to `origin` "
            "from `asylum`, resettled to `asylum`, naturalised in `asylum`, and IDPs returned "
            "(origin = asylum); null where the file reports nothing, not 0.",
        ),
        _t(
            "internal_displacement",
            {"year": "INTEGER", "country": "VARCHAR", "idps": "BIGINT"},
            ("year", "country"),
            "IDMC internally displaced persons by conflict and violence at the end of the "
            "year, persons (via UNHCR's refugees package); `UNK` = not attributed to a "
            "country.",
        ),
        _t(
            "remittances",
            {
                "source": "VARCHAR",
                "year": "INTEGER",
                "country": "VARCHAR",
                "direction": "VARCHAR",
                "usd": "DOUBLE",
            },
            ("source", "year", "country", "direction"),
            "Personal remittances received (direction 'received') or paid ('paid'), current US$.",
        ),
        _t(
            "remittance_corridors",
            {
                "source": "VARCHAR",
                "year": "INTEGER",
                "sender": "VARCHAR",
                "receiver": "VARCHAR",
                "usd": "DOUBLE",
            },
            ("source", "year", "sender", "receiver"),
            "Bilateral remittance estimates, current US$ (World Bank/KNOMAD matrix).",
        ),
        _t(
            "remittance_costs",
            {
                "source": "VARCHAR",
                "period": "VARCHAR",
                "year": "INTEGER",
                "sender": "VARCHAR",
                "receiver": "VARCHAR",
                "cost_pct": "DOUBLE",
            },
            ("source", "period", "sender", "receiver"),
            "Average total cost of sending the equivalent of USD 200, percent of amount sent, "
            "per corridor (Remittance Prices Worldwide); period '2011Q1' etc.",
        ),
        _t(
            "remittance_cost_country",
            {
                "source": "VARCHAR",
                "year": "INTEGER",
                "country": "VARCHAR",
                "direction": "VARCHAR",
                "cost_pct": "DOUBLE",
            },
            ("source", "year", "country", "direction"),
            "Average cost of sending remittances to ('to') or from ('from') a country, percent.",
        ),
        _t(
            "country_shapes",
            {"iso3": "VARCHAR", "svg_path": "VARCHAR"},
            ("iso3",),
            "Country outlines as SVG paths in a 960 x 480 equirectangular frame (Natural Earth "
            "1:110m), for maps.",
        ),
        _t(
            "reported_flows",
            {"source": "VARCHAR", "year": "INTEGER", "origin": "VARCHAR",
             "destination": "VARCHAR", "flow": "DOUBLE"},
            ("source", "year", "origin", "destination"),
            "Migration flows reported by national statistical offices (annual, persons): "
            "origin = country of previous residence, destination = reporting country.",
        ),
        _t(
            "area_names",
            {"source": "VARCHAR", "area": "VARCHAR", "name": "VARCHAR"},
            ("source", "area"),
            "Names of countries and aggregates as each source publishes them (footnote marks "
            "and indentation removed), e.g. the UN aggregates of each IMS revision.",
        ),
        _t(
            "gdp",
            {"source": "VARCHAR", "year": "INTEGER", "country": "VARCHAR", "usd": "DOUBLE"},
            ("source", "year", "country"),
            "Gross domestic product, current US$ (World Bank WDI), for remittances as a share "
            "of GDP.",
        ),
        _t(
            "countries",
            {"iso3": "VARCHAR", "iso2": "VARCHAR", "m49": "BIGINT", "name": "VARCHAR",
             "official_name": "VARCHAR", "name_fr": "VARCHAR", "name_es": "VARCHAR",
             "unterm_name": "VARCHAR", "un_name": "VARCHAR", "wb_name": "VARCHAR",
             "region": "VARCHAR", "subregion": "VARCHAR", "intermediate_region": "VARCHAR",
             "sdg_region": "VARCHAR", "wb_region": "VARCHAR", "wb_income": "VARCHAR",
             "wb_lending": "VARCHAR", "ldc": "BOOLEAN", "lldc": "BOOLEAN", "sids": "BOOLEAN",
             "capital": "VARCHAR", "capital_type": "VARCHAR", "capital_lat": "DOUBLE",
             "capital_lon": "DOUBLE", "kind": "VARCHAR", "note": "VARCHAR"},
            ("iso3",),
            "Countries and areas (ISO3, ISO2, M49, names in English, French and Spanish, UN "
            "and SDG regions, World Bank region and income group, LDC/LLDC/SIDS, capital and "
            "its coordinates) and the special codes (OOO other/unknown origin, XCX Channel "
            "Islands, XKX Kosovo); `kind` is country, area or special.",
            "reference",
        ),
        _t(
            "country_groups",
            {"group_code": "VARCHAR", "group_name": "VARCHAR", "group_type": "VARCHAR",
             "member": "VARCHAR"},
            ("group_code", "member"),
            "Membership of UN aggregates (`UN:<m49>`), World Bank groups (`WB:<code>`) and "
            "regions: one row per group and member country (ISO3); a group the World Bank "
            "names without members (WB:INX, not classified) has one row with an empty member.",
            "reference",
        ),
        _t(
            "migration_flows",
            {"revision": "VARCHAR", "method": "VARCHAR", "sex": "VARCHAR",
             "period_start": "INTEGER", "period_end": "INTEGER", "origin": "VARCHAR",
             "destination": "VARCHAR", "flow": "DOUBLE"},
            ("revision", "method", "sex", "period_start", "origin", "destination"),
            "Bilateral migration flows estimated by `tmo flows` from the migrant stock of an "
            "IMS revision and the births and deaths of the WPP paired with it (docs/flows.md), "
            "persons moving between 1 July of `period_start` and 1 July of `period_end`. "
            "Empty until `tmo flows` has run; zero flows are not stored.",
            "derived",
        ),
        _t(
            "projections",
            {"revision": "VARCHAR", "jump_off": "INTEGER", "year": "INTEGER",
             "origin": "VARCHAR", "destination": "VARCHAR", "sex": "VARCHAR",
             "jump_off_stock": "DOUBLE", "median": "DOUBLE", "lower80": "DOUBLE",
             "upper80": "DOUBLE", "lower95": "DOUBLE", "upper95": "DOUBLE",
             "constant": "DOUBLE", "linear": "DOUBLE", "loglinear": "DOUBLE",
             "drift": "DOUBLE", "draws": "INTEGER", "seed": "INTEGER",
             "ceiling": "DOUBLE", "held": "DOUBLE", "wpp_revision": "VARCHAR"},
            ("revision", "jump_off", "year", "origin", "destination", "sex"),
            "Migrant stocks projected by `tmo projections run` (docs/projections.md) from the "
            "`migrant_stock` of an IMS revision up to its last year (`jump_off`, with the "
            "stock then): the median and the 80 % and 95 % prediction intervals of the "
            "pooled model's draws on 1 July of `year`, persons, and the baselines' points "
            "(last value, straight line, log-linear trend, random walk with drift). Origin "
            "`UN:900` is a destination's immigrants from everywhere, destination `UN:900` an "
            "origin's emigrants everywhere (sums of the same draws). A destination's "
            "immigrants never exceed its population (`ceiling`: WPP `wpp_revision`'s medium "
            "variant on 1 July, per sex; total: both sexes'): a draw over it has the "
            "destination's corridors of that sex scaled down to it, and `held` is the share "
            "of draws so held (total: either sex; both only on the immigrants' rows, empty "
            "where WPP has no population). Empty until run.",
            "derived",
        ),
        _t(
            "projected_flows",
            {"revision": "VARCHAR", "jump_off": "INTEGER", "scenario": "VARCHAR",
             "kind": "VARCHAR", "method": "VARCHAR", "wpp_revision": "VARCHAR",
             "sex": "VARCHAR", "period_start": "INTEGER", "period_end": "INTEGER",
             "origin": "VARCHAR", "destination": "VARCHAR", "flow": "DOUBLE",
             "draws": "INTEGER"},
            ("revision", "scenario", "method", "sex", "period_start", "origin",
             "destination"),
            "Bilateral flows projected by `tmo projections flows run` (docs/projections.md) "
            "between the stored `projections` of an IMS revision (the `scenario` column: "
            "median, or all corridors at their lower or upper 80 % bound; draws_median, "
            "draws_lower80, draws_upper80, draws_lower95, draws_upper95: the quantiles of "
            "the flows estimated in each of the first `draws` simulated futures, per sex; "
            "`draws` is empty for the other scenarios) with the "
            "medium-variant population, births and deaths of WPP `wpp_revision`, by the "
            "flow method `method` (da_pb_closed), persons moving between 1 July of "
            "`period_start` and 1 July of `period_end`; `kind` is always 'projected' (the "
            "estimated flows are in `migration_flows`). Zero flows are not stored. Empty "
            "until run.",
            "derived",
        ),
        _t(
            "projection_backtest",
            {"revision": "VARCHAR", "jump_off": "INTEGER", "target": "INTEGER",
             "level": "VARCHAR", "sex": "VARCHAR", "method": "VARCHAR", "band": "VARCHAR",
             "n": "INTEGER", "mae_log": "DOUBLE", "mape": "DOUBLE", "wape": "DOUBLE",
             "bias_log": "DOUBLE", "coverage80": "DOUBLE", "coverage95": "DOUBLE",
             "interval_score80": "DOUBLE", "interval_score95": "DOUBLE", "crps": "DOUBLE",
             "draws": "INTEGER", "seed": "INTEGER", "mase": "DOUBLE",
             **{f"pit{k}": "DOUBLE" for k in range(1, 11)}},
            ("revision", "jump_off", "target", "level", "sex", "method", "band"),
            "The backtest `tmo projections run` scores beside the `projections` of the same "
            "revision (docs/projections.md): the model and its settings fitted on the "
            "estimates up to `jump_off` (the third latest estimate year) and scored on the "
            "later published years (`target`), by `level` (`corridor`, or `destination`: "
            "a country's immigrants), sex, method (`model` or a baseline) and size band: "
            "mean absolute and mean errors of log(1 + stock), MAPE and WAPE (percent), "
            "the share of published figures inside the 80 % and 95 % intervals, interval "
            "scores and CRPS on log(1 + stock), MASE on log(1 + stock) (each series' error "
            "over its own in-sample naive error), and the PIT histogram (`pit1` to `pit10`: "
            "the shares of published figures in each tenth of the predictive distribution; "
            "a tenth each when calibrated) where the method has one. Empty until run.",
            "derived",
        ),
        _t(
            "registry_residence",
            {"origin": "VARCHAR", "residence": "VARCHAR", "registered": "BIGINT",
             "synthetic": "BIGINT", "k": "INTEGER", "rule": "VARCHAR",
             "registry": "VARCHAR", "published_at": "VARCHAR"},
            ("origin", "residence"),
            "The diaspora registry's registrants of `origin` by country of residence, as "
            "published by `tmo registry publish-aggregates` (docs/registry.md): the only "
            "figures that cross from the registry into the store, suppressed (`registered` "
            "empty: under `k` or revealing such a figure, by `rule`); residence `UN:900` "
            "holds the total. `synthetic` counts the registry's synthetic registrants "
            "(`tmo registry demo`; non-zero: the figures are SYNTHETIC), `registry` names "
            "the database (no password) and `published_at` the time (UTC). Kept from build "
            "to build until published again.",
            "derived",
        ),
        _t(
            "registry_skills",
            {"origin": "VARCHAR", "residence": "VARCHAR", "classification": "VARCHAR",
             "category": "VARCHAR", "people": "BIGINT", "synthetic": "BIGINT", "k": "INTEGER",
             "rule": "VARCHAR", "registry": "VARCHAR", "published_at": "VARCHAR"},
            ("origin", "residence", "classification", "category"),
            "The skills composition of the diaspora registry of `origin` (people with a "
            "skills profile, `tmo.skills.aggregates`) by country of residence and ISCO-08 "
            "major group (`classification` occupation_major_group, `category` the group's "
            "digit or `not_stated`) or ISCED 2011 level (education), as published by "
            "`tmo registry publish-aggregates`: suppressed together with the same provenance "
            "columns as `registry_residence` (`people` empty: suppressed); category `total` "
            "holds a country's total, residence `UN:900` a category's. Kept from build to "
            "build until published again.",
            "derived",
        ),
        _t(
            "survey_estimates",
            {"survey": "VARCHAR", "country": "VARCHAR", "title": "VARCHAR",
             "synthetic": "BOOLEAN", "fieldwork_year": "INTEGER", "module": "VARCHAR",
             "indicator": "VARCHAR", "category": "VARCHAR", "unit": "VARCHAR",
             "currency": "VARCHAR", "estimate": "DOUBLE", "se": "DOUBLE", "ci_low": "DOUBLE",
             "ci_high": "DOUBLE", "level": "DOUBLE", "deff": "DOUBLE", "n": "INTEGER",
             "df": "DOUBLE", "method": "VARCHAR", "status": "VARCHAR", "reasons": "VARCHAR",
             "actual_value": "DOUBLE", "actual_year": "INTEGER", "actual_sources": "VARCHAR",
             "files": "VARCHAR",
             "published_at": "VARCHAR"},
            ("survey", "indicator", "category"),
            "Aggregates of household and attitude surveys published by `tmo survey publish` "
            "(docs/surveys.md): one row per indicator (and per answer `category` of a "
            "distribution; empty otherwise) of a `survey` of `country`, the design-based "
            "`estimate` in `unit` with its standard error, `level` confidence interval, "
            "design effect, respondents `n`, degrees of freedom and variance `method`. "
            "`status`: shown, flagged (shown with its `reasons`) or suppressed (no value) by "
            "the NCHS small-sample standards (docs/surveys.md). `synthetic`: "
            "made-up responses (`tmo survey demo`), SYNTHETIC wherever shown. "
            "`actual_value`, `actual_year`, `actual_sources`: the published figure a "
            "perception is compared with and the store rows it comes from (JSON). `files` "
            "names the responses; no response is ever stored. Kept from build to build "
            "until the survey is published again.",
            "derived",
        ),
        _t(
            "profiles",
            {"iso3": "VARCHAR", "year": "INTEGER", "revision": "VARCHAR",
             "document": "VARCHAR"},
            ("iso3", "year", "revision"),
            "The default Migration Profile of every country (latest revision and year) as "
            "its JSON document (`document`, schema tmo.profile/2), computed after `tmo build` "
            "and again after `tmo flows`.",
            "derived",
        ),
        _t(
            "revision_changes",
            {"dataset": "VARCHAR", "old_revision": "VARCHAR", "new_revision": "VARCHAR",
             "level": "VARCHAR", "area": "VARCHAR", "partner": "VARCHAR",
             "measure": "VARCHAR", "sex": "VARCHAR", "year": "INTEGER",
             "old_value": "DOUBLE", "new_value": "DOUBLE", "change": "DOUBLE",
             "relative": "DOUBLE", "old_file": "VARCHAR", "new_file": "VARCHAR"},
            ("dataset", "old_revision", "new_revision", "level", "area", "partner",
             "measure", "sex", "year"),
            "Every pair of revisions the store holds (IMS 2020 and 2024, WPP 2019 and 2024, "
            "and `flows` estimated from two IMS revisions by `tmo flows`: measures "
            "flow_<method>, inflow_<method>, outflow_<method>, `year` the period's start) "
            "compared on their common years (docs/monitoring.md): for the world, UN regions "
            "(`level` region), countries and corridors (`partner` = origin, `area` = "
            "destination), each measure (immigrants, emigrants, immigrant_share, "
            "emigrant_rate, the female shares, corridor stock, population), the old and new "
            "figures, `change` = new - old and `relative` = 100 x change / old (empty when "
            "old is zero or absent; one side empty for a corridor published in one "
            "revision only), and the files each side comes from.",
            "derived",
        ),
        _t(
            "revision_events",
            {"dataset": "VARCHAR", "old_revision": "VARCHAR", "new_revision": "VARCHAR",
             "kind": "VARCHAR", "area": "VARCHAR", "partner": "VARCHAR",
             "measure": "VARCHAR", "sex": "VARCHAR", "year": "INTEGER",
             "period_start": "INTEGER", "old_value": "DOUBLE", "new_value": "DOUBLE",
             "old_rank": "INTEGER", "new_rank": "INTEGER"},
            ("dataset", "old_revision", "new_revision", "kind", "area", "partner",
             "measure", "year", "period_start"),
            "What a new revision overturns (docs/monitoring.md): `origin_rank` and "
            "`destination_rank` (a partner among a country's ten largest in either revision "
            "whose rank changed), `trend_reversed` (the change between `period_start` and "
            "`year` has opposite signs: old_value and new_value are the two changes), "
            "`corridor_appeared` and `corridor_vanished` (zero or absent in one revision), "
            "`unknown_origin_grew` (the destination's immigrants of unknown origin, `OOO`, "
            "rose in a year where some of its corridors vanished: they may be counted "
            "there).",
            "derived",
        ),
        _t(
            "alerts",
            {"build": "INTEGER", "country": "VARCHAR", "rule": "VARCHAR", "kind": "VARCHAR",
             "area": "VARCHAR",
             "partner": "VARCHAR", "measure": "VARCHAR", "revision": "VARCHAR",
             "year": "INTEGER", "previous": "DOUBLE", "value": "DOUBLE",
             "threshold": "DOUBLE", "message": "VARCHAR", "source": "VARCHAR"},
            ("build", "country", "rule", "area", "partner", "measure", "revision", "year"),
            "Alerts raised by the configured per-country rules at each build "
            "(docs/monitoring.md), kept from build to build: the rule, the figure "
            "(`value`), what it is compared with (`previous`), the threshold, a sentence, "
            "and the file and rows the figures come from.",
            "derived",
        ),
        _t(
            "build_history",
            {"build": "INTEGER", "started": "VARCHAR", "finished": "VARCHAR",
             "tmo_version": "VARCHAR", "previous_fingerprint": "VARCHAR",
             "summary": "VARCHAR"},
            ("build",),
            "Every `tmo build` that made this store or its predecessors (numbered from 1), "
            "with the fingerprint of the store it replaced and a JSON summary of what "
            "changed (sources and rows per view).",
            "meta",
        ),
        _t(
            "build_sources",
            {"build": "INTEGER", "source": "VARCHAR", "file": "VARCHAR",
             "old_sha256": "VARCHAR", "new_sha256": "VARCHAR", "status": "VARCHAR"},
            ("build", "source", "file"),
            "The source files of each build against those behind the store it replaced: "
            "status same, changed (another sha256), added, removed, or first (no previous "
            "store).",
            "meta",
        ),
        _t(
            "build_view_changes",
            {"build": "INTEGER", "view": "VARCHAR", "added": "BIGINT", "removed": "BIGINT",
             "changed": "BIGINT"},
            ("build", "view"),
            "Rows added, removed and changed (same key, another value) per view at a build "
            "whose source files changed; views without a change are not listed.",
            "meta",
        ),
        _t(
            "provenance",
            {"source": "VARCHAR", "edition": "VARCHAR", "file": "VARCHAR", "url": "VARCHAR",
             "sha256": "VARCHAR", "revision": "VARCHAR", "publisher": "VARCHAR",
             "licence": "VARCHAR", "citation": "VARCHAR", "retrieved_at": "VARCHAR",
             "rows": "BIGINT"},
            ("source", "file"),
            "One row per source file used by the build: checksum, revision, when it was "
            "retrieved, and how many rows of the store it contributed.",
            "meta",
        ),
        _t(
            "findings",
            {"check": "VARCHAR", "severity": "VARCHAR", "source": "VARCHAR",
             "where": "VARCHAR", "message": "VARCHAR"},
            (),
            "Data-quality findings of the build and its later stages (`tmo check` prints them).",
            "meta",
        ),
        _t(
            "build_info",
            {"key": "VARCHAR", "value": "VARCHAR"},
            ("key",),
            "When and how the store was built and derived (tmo version, started, finished, "
            "source dir, the stages run since, and the fingerprint that identifies this "
            "content: the web's ETag).",
            "meta",
        ),
    ]
}

STATISTICS = tuple(n for n, t in TABLES.items() if t.group == "statistics")


def _duplicated(frame: pd.DataFrame, key: list[str]) -> pd.Series:
    """The rows whose key another row shares. The key is hashed first (a few times
    faster on the millions of rows of a flows table); only if two hashes meet are the
    key values themselves compared, so a hash collision is never taken for a duplicate."""
    hashed = pd.util.hash_pandas_object(frame[key], index=False)
    maybe = hashed.duplicated(keep=False)
    return frame.duplicated(key, keep=False) if maybe.any() else maybe


def validate(table: str, frame: pd.DataFrame, *, source: str) -> pd.DataFrame:
    """Check a frame against its schema and return it with columns in schema order.

    Raises SchemaError naming the source and the first offending rows.
    """
    if table not in TABLES:
        raise SchemaError(f"{source}: unknown canonical table {table!r}")
    schema = TABLES[table]
    wanted = list(schema.all_columns)
    missing = [c for c in wanted if c not in frame.columns]
    if missing:
        raise SchemaError(f"{source}: table {table} lacks columns {missing}")
    out = frame[wanted]
    for col in schema.key:
        null = out[col].isna()
        if null.any():
            where = (f"source rows {out.loc[null, 'src_row'].head(5).tolist()}"
                     if schema.provenance else f"rows {list(null[null].index[:5])}")
            raise SchemaError(f"{source}: {table}.{col} is empty at {where}")
    dup = _duplicated(out, list(schema.key)) if schema.key else None
    if dup is not None and dup.any():
        shown = [*schema.key, *(["src_row"] if schema.provenance else [])]
        sample = out.loc[dup, shown].head(4).to_dict("records")
        raise SchemaError(f"{source}: {table} has duplicate keys, e.g. {sample}")
    return out
