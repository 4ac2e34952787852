"""The profile's social security section (tmo.pensions): the shipped agreements that name
the country, and the migrants between it and the other members, on the fixture store
(hand-made figures, tests/fixture_store/figures.py), counted here again from its rows."""

from __future__ import annotations

from pathlib import Path

import yaml

from tmo.pensions.ruleset import RULES_DIR
from tmo.profiles.context import build_profile
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown
from tmo.store.query import connect


def members(agreement: str) -> set[str]:
    doc = yaml.safe_load((RULES_DIR / "agreements" / f"{agreement}.yaml").read_text())
    return set(doc["members"]["value"])


def test_romania_in_the_eu_coordination_with_its_migrants(fixture_store: Path) -> None:
    profile = build_profile(fixture_store, "ROU")
    [eu] = profile["social_security"]
    assert eu["agreement"] == "eu-883-2004"
    assert set(eu["members"]) == members("eu-883-2004") - {"ROU"}
    con = connect(fixture_store)
    rows = con.execute("SELECT origin, destination, stock FROM migrant_stock WHERE "
                       "revision = '2024' AND year = 2024 AND sex = 'total'").df()
    con.close()
    others = set(eu["members"])
    emigrants = rows[(rows.origin == "ROU") & rows.destination.isin(others)].stock.sum()
    immigrants = rows[(rows.destination == "ROU") & rows.origin.isin(others)].stock.sum()
    assert (eu["year"], eu["emigrants"], eu["immigrants"]) == (2024, emigrants, immigrants)
    assert emigrants > 0
    assert eu["sources"]
    assert eu["files"]


def test_rendered_in_three_languages_and_left_out_where_none_applies(
        fixture_store: Path) -> None:
    con = connect(fixture_store)
    lexicon = Lexicon.from_store(con)
    con.close()
    romania = build_profile(fixture_store, "ROU")
    text = {lang: render_markdown(romania, lexicon, lang) for lang in ("en", "fr", "es")}
    assert "### Agreements" in text["en"]
    assert "### Accords" in text["fr"]
    assert "### Acuerdos" in text["es"]
    for lang in ("fr", "es"):
        assert "Social security" not in text[lang]
        assert "people born in" not in text[lang]
    moldova = build_profile(fixture_store, "MDA")  # in none of the shipped agreements
    assert moldova["social_security"] == []
    page = render_html(moldova, lexicon, "en")
    assert 'id="agreements"' not in page
    assert 'id="agreement-' not in page
    assert 'id="agreement-eu-883-2004"' in render_html(romania, lexicon, "en")
