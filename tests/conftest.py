"""Shared fixtures. The real official files live in ../shared/data beside the repo;
tests that need them fail loudly when they are missing, never skip."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TMO_SHARED", REPO.parent / "shared")).resolve()
DATA = SHARED / "data"
GOLDEN = SHARED / "golden"
SEEDS = SHARED / "seeds"
TESTDATA = Path(__file__).resolve().parent / "data"


def shared_file(relative: str) -> Path:
    """Path of a file under ../shared/data; fails the test (never skips) if it is absent."""
    path = DATA / relative
    if not path.is_file():
        pytest.fail(f"required official file missing: {path} (CI needs ../shared beside the repo)")
    return path


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not DATA.is_dir():
        pytest.fail(f"../shared/data not found at {DATA}")
    return DATA


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """One real build of the store from ../shared/data, shared by the whole session."""
    from tmo.config import Settings
    from tmo.pipeline import build_store

    if not DATA.is_dir():
        pytest.fail(f"../shared/data not found at {DATA}")
    tmp = tmp_path_factory.mktemp("store")
    return build_store(Settings(home=tmp, db_path=tmp / "tmo.duckdb", cache_dir=tmp / "cache",
                                source_dir=DATA))


@pytest.fixture(scope="session")
def store(built) -> Path:
    return built.db_path


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session, driven by Playwright's sync API
    (which allows a single instance per thread)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/system-deps installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny store, built in seconds by the real build from hand-made files in the
    official layouts (eight countries, the World and two UN regions, made-up figures:
    tests/fixture_store/figures.py), for web and profile tests that need no real data."""
    from .fixture_store.make import build_store

    return build_store(tmp_path_factory.mktemp("fixture_store")).db_path


@pytest.fixture(scope="session")
def dask_cluster():
    """One local Dask cluster of two single-threaded worker processes for the session (per
    xdist process), shared by the projections' and the flows' cluster tests; yields its
    open client."""
    from tmo import cluster

    with cluster.client(workers=2) as client:
        yield client
