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

import pandas as pd

from tmo.errors import SchemaError

PROVENANCE = {"src_file": "VARCHAR", "src_sheet": "VARCHAR", "src_row": "VARCHAR"}


@dataclass(frozen=True)
class TableSchema:
    name: str
    columns: dict[str, str]  # column -> DuckDB type, in order
    key: tuple[str, ...]  # columns that identify a row (must be non-null and unique)
    description: str

    @property
    def all_columns(self) -> dict[str, str]:
        return {**self.columns, **PROVENANCE}


def _t(name: str, columns: dict[str, str], key: tuple[str, ...], description: str) -> TableSchema:
    return TableSchema(name, columns, key, description)


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
    ]
}


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
            rows = out.loc[null, "src_row"].head(5).tolist()
            raise SchemaError(f"{source}: {table}.{col} is empty at source rows {rows}")
    dup = out.duplicated(list(schema.key), keep=False)
    if dup.any():
        sample = out.loc[dup, [*schema.key, "src_row"]].head(4).to_dict("records")
        raise SchemaError(f"{source}: {table} has duplicate keys, e.g. {sample}")
    return out
