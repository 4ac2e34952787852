"""A fact panel to embed on another site (issue #16): /embed/facts/{place} is the fact
cards as a page of their own, in the page's language, with a citation line, which any
site may frame (frame-ancestors *, no X-Frame-Options, as every /embed/ route and no
other); the debate page gives its iframe snippet. Over the fixture store."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from .test_languages import english_on


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_fact_panel_embed(fixture_client: TestClient, lang: str) -> None:
    doc = fixture_client.get(f"/api/v1/facts/MDA?lang={lang}").json()["data"]
    page = fixture_client.get(f"/embed/facts/mda?lang={lang}")
    assert page.status_code == 200
    assert page.headers["content-security-policy"].endswith("frame-ancestors *")
    assert "x-frame-options" not in page.headers
    text = html.unescape(page.text)
    assert re.search(r"<h1>(.*?)</h1>", text).group(1) == doc["title"]  # type: ignore[union-attr]
    for card in doc["cards"]:
        assert card["text"] in text
    assert f"/debate?place=MDA&lang={lang}" in text  # the citation and the full view
    assert f'<html lang="{lang}"' in page.text
    if lang != "en":  # source citations (file names, publications) aside
        cited = r'<p class="tmo-src">.*?</p>|<footer>.*?</footer>|<p class="note">.*?</p>'
        assert english_on(re.sub(cited, "", page.text, flags=re.S)) == []


def test_the_debate_page_gives_the_snippet(fixture_client: TestClient) -> None:
    page = html.unescape(fixture_client.get("/debate?place=MDA&lang=fr").text)
    snippet = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page, re.S)
    assert snippet is not None
    assert snippet.group(1).startswith('<iframe src="http://testserver/embed/facts/MDA?lang=fr"')
    other = fixture_client.get("/debate?lang=fr")  # the page's other answers stay unframable
    assert other.headers["x-frame-options"] == "DENY"
    assert fixture_client.get("/embed/facts/ZZZ").status_code == 404
