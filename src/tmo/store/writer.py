"""The one write path of the store: a new file, completed, then swapped in.

The store is immutable once written. `tmo build` writes a new file; every later stage
(`tmo flows`, and the stages that follow it, such as the profiles) copies the current
store to a new file, adds what it derives, and swaps the new file in with `os.replace`.
Readers that opened the old file keep reading it (the operating system keeps its
content until they close it) and see the new one when they open the store again, so a
server never fails because a writer runs.

Writers take the store's writer lock first (`.<name>.lock` beside it, holding the
command and process id), so two writers never race: the second gets one line naming
the first, or waits with `wait` seconds. Files left by a writer that was killed
(`.<name>.building-<pid>` and its WAL) are removed by the next writer, which says so.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from tmo.errors import NotFound, TmoError
from tmo.findings import Finding
from tmo.frame import TABLES, validate
from tmo.store.schema import create_sql, view_sql

Stage = Callable[[duckdb.DuckDBPyConnection], None]
BUILDING = ".building-"


class StoreLocked(TmoError):
    """Another process is writing the store."""


@dataclass
class WriteReport:
    """What a write did besides writing: debris of killed writers it removed."""

    removed: list[Path] = field(default_factory=list)


def lock_path(db: Path) -> Path:
    return db.with_name(f".{db.name}.lock")


def _holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another process"
    command, pid, since = (info.get(k, "?") for k in ("command", "pid", "since"))
    return f"`{command}` (PID {pid}, since {since})"


@contextlib.contextmanager
def writer_lock(db: Path, command: str | None = None, *, wait: float = 0) -> Iterator[None]:
    """Hold the store's writer lock; StoreLocked naming the holder when another process
    has it and `wait` seconds pass without it being released."""
    db.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(db)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreLocked(
                        f"{db} is being written by {_holder(path)}",
                        hint="wait until it ends, or pass --wait SECONDS to wait for it"
                    ) from None
                time.sleep(0.2)
        info = {"command": command or " ".join(["tmo", *sys.argv[1:]])[:200],
                "pid": os.getpid(), "since": datetime.now(UTC).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_debris(db: Path) -> list[Path]:
    """Remove the temporary files of writers whose process is gone (call with the lock)."""
    removed: list[Path] = []
    prefix = f".{db.name}{BUILDING}"
    if not db.parent.is_dir():
        return removed
    for path in sorted(db.parent.iterdir()):
        if not path.name.startswith(prefix):
            continue
        pid_text = path.name[len(prefix):].split(".", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and _alive(int(pid_text)):
            continue
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


def temporary(db: Path) -> Path:
    """The new file a writer of `db` fills before swapping it in."""
    return db.with_name(f".{db.name}{BUILDING}{os.getpid()}")


def _discard(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)


def replace_rows(con: duckdb.DuckDBPyConnection, table: str, rows: pd.DataFrame,
                 scope: list[str], *, ordered: bool = True) -> int:
    """In a store being written: delete the rows of `table` that share the values of the
    `scope` columns with `rows`, validate `rows` against the table's schema and insert
    them (an empty scope replaces the whole table). `ordered=False` lets DuckDB store
    them in any order (faster for millions of rows; for tables read only with ORDER BY
    or by key, such as the flows)."""
    rows = validate(table, rows, source=table)
    if scope:
        keys = rows[scope].drop_duplicates()
        for values in keys.itertuples(index=False):
            where = " AND ".join(f'"{c}" = ?' for c in scope)
            con.execute(f'DELETE FROM base."{table}" WHERE {where}', list(values))
    else:
        con.execute(f'DELETE FROM base."{table}"')
    cols = ", ".join(f'"{c}"' for c in rows.columns)
    con.register("incoming", rows)
    try:
        if not ordered:
            con.execute("SET preserve_insertion_order = false")
        con.execute(f'INSERT INTO base."{table}" ({cols}) SELECT {cols} FROM incoming')
    finally:
        con.execute("RESET preserve_insertion_order")
        con.unregister("incoming")
    return len(rows)


def clear_rows(con: duckdb.DuckDBPyConnection, table: str, scope: dict[str, Any]) -> None:
    """In a store being written: delete the rows of `table` with these column values (a
    publication that now has no row for them, e.g. no skills profile any more)."""
    where = " AND ".join(f'"{c}" = ?' for c in scope)
    con.execute(f'DELETE FROM base."{table}" WHERE {where}', list(scope.values()))


def ensure_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """In a store being written: create a table declared after the store was built (with
    its view), or add the columns declared since (empty in the older rows), so a derived
    stage can write to a store built by an earlier version."""
    found = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'base' "
        "AND table_name = ?", [table]).fetchall()}
    if not found:
        con.execute(create_sql(table))
        con.execute(view_sql(table))
        return
    missing = {c: t for c, t in TABLES[table].all_columns.items() if c not in found}
    for column, kind in missing.items():
        con.execute(f'ALTER TABLE base."{table}" ADD COLUMN "{column}" {kind}')
    if missing:
        con.execute(view_sql(table))


def carry_table(con: duckdb.DuckDBPyConnection, previous: Path, table: str) -> int:
    """In a new store being written by a build: copy `table`'s rows from the store it
    replaces (figures no source file gives, such as the registry's published aggregates);
    returns how many (none when there is no previous store or it lacks the table)."""
    if not previous.is_file():
        return 0
    ensure_table(con, table)
    path = str(previous).replace("'", "''")
    try:
        con.execute(f"ATTACH '{path}' AS carried (READ_ONLY)")
    except duckdb.Error:
        return 0  # an unreadable previous store: the build reports it (record_build)
    try:
        found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = "
                            "'carried' AND schema_name = 'base' AND table_name = ?",
                            [table]).fetchone()
        if not found or not found[0]:
            return 0
        cols = ", ".join(f'"{c}"' for c in TABLES[table].all_columns)
        con.execute(f'DELETE FROM base."{table}"')
        try:
            con.execute(f'INSERT INTO base."{table}" ({cols}) '
                        f'SELECT {cols} FROM carried.base."{table}"')
        except duckdb.Error:
            return 0  # written by a version with other columns: publish again
        row = con.execute(f'SELECT count(*) FROM base."{table}"').fetchone()
        return int(row[0]) if row else 0
    finally:
        con.execute("DETACH carried")


def replace_findings(con: duckdb.DuckDBPyConnection, stage: str,
                     findings: Sequence[Finding]) -> None:
    """In a store being written: the findings of a stage replace those of its earlier runs
    on the same sources (checks named `<stage>_...`), and a finding already stored (by an
    earlier run, whatever its check's name) is not stored twice."""
    sources = sorted({f.source for f in findings})
    if sources:
        con.execute(f"""DELETE FROM base.findings WHERE "check" LIKE ? AND source IN
                        ({', '.join('?' * len(sources))})""", [f"{stage}%", *sources])
    rows = [(f.check, f.severity, f.source, f.where, f.message) for f in findings]
    if rows:
        con.executemany("""DELETE FROM base.findings WHERE "check" = ? AND severity = ?
                           AND source = ? AND "where" IS NOT DISTINCT FROM ?
                           AND message IS NOT DISTINCT FROM ?""", list(dict.fromkeys(rows)))
        con.executemany("INSERT INTO base.findings VALUES (?, ?, ?, ?, ?)", rows)


def record_stage(con: duckdb.DuckDBPyConnection, stage: str) -> str:
    """Note a stage in `build_info` and give the content a new fingerprint; returns it."""
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    info = dict(con.execute("SELECT key, value FROM base.build_info").fetchall())
    stages = [s for s in info.get("stages", "").split(",") if s]
    stages.append(stage)
    fingerprint = hashlib.sha256(
        f"{info.get('started')}|{info.get('finished')}|{now}|{','.join(stages)}".encode()
    ).hexdigest()[:20]
    updates = {"stages": ",".join(stages), f"stage_{stage}": now, "fingerprint": fingerprint}
    for key, value in updates.items():
        con.execute("DELETE FROM base.build_info WHERE key = ?", [key])
        con.execute("INSERT INTO base.build_info VALUES (?, ?)", [key, value])
    return fingerprint


def write_new(db: Path, fill: Callable[[Path], None], *, command: str | None = None,
              wait: float = 0) -> WriteReport:
    """Write a whole new store with `fill(path)` and swap it in (the build's path)."""
    with writer_lock(db, command, wait=wait):
        report = WriteReport(remove_debris(db))
        tmp = temporary(db)
        _discard(tmp)
        try:
            fill(tmp)
            os.replace(tmp, db)
        finally:
            _discard(tmp)
        return report


def derive(db: Path, stage: str, write: Stage, *, then: Sequence[Stage] = (),
           command: str | None = None, wait: float = 0) -> WriteReport:
    """Add what a stage derives to a copy of the store, run the stages that depend on it
    (`then`), and swap the copy in. `write` and `then` receive a read-write connection to
    the copy; the live store is never opened for writing."""
    if not db.is_file():
        raise NotFound(f"no store at {db}", hint="run `tmo build` first (or pass --db PATH)")

    def fill(tmp: Path) -> None:
        shutil.copyfile(db, tmp)
        con = duckdb.connect(str(tmp))
        try:
            write(con)
            for follow in then:
                follow(con)
            record_stage(con, stage)
            con.execute("CHECKPOINT")
        finally:
            con.close()

    return write_new(db, fill, command=command, wait=wait)
