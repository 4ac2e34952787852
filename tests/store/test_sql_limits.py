"""`tmo sql` against queries that would run for ever: stopped after a time limit with one
line and a hint, the store left as it was."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmo.cli import cli
from tmo.errors import InputError
from tmo.store.query import sql

ENDLESS = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT * FROM r"


def test_an_endless_query_is_stopped(fixture_store: Path) -> None:
    t0 = time.monotonic()
    with pytest.raises(InputError, match=r"query stopped after 1 s") as caught:
        sql(fixture_store, ENDLESS, seconds=1.0)
    assert time.monotonic() - t0 < 15
    assert caught.value.hint is not None
    assert "TMO_SQL_SECONDS" in caught.value.hint
    # the store still answers
    assert sql(fixture_store, "SELECT 42 AS x")["x"].tolist() == [42]


def test_the_limit_comes_from_the_environment(fixture_store: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMO_SQL_SECONDS", "1")
    res = CliRunner().invoke(cli, ["sql", "--db", str(fixture_store), ENDLESS])
    assert res.exit_code != 0
    assert "query stopped after 1 s" in res.output
    assert "Traceback" not in res.output
