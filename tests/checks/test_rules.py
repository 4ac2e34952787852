"""The rule set: what every build runs, and the policy on negative counts."""

from __future__ import annotations

from pathlib import Path

import tmo.errors
from tests.checks.conftest import od, pop, total
from tmo.checks.rules import RULES, run_all


def test_every_rule_has_its_fixture_tests() -> None:
    here = Path(__file__).parent
    for name in RULES:
        assert (here / f"test_{name}.py").is_file(), f"rule {name!r} has no tests/checks file"


def test_run_all_is_every_rule_in_order(store) -> None:
    con = store(
        migrant_stock=[od("DEU", "TUR", "total", 10), od("DEU", "TUR", "female", 4),
                       od("DEU", "TUR", "male", 5)],
        destination_stock=[total("DEU", "total", 11)],
        population=[pop("MDA", "total", 1_000)],
    )
    expected = [f for rule in RULES.values() for f in rule(con)]
    assert run_all(con) == expected
    assert [(f.check, f.severity) for f in expected] == [
        ("od_sum_vs_destination_total", "error"),
        ("od_sum_vs_destination_total", "info"),
        ("sexes_add_up", "warning"),
        ("coverage", "info"),
        ("coverage", "info"),
        ("remittance_sources", "info"),
        ("refugee_sources", "info"),
    ]


def test_a_clean_store_has_no_error_or_warning(store) -> None:
    con = store(
        migrant_stock=[od("DEU", "TUR", "total", 9), od("DEU", "TUR", "female", 4),
                       od("DEU", "TUR", "male", 5)],
        destination_stock=[total("DEU", "total", 9), total("DEU", "female", 4),
                           total("DEU", "male", 5)],
        population=[pop("MDA", "total", 1_000), pop("MDA", "female", 500),
                    pop("MDA", "male", 500)],
    )
    assert {f.severity for f in run_all(con)} == {"info"}


def test_negative_counts_are_refused_by_the_adapters_not_reported() -> None:
    """One policy per data problem (tmo.errors): a negative count is unusable input."""
    assert "non_negative" not in RULES
    policy = tmo.errors.__doc__ or ""
    assert "negative count" in policy
    assert "SourceError" in policy
