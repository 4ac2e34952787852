"""A throwaway PostgreSQL cluster for the registry's tests: Debian's server binaries
(`scripts/system-deps` installs them), initdb and pg_ctl in a temporary folder, listening
on a Unix socket only. PostgreSQL refuses to run as root, so as root (CI) the cluster
belongs to the `postgres` user that Debian's package creates, and its commands run
through `runuser`. Missing binaries fail the tests: they never skip."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.fail("PostgreSQL's server is missing (/usr/lib/postgresql/*/bin/initdb): "
                    "scripts/system-deps installs Debian's postgresql package")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def cluster() -> Iterator[str]:
    """A running cluster; yields the SQLAlchemy URL of its `postgres` database."""
    bindir = binaries()
    root = Path(tempfile.mkdtemp(prefix="tmo-pg-"))
    prefix: list[str] = []
    user = os.environ.get("USER") or "postgres"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        os.chmod(root, 0o700)
        prefix = ["runuser", "-u", "postgres", "--"]
        user = "postgres"
    data, port = root / "data", _free_port()

    def run(*args: str) -> None:
        done = subprocess.run([*prefix, *args], capture_output=True, text=True, check=False,
                              timeout=120)
        if done.returncode:
            pytest.fail(f"{args[0]} failed: {done.stderr.strip() or done.stdout.strip()}")

    run(str(bindir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8",
        "--no-sync")
    options = (f"-c listen_addresses='' -c unix_socket_directories={root} -p {port} "
               "-c fsync=off -c full_page_writes=off -c max_connections=120")
    run(str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"),
        "-w", "-t", "60", "start")
    try:
        yield f"postgresql+psycopg://{user}@/postgres?host={root}&port={port}"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)
