"""A practice approved in the moderation queue is searchable and visible at once in the
CLI, the API and the web app (a server already running picks it up), end to end."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from tests.practices.conftest import submission_text
from tmo.cli.practices import practices
from tmo.web.app import create_app

PRACTICE = "prt-lisbon-welcome-desks"


def test_approved_submission_is_published_everywhere(fixture_web_store: Path, tmp_path: Path,
                                                     monkeypatch) -> None:
    monkeypatch.setenv("TMO_HOME", str(tmp_path))
    client = TestClient(create_app(fixture_web_store, watch=0))  # running before the approval
    assert client.get(f"/api/v1/practices/{PRACTICE}").status_code == 404

    file = tmp_path / "desks.md"
    file.write_text(submission_text(), encoding="utf-8")
    cli = CliRunner()
    assert cli.invoke(practices, ["submit", str(file)]).exit_code == 0
    assert client.get(f"/api/v1/practices/{PRACTICE}").status_code == 404  # pending
    approved = cli.invoke(practices, ["review", "--approve", PRACTICE])
    assert "approved" in approved.output

    hits = json.loads(cli.invoke(practices, ["search", "welcome desks", "--format",
                                             "json"]).output)
    assert hits[0]["id"] == PRACTICE
    api = client.get(f"/api/v1/practices/{PRACTICE}")
    assert api.status_code == 200
    assert api.json()["data"]["id"] == PRACTICE
    found = client.get("/api/v1/practices?q=welcome%20desks").json()["data"]
    assert found[0]["id"] == PRACTICE
    page = client.get(f"/practices/{PRACTICE}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert api.json()["data"]["title"] in page.text
    assert PRACTICE in client.get("/practices?q=welcome+desks").text
