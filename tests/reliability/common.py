"""Helpers of the reliability tests: the `tmo` command as a subprocess, the store's files,
and what a complete store looks like."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tmo.store.query import pinned

from ..conftest import DATA, REPO

_ENTRY = Path(sys.executable).with_name("tmo")
TMO = [str(_ENTRY)] if _ENTRY.exists() else [sys.executable, "-m", "tmo.cli"]
PARTIAL = ("--only", "ims_destination_2024")  # the small build most build kills interrupt
FLOWS = ("--method", "da_min_closed", "--sex", "total")


def env(home: Path) -> dict[str, str]:
    """The environment of every command: its own TMO_HOME, wide lines, the repository on
    the path (for the practice submitters, which import the tests' submission text)."""
    return dict(os.environ, TMO_HOME=str(home), COLUMNS="200",
                PYTHONPATH=os.pathsep.join([str(REPO), str(REPO / "src")]))


def build_cmd(db: Path, *extra: str) -> list[str]:
    return [*TMO, "build", "--source-dir", str(DATA), "--db", str(db), *extra]


def flows_cmd(db: Path, *extra: str) -> list[str]:
    return [*TMO, "flows", "--db", str(db), *FLOWS, *extra]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def debris(db: Path) -> list[Path]:
    """Temporary files of writers beside the store (`.<name>.building-<pid>[.wal]`)."""
    return sorted(db.parent.glob(f".{db.name}.building-*"))


def wals(db: Path) -> list[Path]:
    """Write-ahead logs beside the store (its own, or a temporary file's)."""
    return sorted(p for p in db.parent.iterdir() if p.name.endswith(".wal"))


def writer_pid(path: Path) -> int:
    return int(path.name.rsplit("building-", 1)[1].split(".", 1)[0])


@dataclass(frozen=True)
class Contents:
    """What is checked of a store: its build_info and the row count of every view."""

    info: dict[str, str]
    counts: dict[str, int]


# The build history carries over from store to store (docs/monitoring.md): it grows with
# every completed build, so it is no part of what one build writes.
HISTORY = frozenset({"build_history", "build_sources", "build_view_changes"})


def contents(db: Path) -> Contents:
    """Open the store read-only as the server does (attached, read-only) and read it."""
    con = pinned(db)
    try:
        views = [v for (v,) in con.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = 'store' "
            "AND NOT internal ORDER BY view_name").fetchall()]
        counts = dict(con.execute(" UNION ALL ".join(
            f"SELECT '{v}', count(*) FROM \"{v}\"" for v in views
            if v != "build_info" and v not in HISTORY
        )).fetchall())
        info = dict(con.execute("SELECT key, value FROM build_info").fetchall())
    finally:
        con.close()
    return Contents(info, counts)


@dataclass(frozen=True)
class Reference:
    """A store made by one uninterrupted run of a command, and how long the run took."""

    db: Path
    timeline: Timeline
    contents: Contents


def run(cmd: list[str], home: Path, *, timeout: float = 300,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, env=env(home), timeout=timeout,
                          cwd=cwd or home, check=False)


def temporary(db: Path, pid: int) -> Path:
    """The new file a writer with this process id fills (tmo.store.writer.temporary)."""
    return db.with_name(f".{db.name}.building-{pid}")


@dataclass(frozen=True)
class Timeline:
    """One uninterrupted run of a writer: its duration, when its temporary file appeared
    (it holds the writer lock and writes), and how long that file lived (until swapped in)."""

    seconds: float
    writing_from: float
    writing: float


def measure(cmd: list[str], db: Path, home: Path) -> Timeline:
    """Run a writer of `db` to completion (it must succeed), watching its temporary file."""
    log = home / "measure.log"
    with log.open("w") as err:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env(home),
                                cwd=home)
        tmp = temporary(db, proc.pid)
        appeared = gone = None
        while proc.poll() is None:
            exists = tmp.exists()
            now = time.monotonic() - started
            if exists and appeared is None:
                appeared = now
            if not exists and appeared is not None and gone is None:
                gone = now
            time.sleep(0.001)
        seconds = time.monotonic() - started
    assert proc.returncode == 0, log.read_text()
    assert appeared is not None
    return Timeline(seconds, appeared, (gone or seconds) - appeared)


@dataclass(frozen=True)
class Killed:
    pid: int
    finished: bool  # the command ended on its own before the kill
    returncode: int


def run_killed(cmd: list[str], home: Path, delay: float, *,
               after_file_of: Path | None = None) -> Killed:
    """Start a command and SIGKILL it (and anything it started) `delay` seconds after its
    start, or after its temporary file for the store `after_file_of` appeared."""
    home.mkdir(parents=True, exist_ok=True)
    with (home / "killed.err").open("w") as err:  # read when the command failed by itself
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env(home),
                                cwd=home, start_new_session=True)
    if after_file_of is not None:
        tmp = temporary(after_file_of, proc.pid)
        deadline = time.monotonic() + 300
        while not tmp.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
    try:
        return Killed(proc.pid, True, proc.wait(timeout=delay))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        return Killed(proc.pid, False, proc.wait())


def removed_lines(stderr: str) -> set[str]:
    """The names of the files a command said it removed (one line each)."""
    return {line.split()[1].rstrip(",") for line in stderr.splitlines()
            if line.startswith("removed ")}
