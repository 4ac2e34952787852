"""The rules files: the shipped ones load and cite everything; a broken file is refused
with every problem named by file and path."""

from __future__ import annotations

import textwrap

import pytest

from tmo.citations import cited_keys
from tmo.errors import InputError
from tmo.pensions.ruleset import (
    RULES_DIR,
    file_problems,
    load_rules,
    parse_document,
    shipped_files,
)

SCHEME = """\
schema: tmo.pensions.scheme/1
id: XXA-TEST
country: XXA
name: Test scheme
currency: EUR
unit: year
benefits:
  old_age:
    valid_from: {value: 2020-01-01, source: [holzmann-2016-table7]}
    minimum: {value: 20, source: [holzmann-2016-table7]}
    formula:
      kind: linear
      reference: {value: 800, source: [holzmann-2016-table7]}
      flat_share: {value: 0, source: [holzmann-2016-table7]}
      accrual: {value: 0.02, source: [holzmann-2016-table7]}
      max_units: {value: 40, source: [holzmann-2016-table7]}
"""


def test_shipped_rules_load():
    rules = load_rules()
    assert set(rules.agreements) == {"caricom-1996", "eu-883-2004", "us-totalization",
                                     "ie-us-1993"}
    assert {s.country for s in rules.schemes.values()} >= {"BRB", "TTO", "GUY", "ESP", "USA"}
    assert rules.weeks_per_unit["year"] == 52


def test_every_declared_source_is_cited_and_every_cited_one_declared():
    declared = set(load_rules().sources)
    cited = {key for path in shipped_files() if path.name != "sources.yaml"
             for _, keys in cited_keys(parse_document(path.read_text(encoding="utf-8")))
             for key in keys}
    assert cited <= declared
    # Holzmann's Table 7 is cited by the model schemes of the golden test (tests/pensions).
    assert declared - cited == {"holzmann-2016-table7"}, "sources declared but never cited"


def test_unconfirmed_values_say_why():
    """A value without a source is `confirmed: false` with a note (the schema's rule), and
    the rules keep them visible: the CARICOM award and the Guyana rate are among them."""
    rules = load_rules()
    award = rules.agreements["caricom-1996"].rule("award")
    assert award is not None
    assert award.confirmed is False
    assert "not confirmed" in award.note
    guyana = rules.schemes["GUY-NIS"].benefits["old_age"].params["base_rate"]
    assert guyana.confirmed is False
    assert rules.agreements["eu-883-2004"].rule("award").value == "higher"  # type: ignore[union-attr]


def test_every_rule_has_a_date_it_holds_from():
    rules = load_rules()
    for scheme in rules.schemes.values():
        for rule in scheme.benefits.values():
            assert rule.start.year >= 1990, scheme.id
    for agreement in rules.agreements.values():
        assert agreement.start.year >= 1978, agreement.id


def test_a_user_scheme_file_is_added(tmp_path):
    path = tmp_path / "test.yaml"
    path.write_text(SCHEME, encoding="utf-8")
    rules = load_rules([path])
    assert rules.schemes["XXA-TEST"].benefits["old_age"].formula_kind == "linear"
    assert "XXA-TEST" not in load_rules().schemes  # the shipped rules are untouched


@pytest.mark.parametrize(("change", "expected"), [
    (("source: [holzmann-2016-table7]}\n    minimum",
      "source: [no-such-source]}\n    minimum"),
     "benefits.old_age.valid_from.source: 'no-such-source' is not declared in sources.yaml"),
    (("{value: 800, source: [holzmann-2016-table7]}", "{value: 800}"),
     "benefits.old_age.formula.reference: cite it"),
    (("kind: linear", "kind: magic"), "benefits.old_age.formula.kind: 'magic' is not one of"),
    (("{value: 0.02,", "{value: -0.02,"), "benefits.old_age.formula"),
    (("unit: year", "unit: fortnight"), "unit: 'fortnight' is not one of"),
    (("value: 2020-01-01", "value: 2020-13-01"), "benefits.old_age.valid_from.value"),
])
def test_a_broken_file_names_the_file_and_the_path(tmp_path, change, expected):
    path = tmp_path / "broken.yaml"
    path.write_text(SCHEME.replace(*change), encoding="utf-8")
    with pytest.raises(InputError, match="pension rules") as raised:
        load_rules([path])
    assert str(path) in str(raised.value)
    assert expected in str(raised.value)
    assert raised.value.hint


def test_dates_and_open_rows_in_order(tmp_path):
    text = SCHEME.replace("    minimum:", "    valid_until: {value: 2019-01-01, source: "
                                          "[holzmann-2016-table7]}\n    minimum:")
    path = tmp_path / "late.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="valid_until: before valid_from"):
        load_rules([path])


def test_every_problem_is_listed_at_once():
    data = parse_document(textwrap.dedent("""\
        schema: tmo.pensions.agreement/1
        id: Bad Id
        name: x
        """))
    found = file_problems(data)
    assert len(found) >= 3
    assert any(p.startswith("id:") for p in found)


def test_not_yaml_and_not_a_mapping(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("schema: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML: line 1"):
        load_rules([path])
    assert file_problems(["a list"]) == ["(top): a rules file is a mapping, not list"]
    assert file_problems({"schema": "nope"})[0].startswith("schema: 'nope' is not one of")


def test_rules_dir_holds_only_checked_files():
    names = {p.name for p in RULES_DIR.rglob("*.yaml")}
    assert names == {p.name for p in shipped_files()}
