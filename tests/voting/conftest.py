"""Fixtures of the voting tests: the fixture store (tests/fixture_store: MDA's emigrants are
DEU 10,000, ITA 50,000, ROU 20,000 and USA 10,000, made up) and a small rules file for it."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

from tmo.store.query import connect
from tmo.voting.ruleset import RULES_DIR, Rules, load

MISSIONS = [
    {"country": "ITA", "kind": "embassy", "capital": True, "source": ["code-art31"]},
    {"country": "ITA", "kind": "consulate_general", "city": "Milan", "lat": 45.4642,
     "lon": 9.19, "source": ["forum-2013-milan"]},
    {"country": "DEU", "kind": "embassy", "capital": True, "source": ["code-art31"]},
    {"country": "ROU", "kind": "embassy", "capital": True, "source": ["code-art31"]},
]


def fixture_rules_data(**changes: Any) -> dict[str, Any]:
    """Moldova's shipped rules with missions in the fixture's countries only, turnout 0.5,
    adult share 0.8; `changes` as {"section.key": value}."""
    data = yaml.safe_load((RULES_DIR / "moldova.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["missions"] = copy.deepcopy(MISSIONS)
    data["electors"]["adult_share"]["value"] = 0.8
    data["turnout"]["of_estimated_electors"]["value"] = 0.5
    for key, value in changes.items():
        section, _, field = key.partition(".")
        if not field:
            data[section] = value
        elif isinstance(value, dict):
            data[section][field] = value
        elif isinstance(data[section].get(field), dict):
            data[section][field]["value"] = value
        else:
            data[section][field] = {"value": value, "confirmed": False, "note": "a test"}
    return data


def write_rules(folder: Path, **changes: Any) -> Path:
    path = folder / "rules.yaml"
    path.write_text(yaml.safe_dump(fixture_rules_data(**changes), allow_unicode=True),
                    encoding="utf-8")
    return path


@pytest.fixture
def fixture_rules(tmp_path: Path) -> Rules:
    return load("MDA", write_rules(tmp_path))


@pytest.fixture
def con(fixture_store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect(fixture_store)
    yield connection
    connection.close()


def write_csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path
