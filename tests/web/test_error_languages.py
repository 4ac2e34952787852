"""Error pages in the visitor's language: the messages and hints raised in English are
shown in French and Spanish on French and Spanish pages (Kosovo's 404 says why), a
message no pattern knows stays as raised and is marked as English, and the API keeps
its English messages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tmo.web.messages import PATTERNS, translate

HTML = {"Accept": "text/html"}


def alert(client: TestClient, url: str) -> tuple[int, str, str]:
    r = client.get(url, headers=HTML)
    said = re.search(r'<p role="alert"([^>]*)>(.*?)</p>', r.text, re.S)
    assert said is not None, r.text[:500]
    return r.status_code, said.group(1), said.group(2)


@pytest.mark.parametrize(("url", "code", "words"), [
    ("/countries/MDA?year=1991&lang=fr", 404, "n&#39;est pas une année d&#39;estimation"),
    ("/countries/MDA?year=1991&lang=es", 404, "no es un año de estimación"),
    ("/explore?year=1991&lang=es", 404, "No hay estimación para 1991"),
    ("/explore?countries=ZZZ&lang=fr", 404, "Aucun pays ne correspond"),
    ("/explore?indicator=nope&lang=fr", 422, "Paramètre query.indicator invalide"),
    ("/corridors/MDA/MDA?lang=es", 404, "dos países diferentes"),
    ("/no-such-page?lang=fr", 404, "Cette page n&#39;existe pas"),
])
def test_error_pages_speak_the_pages_language(fixture_client: TestClient, url: str,
                                              code: int, words: str) -> None:
    status, attributes, message = alert(fixture_client, url)
    assert status == code
    assert words in message
    assert 'lang="en"' not in attributes


def test_kosovo_says_why_in_french(fixture_client: TestClient) -> None:
    known = fixture_client.get("/api/v1/countries").json()["data"]
    codes = {c["iso3"] for c in known} if isinstance(known, list) else set()
    if "XKX" not in codes:  # the fixture's countries: a message with Kosovo's shape
        said = translate("no Migration Profile for Kosovo (XKX): the International Migrant "
                         "Stock 2024 publishes no figures for it", "fr")
        assert said == ("Pas de profil migratoire pour Kosovo (XKX) : l'International "
                        "Migrant Stock 2024 ne publie aucun chiffre pour ce territoire")
        return
    status, _, message = alert(fixture_client, "/countries/XKX?lang=fr")
    assert status == 404
    assert "ne publie aucun chiffre" in message


def test_unknown_messages_stay_marked_english_and_the_api_keeps_english(
        fixture_client: TestClient) -> None:
    assert translate("something nobody wrote a pattern for", "fr") is None
    r = fixture_client.get("/api/v1/countries/MDA/profile?year=1991&lang=fr")
    assert r.status_code == 404
    assert "is not an estimate year" in r.json()["error"]["message"]


def test_every_pattern_has_both_languages_and_keeps_its_fields() -> None:
    for pattern, words in PATTERNS:
        fields = set(re.findall(r"\(\?P<(\w+)>", pattern))
        assert set(words) == {"fr", "es"}, pattern
        for text in words.values():
            assert set(re.findall(r"\{(\w+)\}", text)) <= fields, pattern
