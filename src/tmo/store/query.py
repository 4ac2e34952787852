"""Read access to a built store."""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import threading
from pathlib import Path

import duckdb
import pandas as pd

from tmo.errors import InputError, NotFound

Setting = str | bool | int | float | list[str]
SEALED: dict[str, Setting] = {
    "enable_external_access": False, "autoinstall_known_extensions": False,
    "autoload_known_extensions": False, "allow_community_extensions": False,
    "lock_configuration": True,  # last: it freezes the others
}


def pinned(path: Path) -> duckdb.DuckDBPyConnection:
    """The store file as it is now, read-only and sealed like `connect`, in a database of
    its own: DuckDB keeps one database per path in a process, so a server that reopens the
    store's path after a new file was swapped in would get the old file again. Here the
    file is attached (as catalog `store`) to a private in-memory database instead; every
    cursor must start with `USE store` (`pinned_cursor`)."""
    if not path.is_file():
        raise NotFound(f"no store at {path}", hint="run `tmo build` first (or pass --db PATH)")
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH '{str(path).replace(chr(39), chr(39) * 2)}' AS store (READ_ONLY)")
        con.execute("USE store")
        for name, value in SEALED.items():
            con.execute(f"SET {name} = {str(value).lower()}")
    except duckdb.Error as exc:
        con.close()
        raise NotFound(f"cannot open the store {path}: {str(exc).splitlines()[0]}",
                       hint="rebuild it with `tmo build` (or pass --db PATH)") from exc
    return con


def pinned_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of a `pinned` store, reading its views."""
    cur = con.cursor()
    cur.execute("USE store")
    return cur


def _cannot_open(path: Path, exc: duckdb.Error) -> NotFound:
    """One line for a store DuckDB would not open, naming who holds it where it can."""
    first = str(exc).splitlines()[0]
    if "different configuration" in first:  # held read-write by this very process
        return NotFound(f"the store {path} is locked: this process is writing it",
                        hint="close the writing connection first, then retry")
    if "could not set lock" in first.lower() or "conflicting lock" in first.lower():
        pid = re.search(r"\(PID (\d+)\)", first)
        who = f"another process (PID {pid.group(1)})" if pid else "another process"
        return NotFound(f"the store {path} is locked: {who} is writing it",
                        hint="wait until that process (e.g. `tmo build` or `tmo flows`) "
                        "has finished, then retry")
    return NotFound(f"cannot open the store {path}: {first}",
                    hint="rebuild it with `tmo build` (or pass --db PATH)")


def _seal_open_instance(path: Path) -> duckdb.DuckDBPyConnection:
    """The store is already open in this process with default settings (DuckDB shares one
    instance per file and refuses a second configuration): seal that instance instead."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as again:  # open read-write here: a writer in this very process
        raise _cannot_open(path, again) from again
    for name, value in SEALED.items():
        with contextlib.suppress(duckdb.InvalidInputException):  # already locked
            con.execute(f"SET {name} = {str(value).lower()}")
    return con


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """Open the store read-only and sealed: no files, network or extensions beyond the store
    itself, and settings locked, so SQL run on it can read the views and nothing else.

    A missing store is a NotFound with a hint; so is a store another process is writing
    (DuckDB holds it locked until that process ends)."""
    if not path.is_file():
        raise NotFound(f"no store at {path}", hint="run `tmo build` first (or pass --db PATH)")
    sealed = SEALED
    try:
        con = duckdb.connect(str(path), read_only=True, config=sealed)
    except duckdb.ConnectionException as exc:
        if "different configuration" not in str(exc):
            raise _cannot_open(path, exc) from exc
        con = _seal_open_instance(path)
    except duckdb.Error as exc:
        raise _cannot_open(path, exc) from exc
    found = dict(con.execute("SELECT name, value FROM duckdb_settings() WHERE name IN "
                             "(SELECT unnest(?))", [["access_mode", *sealed]]).fetchall())
    expected = {"access_mode": "read_only", **{k: str(v).lower() for k, v in sealed.items()}}
    if found != expected:
        con.close()
        raise NotFound(f"the store {path} is open in this process with settings that would "
                       f"let SQL leave it ({found}); not connecting",
                       hint="open the store only through tmo.store.query.connect")
    return con


def _one_query(query: str, read_only_hint: str) -> None:
    """Refuse, before it runs, anything but exactly one query statement."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise InputError(f"query failed: {exc}".splitlines()[0],
                         hint="the views are documented in docs/store.md") from exc
    if len(statements) != 1:
        raise InputError(f"tmo sql runs exactly one query; got {len(statements)}",
                         hint=read_only_hint)
    try:
        kind = statements[0].type.name
    except ValueError:  # a statement kind newer than the Python client knows
        kind = "UNKNOWN"
    if kind not in ("SELECT", "EXPLAIN", "MULTI"):  # MULTI: a PIVOT
        text = re.sub(r"--[^\n]*|/\*.*?\*/", " ", statements[0].query, flags=re.S)
        word = (re.findall(r"[A-Za-z_]+", text) or [kind])[0].upper()
        raise InputError(f"refused: {word} is not a query; tmo sql is read-only",
                         hint=read_only_hint)


SQL_SECONDS = 120.0  # the longest a tmo sql query runs unless TMO_SQL_SECONDS says otherwise


def sql(path: Path, query: str, *, seconds: float | None = None) -> pd.DataFrame:
    """Run one read-only query against the store's views, for at most `seconds` (default
    `TMO_SQL_SECONDS`, else `SQL_SECONDS`).

    Only queries are accepted (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, PIVOT,
    EXPLAIN); anything that would write, read files, load extensions or change settings is
    refused with one line, before it runs (statement kind) or when it runs (the sealed
    connection of `connect`)."""
    if seconds is None:
        given = os.environ.get("TMO_SQL_SECONDS") or str(SQL_SECONDS)
        try:
            seconds = float(given)
        except ValueError:
            raise InputError(f"TMO_SQL_SECONDS must be a number of seconds, not {given!r}",
                             hint="e.g. TMO_SQL_SECONDS=300") from None
    read_only_hint = ("tmo sql only reads the views (docs/store.md): no files, network, "
                      "extensions or settings; save a result with --format csv|json > FILE")
    _one_query(query, read_only_hint)
    con = connect(path)
    # a query that never ends (a recursive CTE without a stop) or runs for minutes over a
    # huge range is stopped, not left holding the store and a core
    timer = threading.Timer(seconds, con.interrupt)
    timer.start()
    try:
        return con.execute(query).df()
    except duckdb.InterruptException as exc:
        raise InputError(f"query stopped after {seconds:g} s",
                         hint="narrow it (a WHERE, a LIMIT) or set TMO_SQL_SECONDS to allow "
                         "longer") from exc
    except (duckdb.PermissionException, duckdb.InvalidInputException) as exc:
        first = str(exc).splitlines()[0]
        if isinstance(exc, duckdb.PermissionException) or "locked" in first \
                or "read-only" in first:
            raise InputError(f"refused: {first}", hint=read_only_hint) from exc
        raise InputError(f"query failed: {first}",
                         hint="the views are documented in docs/store.md") from exc
    except duckdb.CatalogException as exc:
        raise _unknown_name(con, exc) from exc
    except duckdb.Error as exc:
        raise InputError(f"query failed: {exc}".splitlines()[0],
                         hint="the views are documented in docs/store.md") from exc
    finally:
        timer.cancel()
        con.close()


def _unknown_name(con: duckdb.DuckDBPyConnection, exc: duckdb.Error) -> InputError:
    """A query naming a view or table the store does not have: the closest names and the
    list of views, instead of DuckDB's catalog message."""
    first = str(exc).splitlines()[0]
    views = sorted(name for (name,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall())
    named = re.search(r"with name (\S+) does not exist", first)
    if named is None:
        return InputError(f"query failed: {first}",
                          hint="the views are documented in docs/store.md")
    wrong = named.group(1).strip('"')
    close = difflib.get_close_matches(wrong.lower(), views, n=3, cutoff=0.6)
    guess = f"; did you mean {' or '.join(close)}?" if close else ""
    return InputError(f"query failed: the store has no view {wrong}{guess}",
                      hint=f"the views (docs/store.md): {', '.join(views)}")
