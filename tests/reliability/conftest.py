"""The reference stores of the reliability tests: one full and one partial `tmo build`
of the official files, each run once as a subprocess and timed (the kill tests spread
their kills over these durations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .common import PARTIAL, Reference, build_cmd, contents, measure


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "reliability: kill -9 and concurrency tests of the store's writers and "
        "readers (subprocesses; a few minutes)")


def _reference(tmp: Path, *extra: str) -> Reference:
    db = tmp / "tmo.duckdb"
    timeline = measure(build_cmd(db, *extra), db, tmp)
    return Reference(db, timeline, contents(db))


@pytest.fixture(scope="session")
def full_reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """`tmo build --source-dir DATA`, uninterrupted."""
    return _reference(tmp_path_factory.mktemp("reference_full"))


@pytest.fixture(scope="session")
def partial_reference(tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """`tmo build --source-dir DATA --only ims_destination_2024`, uninterrupted."""
    return _reference(tmp_path_factory.mktemp("reference_partial"), *PARTIAL)
