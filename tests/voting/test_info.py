"""Voter-information pages (tmo.voting.info, i18n, templates/info.html) and the plan page's
maps and assumptions, on the fixture store with Moldova's rules moved to the fixture's
countries (tests/voting/conftest.py): every word of a page in its language, no English
template text in the French and Spanish pages, the nearest station by city, the
pre-registration deadlines counted from an election day, what to bring, the synthetic
label, the zoomed world map."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from typing import Any

import pytest
import yaml

from tmo.profiles import charts
from tmo.store import facts
from tmo.voting import i18n
from tmo.voting.i18n import Locale
from tmo.voting.info import info_languages, voter_info
from tmo.voting.inputs import describe, read_registrations
from tmo.voting.plan import plan_stations
from tmo.voting.render import TEMPLATES, legend, plan_maps, to_html, to_info_html, zoom
from tmo.voting.ruleset import RULES_DIR, load

from .conftest import fixture_rules_data, write_csv

REGISTRATIONS = ("country,city,lat,lon,registrations,votes\n"
                 "ITA,Milan,45.4642,9.19,3000,2400\n"
                 "ITA,Rome,,,1000,600\n"
                 "ITA,Bergamo,45.6983,9.6773,2000,1000\n"
                 "DEU,Munich,48.1351,11.582,900,700\n")
ELECTION = datetime.date(2025, 9, 28)
LANGS = ("en", "fr", "es", "ro")


def _document(con, rules, tmp_path, *, name: str = "regs_synthetic.csv",
              text: str | None = REGISTRATIONS) -> dict[str, Any]:
    cities, inputs = None, None
    if text is not None:
        path = write_csv(tmp_path, name, text)
        cities = read_registrations(path, facts.registry(con), facts.capitals(con))
        inputs = {"registrations": describe(path, len(cities))}
    return plan_stations(con, "MDA", rules, registrations=cities, inputs=inputs).as_dict()


@pytest.fixture
def document(con, fixture_rules, tmp_path):
    return _document(con, fixture_rules, tmp_path)


@pytest.fixture
def names(con):
    return facts.names_by_lang(con)


def _draw(con):
    shapes, labels = facts.shapes(con), facts.area_names(con)
    return lambda values, title: charts.world_map(shapes, values, title=title,
                                                  fmt=lambda v: f"{v:,.0f}", names=labels)


def _pages(document, names) -> dict[str, str]:
    links = {lang: f"info.{lang}.html" for lang in LANGS}
    return {lang: to_info_html(document, lang, names, links=links, plan_href="plan.html",
                               election=ELECTION) for lang in LANGS}


class Text(HTMLParser):
    """A page's text and the attributes people read (title, aria-label, placeholder,
    alt), without style and script, and without what is marked as another language
    (the language switch names each language in itself)."""

    READ = ("title", "aria-label", "placeholder", "alt")

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def _skipped(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        other = found.get("lang") not in (None, self.lang)
        if tag not in ("meta", "link", "input", "br", "img"):
            self.stack.append((tag, other or tag in ("style", "script")))
        if not (other or self._skipped()):
            self.parts += [str(found[a]) for a in self.READ if found.get(a)]

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skipped() and data.strip():
            self.parts.append(data)


def text_of(page: str, lang: str) -> str:
    parser = Text(lang)
    parser.feed(page)
    return "\n".join(parser.parts)


def english_in(shown: str, pieces: list[str]) -> list[str]:
    """The pieces of English template text found (as whole words) in a page's text."""
    return [p for p in pieces if re.search(rf"(?<!\w){re.escape(p)}(?!\w)", shown)]


def english_template_text() -> list[str]:
    """What the English page's template says: the English catalogue's sentences and
    labels, cut at their placeholders (the template holds no words of its own:
    test_the_template_holds_no_words), pieces of four letters or more."""
    data = i18n.catalogue("en")
    pieces: list[str] = []
    for key, value in data.items():
        if key in ("language", "months", "date_format", "countries"):
            continue
        for part in re.split(r"\{[a-z_]+\}", str(value)):
            piece = part.strip(" .,:;()")
            if sum(c.isalpha() for c in piece) >= 4:
                pieces.append(piece)
    pieces += list(data["months"])
    return pieces


# --- catalogues and template ------------------------------------------------------------

def test_every_catalogue_has_every_english_key_and_its_placeholders():
    english = i18n.catalogue("en")
    assert set(i18n.available()) == set(LANGS)
    for lang in LANGS[1:]:
        other = i18n.catalogue(lang)
        assert set(english) - set(other) == set(), lang
        for key, value in english.items():
            if isinstance(value, str):
                assert set(re.findall(r"\{\w+\}", value)) == set(
                    re.findall(r"\{\w+\}", str(other[key]))), (lang, key)
        assert len(other["months"]) == 12


def test_the_template_holds_no_words():
    """Every word of a voter-information page comes through t() from a catalogue."""
    source = (TEMPLATES / "info.html").read_text(encoding="utf-8")
    for pattern in (r"\{#.*?#\}", r"<style>.*?</style>", r"<script>.*?</script>",
                    r"\{\{.*?\}\}", r"\{%.*?%\}", r"<[^>]*>"):
        source = re.sub(pattern, " ", source, flags=re.DOTALL)
    words = re.findall(r"[^\W\d_]{2,}", source)
    assert words == []


def test_french_and_spanish_pages_hold_no_english_template_text(document, names):
    pages = _pages(document, names)
    pieces = english_template_text()
    english = text_of(pages["en"], "en")
    assert sum(piece in english for piece in pieces) > 30  # the pieces are the page's words
    for lang in ("fr", "es", "ro"):
        shown = text_of(pages[lang], lang)
        assert english_in(shown, pieces) == [], lang
        assert "(shipped)" not in shown  # the rules file's label is English too
    assert '<html lang="fr">' in pages["fr"]


def test_plural_numbers_dates_and_lists():
    ro = Locale("ro")
    assert [ro.plural("stations", n) for n in (1, 3, 19, 20, 101, 120)] == [
        "1 secție de votare", "3 secții de votare", "19 secții de votare",
        "20 de secții de votare", "101 secții de votare", "120 de secții de votare"]
    assert Locale("fr").plural("stations", 2) == "2 bureaux de vote"
    assert Locale("fr").number(5000) == "5\u202f000"
    assert Locale("es").number(5000) == "5.000"
    assert Locale("fr").date(datetime.date(2025, 9, 1)) == "1er septembre 2025"
    assert Locale("es").date(datetime.date(2024, 5, 11)) == "11 de mayo de 2024"
    assert Locale("ro").date(datetime.date(2025, 8, 14)) == "14 august 2025"
    assert Locale("es").join(["Francia", "Italia"]) == "Francia e Italia"
    assert Locale("es").join(["Francia", "Hielo", "Suecia"]) == "Francia, Hielo y Suecia"
    assert Locale("en").join(["A", "B", "C"]) == "A, B and C"


# --- what the page says -------------------------------------------------------------------

def test_languages_are_the_three_and_the_rules_own(document):
    assert info_languages(document) == ("en", "fr", "es", "ro")
    assert info_languages({"voter_information": {}}) == ("en", "fr", "es")


def test_nearest_station_by_city(document, names):
    info = voter_info(document, "en", names)
    italy = next(c for c in info["countries"] if c["iso3"] == "ITA")
    assert [s["city"] for s in italy["sites"]] == ["Roma (Rome)", "Milan"]
    assert italy["sites"][1]["kinds"] == "consulate general"
    nearest = {r["city"]: (r["site"], r["distance"]) for r in italy["cities"]}
    # Bergamo is 46 km from Milan (haversine), nearer than Rome
    assert nearest == {"Bergamo": ("Milan", "46 km"), "Milan": ("Milan", "in the city"),
                       "Rome": ("Roma (Rome)", "in the city")}
    germany = next(c for c in info["countries"] if c["iso3"] == "DEU")
    # one station is needed in Germany, at the embassy: Munich's voters are told Berlin
    assert [s["city"] for s in germany["sites"]] == ["Berlin"]
    assert [(r["city"], r["site"], r["distance"]) for r in germany["cities"]] == [
        ("Munich", "Berlin", "504 km")]
    assert "allemagne" in next(c for c in voter_info(document, "fr", names)["countries"]
                               if c["iso3"] == "DEU")["search"]
    french = voter_info(document, "fr", names)
    assert [c["name"] for c in french["countries"]][:2] == ["Allemagne", "États-Unis d'Amérique"]


def test_deadlines_counted_from_election_day(document, names):
    pages = _pages(document, names)
    # 45 days before 28 September 2025: 14 August (news.click.md, 2025); cancel: 25 days
    assert "the last day is 14 August 2025" in pages["en"]
    assert "the last day to cancel is 3 September 2025" in pages["en"]
    assert "le dernier jour est le 14 août 2025" in pages["fr"]
    assert "el último día es el 14 de agosto de 2025" in pages["es"]
    assert "ultima zi este 14 august 2025" in pages["ro"]
    assert "Election day: 28 September 2025." in pages["en"]
    undated = to_info_html(document, "en", names, links={"en": "x"})
    assert "at the latest 45 days before election day" in undated
    assert "the last day is" not in undated


def test_what_to_bring_and_election_day_with_their_sources(document, names):
    en = _pages(document, names)["en"]
    assert "identity card <span class=\"muted\">(valid)</span>" in en
    assert "passport <span class=\"muted\">(even if expired)</span>" in en
    assert "open from 07:00 to 21:00, local time" in en
    assert "at most 5,000 ballots" in en
    assert 'href="https://ipn.md/index.php/ro/print/moldovenii-fac-cozi' in en
    assert ">ipn.md</a>" in en  # cited by its site's name
    assert "Voting by post is possible in these countries" in en
    assert "You may vote at any polling station abroad" in en


def test_ecuador_register_closes_by_calendar(con, tmp_path, names):
    ecuador = yaml.safe_load((RULES_DIR / "ecuador.yaml").read_text(encoding="utf-8"))
    data = fixture_rules_data()
    data["voter_information"] = ecuador["voter_information"]
    data["sources"].update(ecuador["sources"])
    del data["stations"]["registration_closes_days_before"]
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    document = _document(con, load("MDA", path), tmp_path, text=None)
    assert info_languages(document) == ("en", "fr", "es")
    page = to_info_html(document, "es", names, links={"es": "x"}, election=ELECTION)
    assert "la autoridad electoral fija la fecha en su calendario electoral" in page
    assert "Para las elecciones de 2025, la inscripción se cerró el 11 de mayo de 2024." in page
    assert "Para votar en el exterior, debe estar inscrito" in page
    assert "cédula de ciudadanía o de identidad <span class=\"muted\">(aunque haya vencido)" \
        in page
    assert "identificación consular" in page  # to register online
    assert "Usted vota en el recinto que le asigna el registro electoral" in page
    assert "Datos sintéticos" not in page  # no registrations file: nothing synthetic


def test_synthetic_registrations_are_labelled_on_every_page(con, fixture_rules, tmp_path,
                                                             names):
    synthetic = _document(con, fixture_rules, tmp_path)
    assert synthetic["inputs"]["registrations"] == {
        "file": "regs_synthetic.csv", "places": 4, "synthetic": True}
    pages = _pages(synthetic, names)
    for lang, label in (("en", "Synthetic data"), ("fr", "Données synthétiques"),
                        ("es", "Datos sintéticos"), ("ro", "Date sintetice")):
        assert f'<p class="synthetic" role="note"><strong>{label}</strong>' in pages[lang]
    plan = to_html(synthetic, _draw(con))
    assert "<strong>Synthetic data.</strong>" in plan
    real = _document(con, fixture_rules, tmp_path, name="registrations.csv")
    assert real["inputs"]["registrations"]["synthetic"] is False
    assert 'class="synthetic"' not in to_info_html(real, "en", names, links={})
    assert "Synthetic data" not in to_html(real, _draw(con))


def test_search_data_and_print_styles(document, names):
    page = _pages(document, names)["fr"]
    assert '<input type="search" id="q"' in page
    assert 'placeholder="par exemple\u00a0: Milan"' in page  # the site with most stations
    assert 'data-search="bergamo"' in page
    assert "@media print" in page
    assert '<meta name="viewport"' in page


# --- the plan page: maps and assumptions -------------------------------------------------

def test_the_plan_map_is_the_world_map_zoomed_to_the_sites(con, document):
    maps = plan_maps(document, _draw(con))
    svg = maps[0]["svg"]
    assert 'class="chart plan-map"' in svg
    assert svg.count("<circle") == sum(len(c["sites"]) for c in document["countries"])
    found = re.search(r'viewBox="([^"]*)"', svg)
    assert found
    _left, _top, width, height = map(float, found[1].split())
    assert width < 960 / 2  # Washington to Bucharest, not the world
    assert width / height <= 2.2 + 0.01
    assert len(maps) == 2  # and a detail of Europe, where 4 of the 5 sites are
    assert maps[1]["caption"] == "Detail: 4 sites with 6 of the 7 stations."
    assert maps[0]["legend"]  # the world map's legend, shown by the page
    assert "<text" not in svg  # ... and not left in a corner of the cropped map
    assert 'data-iso3="ITA"' in svg


def test_a_detail_map_where_most_stations_are():
    world = charts.world_map({"ITA": "M0,0Z"}, {"ITA": 5.0}, title="t", fmt=str,
                             names={"ITA": "Italy"})

    def site(city, lat, lon, stations):
        return {"city": city, "lat": lat, "lon": lon, "stations": stations, "mission": True,
                "over_capacity": False, "expected_voters": 1000.0}

    document = {"origin_name": "Moldova", "summary": {"stations": 14}, "countries": [
        {"iso3": "ITA", "name": "Italy", "expected_voters": 9000.0, "sites": [
            site("Rome", 41.9, 12.5, 4), site("Milan", 45.5, 9.2, 3),
            site("Padova", 45.4, 11.9, 2), site("Bologna", 44.5, 11.3, 2)]},
        {"iso3": "AUS", "name": "Australia", "expected_voters": 500.0,
         "sites": [site("Canberra", -35.3, 149.1, 1)]},
        {"iso3": "USA", "name": "USA", "expected_voters": 500.0,
         "sites": [site("Washington", 38.9, -77.0, 2)]}]}
    maps = plan_maps(document, lambda values, title: world)
    assert len(maps) == 2
    assert maps[1]["caption"].startswith("Detail: 4 sites with 11 of the 14 stations")
    assert maps[1]["svg"].count("<circle") == 6  # every site, the detail shows a part
    assert legend(world) == [(charts.MAP_SCALE[1], "0.0 – 5.0")]
    assert legend(zoom(world, (0, 0, 10, 10), [])) == []


def test_assumptions_say_where_each_figure_comes_from(con, document):
    page = to_html(document, _draw(con))
    for label in ("Adult share of emigrants", "Turnout of estimated electors",
                  "Capacity: ballots per station", "Fewest expected voters to open a site",
                  "Pre-registrations and last votes by city"):
        assert f"<td>{label}" in page
    assert '<a href="#src-unicef-2021-children">unicef-2021-children</a>' in page
    assert 'id="src-unicef-2021-children"' in page
    assert "<strong>Unconfirmed</strong>" in page  # the citizenship share
    assert "regs_synthetic.csv (synthetic: made-up counts)" in page


def test_the_english_check_can_fail(document, names, monkeypatch):
    monkeypatch.setitem(i18n.catalogue("fr"), "where_title", "Where to vote")
    shown = text_of(to_info_html(document, "fr", names, links={}), "fr")
    assert english_in(shown, english_template_text()) == ["Where to vote"]
