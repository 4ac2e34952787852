"""kill -9 of the server during 50 concurrent registrations: every registration that was
acknowledged (201) is in the database whole (user, registration, consent, mail), and no
registration is half-written, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from tmo.registry.database import transaction
from tmo.registry.models import Consent, Mail, Registration, User

# the registry's routes alone (the whole app's imports would only slow the start down)
SERVER = '''
import sys

import uvicorn
from argon2 import PasswordHasher, Type
from fastapi import FastAPI

from tmo.registry import accounts, passwords
from tmo.web import envelope, registry

accounts.REGISTRATIONS_PER_HOUR = 10**9  # one address registers them all here
passwords.HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
app = FastAPI()
envelope.install(app)
registry.install(app, sys.argv[1])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="error")
'''


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(base: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stderr.read()!r}")  # type: ignore[union-attr]
        try:
            if httpx.get(f"{base}/api/v1/registry/missions", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError("the server did not start")


def test_kill_9_during_50_concurrent_registrations_loses_nothing_acknowledged(
        world: dict[str, Any], tmp_path: Path) -> None:
    made = world["made"]
    script = tmp_path / "server.py"
    script.write_text(SERVER, encoding="utf-8")
    port = _port()
    base = f"http://127.0.0.1:{port}"
    url = made.url.render_as_string(hide_password=False)
    process = subprocess.Popen([sys.executable, str(script), url, str(port)],
                               stderr=subprocess.PIPE)
    _wait(base, process)
    acknowledged: list[str] = []
    lock = threading.Lock()

    def registrant(n: int) -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            token = client.get("/api/v1/registry/csrf").json()["data"]["csrf"]
            for k in range(10_000):
                email = f"r{n}-{k}@example.org"
                try:
                    answer = client.post(
                        "/api/v1/registry/registrations",
                        json={"name": f"R {n} {k}", "email": email,
                              "password": "a long passphrase", "residence": "GBR",
                              "mission": world["london_mission"],
                              "consents": ["crisis_contact"]},
                        headers={"X-CSRF-Token": token,
                                 "Cookie": f"tmo_registry_csrf={token}"})
                except httpx.TransportError:
                    return
                if answer.status_code == 201:
                    with lock:
                        acknowledged.append(email)

    threads = [threading.Thread(target=registrant, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 25 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= 25, "too few registrations before the kill"
    with transaction(made) as s:
        stored = set(s.scalars(select(User.email).where(User.role == "registrant")))
        users = s.scalar(select(func.count()).select_from(User).where(
            User.role == "registrant"))
        whole = s.scalar(select(func.count()).select_from(User).join(
            Registration, Registration.user_id == User.id).where(
            select(Consent.id).where(Consent.user_id == User.id).exists(),
            select(Mail.id).where(Mail.user_id == User.id).exists()))
    assert set(acknowledged) <= stored  # nothing acknowledged is lost
    assert users == whole  # and nothing is half-written
