"""Area profiles on the web and the command line (issue #13), on the fixture store: the
World is 619,100 immigrants, EUROPE 293,000 (hand-computed in
tests/fixture_store/figures.py), Moldova a member of Eastern Europe (UN:923) in Europe."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from tmo.cli import cli
from tmo.profiles.area_view import WORDS
from tmo.profiles.untranslated import english, visible_text


def test_the_area_page_pdf_and_json(fixture_client: TestClient) -> None:
    doc = fixture_client.get("/areas/UN:900/profile.json").json()
    assert doc["immigration"]["figures"]["immigrant_stock"]["value"] == 619_100
    assert doc["immigration"]["figures"]["immigrant_stock"]["detail"]["basis"] == "published"
    page = fixture_client.get("/areas/UN:908?lang=fr")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "293 000" in text  # visible_text writes the narrow no-break space as a space
    assert english(text, "fr") == []
    assert WORDS["fr"]["summed"] in text
    pdf = fixture_client.get("/areas/UN:923/profile.pdf?lang=es")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_names_redirect_and_countries_link_to_their_region(
        fixture_client: TestClient) -> None:
    for asked, to in (("/countries/World", "/areas/UN:900?lang=en"),
                      ("/areas/900", "/areas/UN:900"), ("/areas/Europe", "/areas/UN:908"),
                      ("/search?q=Monde&lang=fr", "/areas/UN:900?lang=fr")):
        got = fixture_client.get(asked, follow_redirects=False)
        assert got.status_code in (301, 303), asked
        assert got.headers["location"] == to, asked
    assert fixture_client.get("/areas/Atlantis").status_code == 404
    moldova = fixture_client.get("/countries/MDA?lang=fr").text
    assert 'href="/areas/UN:923?lang=fr"' in moldova
    assert 'href="/areas/UN:908?lang=fr"' in moldova
    index = fixture_client.get("/countries?lang=fr").text
    assert 'href="/areas/UN:900?lang=fr"' in index
    assert 'href="/areas/UN:908?lang=fr"' in index


def test_tmo_profile_world(fixture_store: Path) -> None:
    res = CliRunner().invoke(cli, ["profile", "World", "--db", str(fixture_store),
                                   "--format", "md", "--lang", "es"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("# Perfil migratorio: Mundo")
    assert "619.100" in res.output
