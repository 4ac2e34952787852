"""The profile's "Asylum, solutions and displacement" section (issue #13): each figure as
the views hold it (checked with plain SQL and UNHCR's formulas written out here), persons
and cases apart, "no data" (never 0) where the files have no row, EN/FR/ES, and present
in the HTML, Markdown and JSON profile."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tmo.profiles.asylum import WORDS, asylum, view
from tmo.profiles.context import build_profile_from
from tmo.profiles.i18n import Locale
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown
from tmo.profiles.untranslated import english, visible_text
from tmo.store.evidence import ViewCache

YEAR = 2024  # the latest IMS year: the profile's year


@pytest.fixture(scope="module")
def real(store: Path):
    con = duckdb.connect(str(store), read_only=True)
    ev = ViewCache(con)  # the facts are read once for every country, as the build does
    sections = {iso3: asylum(ev, iso3, YEAR) for iso3 in ("DEU", "SYR", "AFG", "UKR", "TUV")}
    yield con, sections
    con.close()


def by_year(section: dict, side: str) -> dict[int, dict]:
    return {r["year"]: r for r in section[side]["years"]}


def sums(con, side: str, iso3: str, year: int, unit: str = "persons") -> tuple:
    return con.execute(
        f"""SELECT sum(recognized), sum(complementary), sum(rejected), sum(total)
            FROM asylum_decisions WHERE {side} = ? AND year = ? AND unit = ?""",
        [iso3, year, unit]).fetchone()


def test_germany_as_country_of_asylum(real):
    con, sections = real
    deu = by_year(sections["DEU"], "asylum")
    assert deu[2023]["applied"] == 444_432  # MANIFEST: Germany 2023, all persons
    rec, comp, rej, total = sums(con, "asylum", "DEU", 2023)
    assert deu[2023]["decided"] == total
    assert deu[2023]["total_rate"] == pytest.approx((rec + comp) / (rec + comp + rej))
    assert deu[2023]["refugee_rate"] == pytest.approx(rec / (rec + comp + rej))
    assert max(deu) == YEAR  # 2025 is after the profile's year


def test_syria_and_afghanistan_as_countries_of_origin(real):
    con, sections = real
    for iso3 in ("SYR", "AFG"):
        rows = by_year(sections[iso3], "origin")
        for year in (2022, 2023, 2024):
            persons, cases = (con.execute(
                "SELECT sum(applied) FROM asylum_applications WHERE origin = ? AND year = ? "
                "AND unit = ?", [iso3, year, unit]).fetchone()[0] for unit in ("persons", "cases"))
            assert rows[year]["applied"] == persons
            assert rows[year].get("applied_cases") == cases  # apart, never added
            rec, comp, rej, _ = sums(con, "origin", iso3, year)
            assert rows[year]["total_rate"] == pytest.approx((rec + comp) / (rec + comp + rej))
    syr = by_year(sections["SYR"], "origin")
    assert syr[2023]["applied_cases"] == 5  # Syrians' applications reported as cases
    assert syr[2024]["returned_refugees"] == con.execute(
        "SELECT sum(returned_refugees) FROM durable_solutions WHERE origin = 'SYR' "
        "AND year = 2024").fetchone()[0]


def test_ukraine_idps(real):
    con, sections = real
    series = dict(sections["UKR"]["idps"]["series"])
    assert series == dict(con.execute("SELECT year, idps FROM internal_displacement WHERE "
                                      "country = 'UKR' AND year <= ?", [YEAR]).fetchall())
    assert series[2022] == 5_914_000
    text = " ".join(view(sections["UKR"], Locale("en"), "Ukraine")["idps"].split())
    assert "end of 2024: 3,665,000 (IDMC)" in text


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_tuvalu_no_data_not_zero(real, lang):
    _, sections = real
    tuv = sections["TUV"]
    assert tuv["asylum"] == {}
    assert tuv["idps"] == {}
    out = view(tuv, Locale(lang), "Tuvalu")
    w = WORDS[lang]
    assert out["idps"] == w["idps_none"]
    assert out["sides"][0]["lines"] == [w["asylum_none"].format(country="Tuvalu", year=YEAR)]
    cells = [c for r in out["sides"][1]["rows"] for c in r[1:]]
    assert w["no_data"] in cells
    assert "0" not in cells


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_english_in_french_or_spanish(real, lang):
    _, sections = real
    for iso3, name in (("DEU", "Allemagne"), ("SYR", "Syrie"), ("TUV", "Tuvalu")):
        out = view(sections[iso3], Locale(lang), name)
        text = " ".join([out["rates"], out["idps"], out["chart_title"],
                         *(x for s in out["sides"] for x in (
                             s["title"], *s["lines"], *s["head"], *s["solutions_head"],
                             s["no_solutions"]))])
        assert english(text, lang) == []


@pytest.fixture(scope="module")
def ethiopia(fixture_store: Path):
    con = duckdb.connect(str(fixture_store), read_only=True)
    try:
        return build_profile_from(con, "ETH"), Lexicon.from_store(con)
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_in_html_markdown_and_json(ethiopia, lang: str):
    profile, lexicon = ethiopia
    doc = json.loads(json.dumps(profile))["asylum"]
    # fixture figures (tests/fixture_store/figures.py): Ethiopians' 60 applications in
    # Italy in 2023, 30 recognised + 6 complementary of 40 substantive decisions; 70
    # resettled to the USA; IDMC 2,500 displaced at the end of 2023
    eth = by_year(doc, "origin")[2023]
    assert (eth["applied"], eth["decided"], eth["resettlement"]) == (60, 40, 70)
    assert (eth["total_rate"], eth["refugee_rate"]) == (0.9, 0.75)
    assert doc["idps"]["series"] == [[2022, 3000], [2023, 2500]]
    # a key message on the displaced, citing IDMC's file
    idps = [m for m in profile["key_messages"] if m["key"] == "idps"]
    assert [(m["values"], m["sources"][0]["files"]) for m in idps] == [
        ({"year": 2023, "n": 2500}, ["idmc.rda"])]
    html, md = render_html(profile, lexicon, lang), render_markdown(profile, lexicon, lang)
    title = {"en": "Asylum, solutions and displacement", "fr": "Asile, solutions et "
             "déplacement", "es": "Asilo, soluciones y desplazamiento"}[lang]
    assert f"## {title}" in md
    section = html[html.index('<section id="asylum">'):]
    section = section[:section.index("</section>")]
    assert title in section
    assert {"en": "90.0 %", "fr": "90,0 %", "es": "90,0 %"}[lang] in visible_text(section)
    assert "idmc.rda" in section  # the sources line
    if lang != "en":
        assert english(visible_text(section), lang) == []


def test_key_message_on_asylum(real):
    from tmo.profiles.messages import _asylum_messages

    con, sections = real
    (msg,) = [m for m in _asylum_messages(sections["DEU"]) if m["key"] == "asylum"]
    applied = con.execute("SELECT sum(applied) FROM asylum_applications WHERE asylum = 'DEU' "
                          "AND year = 2024 AND unit = 'persons'").fetchone()[0]
    rec, comp, rej, _ = sums(con, "asylum", "DEU", 2024)
    assert msg["values"]["n"] == applied
    assert msg["values"]["rate"] == pytest.approx(100 * (rec + comp) / (rec + comp + rej))
    assert {s["view"] for s in msg["sources"]} == {"asylum_applications", "asylum_decisions"}
