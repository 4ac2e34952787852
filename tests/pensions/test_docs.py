"""docs/pensions.md names every shipped scheme and agreement, every formula kind and
agreement rule of the schema, and every option of `tmo pension`; the README lists the
command and the page."""

from __future__ import annotations

import yaml

from tmo.cli.pension import pension
from tmo.pensions.ruleset import SCHEMA_FILE, load_rules

from ..conftest import REPO

DOC = (REPO / "docs" / "pensions.md").read_text(encoding="utf-8")
SCHEMA = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_every_scheme_and_agreement_is_documented():
    rules = load_rules()
    missing = [f"`{name}`" for name in [*rules.schemes, *rules.agreements]
               if f"`{name}`" not in DOC]
    assert not missing


def test_every_formula_kind_and_rule_is_documented():
    kinds = SCHEMA["$defs"]["benefit_rule"]["properties"]["formula"]["properties"]["kind"]["enum"]
    rules = SCHEMA["$defs"]["agreement_file"]["properties"]["rules"]["properties"]
    awards = SCHEMA["$defs"]["award"]["enum"]
    missing = [f"`{k}`" for k in [*kinds, *rules, *awards] if f"`{k}`" not in DOC]
    assert not missing


def test_every_option_is_documented():
    options = [opt for param in pension.params for opt in param.opts]
    missing = [opt for opt in options if opt not in DOC and opt != "--what-if"]
    assert not missing


def test_the_web_routes_are_documented():
    assert "`/pensions`" in DOC


def test_readme_lists_the_command_and_the_page():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "`tmo pension --career FILE.json" in readme
    assert "`docs/pensions.md`" in readme
