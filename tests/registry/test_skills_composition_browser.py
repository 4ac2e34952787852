"""The published skills composition on the registry country's page, in headless Chromium,
in English and French: both tables ("Registered diaspora"), every figure equal to the
composition counted from the registry (suppressed cells said so), the ISCED 2011 levels
named in the page's language (UNESCO UIS), the ISCO-08 major groups by code and ILO
title (English marked lang="en" where the taxonomy has none in the page's language), no
English on the French page. Screenshots
go to /tmp/tmo-registry-shots."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tmo.skills import taxonomy
from tmo.web.app import create_app

from ..web.conftest import serve_app
from .test_browser import SHOTS

SUPPRESSED = {"en": "suppressed", "fr": "masqué"}
ALL = {"en": "All countries of residence", "fr": "Tous les pays de résidence"}


@pytest.fixture(scope="module")
def composition_site(published_registry: dict[str, Any]) -> Iterator[str]:
    yield from serve_app(create_app(published_registry["store"], watch=0))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_composition_tables_in_the_browser(browser: Any, composition_site: str,
                                               published_registry: dict[str, Any],
                                               lang: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    expected = published_registry["skills"]["tables"]
    order = published_registry["profile"]["registered_diaspora"]["skills"]["tables"]
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.goto(f"{composition_site}/countries/MDA?lang={lang}")
        section = page.locator("section#registered-diaspora")
        tables = section.locator("table.reg-skills")
        assert tables.count() == 2
        for n, name in enumerate(order):
            table = tables.nth(n)
            columns = expected[name]["columns"]
            check_heads(table, name, columns, lang)
            by = {r["residence"]: r for r in expected[name]["rows"]}
            rows = table.locator("tbody tr")
            shown = order[name]["rows"]
            assert rows.count() == len(shown)
            for i, row in enumerate(shown):
                texts = [t.strip() for t in rows.nth(i).locator("th, td").all_inner_texts()]
                if row["residence"] == "UN:900":
                    assert texts[0] == ALL[lang]
                    assert texts[1] == str(expected[name]["total"])
                    continue
                want = by[row["residence"]]
                counts = [want["total"], *(want["cells"][c] for c in columns)]
                for got, count in zip(texts[1:2 + len(columns)], counts, strict=True):
                    assert got == (SUPPRESSED[lang] if count is None else str(count))
        text = section.inner_text()
        assert SUPPRESSED[lang] in text
        if lang == "fr":
            for english in ("With a skills profile", "suppressed", "not stated",
                            "education", "Master's", "Bachelor"):
                assert english not in text, english
        section.locator("table.reg-skills").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"skills-composition-{lang}.png"))
    finally:
        page.close()


def check_heads(table: Any, name: str, columns: list[str], lang: str) -> None:
    """Each level by its code and UNESCO's name; each ISCO-08 major group by its code and
    the ILO's title, English marked lang="en" where the taxonomy has none (issue #18)."""
    heads = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    for j, (code, head) in enumerate(zip(columns, heads[2:2 + len(columns)], strict=True)):
        if code == "not_stated":
            continue
        if name == "education":
            assert head == f"{code} {taxonomy.isced_name(code, lang)}"
            continue
        title = taxonomy.title(code, lang)
        assert head == f"{code} {title.text}"
        marked = table.locator("thead th").nth(2 + j).locator('span[lang="en"]')
        assert marked.count() == (1 if title.fallback else 0), (code, lang)
    if name != "education":
        table.screenshot(path=str(SHOTS / f"skills-occupation-{lang}.png"))
