"""docs/voting.md cannot drift: it names every method, tie rule, floor rule, option of the
two commands and field of the rules schema."""

from __future__ import annotations

import yaml

from tmo.cli.voting import apportion_command, plan_command
from tmo.voting.apportionment import FLOOR_RULES, METHODS, TIE_BREAKS
from tmo.voting.ruleset import SCHEMA_FILE

from ..conftest import REPO

DOC = (REPO / "docs" / "voting.md").read_text(encoding="utf-8")


def test_methods_and_rules_are_documented():
    missing = [f"`{name}`" for name in (*METHODS, *TIE_BREAKS, *FLOOR_RULES)
               if f"`{name}`" not in DOC]
    assert not missing, missing


def test_command_options_are_documented():
    options = {o for command in (apportion_command, plan_command) for p in command.params
               for o in p.opts if o.startswith("--")}
    missing = sorted(o for o in options if o not in DOC)
    assert not missing, missing


def test_rules_fields_are_documented():
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    fields = set()
    for section, spec in schema["properties"].items():
        fields.add(section)
        fields |= set(spec.get("properties", {}))
    missing = sorted(f for f in fields if f not in DOC)
    assert not missing, missing
