"""The web app over a store with flows estimated into it: `fixture_web_store` (a copy of
the tiny hand-made fixture store, for tests of behaviour: routes, status codes, envelopes,
rendering, accessibility, browser walks, headers, error pages, downloads) and `web_store`
(a copy of the real store, for tests that assert real published figures). Each has a
TestClient (`fixture_client`, `client`), a uvicorn server (`fixture_base_url`,
`base_url`) and a Chromium page on it (`fixture_page`, `page`)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tmo.cli.serve import SERVER
from tmo.flows.estimate_store import estimate_revision
from tmo.pipeline import store_flows
from tmo.web.app import create_app
from tmo.web.state import WebState


def with_flows(store: Path, folder: Path) -> Path:
    """A copy of `store` in `folder` with the 2024 revision's da_pb_closed flows (total)."""
    copy = folder / "tmo.duckdb"
    shutil.copy(store, copy)
    con = duckdb.connect(str(copy), read_only=True)
    frame, findings, _diag = estimate_revision(con, "2024", "da_pb_closed", ("total",))
    con.close()
    store_flows(copy, frame, findings)
    return copy


def serve_app(app: Any, **config: Any) -> Iterator[str]:
    """`app` served by uvicorn on a free local port with `tmo serve`'s settings (`config`
    overrides some); yields its address, then stops the server."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", **{**SERVER, **config}))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def serve(db: Path) -> Iterator[str]:
    """The app over `db` served as `tmo serve` does."""
    yield from serve_app(create_app(db))


def browser_page(browser, base_url: str):
    """A Chromium page that records every request leaving `base_url` in `page.outside`."""
    pg = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(base_url) or
          r.url.startswith("data:") else outside.append(r.url))
    pg.outside = outside
    return pg


# ------------------------------------------------ the fixture store (hand-made figures)

@pytest.fixture(scope="session")
def fixture_web_store(fixture_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_flows(fixture_store, tmp_path_factory.mktemp("fixture_web"))


@pytest.fixture(scope="session")
def fixture_client(fixture_web_store: Path) -> TestClient:
    return TestClient(create_app(fixture_web_store, watch=0), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def fixture_base_url(fixture_web_store: Path) -> Iterator[str]:
    yield from serve(fixture_web_store)


@pytest.fixture(scope="module")
def fixture_page(fixture_base_url: str, browser):
    pg = browser_page(browser, fixture_base_url)
    yield pg
    pg.close()


# ------------------------------------------------ the real store (published figures)

@pytest.fixture(scope="session")
def web_store(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return with_flows(store, tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="session")
def client(web_store: Path) -> TestClient:
    return TestClient(create_app(web_store, watch=0), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def base_url(web_store: Path) -> Iterator[str]:
    yield from serve(web_store)


@pytest.fixture(scope="module")
def page(base_url: str, browser):
    pg = browser_page(browser, base_url)
    yield pg
    pg.close()


def web_state(client: TestClient) -> WebState:
    """The app's state (its current store snapshot and practices) behind a test client."""
    app = client.app
    assert isinstance(app, FastAPI)
    state: WebState = app.state.tmo
    return state
