"""Rules files: the shipped examples are valid and cited; a user's file is checked with
messages that name the path and the problem."""

from __future__ import annotations

import copy

import pytest
import yaml

from tmo.errors import InputError
from tmo.voting.ruleset import RULES_DIR, load, problems, shipped


@pytest.fixture
def moldova() -> dict:
    return yaml.safe_load((RULES_DIR / "moldova.yaml").read_text(encoding="utf-8"))


def test_the_examples_ship_and_are_valid():
    assert set(shipped()) == {"MDA", "ECU"}
    for country, path in shipped().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert problems(data, expect_country=country) == []


def test_moldova_values():
    rules = load("mda")
    assert rules.max_ballots().value == 5000
    assert rules.max_ballots(2024).value == 5000
    assert rules.max_ballots(2016).value == 3000
    assert rules.max_ballots(2016).sources == ("publika-2016-ballots",)
    assert rules.voters_per_station().value == 5000  # no planning load: the maximum
    assert rules.at_every_mission.value is True
    assert rules.outside_missions.value is True
    assert rules.citizenship_share.confirmed is False
    assert rules.electors_turnout.value == "last_election"
    assert (rules.last_election or {})["voters_abroad"] == 328855
    weights = {k: c.value for k, c in rules.weights().items()}
    assert weights == {"estimated_electors": 1, "pre_registrations": 1, "previous_votes": 1}
    milan = next(m for m in rules.missions if m.city == "Milan")
    assert (milan.lat, milan.lon) == (45.4642, 9.19)
    assert milan.confirmed
    assert next(m for m in rules.missions if m.country == "AUT").in_capital
    assert rules.citation(["code-art31"])[0]["url"].startswith("https://www.te.gob.mx/")


def test_ecuador_values():
    rules = load("ECU")
    assert rules.max_ballots().confirmed is False
    registered = rules.turnout("of_registered")
    assert registered is not None
    assert registered.value == 0.29
    assert rules.data["seats_abroad"]["method"] == "dhondt"
    assert [d["seats"] for d in rules.data["seats_abroad"]["districts"]] == [2, 2, 2]


def test_every_unconfirmed_value_says_why(moldova):
    """A value without a source must carry `confirmed: false` and a note."""
    del moldova["electors"]["citizenship_share"]["note"]
    (found,) = problems(moldova)
    assert found == ("electors.citizenship_share: cite it: give `source: [keys declared under "
                     "sources]`, or `confirmed: false` and a `note`")


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["stations"]["max_ballots_per_station"].update(value=0),
     "stations.max_ballots_per_station.value: 0 is less than the minimum of 1"),
    (lambda d: d["electors"]["adult_share"].update(value=1.3),
     "electors.adult_share.value: 1.3 is greater than the maximum of 1"),
    (lambda d: d["stations"]["min_expected_voters"].update(source=["nowhere"]),
     "stations.min_expected_voters.source: 'nowhere' is not declared under sources"),
    (lambda d: d["missions"].append({"country": "ITA", "kind": "embassy", "capital": True,
                                     "lat": 1.0, "source": ["code-art31"]}),
     "missions.39: a mission is either `capital: true`"),
    (lambda d: d["missions"].append({"country": "Italy", "kind": "embassy", "capital": True,
                                     "source": ["code-art31"]}),
     "missions.39.country: 'Italy' does not match"),
    (lambda d: d.update(extra=1), "(top): Additional properties are not allowed"),
    (lambda d: d["turnout"]["of_estimated_electors"].update(value="often"),
     "turnout.of_estimated_electors.value"),
    (lambda d: [d["criteria"][c].update(value=0) for c in d["criteria"]],
     "criteria: every weight is 0"),
])
def test_problems_name_the_path(moldova, change, expected):
    data = copy.deepcopy(moldova)
    change(data)
    found = problems(data)
    assert any(p.startswith(expected) for p in found), found


def test_load_reports_every_problem_in_one_line(tmp_path, moldova):
    moldova["stations"]["max_ballots_per_station"]["value"] = 0
    moldova["electors"]["adult_share"]["value"] = 2
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(moldova), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load("MDA", path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"rules file {path} has 2 problems: electors.adult_share.value")
    assert err.value.hint
    assert "moldova.yaml" in err.value.hint


def test_load_errors(tmp_path):
    with pytest.raises(InputError, match="no rules file ships for FRA"):
        load("FRA")
    with pytest.raises(InputError, match="cannot read rules file"):
        load("MDA", tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"is not valid YAML: line 2, column 1"):
        load("MDA", bad)
    with pytest.raises(InputError, match="country: the file is for MDA, not ECU"):
        load("ECU", RULES_DIR / "moldova.yaml")
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("42\n", encoding="utf-8")
    with pytest.raises(InputError, match="a rules file is a mapping"):
        load("MDA", scalar)
