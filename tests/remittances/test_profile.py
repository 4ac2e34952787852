"""The remittance-cost section of the Migration Profile on the fixture store (values by
hand from tests/fixture_store/figures.py): Moldova receives from Germany (4.5 % in 2020Q3,
US$ 50 million in 2017) and Italy (4.0 %, US$ 300 million)."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest

from tmo.profiles.context import build_profile
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown
from tmo.store.query import connect


@pytest.fixture(scope="module")
def moldova(fixture_store: Path):
    con = connect(fixture_store)
    try:
        lexicon = Lexicon.from_store(con)
    finally:
        con.close()
    return build_profile(fixture_store, "MDA"), lexicon


def test_the_document_carries_light_averages_fees_and_sources(moldova) -> None:
    doc = moldova[0]["remittance_costs"]["as_receiver"]
    assert doc["light"] == "amber"
    assert doc["average_pct"] == pytest.approx(4.25)
    assert doc["weighted_pct"] == pytest.approx((4.5 * 50 + 4.0 * 300) / 350)
    assert doc["fees"]["fees"] == pytest.approx(50e6 * 0.06 + 300e6 * 0.04)
    assert [c["partner"] for c in doc["corridors"]] == ["ITA", "DEU"]  # by volume
    cited = {f for s in doc["sources"] for f in s["files"]}
    assert cited == {"rpw_corridors_databank_2011Q1-2020Q3.csv",
                     "WB_Bilateral_Remittance_Estimates_2017.xlsx"}
    provenance = {r["file"] for r in moldova[0]["sources"]}
    assert cited <= provenance  # the profile's sources list the files its figures cite
    assert moldova[0]["remittance_costs"]["as_sender"]["light"] == "grey"


def test_the_section_in_french_and_markdown(moldova) -> None:
    profile, lexicon = moldova
    html = unescape(render_html(profile, lexicon, "fr"))
    assert "Envoyer de l'argent vers République de Moldova" in html
    assert "ODD 10.c\u00a0: moyenne de 5\u00a0% ou moins, ODD 10.c non atteint" in html
    assert "Sending money" not in html
    assert "Volumes de 2017\u00a0; coûts de 2019, 2020." in html
    md = render_markdown(profile, lexicon, "en")
    assert "### Sending money to Republic of Moldova" in md
    assert "| Italy | 4.00 % (2020Q3) | 0.00 | US$ 300.0 million | US$ 12.0 million |" in md


def test_the_web_links_each_corridor_to_its_comparison(moldova) -> None:
    profile, lexicon = moldova
    html = render_html(profile, lexicon, "es",
                       remittance_link=lambda s, r: f"/remittances?sender={s}&receiver={r}")
    assert '<a href="/remittances?sender=ITA&amp;receiver=MDA">Italia</a>' in html
