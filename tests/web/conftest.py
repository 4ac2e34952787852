"""The web app over a copy of the real store with flows estimated into it."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import duckdb
import pytest
import uvicorn
from fastapi.testclient import TestClient

from tmo.cli.serve import SERVER
from tmo.flows.estimate_store import estimate_revision
from tmo.pipeline import store_flows
from tmo.web.app import create_app


@pytest.fixture(scope="session")
def web_store(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("web") / "tmo.duckdb"
    shutil.copy(store, copy)
    con = duckdb.connect(str(copy), read_only=True)
    frame, findings, _diag = estimate_revision(con, "2024", "da_pb_closed", ("total",))
    con.close()
    store_flows(copy, frame, findings)
    return copy


@pytest.fixture(scope="session")
def client(web_store: Path) -> TestClient:
    return TestClient(create_app(web_store, watch=0), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def base_url(web_store: Path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(create_app(web_store), host="127.0.0.1", port=port,
                                           log_level="warning", **SERVER))  # as `tmo serve`
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url: str, browser):
    pg = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(base_url) or
          r.url.startswith("data:") else outside.append(r.url))
    pg.outside = outside  # type: ignore[attr-defined]
    yield pg
    pg.close()
