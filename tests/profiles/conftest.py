"""The profile tests use the session's real store and browser (tests/conftest.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def profile_store(store: Path) -> Path:
    return store


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.fail(f"{tool} is missing: .ci/run installs poppler-utils")
    return path
