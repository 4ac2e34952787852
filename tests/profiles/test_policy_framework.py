"""The profile's policy framework (tmo.profiles.policy): the country's good practices, its
main partners' (each with the reason, the corridor's figure and its row), the agreements
it is in, and what tmo does not hold. Over the fixture store (hand-made figures,
tests/fixture_store/figures.py), the partners' figures and ranks counted here again from
its rows; CARICOM from the real store's stored profile of Jamaica."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tmo.pensions.ruleset import RULES_DIR
from tmo.practices.catalog import Catalog, load_catalog
from tmo.profiles.context import build_profile, build_profile_from
from tmo.profiles.document import Profile
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown
from tmo.profiles.untranslated import english, visible_text
from tmo.store import facts
from tmo.store.query import connect
from tmo.vocabulary import UNKNOWN_ORIGIN

LANGS = ("en", "fr", "es")
HEADING = {"en": "Policy framework", "fr": "Cadre politique", "es": "Marco de políticas"}


def agreements_naming(iso3: str) -> set[str]:
    """The shipped agreements listing `iso3` as a member, read from the rules files."""
    out = set()
    for path in (RULES_DIR / "agreements").glob("*.yaml"):
        doc = yaml.safe_load(path.read_text())
        if iso3 in doc["members"]["value"]:
            out.add(doc["id"])
    return out


@pytest.fixture(scope="module")
def stock(fixture_store: Path) -> Any:
    con = connect(fixture_store)
    rows = con.execute("SELECT origin, destination, stock FROM migrant_stock WHERE "
                       "revision = '2024' AND year = 2024 AND sex = 'total'").df()
    lexicon = Lexicon.from_store(con)
    con.close()
    return rows, lexicon


@pytest.fixture(scope="module")
def moldova(fixture_store: Path) -> Profile:
    return build_profile(fixture_store, "MDA")


def test_own_practices_then_partners_each_with_its_corridor_figure(
        moldova: Profile, stock: Any) -> None:
    rows, _ = stock
    pf = moldova["policy_framework"]
    catalog = load_catalog()
    assert [p["id"] for p in pf["own"]] == [p.id for p in catalog.records if "MDA" in p.countries]
    assert "mda-out-of-country-voting" in [p["id"] for p in pf["own"]]
    assert 1 <= len(pf["partners"]) <= 3
    corridor: dict[str, dict[str, Any]] = {r["partner"]: dict(r) for r in moldova["corridors"]}
    shown = [p["id"] for p in pf["own"]]
    for part in pf["partners"]:
        partner = part["partner"]
        assert partner in [r["partner"] for r in moldova["corridors"][:5]]
        assert part["practices"]
        assert all(partner in p["countries"] for p in part["practices"])
        shown += [p["id"] for p in part["practices"]]
        assert part["reasons"]
        for r in part["reasons"]:
            key, mine, other = (("emigrants_to", "origin", "destination")
                                if r["side"] == "destination"
                                else ("immigrants_from", "destination", "origin"))
            assert r["stock"] == corridor[partner][key]  # the profile's corridor figure
            side = rows[(rows[mine] == "MDA") & (rows[other] != UNKNOWN_ORIGIN) & (rows.stock > 0)]
            own = side[side[other] == partner].stock.sum()
            assert r["stock"] == own
            assert r["rank"] == 1 + (side.groupby(other).stock.sum() > own).sum()
            [src] = r["sources"]
            assert f"{other} = '{partner}'" in src["filter"]
            assert src["n_rows"] == 1
    assert len(shown) == len(set(shown))  # each practice once
    assert [p["id"] for p in moldova["practices"]] == shown  # the old key, kept flat
    assert pf["agreements"] == []
    assert agreements_naming("MDA") == set()


def test_the_reason_is_written_with_the_figure_in_each_language(
        moldova: Profile, stock: Any) -> None:
    _, lexicon = stock
    [first, *_] = moldova["policy_framework"]["partners"]
    reason = first["reasons"][0]
    number = {"en": f"{reason['stock']:,}", "fr": f"{reason['stock']:,}".replace(",", "\u202f"),
              "es": f"{reason['stock']:,}".replace(",", ".")}
    for lang in LANGS:
        page = render_html(moldova, lexicon, lang)
        md = render_markdown(moldova, lexicon, lang)
        section = page[page.index('<section id="policy-framework">'):]
        section = section[:section.index("</section>")]
        assert f'<h2>{HEADING[lang]}</h2>' in section
        assert f"## {HEADING[lang]}" in md
        assert lexicon.name(first["partner"], lang) in visible_text(section)
        assert f"({number[lang]} " in section  # the reason's figure, in the page's format
        assert f"({number[lang]} " in md[md.index(f"## {HEADING[lang]}"):]
        assert 'href="#policy-framework"' in page
        if lang != "en":
            assert english(visible_text(page), lang) == [], lang


def test_agreements_named_in_the_rules_and_the_kinds_not_held(
        fixture_store: Path, stock: Any) -> None:
    _, lexicon = stock
    romania = build_profile(fixture_store, "ROU")
    pf = romania["policy_framework"]
    assert set(pf["agreements"]) == {a for a in agreements_naming("ROU")
                                     if a != "us-totalization"} == {"eu-883-2004"}
    assert pf["own"] == []
    page = render_html(romania, lexicon, "fr")
    assert 'id="agreements"' in page
    assert 'id="agreement-eu-883-2004"' in page
    assert "Aucune pratique du répertoire ne mentionne encore ce pays." in page
    assert "les accords de réadmission et de retour" in page
    assert english(visible_text(page), "fr") == []


def test_a_country_with_nothing_held_says_so_without_empty_headings(
        fixture_store: Path, stock: Any) -> None:
    _, lexicon = stock
    con = connect(fixture_store)
    try:
        nothing = Catalog((), load_catalog().places)
        ethiopia = build_profile_from(con, "ETH", practices=nothing)
    finally:
        con.close()
    pf = ethiopia["policy_framework"]
    assert (pf["own"], pf["partners"], pf["agreements"], ethiopia["practices"]) == \
        ([], [], [], [])
    for lang in LANGS:
        page = render_html(ethiopia, lexicon, lang)
        section = page[page.index('<section id="policy-framework">'):]
        section = section[:section.index("</section>")]
        assert "<h3" not in section
        assert "None" not in section
        text = visible_text(section)
        assert {"en": "tmo holds no good practice naming",
                "fr": "tmo ne détient aucune bonne pratique",
                "es": "tmo no contiene ninguna buena práctica"}[lang] in text
        assert section.count("<li>") == len(pf["not_held"]) == 4


def test_a_caricom_member_lists_the_agreement_with_its_citation(store: Path) -> None:
    con = connect(store)
    try:
        [jamaica] = [json.loads(doc) for key, doc in facts.stored_profiles(con).items()
                     if key[0] == "JAM"]
    finally:
        con.close()
    pf = jamaica["policy_framework"]
    assert "caricom-1996" in pf["agreements"]
    [caricom] = [a for a in jamaica["social_security"] if a["agreement"] == "caricom-1996"]
    rules = yaml.safe_load((RULES_DIR / "agreements" / "caricom-1996.yaml").read_text())
    assert caricom["name"] == rules["name"]
    assert set(caricom["members"]) == set(rules["members"]["value"]) - {"JAM"}
    assert [s["url"] for s in caricom["sources"]]  # the rules' citation, with its address
    assert "caricom-move-dont-lose" in [p["id"] for p in pf["own"]]
