"""The page of a place with a partial profile (issue #13): /countries/XKX answers 200 with
Kosovo's partial profile, in French without English; a code no source holds, 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tmo.profiles.partial_view import words
from tmo.profiles.untranslated import english, visible_text


def test_kosovo_page_is_its_partial_profile_in_french(client: TestClient) -> None:
    r = client.get("/countries/XKX?lang=fr")
    assert r.status_code == 200, r.text[:300]
    text = visible_text(r.text)
    assert " ".join(words("fr")["title"].format(country="Kosovo").split()) in text
    assert "Stock international de migrants ne publie aucun chiffre pour Kosovo" in text
    assert english(text, "fr") == []
    assert client.get("/api/v1/countries/XKX/profile").status_code == 200


def test_a_code_no_source_holds_is_still_404(client: TestClient) -> None:
    assert client.get("/countries/XXA").status_code == 404
    assert client.get("/countries/XXA/profile.pdf").status_code == 404
