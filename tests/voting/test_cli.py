"""`tmo voting apportion` and `tmo voting plan` in process (click's runner): outputs, and
errors as one line plus a hint."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from tmo.cli import cli

from .conftest import write_csv, write_rules


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(cli, list(args), input=stdin, catch_exceptions=False)

    return invoke


@pytest.fixture
def votes(tmp_path):
    return write_csv(tmp_path, "votes.json", '{"A": 6100, "B": 5000, "C": 900}')


@pytest.mark.parametrize(("method", "expected"), [
    ("dhondt", {"A": 6, "B": 4, "C": 0}),
    ("sainte_lague", {"A": 5, "B": 4, "C": 1}),
    ("largest_remainder", {"A": 5, "B": 4, "C": 1}),
    ("huntington_hill", {"A": 5, "B": 4, "C": 1}),
])
def test_apportion_prints_name_to_seats(run, votes, method, expected):
    result = run("voting", "apportion", "--votes", str(votes), "--seats", "10", "--method",
                 method, "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output) == expected


def test_apportion_with_a_floor_csv_and_explain(run, tmp_path):
    italy = write_csv(tmp_path, "italy.json", json.dumps({
        "Europe": 3189905, "South America": 1804291, "North and Central America": 505567,
        "Africa Asia Oceania Antarctica": 306305}))
    result = run("voting", "apportion", "--votes", str(italy), "--seats", "8", "--method",
                 "largest_remainder", "--floor", "1", "--format", "csv")
    assert list(csv.reader(io.StringIO(result.output))) == [
        ["name", "seats"], ["Europe", "3"], ["South America", "2"],
        ["North and Central America", "2"], ["Africa Asia Oceania Antarctica", "1"]]
    explained = json.loads(run("voting", "apportion", "--votes", str(italy), "--seats", "8",
                               "--floor", "1", "--explain").output)
    assert explained["floor_rule"] == "add"
    assert explained["seats"]["Europe"] == 4  # D'Hondt on the 4 seats left: 4/2/1/1


def test_apportion_reports_a_decided_tie_on_stderr(run):
    result = run("voting", "apportion", "--votes", "-", "--seats", "2", "--tie-break", "name",
                 stdin='{"B": 1, "A": 1, "C": 1}')
    assert json.loads(result.stdout) == {"B": 1, "A": 1, "C": 0}
    assert "note: tie between A, B, C for 2 seat(s), won by A, B (name)" in result.stderr


@pytest.mark.parametrize(("content", "args", "message"), [
    ("[1, 2]", (), "holds a JSON list, not an object"),
    ("{oops", (), "is not JSON"),
    ('{"A": -3}', (), "A: -3 is negative"),
    ('{"A": 1, "B": 1}', ("--floor", "2"), "a floor of 2 seats for 2 districts needs 4"),
    ('{"A": 1, "B": 1}', ("--tie-break", "raise"), "tie: A, B have equal claims on 1 seat"),
])
def test_apportion_errors_are_one_line_and_a_hint(run, tmp_path, content, args, message):
    path = write_csv(tmp_path, "v.json", content)
    result = run("voting", "apportion", "--votes", str(path), "--seats", "3" if not args or
                 args[0] != "--tie-break" else "1", *args)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert lines[1].startswith("hint: ")


def test_plan_json_csv_html(run, fixture_store, tmp_path):
    rules = write_rules(tmp_path)
    registrations = write_csv(tmp_path, "r.csv", "country,city,lat,lon,registrations,votes\n"
                              "ITA,Milan,45.4642,9.19,3000,2400\nITA,Rome,,,1000,600\n")
    base = ("voting", "plan", "Moldova", "--db", str(fixture_store), "--rules", str(rules))
    result = run(*base, "--registrations", str(registrations), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["origin"] == "MDA"
    assert document["summary"]["stations"] == sum(c["stations"] for c in document["countries"])
    rows = list(csv.DictReader(io.StringIO(run(*base, "--format", "csv").stdout)))
    assert {r["iso3"] for r in rows} == {"DEU", "ITA", "ROU", "USA"}
    assert sum(int(r["stations"]) for r in rows) == 9
    out = tmp_path / "plan.html"
    result = run(*base, "--registrations", str(registrations), "--format", "html", "--out",
                 str(out), "--election-date", "2025-09-28")
    assert "wrote" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert 'class="chart plan-map"' in html  # the project's world map, zoomed
    assert "Polling stations abroad: Moldova" in html or "Republic of Moldova" in html
    # the voter information beside it, in English, French, Spanish and Romanian (the
    # rules' language), linked from the plan page and to each other
    written = sorted(p.name for p in tmp_path.glob("MDA-info.*.html"))
    assert written == ["MDA-info.en.html", "MDA-info.es.html", "MDA-info.fr.html",
                       "MDA-info.ro.html"]
    assert 'href="MDA-info.fr.html"' in html
    french = (tmp_path / "MDA-info.fr.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in french
    assert 'href="plan.html"' in french
    assert "le dernier jour est le 14 août 2025" in french  # 45 days before 28 September
    assert "MDA-info.en.html" in result.stderr


def test_plan_html_without_the_voter_information(run, fixture_store, tmp_path):
    rules = write_rules(tmp_path)
    out = tmp_path / "only" / "plan.html"
    result = run("voting", "plan", "MDA", "--db", str(fixture_store), "--rules", str(rules),
                 "--format", "html", "--out", str(out), "--no-info")
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.parent.iterdir()] == ["plan.html"]
    assert "Information for voters abroad" not in out.read_text(encoding="utf-8")


def test_plan_with_a_past_plan_and_overrides(run, fixture_store, tmp_path):
    rules = write_rules(tmp_path)
    past = write_csv(tmp_path, "past.csv", "country,city,stations\nITA,Rome,2\n")
    result = run("voting", "plan", "MDA", "--db", str(fixture_store), "--rules", str(rules),
                 "--past", str(past), "--turnout", "1", "--year", "2016")
    document = json.loads(result.stdout)
    assert document["comparison"]["past_stations"] == 2
    assert document["turnout"]["derivation"] == "given on the command line"
    assert document["rules"]["max_ballots_per_station"] == 3000


def test_plan_errors(run, fixture_store, tmp_path):
    # the shipped Moldova rules place missions in capitals the fixture store lacks
    result = run("voting", "plan", "MDA", "--db", str(fixture_store))
    assert result.exit_code == 1
    assert "the store has no capital coordinates" in result.stderr
    assert "hint: give the mission a city, lat and lon" in result.stderr
    result = run("voting", "plan", "Atlantis", "--db", str(fixture_store))
    assert "unknown country 'Atlantis'" in result.stderr
    result = run("voting", "plan", "PHL", "--db", str(fixture_store))
    assert "no rules file ships for PHL" in result.stderr
