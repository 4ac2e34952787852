"""`projected`: a copy of the tiny fixture store after `tmo projections run` (60 draws),
shared by the tests of the stage, the profile's section and the web page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmo.cli import cli


@pytest.fixture(scope="session")
def projected(fixture_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("projections") / "tmo.duckdb"
    shutil.copy(fixture_store, copy)
    res = CliRunner().invoke(cli, ["projections", "run", "--draws", "60", "--db", str(copy)])
    assert res.exit_code == 0, res.output
    return copy
