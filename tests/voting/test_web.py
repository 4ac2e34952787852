"""The voting routes of the web app, in process over the fixture store: the API's envelope,
CSV, the plan page, and errors (the shipped rules place missions in capitals the fixture
store lacks, so the plan routes are tested with the fixture's rules)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tmo.voting.ruleset import load
from tmo.web import voting as web_voting
from tmo.web.app import create_app

from .conftest import write_rules


@pytest.fixture
def client(fixture_store):
    return TestClient(create_app(fixture_store, watch=0), raise_server_exceptions=False)


@pytest.fixture
def fixture_rules_served(monkeypatch, tmp_path):
    path = write_rules(tmp_path)
    monkeypatch.setattr(web_voting, "load", lambda code: load(code, path))


def test_apportion(client):
    answer = client.get("/api/v1/voting/apportion", params={
        "votes": ["A:6100", "B:5000", "C:900"], "seats": 10, "method": "dhondt"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert body["data"]["seats"] == {"A": 6, "B": 4, "C": 0}
    assert body["meta"]["method"] == "dhondt"


@pytest.mark.parametrize(("params", "code", "message"), [
    ({"votes": ["A6100"], "seats": 3}, 422, "is not NAME:NUMBER"),
    ({"votes": ["A:1", "A:2"], "seats": 3}, 422, "is given twice"),
    ({"votes": ["A:-1"], "seats": 3}, 422, "is negative"),
    ({"votes": ["A:1"], "seats": 3, "method": "borda"}, 422, "invalid parameter"),
    ({"votes": ["A:1", "B:1"], "seats": 1, "tie_break": "raise"}, 422, "tie: A, B"),
])
def test_apportion_errors(client, params, code, message):
    answer = client.get("/api/v1/voting/apportion", params=params)
    assert answer.status_code == code
    assert message in answer.json()["error"]["message"]


def test_rules(client):
    assert client.get("/api/v1/voting/rules").json()["data"] == ["ECU", "MDA"]
    rules = client.get("/api/v1/voting/rules/mda").json()
    assert rules["data"]["stations"]["max_ballots_per_station"]["value"] == 5000
    assert rules["meta"]["file"] == "tmo/voting/rules/moldova.yaml (shipped)"
    assert client.get("/api/v1/voting/rules/FRA").status_code == 422


@pytest.mark.usefixtures("fixture_rules_served")
def test_plan_json_csv_and_page(client):
    answer = client.get("/api/v1/voting/plan/MDA", params={"turnout": 0.5})
    assert answer.status_code == 200
    document = answer.json()["data"]
    assert document["summary"]["stations"] == 9
    csv_answer = client.get("/api/v1/voting/plan/MDA", params={"format": "csv"})
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert csv_answer.text.startswith("iso3,country,city,")
    page = client.get("/voting/MDA", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert 'class="chart plan-map"' in page.text


def test_plan_errors(client):
    # the shipped rules' missions need capitals the fixture store does not have
    answer = client.get("/api/v1/voting/plan/MDA")
    assert answer.status_code == 422
    assert "no capital coordinates" in answer.json()["error"]["message"]
    assert client.get("/api/v1/voting/plan/XXX").status_code == 404
    page = client.get("/voting/XXX", headers={"accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_voting_index_is_linked_from_the_site(client):
    home = client.get("/", headers={"accept": "text/html"}).text
    assert '<a href="/voting">Voting abroad</a>' in home
    index = client.get("/voting", headers={"accept": "text/html"})
    assert index.status_code == 200
    assert '<a href="/voting/MDA">' in index.text
    assert '<a href="/voting/MDA?registrations=example">' in index.text  # Moldova's example
    assert "/voting/ECU?registrations=example" not in index.text  # none ships for Ecuador
    assert 'href="/voting/MDA/info?lang=ro&amp;registrations=example"' in index.text
    assert 'href="/voting/ECU/info?lang=es"' in index.text
    assert "synthetic" in index.text


@pytest.mark.usefixtures("fixture_rules_served")
def test_voter_information_pages(client):
    for lang in ("en", "fr", "es", "ro"):
        page = client.get("/voting/MDA/info", params={"lang": lang, "election": "2025-09-28"},
                          headers={"accept": "text/html"})
        assert page.status_code == 200, lang
        assert f'<html lang="{lang}">' in page.text
        assert 'href="/voting/MDA/info?lang=en&amp;election=2025-09-28"' in page.text \
            or lang == "en"
    french = client.get("/voting/MDA/info?lang=fr&election=2025-09-28").text
    assert "le dernier jour est le 14 août 2025" in french
    assert '<a href="/voting/MDA">Le plan complet et ses hypothèses (en anglais)</a>' in french
    plan = client.get("/voting/MDA").text
    assert 'href="/voting/MDA/info?lang=fr" hreflang="fr" lang="fr">Français</a>' in plan
    assert '<a href="/voting">Voting from abroad</a>' in plan


@pytest.mark.usefixtures("fixture_rules_served")
@pytest.mark.parametrize(("url", "code", "message"), [
    ("/voting/MDA/info?lang=de", 422, "no voter information in &#39;de&#39; for MDA"),
    ("/voting/MDA/info?lang=english", 422, "invalid parameter"),
    ("/voting/MDA/info?election=2025-13-01", 422, "invalid parameter"),
    ("/voting/MDA?registrations=mine", 422, "invalid parameter"),
    ("/voting/XXX/info", 404, "XXX"),
])
def test_voter_information_errors(client, url, code, message):
    page = client.get(url, headers={"accept": "text/html"})
    assert page.status_code == code
    assert page.headers["content-type"].startswith("text/html")
    assert message in page.text
