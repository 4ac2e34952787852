"""A tiny hand-made store for the data-quality rules, in the frictionless `__spec__`
style: each test writes only the rows its rule reads and asserts the exact findings.

`tiny_store(migrant_stock=[...], ...)` creates every canonical table of `tmo.frame`
in a `base` schema, as the build does, and inserts the given rows (missing columns
are NULL), so the rules run on the same column names and types as on a real store.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import duckdb
import pytest

from tmo.frame import TABLES

Row = Mapping[str, Any]


def tiny_store(**tables: Sequence[Row]) -> duckdb.DuckDBPyConnection:
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise KeyError(f"not canonical tables: {sorted(unknown)}")
    con = duckdb.connect()
    con.execute("CREATE SCHEMA base")
    for name, schema in TABLES.items():
        columns = schema.all_columns
        con.execute(f'CREATE TABLE base."{name}" ('
                    + ", ".join(f'"{c}" {t}' for c, t in columns.items()) + ")")
        for row in tables.get(name, ()):
            extra = set(row) - set(columns)
            if extra:
                raise KeyError(f"{name} has no column(s) {sorted(extra)}")
            con.execute(f'INSERT INTO base."{name}" VALUES ({", ".join("?" * len(columns))})',
                        [row.get(c) for c in columns])
    return con


@pytest.fixture
def store() -> Iterator[Any]:
    """`store(**tables)` -> an open connection to a tiny store (closed after the test)."""
    opened: list[duckdb.DuckDBPyConnection] = []

    def make(**tables: Sequence[Row]) -> duckdb.DuckDBPyConnection:
        opened.append(tiny_store(**tables))
        return opened[-1]

    yield make
    for con in opened:
        con.close()


def od(destination: str, origin: str, sex: str, stock: int, *, revision: str = "2020",
       year: int = 2020, row: str = "20") -> dict[str, Any]:
    """One migrant_stock row (origin-destination matrix)."""
    return {"revision": revision, "year": year, "origin": origin, "destination": destination,
            "sex": sex, "stock": stock, "src_file": "od.xlsx", "src_sheet": "Table 1",
            "src_row": row}


def total(destination: str, sex: str, stock: int, *, revision: str = "2020", year: int = 2020,
          row: str = "12") -> dict[str, Any]:
    """One destination_stock row (published total of a destination)."""
    return {"revision": revision, "year": year, "destination": destination, "sex": sex,
            "stock": stock, "src_file": "dest.xlsx", "src_sheet": "Table 1", "src_row": row}


def pop(country: str, sex: str, population: int, *, source: str = "WPP", revision: str = "2024",
        year: int = 2020) -> dict[str, Any]:
    """One population row."""
    return {"source": source, "revision": revision, "year": year, "country": country,
            "sex": sex, "population": population, "src_file": "pop.csv", "src_sheet": "",
            "src_row": "2"}
