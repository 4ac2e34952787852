"""Read figures from the store's views together with their provenance."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from tmo.errors import NotFound
from tmo.indicators.figure import Source

MAX_LISTED_ROWS = 12


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, list | tuple):
        return "(" + ", ".join(_literal(v) for v in value) + ")"
    return str(value)


def describe(where: dict[str, Any]) -> str:
    """The WHERE clause a user can paste into `tmo sql` to get the same rows."""
    parts = []
    for col, value in where.items():
        op = "IN" if isinstance(value, list | tuple) else "="
        parts.append(f"{col} {op} {_literal(value)}")
    return " AND ".join(parts)


class Evidence:
    """A read-only connection that returns rows with a `Source` describing them."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def _run(self, query: str, params: list[Any] | None = None) -> pd.DataFrame:
        try:
            return self.con.execute(query, params or []).df()
        except duckdb.CatalogException as exc:
            raise NotFound(f"the store lacks a view this version needs ({exc})".splitlines()[0],
                           hint="the store was built by an older tmo: run `tmo build` again") \
                from exc

    def rows(self, view: str, where: dict[str, Any], columns: list[str],
             revision: str | None = None) -> tuple[pd.DataFrame, Source]:
        clause = describe(where)
        cols = ", ".join(f'"{c}"' for c in dict.fromkeys([*columns, "src_file", "src_row"]))
        frame = self._run(f'SELECT {cols} FROM "{view}" WHERE {clause}')
        rev = revision or str(where.get("revision", ""))
        files = tuple(sorted(frame["src_file"].dropna().unique()))
        listed = tuple(frame["src_row"].astype(str)) if len(frame) <= MAX_LISTED_ROWS else ()
        return frame, Source(view, clause, rev, files, listed, len(frame))

    def sql(self, query: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self._run(query, params)
