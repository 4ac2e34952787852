"""Every page of the site in French and Spanish: no English words on them (outside what is
marked `lang="en"`: the practice records, which are written in English; source citations;
code), one site header on every page with the nav and a language switch, breadcrumbs.
Over the fixture app."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from tmo.web.countries import by_region
from tmo.web.wording import INDICATOR_NAMES, METHOD_NAMES, REGION_NAMES, WORDS

# words that are English and neither French nor Spanish (nor in a country's name)
ENGLISH = {"the", "of", "and", "with", "from", "for", "this", "that", "these", "is", "are",
           "was", "per", "each", "every", "which", "than", "between", "download", "show",
           "open", "born", "living", "share", "immigrants", "emigrants", "search", "map",
           "countries", "practices", "skip", "language", "year", "years", "women", "stored",
           "method", "period", "largest", "estimated", "indicator", "chart", "found", "data",
           "home", "what's", "new", "voting", "abroad", "costs", "good"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
SKIP = {"script", "style", "code"}


class Visible(HTMLParser):
    """The text of a page a reader sees, without subtrees marked lang="en", source
    citations (class src) and code."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # excluded?
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        a = dict(attrs)
        excluded = (bool(self.stack) and self.stack[-1]) or tag in SKIP \
            or (a.get("lang") == "en" and tag != "html") or "src" in (a.get("class") or "").split()
        self.stack.append(excluded)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.text.append(data.strip())


def english_on(html: str) -> list[str]:
    """The visible text segments holding an English word."""
    parser = Visible()
    parser.feed(html)
    # addresses and file paths are no language
    text = [re.sub(r"https?://\S+|\S+/\S+", "", t) for t in parser.text]
    return [t for t in text
            if ENGLISH & {w.lower() for w in re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", t)}]


# (a country's profile, /countries/MDA, still has its indicator definitions in English only)
PAGES = ["/", "/countries", "/explore", "/explore?view=chart&countries=MDA&countries=ROU",
         "/explore?view=table", "/explore?view=sources", "/corridors", "/corridors/MDA/ROU",
         "/flows", "/practices",
         "/remittances", "/voting", "/debate", "/whats-new", "/search?q=qqqqq",
         "/countries/ZZZ", "/areas/UN:908", "/areas/UN:900"]


def practice_id(client: TestClient) -> str:
    return str(client.get("/api/v1/practices?limit=1").json()["data"][0]["id"])


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_english_on_french_and_spanish_pages(fixture_client: TestClient, lang: str) -> None:
    html_accept = {"Accept": "text/html"}
    found = {}
    practice = practice_id(fixture_client)
    title = fixture_client.get(f"/api/v1/practices/{practice}").json()["data"]["title"]
    for path in [*PAGES, f"/practices/{practice}", "/countries/MDA"]:
        sep = "&" if "?" in path else "?"
        r = fixture_client.get(f"{path}{sep}lang={lang}", headers=html_accept)
        assert r.status_code in (200, 404), (path, r.status_code)
        assert f'<html lang="{lang}"' in r.text, path
        # one site header, with every section and the page in each language
        assert r.text.count(' class="site"') == 1, path
        for part in ('href="/explore', 'href="/countries', 'hreflang="en"', 'hreflang="es"'):
            assert part in r.text, (path, part)
        english = [t for t in english_on(r.text)  # the practice's <title> is its record's
                   if "ZZZ" not in t and "qqqqq" not in t and not t.startswith(title)]
        if english and path != "/countries/MDA":
            found[path] = english[:5]
    assert found == {}


def test_the_check_finds_english(fixture_client: TestClient) -> None:
    """The same check on the English pages finds English (so it can fail)."""
    for path in ("/", "/corridors/MDA/ROU", "/countries"):
        assert english_on(fixture_client.get(path).text), path


def test_every_word_has_three_languages() -> None:
    for table in (WORDS, METHOD_NAMES, REGION_NAMES, INDICATOR_NAMES):
        for key, texts in table.items():
            assert set(texts) == {"en", "fr", "es"}, key
            if key not in ("records_note", "definitions_en"):  # no such note in English
                assert all(texts.values()), key


def test_breadcrumbs_and_countries_index(fixture_client: TestClient) -> None:
    page = fixture_client.get("/corridors/MDA/ROU?lang=fr").text
    crumbs = re.search(r'<nav aria-label="Vous êtes ici" class="crumbs">(.*?)</nav>', page)
    assert crumbs is not None
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs.group(1)) == [
        "Accueil", "Corridors", "République de Moldova et Roumanie"]
    index = fixture_client.get("/countries?lang=es").text
    countries = fixture_client.get("/api/v1/countries").json()["data"]["countries"]
    for c in countries:  # every area of the store, linked where it has a profile
        linked = f'href="/countries/{c["iso3"]}?lang=es"' in index
        assert linked == c["profile"], c["iso3"]
        if c["kind"] == "country":
            assert (c["name_es"] or c["name"]) in index


def test_areas_without_a_region_are_one_group() -> None:
    rows = [{"iso3": c, "name": c, "kind": "country", "region": r}
            for c, r in (("AAA", "Europe"), ("BBB", None), ("CCC", ""), ("DDD", "Africa"))]
    groups = by_region(rows, {}, {"AAA", "DDD"}, "fr")
    assert [(g["name"], [a["iso3"] for a in g["areas"]]) for g in groups] == [
        ("Afrique", ["DDD"]), ("Europe", ["AAA"]), (None, ["BBB", "CCC"])]
