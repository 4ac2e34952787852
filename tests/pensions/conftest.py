"""Shared helpers: the model rules of tests/pensions/data and a career builder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tmo.pensions.career import Career, parse_career
from tmo.pensions.ruleset import Rules, load_rules

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def model_rules() -> Rules:
    """The shipped rules plus Holzmann's model states and agreements and the model states
    of the property tests."""
    return load_rules(sorted(DATA.glob("*.yaml")))


def career(periods: list[dict[str, Any]], **fields: Any) -> Career:
    return parse_career({"periods": periods, **fields})
