"""A real `tmo serve` keeps answering while the store's writers run beside it.

A loop of requests (stored profiles, flows, country pages, the home page, health) goes to
a `tmo serve` subprocess on 127.0.0.1 while, on the store it serves:
(a) `tmo flows` runs; (b) `tmo build` runs, and (d) `tmo sql`, `tmo check` and
`tmo profile MDA` run while it writes; (c) two `tmo flows` run at once: started together
with `--wait`, both succeed and the second keeps the first's flows (no lost update);
while one holds the writer lock (stopped with SIGSTOP there, so that the moment is
certain), a second without `--wait` fails with one line naming the first and its PID
(exit code 1, no traceback), the readers of (d) succeed again, and a third with `--wait`
waits, then succeeds once the first goes on. No request fails, and after each write
the server serves the new store (its fingerprint in /api/v1/health).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from .common import (
    TMO,
    Reference,
    build_cmd,
    contents,
    debris,
    env,
    flows_cmd,
    run,
    wals,
)

pytestmark = pytest.mark.reliability
COUNTRIES = ("MDA", "DEU", "TUR", "MEX", "PHL", "IND", "NGA", "FRA")
URLS = (*(f"/api/v1/countries/{c}/profile" for c in COUNTRIES),
        "/api/v1/flows?limit=5", "/countries/DEU", "/countries/MDA", "/", "/api/v1/health")
MAX_REQUESTS = 20_000  # bounded whatever happens: so many, for so long at most,
MAX_SECONDS = 900  # one request at a time, a pause between two
PAUSE = 0.02


class Traffic(threading.Thread):
    """One client sending the URLs in turn, one at a time, until stopped."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.stop = threading.Event()
        self.served: Counter[str] = Counter()
        self.failures: list[str] = []

    def run(self) -> None:
        with httpx.Client(base_url=self.base, timeout=60, trust_env=False) as client:
            ends = time.monotonic() + MAX_SECONDS
            for i in range(MAX_REQUESTS):
                if self.stop.is_set() or time.monotonic() > ends:
                    break
                url = URLS[i % len(URLS)]
                try:
                    status = client.get(url).status_code
                except httpx.HTTPError as exc:
                    self.failures.append(f"{url}: {exc!r}")
                    continue
                if status == 200:
                    self.served[url.split("?")[0].rsplit("/", 1)[-1] or "/"] += 1
                elif status == 404 and url.startswith("/api/v1/flows"):
                    pass  # the default method's flows are not stored (yet): a true answer
                else:
                    self.failures.append(f"{url}: {status}")
                time.sleep(PAUSE)

    def total(self) -> int:
        return sum(self.served.values())


@dataclass
class Server:
    db: Path
    home: Path
    base: str
    proc: subprocess.Popen[bytes]

    def health(self) -> dict:
        with httpx.Client(base_url=self.base, timeout=30, trust_env=False) as client:
            return client.get("/api/v1/health").json()["data"]

    def get(self, url: str) -> dict:
        with httpx.Client(base_url=self.base, timeout=30, trust_env=False) as client:
            response = client.get(url)
            assert response.status_code == 200, url
            return response.json()

    def serves_the_store(self, timeout: float = 60) -> str:
        """Wait until the server answers with the store now on disk; its fingerprint."""
        expected = contents(self.db).info["fingerprint"]
        deadline = time.monotonic() + timeout
        while self.health()["fingerprint"] != expected:
            assert time.monotonic() < deadline, "the server did not pick up the new store"
            time.sleep(0.1)
        return expected


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(full_reference: Reference, tmp_path: Path) -> Iterator[Server]:
    db = tmp_path / "tmo.duckdb"
    shutil.copyfile(full_reference.db, db)
    home = tmp_path / "home"
    home.mkdir()
    port = free_port()
    with (tmp_path / "serve.log").open("wb") as log:
        proc = subprocess.Popen([*TMO, "serve", "--db", str(db), "--host", "127.0.0.1",
                                 "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
                                env=env(home), cwd=tmp_path)
    started = Server(db, home, f"http://127.0.0.1:{port}", proc)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                started.health()
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "tmo serve did not start"
                time.sleep(0.2)
        yield started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start(cmd: list[str], home: Path, name: str) -> subprocess.Popen[str]:
    """A command in the background, its output kept in files named after it."""
    out = (home / f"{name}.out").open("w")
    err = (home / f"{name}.err").open("w")
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, env=env(home), cwd=home)
    out.close()
    err.close()
    return proc


def finished(proc: subprocess.Popen[str], home: Path, name: str, timeout: float = 300) -> str:
    """Wait for a background command, which must succeed; its standard error."""
    assert proc.wait(timeout=timeout) == 0, (home / f"{name}.err").read_text()
    return (home / f"{name}.err").read_text()


def lock_holder(db: Path) -> int | None:
    """The process id in the store's writer lock file (written while it is held)."""
    try:
        return json.loads(db.with_name(f".{db.name}.lock").read_text() or "{}").get("pid")
    except (OSError, ValueError):
        return None


def wait_for_lock(db: Path, proc: subprocess.Popen[str], timeout: float = 300) -> bool:
    """Wait until `proc` holds the writer lock; False if it ended first."""
    deadline = time.monotonic() + timeout
    while lock_holder(db) != proc.pid:
        if proc.poll() is not None:
            return False
        assert time.monotonic() < deadline, "the writer never took the lock"
        time.sleep(0.002)
    return True


def readers(server: Server) -> dict[str, object]:
    """`tmo sql`, `tmo check`, `tmo profile MDA` on the store: each must succeed."""
    db, home = str(server.db), server.home
    sql = run([*TMO, "sql", "SELECT count(*) AS n FROM migration_flows", "--db", db,
               "--format", "json"], home)
    check = run([*TMO, "check", "--db", db, "--format", "json"], home)
    profile = run([*TMO, "profile", "MDA", "--db", db], home)
    for name, done in (("sql", sql), ("check", check), ("profile", profile)):
        assert done.returncode == 0, f"tmo {name}: {done.stderr}"
        assert "Traceback" not in done.stderr
    return {"flows": json.loads(sql.stdout)[0]["n"], "findings": len(json.loads(check.stdout)),
            "profile": json.loads(profile.stdout)}


def methods_served(server: Server) -> set[str]:
    """The methods whose flows the server answers (a method not stored answers 404)."""
    served = set()
    with httpx.Client(base_url=server.base, timeout=30, trust_env=False) as client:
        for m in ("da_min_closed", "da_pb_closed"):
            response = client.get(f"/api/v1/flows?method={m}&sex=total&limit=1")
            assert response.status_code in (200, 404), (m, response.status_code)
            if response.status_code == 200 and response.json()["data"]:
                served.add(m)
    return served


def flows_alone(server: Server) -> float:
    """(a) `tmo flows`: the server then serves its flows; returns its duration."""
    began = time.monotonic()
    done = run(flows_cmd(server.db), server.home)
    seconds = time.monotonic() - began
    assert done.returncode == 0, done.stderr
    server.serves_the_store()
    assert methods_served(server) == {"da_min_closed"}
    return seconds


def build_with_readers(server: Server) -> float:
    """(b) `tmo build`, and (d) the readers while it writes; returns its duration."""
    db, home = server.db, server.home
    flows_stored = contents(db).counts["migration_flows"]
    began = time.monotonic()
    build = start(build_cmd(db), home, "build")
    assert wait_for_lock(db, build)
    during_build = readers(server)
    assert build.poll() is None, "the build ended before the readers did"
    assert during_build["flows"] == flows_stored  # they read the store as it was
    finished(build, home, "build")
    seconds = time.monotonic() - began
    server.serves_the_store()
    assert methods_served(server) == set()  # a new build has no flows yet
    return seconds


def two_flows_waiting(server: Server) -> None:
    """(c) two `tmo flows` started together, both with --wait: both succeed, and the
    second one's store keeps the first one's flows (no lost update)."""
    db, home = server.db, server.home
    first = start(flows_cmd(db, "--wait", "300"), home, "flows_1")
    second = start([*TMO, "flows", "--db", str(db), "--method", "da_pb_closed",
                    "--sex", "total", "--wait", "300"], home, "flows_2")
    finished(first, home, "flows_1")
    finished(second, home, "flows_2")
    server.serves_the_store()
    assert methods_served(server) == {"da_min_closed", "da_pb_closed"}


def stopped_holder(server: Server) -> subprocess.Popen[str]:
    """A `tmo flows` stopped (SIGSTOP) while it holds the writer lock."""
    for _attempt in range(10):
        holder = start(flows_cmd(server.db), server.home, "holder")
        if wait_for_lock(server.db, holder):
            os.kill(holder.pid, signal.SIGSTOP)
            return holder
        finished(holder, server.home, "holder")  # it was too quick for us: again
    pytest.fail("could not catch a tmo flows holding the writer lock")


def lock_held(server: Server, flows_seconds: float) -> None:
    """(c) while a writer holds the lock, a second without --wait is refused in one line
    naming it, exit code 1; (d) the readers succeed; a third with --wait waits, then
    succeeds when the first goes on."""
    db, home = server.db, server.home
    holder = stopped_holder(server)
    try:
        refused = run(flows_cmd(db), home)
        assert refused.returncode == 1
        assert "Traceback" not in refused.stderr
        errors = [line for line in refused.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, refused.stderr
        assert f"is being written by `tmo flows` (PID {holder.pid}, since" in errors[0]
        assert "--wait" in refused.stderr  # the hint
        during_lock = readers(server)
        assert during_lock["flows"] == contents(db).counts["migration_flows"]
        waiting = start(flows_cmd(db, "--wait", "300"), home, "waiting")
        time.sleep(1.5 * flows_seconds + 1)  # long enough to reach the lock
        assert waiting.poll() is None, "the waiting writer did not wait"
        assert holder.poll() is None
    finally:
        os.kill(holder.pid, signal.SIGCONT)
    finished(holder, home, "holder")
    finished(waiting, home, "waiting")
    server.serves_the_store()


def test_server_answers_while_writers_run(server: Server) -> None:
    traffic = Traffic(server.base)
    traffic.start()
    fingerprints = [server.serves_the_store()]
    try:
        flows_seconds = flows_alone(server)
        fingerprints.append(server.health()["fingerprint"])
        build_seconds = build_with_readers(server)
        fingerprints.append(server.health()["fingerprint"])
        two_flows_waiting(server)
        fingerprints.append(server.health()["fingerprint"])
        lock_held(server, flows_seconds)
        fingerprints.append(server.health()["fingerprint"])
        assert server.health()["reloads"] >= len(fingerprints) - 1
    finally:
        traffic.stop.set()
        traffic.join(timeout=120)
    assert not traffic.is_alive()
    assert len(set(fingerprints)) == len(fingerprints)
    assert debris(server.db) == []
    assert wals(server.db) == []
    assert traffic.failures == []
    assert traffic.total() > 100
    print(f"tmo serve answered {traffic.total()} requests, 0 failed "
          f"({dict(traffic.served)}), while tmo flows ({flows_seconds:.1f} s), tmo build "
          f"({build_seconds:.0f} s), two tmo flows at once, and a refused and a waiting "
          "tmo flows ran; tmo sql, tmo check and tmo profile succeeded during the build and "
          f"while the lock was held; the server served {len(fingerprints)} stores in turn")
