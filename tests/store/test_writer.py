"""The store's one write path: the writer lock, debris of killed writers, derived stages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tmo.errors import TmoError
from tmo.store import writer


def test_second_writer_is_told_who_holds_the_store(tmp_path: Path) -> None:
    db = tmp_path / "tmo.duckdb"
    script = ("import sys, time; from pathlib import Path; "
              "from tmo.store.writer import writer_lock\n"
              f"with writer_lock(Path({str(db)!r}), 'tmo flows --revision 2024'):\n"
              "    print('held', flush=True); time.sleep(30)")
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(writer.StoreLocked) as err, writer.writer_lock(db, "tmo build"):
            pass
        message = str(err.value)
        assert f"`tmo flows --revision 2024` (PID {holder.pid}" in message
        assert "--wait" in (err.value.hint or "")
        started = time.monotonic()
        with pytest.raises(writer.StoreLocked), writer.writer_lock(db, "tmo build", wait=1.0):
            pass
        assert 0.9 < time.monotonic() - started < 5
    finally:
        holder.kill()
        holder.wait()
    with writer.writer_lock(db, "tmo build"):  # released when its holder died
        info = json.loads(writer.lock_path(db).read_text())
        assert info["command"] == "tmo build"
        assert info["pid"] == os.getpid()
    assert isinstance(writer.StoreLocked("x"), TmoError)


def test_debris_of_dead_writers_is_removed(tmp_path: Path) -> None:
    db = tmp_path / "tmo.duckdb"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        stale = [tmp_path / f".tmo.duckdb.building-{dead.pid}",
                 tmp_path / f".tmo.duckdb.building-{dead.pid}.wal"]
        busy = tmp_path / f".tmo.duckdb.building-{alive.pid}"
        for path in [*stale, busy]:
            path.write_bytes(b"x" * 100)
        report = writer.write_new(db, lambda tmp: duckdb.connect(str(tmp)).close())
        assert sorted(report.removed) == sorted(stale)
        assert busy.exists()
        assert db.is_file()
        assert not list(tmp_path.glob(f".tmo.duckdb.building-{os.getpid()}*"))
    finally:
        alive.kill()
        alive.wait()


def test_failed_stage_leaves_the_store_byte_identical(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "tmo.duckdb"
    shutil.copy(store, db)
    before = db.read_bytes()

    def broken(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("DELETE FROM base.migrant_stock")
        raise RuntimeError("stage failed half-way")

    with pytest.raises(RuntimeError):
        writer.derive(db, "broken", broken)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmo.duckdb.lock", "tmo.duckdb"]


def test_derive_records_the_stage_and_a_new_fingerprint(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "tmo.duckdb"
    shutil.copy(store, db)
    con = duckdb.connect(str(db), read_only=True)
    old = dict(con.execute("SELECT key, value FROM build_info").fetchall())
    reader = con  # a reader that keeps the old file open across the swap

    def drop_findings(c: duckdb.DuckDBPyConnection) -> None:
        c.execute("DELETE FROM base.findings")

    writer.derive(db, "test", drop_findings)
    assert reader.execute("SELECT count(*) FROM findings").fetchall()[0][0] > 0  # old content
    reader.close()
    con = duckdb.connect(str(db), read_only=True)
    new = dict(con.execute("SELECT key, value FROM build_info").fetchall())
    assert con.execute("SELECT count(*) FROM findings").fetchone() == (0,)
    con.close()
    assert new["stages"] == old["stages"] + ",test"
    assert new["fingerprint"] != old["fingerprint"]
    assert new["finished"] == old["finished"]
