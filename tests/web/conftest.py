"""The web app over a copy of the real store with flows estimated into it."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from tmo.flows.estimate_store import estimate_revision, store_flows
from tmo.web.app import create_app


@pytest.fixture(scope="session")
def web_store(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("web") / "tmo.duckdb"
    shutil.copy(store, copy)
    con = duckdb.connect(str(copy), read_only=True)
    frame, _findings, _diag = estimate_revision(con, "2024", "da_pb_closed", ("total",))
    con.close()
    store_flows(copy, frame)
    return copy


@pytest.fixture(scope="session")
def client(web_store: Path) -> TestClient:
    return TestClient(create_app(web_store), raise_server_exceptions=False)
