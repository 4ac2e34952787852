"""kill -9 at random moments: the previous store survives byte for byte (or the new one is
complete), the next run cleans up, and acknowledged practice submissions are never lost.

Each command runs as a subprocess (`tmo build`, `tmo flows`) and is killed with SIGKILL
after a random delay (seeded) spread over the command's real duration, measured once by
an uninterrupted run (one delay drawn in each n-th of it). After each kill the store is
either byte-identical to the one before (sha256) or, when the command got as far as
swapping its new file in, a complete store: it opens read-only, its build_info has a new
fingerprint, and every view has as many rows as in the reference run.

Builds: 20 kills, 5 of the full build and then 15 of a partial build (`--only
ims_destination_2024`, a third of the full build's time), one after another on one
store, so that each killed run is the next run of the one killed before it: when it got
as far as the writer lock, nothing the earlier one left is still there. Every fifth kill
is followed by a partial build run to completion, which must succeed, name every file it
removed, and leave no temporary file and no WAL beside the store. `tmo flows` writes
only in the last fraction of a second of its run, so half of its 20 kills are timed from
the moment its temporary file appears; a run to completion follows every kill that left
a file, and every fifth.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tmo.practices.queue import ModerationQueue

from ..conftest import REPO
from .common import (
    PARTIAL,
    Reference,
    build_cmd,
    contents,
    debris,
    env,
    flows_cmd,
    measure,
    removed_lines,
    run,
    run_killed,
    sha256,
    wals,
    writer_pid,
)

pytestmark = pytest.mark.reliability
SEED = 20240611
# 20 kills each when measuring (TMO_KILLS=20: issue #11's figure, about 5 minutes on an idle
# two-core machine); fewer by default, so that CI stays short (8 took 212 s of one of CI's
# two workers, 6 took 191 s, in runs of 16-17 minutes; docs/reliability.md records a run of 4)
KILLS = int(os.environ.get("TMO_KILLS", "4"))
FULL = max(1, KILLS // 4)  # kills of the full build; the rest kill a partial build


@dataclass
class Tally:
    """What the kills did, printed at the end of each test (docs/reliability.md)."""

    kills: int = 0
    unchanged: int = 0  # killed before the swap: the previous store byte-identical
    replaced: int = 0  # killed after the swap (or finished first): a complete new store
    left_debris: int = 0  # kills that left a temporary file behind
    removed: int = 0  # temporary files removed by the next runs
    completed_runs: int = 0
    damaged: int = 0  # stores neither identical nor complete (the test fails first)
    delays: list[float] = field(default_factory=list)

    def line(self, what: str) -> str:
        return (f"{what}: {self.kills} kills (delays {min(self.delays):.2f}-"
                f"{max(self.delays):.2f} s), store unchanged {self.unchanged}, replaced by a "
                f"complete store {self.replaced}, damaged {self.damaged}; kills that left "
                f"temporary files {self.left_debris}, files removed by the next runs "
                f"{self.removed}; runs to completion {self.completed_runs}, each leaving 0 "
                "temporary files and 0 WALs")


@dataclass(frozen=True)
class Planned:
    """One kill: the command, the store it must leave, when, and whether a run to
    completion follows ("always", "if debris": when the killed run left a temporary file)."""

    cmd: list[str]
    reference: Reference
    delay: float
    anchored: bool = False  # the delay counts from the temporary file's appearance
    complete: str = "never"
    next_run: tuple[list[str], Reference] | None = None  # default: the same command


def spread(rng: random.Random, n: int, seconds: float) -> list[float]:
    """n random delays spread over `seconds`: one drawn in each n-th of it, shuffled."""
    delays = [(i + rng.random()) * seconds / n for i in range(n)]
    rng.shuffle(delays)
    return delays


def state(db: Path) -> tuple[str, str]:
    return sha256(db), contents(db).info["fingerprint"]


def after_kill(db: Path, before: tuple[str, str], finished: bool,
               reference: Reference) -> str:
    """The store after a kill: unchanged, or a complete new store ("replaced")."""
    digest, fingerprint = before
    if not finished and sha256(db) == digest:
        return "unchanged"
    found = contents(db)
    assert found.info.get("fingerprint"), found.info
    assert found.info["fingerprint"] != fingerprint
    assert found.counts == reference.contents.counts
    return "replaced"


def complete_run(planned: Planned, db: Path, home: Path) -> int:
    """The next run after a kill: succeeds, names every file it removed, leaves none and
    no WAL, and its store is complete; returns how many files it removed."""
    cmd, reference = planned.next_run or (planned.cmd, planned.reference)
    left = {p.name for p in debris(db)}
    before = state(db)
    done = run(cmd, home)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert removed_lines(done.stderr) == left, done.stderr
    assert debris(db) == []
    assert wals(db) == []
    assert after_kill(db, before, True, reference) == "replaced"
    return len(left)


def kill_series(db: Path, home: Path, plan: list[Planned]) -> Tally:
    """Run and kill each planned command in turn on the store `db`. A killed run that got
    as far as the writer lock (its temporary file exists, or it swapped its store in) is
    itself the next run of the one killed before it: what that one left must be gone."""
    tally = Tally()
    previous: set[Path] = set()
    for i, planned in enumerate(plan):
        before = state(db)
        killed = run_killed(planned.cmd, home, planned.delay,
                            after_file_of=db if planned.anchored else None)
        assert killed.returncode in (0, -signal.SIGKILL), (home / "killed.err").read_text()
        tally.damaged += 1  # until the store is proven identical or complete
        outcome = after_kill(db, before, killed.finished, planned.reference)
        tally.damaged -= 1
        tally.unchanged += outcome == "unchanged"
        tally.replaced += outcome == "replaced"
        tally.kills += 1
        tally.delays.append(planned.delay)
        left = set(debris(db))
        own = {p for p in left if writer_pid(p) == killed.pid}
        tally.left_debris += bool(own)
        if own or outcome == "replaced":
            assert not previous & left, f"kill {i}: {sorted(previous & left)} not removed"
            tally.removed += len(previous)
        previous = left
        if planned.complete == "always" or (planned.complete == "if debris" and own):
            tally.removed += complete_run(planned, db, home)
            tally.completed_runs += 1
            previous = set()
    return tally


def test_build_killed(partial_reference: Reference, full_reference: Reference,
                      tmp_path: Path) -> None:
    """FULL kills of the full build, then KILLS - FULL of a partial build, on one store;
    after every fifth kill a partial build runs to completion."""
    rng = random.Random(SEED)
    db = tmp_path / "tmo.duckdb"
    shutil.copyfile(full_reference.db, db)
    full, partial = build_cmd(db), build_cmd(db, *PARTIAL)
    delays = [(full, full_reference, d)
              for d in spread(rng, FULL, full_reference.timeline.seconds)]
    delays += [(partial, partial_reference, d)
               for d in spread(rng, KILLS - FULL, partial_reference.timeline.seconds)]
    plan = [Planned(cmd, reference, delay, complete="always" if (i + 1) % 5 == 0 else "never",
                    next_run=(partial, partial_reference))
            for i, (cmd, reference, delay) in enumerate(delays)]
    tally = kill_series(db, tmp_path, plan)
    print(tally.line(f"tmo build ({FULL} x full, measured "
                     f"{full_reference.timeline.seconds:.1f} s; "
                     f"{KILLS - FULL} x {' '.join(PARTIAL)}, measured "
                     f"{partial_reference.timeline.seconds:.1f} s)"))
    assert tally.damaged == 0


def test_flows_killed(full_reference: Reference, tmp_path: Path) -> None:
    """20 kills of `tmo flows`: 10 at a random moment of its whole run, 10 at a random
    moment after its temporary file appeared (its write is a fraction of a second at the
    end); a run to completion after every kill that left a temporary file, and after
    every fifth."""
    rng = random.Random(SEED + 1)
    db = tmp_path / "tmo.duckdb"
    shutil.copyfile(full_reference.db, db)
    timeline = measure(flows_cmd(db), db, tmp_path)  # measured once; the reference contents
    reference = Reference(db, timeline, contents(db))
    whole = spread(rng, KILLS // 2, timeline.seconds)
    writing = spread(rng, KILLS // 2, 1.5 * timeline.writing)
    plan = [Planned(flows_cmd(db), reference, delay, anchored=anchored,
                    complete="always" if (i + 1) % 5 == 0 else "if debris")
            for i, (delay, anchored) in enumerate(
                (d, a) for pair in zip(whole, writing, strict=True)
                for d, a in zip(pair, (False, True), strict=True))]
    tally = kill_series(db, tmp_path, plan)
    print(tally.line(f"tmo flows (measured {timeline.seconds:.1f} s, writing "
                     f"{timeline.writing:.2f} s from {timeline.writing_from:.1f} s)"))
    assert tally.damaged == 0


SUBMITTER = textwrap.dedent(
    """
    import os, sys, time
    from tests.practices.conftest import submission_text
    from tmo.practices.catalog import load_curated
    from tmo.practices.queue import ModerationQueue

    path, prefix, stop = sys.argv[1:]
    queue = ModerationQueue(path)
    taken = {r.id for r in load_curated()}
    i = 0
    while not os.path.exists(stop):
        record = queue.submit(submission_text(f"{prefix}-{i}"), origin=f"{prefix}-{i}.md",
                              taken_ids=taken)
        print(record.id, flush=True)  # acknowledged: committed
        i += 1
        time.sleep(0.005)
    """
)


class Submitter:
    """A process submitting practices in a loop, printing each id once it is committed."""

    def __init__(self, queue: Path, prefix: str, stop: Path, home: Path) -> None:
        self.prefix = prefix
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SUBMITTER, str(queue), prefix, str(stop)],
            stdout=subprocess.PIPE, text=True, cwd=REPO, env=env(home))
        self.acked: list[str] = []
        self.ended = False
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self.cond:
                self.acked.append(line.strip())
                self.cond.notify_all()
        with self.cond:
            self.ended = True
            self.cond.notify_all()

    def wait_for(self, count: int, timeout: float = 60) -> None:
        with self.cond:
            assert self.cond.wait_for(lambda: len(self.acked) >= count or self.ended, timeout)
        assert not self.ended, f"{self.prefix} ended early"

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait() == -signal.SIGKILL
        self.reader.join(timeout=10)  # every line printed before the kill is read

    def finish(self) -> None:
        assert self.proc.wait(timeout=60) == 0
        self.reader.join(timeout=10)


def stored(path: Path) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(path, timeout=30) as db:
        return {rid: (text, digest) for rid, text, digest in
                db.execute("SELECT id, text, sha256 FROM submission")}


def test_practice_submissions_killed(tmp_path: Path) -> None:
    """Three processes submit at once; 20 times one of them is killed at a random moment
    (after a random number of its own submissions, plus up to 10 ms) and replaced by a
    new one while the others go on. Each time: the queue passes SQLite's integrity check,
    every submission the killed one acknowledged is stored, at most one more; at the end
    the survivors stop cleanly, and every stored row is whole (its text parses and
    matches its checksum)."""
    rng = random.Random(SEED + 2)
    path = tmp_path / "queue.sqlite"
    stop = tmp_path / "stop"
    ModerationQueue(path)
    started = 0

    def start() -> Submitter:
        nonlocal started
        started += 1
        return Submitter(path, f"kill-{started}", stop, tmp_path)

    running = [start(), start(), start()]
    killed: list[Submitter] = []
    for _ in range(KILLS):
        running[0].wait_for(1)  # the oldest has started submitting
        victim = rng.choice([s for s in running if s.acked])
        victim.wait_for(len(victim.acked) + rng.randint(1, 8))
        time.sleep(rng.uniform(0, 0.01))
        victim.kill()
        running.remove(victim)
        running.append(start())
        killed.append(victim)
        with sqlite3.connect(path, timeout=30) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        mine = {rid for rid in stored(path) if rid.startswith(f"{victim.prefix}-")}
        assert set(victim.acked) <= mine
        assert len(mine) <= len(victim.acked) + 1  # at most the one committed before its print
    for other in running:
        other.wait_for(len(other.acked) + 1)
    stop.touch()
    for other in running:
        other.finish()
    rows = stored(path)
    acknowledged = {rid for s in killed + running for rid in s.acked}
    assert acknowledged <= set(rows)
    for text, digest in rows.values():
        assert hashlib.sha256(text.encode()).hexdigest() == digest
    assert len(ModerationQueue(path).list(None)) == len(rows)  # every row parses
    print(json.dumps({"practice submission kills": len(killed),
                      "acknowledged": len(acknowledged), "stored": len(rows),
                      "lost": len(acknowledged - set(rows)),
                      "stored, not yet acknowledged when killed": len(rows) - len(acknowledged)}))
