"""Read figures from the store's views together with their provenance (`Source`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from tmo.errors import NotFound

MAX_LISTED_ROWS = 12


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: the view and filter that reproduce its rows, the
    published files and rows behind them, and the revision."""

    view: str
    filter: str
    revision: str
    files: tuple[str, ...]
    rows: tuple[str, ...] = ()  # src_row values when few (<= MAX_LISTED_ROWS), else empty
    n_rows: int = 0

    def cite(self) -> str:
        where = f"rows {', '.join(self.rows)}" if self.rows else f"{self.n_rows} rows"
        return f"{', '.join(self.files)} ({where}); view {self.view} WHERE {self.filter}"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        """The Source of a serialised figure (a profile read back from JSON)."""
        return cls(data["view"], data["filter"], data["revision"], tuple(data["files"]),
                   tuple(data.get("rows") or ()), int(data.get("n_rows") or 0))


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

    def _select(self, view: str, where: dict[str, Any], columns: list[str]) -> pd.DataFrame:
        cols = ", ".join(f'"{c}"' for c in columns)
        return self._run(f'SELECT {cols} FROM "{view}" WHERE {describe(where)}')

    def rows(self, view: str, where: dict[str, Any], columns: list[str],
             revision: str | None = None) -> tuple[pd.DataFrame, Source]:
        """The rows of `view` matching `where` (column = value, or IN for a list), in
        storage order, and the Source that reproduces them."""
        frame = self._select(view, where, list(dict.fromkeys([*columns, "src_file", "src_row"])))
        rev = revision or str(where.get("revision", ""))
        files = tuple(sorted(frame["src_file"].dropna().unique()))
        listed = tuple(frame["src_row"].astype(str)) if len(frame) <= MAX_LISTED_ROWS else ()
        return frame, Source(view, describe(where), rev, files, listed, len(frame))

    def fact(self, fn: Any, *args: Any) -> Any:
        """`fn(connection, *args)`: a named fact of `tmo.store.facts` (kept by ViewCache)."""
        return fn(self.con, *args)

    def sql(self, query: str, params: list[Any] | None = None) -> pd.DataFrame:
        return self._run(query, params)


class ViewCache(Evidence):
    """Evidence for stages that read many countries at once (the profiles of a build):
    each view is read whole once and indexed by the columns a filter names, so a look-up
    costs a dictionary access instead of a scan. It answers exactly as `Evidence` does
    (same rows in the same order, same Source); filters with a list fall back to SQL."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        super().__init__(con)
        self._views: dict[str, pd.DataFrame] = {}
        self._index: dict[tuple[str, tuple[str, ...]], dict[Any, Any]] = {}
        self._facts: dict[tuple[Any, ...], Any] = {}

    def fact(self, fn: Any, *args: Any) -> Any:
        key = (fn, *args)
        if key not in self._facts:
            self._facts[key] = fn(self.con, *args)
        return self._facts[key]

    def _select(self, view: str, where: dict[str, Any], columns: list[str]) -> pd.DataFrame:
        if any(isinstance(v, list | tuple) for v in where.values()):
            return super()._select(view, where, columns)
        if view not in self._views:
            whole = self._run(f'SELECT * FROM "{view}"')
            # plain Python strings: taking rows of Arrow-backed strings costs more than
            # the look-up saves
            self._views[view] = whole.astype({c: object for c in whole.columns
                                              if whole[c].dtype == "str"})
        whole = self._views[view]
        keys = tuple(where)
        index = self._index.get((view, keys))
        if index is None:
            groups = whole.groupby(list(keys), sort=False, dropna=False).indices
            index = {(k if isinstance(k, tuple) else (k,)): v for k, v in groups.items()}
            self._index[(view, keys)] = index
        positions = index.get(tuple(where[k] for k in keys))
        if positions is None:
            return whole[columns].iloc[0:0].reset_index(drop=True)
        return whole.take(positions)[columns].reset_index(drop=True)
