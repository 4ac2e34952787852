"""One real build of the store from ../shared/data, shared by the store tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tmo.config import Settings
from tmo.store.build import BuildReport, build

from ..conftest import DATA


def settings_for(tmp: Path, source_dir: Path = DATA, name: str = "tmo.duckdb") -> Settings:
    return Settings(home=tmp, db_path=tmp / name, cache_dir=tmp / "cache", source_dir=source_dir)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildReport:
    if not DATA.is_dir():
        pytest.fail(f"../shared/data not found at {DATA}")
    return build(settings_for(tmp_path_factory.mktemp("store")))


@pytest.fixture(scope="session")
def store(built: BuildReport) -> Path:
    return built.db_path
