"""Area profiles (issue #13): the World and UN regions, published rows where the publisher
has them, the product's sums labelled as such, every word in the reader's language.

Expectations are read here from the official files with plain pandas: the IMS 2024
destination workbook (Table 1, by M49 location code), the IMS 2024 origin-destination
table and the M49 reference (country-codes.csv) for a region's members.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tmo.profiles.area import areas, build_area_profile_from, resolve_area
from tmo.profiles.area_view import WORDS, render_area_html, render_area_markdown
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.untranslated import english, visible_text
from tmo.store.query import connect

from ..conftest import shared_file

IMS = "undesa_ims/official/undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"
OD = "undesa_ims/od_gdidata/ims2024_od_by_sex_long.csv.gz"
NONE = re.compile(r"\b(None|nan|NaN|null)\b")


@pytest.fixture(scope="module")
def area_docs(profile_store: Path) -> dict[str, Any]:
    """The World, Sub-Saharan Africa (an SDG region whose 2024 code has no members of its
    own in the annex) and Eastern Europe (a subregion), built once."""
    con = connect(profile_store)
    try:
        known = areas(con)
        docs = {code: build_area_profile_from(con, code, known=known)
                for code in ("UN:900", "UN:1834", "UN:923")}
        return {"docs": docs, "known": known, "lexicon": Lexicon.from_store(con),
                "resolved": {q: getattr(resolve_area(con, q), "code", None)
                             for q in ("World", "Sub-Saharan Africa", "Afrique subsaharienne",
                                       "África subsahariana", "UN:900", "900", "Moldova")}}
    finally:
        con.close()


@pytest.fixture(scope="module")
def table1() -> dict[Any, dict[Any, Any]]:
    """Table 1 by M49 location code: {code: {column: value}} (years both sexes; "2024.2"
    women in 2024)."""
    frame = pd.read_excel(shared_file(IMS), sheet_name="Table 1", header=10)
    return frame.dropna(subset=["Location code"]).set_index("Location code").to_dict("index")


def test_world_immigrants_are_the_ims_world_row(area_docs: dict[str, Any],
                                                table1: dict[Any, dict[Any, Any]]) -> None:
    doc = area_docs["docs"]["UN:900"]
    fig = doc["immigration"]["figures"]["immigrant_stock"]
    assert fig["value"] == int(table1[900][2024]) == 304_021_813  # MANIFEST.md
    assert fig["detail"]["basis"] == "published"
    assert fig["sources"][0]["filter"] == "revision = '2024' AND destination = 'UN:900'"
    trend = {r["year"]: r["total"] for r in doc["immigration"]["trend"]}
    assert trend == {y: int(table1[900][y]) for y in trend}
    assert "emigration" not in doc  # left out, not shown empty


def test_a_regions_figures_are_its_published_row(area_docs: dict[str, Any],
                                                 table1: dict[Any, dict[Any, Any]]) -> None:
    for code in ("UN:1834", "UN:923"):
        m49 = int(code.split(":")[1])
        imm = area_docs["docs"][code]["immigration"]
        assert imm["figures"]["immigrant_stock"]["value"] == int(table1[m49][2024])
        assert {r["year"]: r["total"] for r in imm["trend"]} == \
            {y: int(table1[m49][y]) for y in (1990, 1995, 2000, 2005, 2010, 2015, 2020,
                                                   2024)}
        assert imm["figures"]["immigrant_female_share"]["value"] == pytest.approx(
            100 * table1[m49]["2024.2"] / table1[m49][2024])


def test_a_summed_figure_is_labelled_and_is_the_members_sum(area_docs: dict[str, Any]) -> None:
    codes = pd.read_csv(shared_file("metadata/country-codes.csv"), keep_default_na=False)
    members = set(codes.loc[codes["Sub-region Name"] == "Eastern Europe",
                            "ISO3166-1-Alpha-3"])
    doc = area_docs["docs"]["UN:923"]
    assert set(doc["area"]["members"]) == members
    od = pd.read_csv(shared_file(OD))
    now = od[(od["year"] == 2024) & od["orig_iso3"].isin(members)]
    emi = doc["emigration"]["figures"]
    assert emi["emigrant_stock"]["value"] == int(now["stock"].sum())
    assert emi["emigrant_stock"]["detail"] == {"basis": "sum", "members_missing": []}
    outside = now[~now["dest_iso3"].isin(members)]
    assert emi["outside_share"]["detail"]["outside"] == int(outside["stock"].sum())
    into = od[(od["year"] == 2024) & od["dest_iso3"].isin(members)]
    summed = doc["immigration"]["figures"]["members_sum"]
    assert summed["value"] == int(into["stock"].sum())
    assert summed["detail"]["basis"] == "sum"
    text = visible_text(render_area_html(doc, area_docs["lexicon"], "fr"))
    assert text.count(WORDS["fr"]["summed"]) >= 4  # beside each summed figure
    assert WORDS["fr"]["published"].format(area="Europe orientale") in text


def test_members_without_a_figure_are_named(area_docs: dict[str, Any]) -> None:
    """A sum over members says which members it lacks (here: remittances of Sub-Saharan
    Africa, members without a WDI figure for the year)."""
    doc = area_docs["docs"]["UN:1834"]
    rem = doc["remittances"]["figures"]["remittances_received"]
    missing = rem["detail"]["members_missing"]
    assert rem["detail"]["basis"] == "sum"
    assert rem["detail"]["reporting"] + len(missing) == len(doc["area"]["members"]) == 51
    assert missing, "some Sub-Saharan members publish no remittances in WDI"
    html = render_area_html(doc, area_docs["lexicon"], "fr")
    names = area_docs["lexicon"].names_in("fr")
    assert WORDS["fr"]["missing"].format(
        n=len(missing), names=", ".join(names.get(c, c) for c in missing)) in html


def test_names_and_codes_resolve(area_docs: dict[str, Any]) -> None:
    assert area_docs["resolved"] == {"World": "UN:900", "Sub-Saharan Africa": "UN:1834",
                                 "Afrique subsaharienne": "UN:1834",
                                 "África subsahariana": "UN:1834", "UN:900": "UN:900",
                                 "900": "UN:900", "Moldova": None}
    kinds = {a.kind for a in area_docs["known"]}
    assert kinds == {"world", "un_region", "un_subregion", "sdg_region"}
    assert len({a.code for a in area_docs["known"]}) == len(area_docs["known"])


def test_every_language_has_its_own_words(area_docs: dict[str, Any]) -> None:
    """No English on a French or Spanish area page (the profiles' checker, and the area
    words' own English text), no None anywhere, every area named in the language."""
    fragments = [p.strip(" .,;:()«»") for text in WORDS["en"].values()
                 for p in re.split(r"\{[^}]*\}", text) if len(p.split()) >= 2]
    for lang in ("fr", "es"):
        assert set(WORDS[lang]) == set(WORDS["en"])
    names = area_docs["lexicon"]
    for a in area_docs["known"]:
        for lang in ("fr", "es"):
            assert names.name(a.code, lang) != a.code, (a.code, lang)
            assert english(names.name(a.code, lang), lang) == [], (a.code, lang)
    for code, doc in area_docs["docs"].items():
        for lang in ("en", "fr", "es"):
            html = render_area_html(doc, area_docs["lexicon"], lang)
            # visible_text leaves out what is marked English: all of an English page
            text = visible_text(html) if lang != "en" else unescape(re.sub("<[^>]+>", " ",
                                                                           html))
            md = render_area_markdown(doc, area_docs["lexicon"], lang)
            assert NONE.findall(text + md) == [], (code, lang)
            if lang != "en":
                assert english(text, lang) == [], (code, lang)
                assert [f for f in fragments if f and f in text] == [], (code, lang)
