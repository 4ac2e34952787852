"""The "Data gaps" section of a country page in Chromium (fixture store): listed in the table
of contents, one item per gap of the stored profile, in the page's language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

HEADINGS = {"en": "Data gaps", "fr": "Lacunes des données"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_data_gaps_on_the_country_page(fixture_page, fixture_base_url: str,
                                       fixture_client: TestClient, lang: str) -> None:
    gaps = fixture_client.get("/api/v1/countries/TUV/profile").json()["data"]["data_gaps"]
    assert {g["check"] for g in gaps} >= {"no_data", "unknown_origin"}  # Tuvalu's refugees
    page = fixture_page
    page.goto(f"{fixture_base_url}/countries/TUV?lang={lang}")
    page.locator("nav.toc a[href='#data-gaps']").click()
    section = page.locator("#data-gaps")
    assert section.is_visible()
    assert section.locator("h2").inner_text() == HEADINGS[lang]
    items = section.locator("li")
    assert items.count() == len(gaps)
    assert [items.nth(i).locator("code").inner_text() for i in range(items.count())] == [
        g["finding"] or g["check"] for g in gaps]
