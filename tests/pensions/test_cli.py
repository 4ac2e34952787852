"""`tmo pension`: Markdown and JSON, what-ifs, extra rules, and errors in one line plus a
hint."""

from __future__ import annotations

import json

from click.testing import CliRunner

from tmo.cli import cli
from tmo.pensions.ruleset import HERE

from .conftest import DATA

EXAMPLE = HERE / "examples" / "caricom-career.json"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(cli, ["pension", *args], input=stdin)


def test_markdown_of_the_shipped_example():
    result = run("--career", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "# Pension under CARICOM Agreement on Social Security" in result.output
    assert "| BRB | 469 weeks | 959 weeks | no | – | 294.00 | 143.78 | 143.78 BBD |" \
        in result.output
    assert "| stayed in BRB | 294.00 BBD |" in result.output
    assert "SSA, Social Security Programs Throughout the World 1999: Barbados" in result.output


def test_json_from_stdin_with_agreement_option():
    career = {"claim_date": "2027-06-01", "inputs": {"ESP": {"earnings": 1800}},
              "periods": [{"country": "ESP", "count": 20, "unit": "year"},
                          {"country": "PRT", "count": 15, "unit": "year"}]}
    result = run("--career", "-", "--agreement", "eu-883-2004", "--format", "json",
                 "--no-what-if", stdin=json.dumps(career))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    spain = doc["states"][0]
    assert spain["country"] == "ESP"
    assert spain["paid_as"] == "independent"
    assert [s["article"] for s in spain["steps"]][-1] == "Art. 52(3)"
    assert "what_if" not in doc
    assert doc["disclaimer"].startswith("An estimate")


def test_extra_rules_and_out_file(tmp_path):
    career = tmp_path / "career.json"
    career.write_text(json.dumps({"claim_date": "2016-01-01", "periods": [
        {"country": "AAA", "count": 18, "unit": "year"},
        {"country": "BBB", "count": 24, "unit": "year"}]}), encoding="utf-8")
    out = tmp_path / "result.json"
    args = ["--career", str(career), "--agreement", "model-direct", "--format", "json",
            "--out", str(out)]
    for path in sorted(DATA.glob("*.yaml")):
        args += ["--rules", str(path)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["totals"]["EUR"]["paid"] == 928


def test_errors_are_one_line_and_a_hint(tmp_path):
    career = tmp_path / "career.json"
    career.write_text(json.dumps({"periods": [
        {"country": "BRB", "from": "1990-01-01", "to": "1995-12-31"},
        {"country": "TTO", "from": "1995-06-01", "to": "1999-12-31"}]}), encoding="utf-8")
    result = run("--career", str(career), "--agreement", "caricom-1996")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: period 1 (BRB, 1990-01-01 to 1995-12-31) and period 2")
    assert lines[1].startswith("hint: ")


def test_unreadable_and_not_json(tmp_path):
    missing = run("--career", str(tmp_path / "none.json"))
    assert missing.exit_code == 1
    assert "cannot read" in missing.output
    bad = tmp_path / "bad.json"
    bad.write_text("{periods: [", encoding="utf-8")
    result = run("--career", str(bad))
    assert result.exit_code == 1
    assert "is not JSON" in result.output
    assert "hint: a career is" in result.output


def test_unknown_agreement_lists_the_known():
    result = run("--career", str(EXAMPLE), "--agreement", "nafta")
    assert result.exit_code == 1
    assert "unknown agreement 'nafta'" in result.output
    assert "caricom-1996" in result.output
