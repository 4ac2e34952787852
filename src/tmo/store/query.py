"""Read access to a built store."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from tmo.errors import InputError, NotFound


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the store read-only; a missing store is a NotFound with a hint."""
    if not path.is_file():
        raise NotFound(f"no store at {path}", hint="run `tmo build` first (or pass --db PATH)")
    return duckdb.connect(str(path), read_only=True)


def sql(path: Path, query: str) -> pd.DataFrame:
    """Run one read-only query against the store."""
    con = connect(path)
    try:
        return con.execute(query).df()
    except duckdb.Error as exc:
        raise InputError(f"query failed: {exc}".splitlines()[0],
                         hint="the views are documented in docs/store.md") from exc
    finally:
        con.close()
