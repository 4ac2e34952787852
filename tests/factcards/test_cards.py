"""Fact cards: the hand-made figures of the fixture store (tests/fixture_store/figures.py),
the profile's figures (a card's figure is the profile's figure for the same country, year
and revision), languages, rendering."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tmo.factcards.cards import build
from tmo.factcards.render import to_html, to_json, to_svg
from tmo.profiles.context import build_profile_from
from tmo.store.query import connect

from ..conftest import shared_file

ENGLISH = re.compile(r"\b(?:the|lived|people|hosted|received|largest|rows|Note|in 2024)\b")


@pytest.fixture(scope="module")
def con(fixture_store: Path) -> Any:
    c = connect(fixture_store)
    yield c
    c.close()


def by_key(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["key"]: c for c in doc["cards"]}


def test_moldova_by_hand(con: Any) -> None:
    doc = build(con, "MDA")
    cards = by_key(doc)
    assert (doc["year"], doc["revision"]) == (2024, "2024")
    assert cards["immigrants"]["figure"]["value"] == 8000
    assert cards["immigrants"]["also"][0]["value"] == pytest.approx(0.32)
    assert cards["immigrants"]["text"].startswith("8,000 international migrants")
    assert "0.3 %" in cards["immigrants"]["text"]
    assert cards["change_since_1990"]["figure"]["value"] == pytest.approx(100.0)
    assert "(4,000)" in cards["change_since_1990"]["text"]
    origin = cards["largest_origin"]["figure"]
    assert (origin["origin"], origin["value"], origin["share_pct"]) == ("ROU", 5000, 62.5)
    # 2,000 of 8,000 have no known origin: the card says so
    assert any("25.0 %" in c for c in cards["largest_origin"]["caveats"])
    assert cards["diaspora"]["figure"]["value"] == 90000
    assert cards["diaspora"]["figure"]["top_destination"] == "ITA"
    assert (cards["refugees_hosted"]["figure"]["value"],
            cards["refugees_hosted"]["figure"]["year"]) == (50, 2023)
    assert cards["refugees_hosted"]["caveats"]  # UNHCR's year is not the stock's
    rem = cards["remittances_received"]
    assert (rem["figure"]["value"], rem["figure"]["year"]) == (2e9, 2022)
    assert rem["also"][0]["value"] == pytest.approx(12.5)
    assert "US$ 2 billion" in rem["text"]
    assert rem["figure"]["other_sources"] == []  # WDI alone (no KNOMAD row disagrees)
    assert doc["missing"] == []


def test_every_card_cites_its_published_rows(con: Any) -> None:
    doc = build(con, "MDA")
    for card in doc["cards"]:
        assert card["sources"], card["key"]
        for src in card["sources"]:
            assert src["files"], card
            assert src["rows"] or src["n_rows"], card
    rows = by_key(doc)["immigrants"]["sources"][0]
    assert rows["n_rows"] == 1
    assert len(rows["rows"]) == 1
    assert {p["file"] for p in doc["provenance"]} == {
        f for c in doc["cards"] for s in c["sources"] for f in s["files"]}


def test_a_card_equals_the_profile(con: Any) -> None:
    cards = by_key(build(con, "DEU"))
    profile = build_profile_from(con, "DEU")
    imm, emi = profile["immigration"]["figures"], profile["emigration"]["figures"]
    assert cards["immigrants"]["figure"]["value"] == imm["immigrant_stock"]["value"]
    assert cards["immigrants"]["also"][0]["value"] == imm["immigrant_share"]["value"]
    assert cards["change_since_1990"]["figure"]["value"] == \
        imm["immigrant_change_since_1990"]["value"]
    top = imm["top_origins"]["detail"]["ranking"][0]
    assert (cards["largest_origin"]["figure"]["origin"],
            cards["largest_origin"]["figure"]["value"]) == (top["area"], top["stock"])
    assert cards["diaspora"]["figure"]["value"] == emi["emigrant_stock"]["value"]
    assert cards["refugees_hosted"]["figure"]["value"] == \
        profile["refugees"]["figures"]["refugees_hosted"]["value"]
    assert cards["remittances_received"]["figure"]["value"] == \
        profile["remittances"]["figures"]["remittances_received"]["value"]


def test_world_and_regions_by_name(con: Any) -> None:
    world = build(con, "monde", "fr")
    assert world["place"] == "UN:900"
    assert by_key(world)["immigrants"]["figure"]["value"] == 619100
    assert [c["key"] for c in world["cards"]] == ["immigrants", "change_since_1990"]
    assert by_key(build(con, "Europe"))["immigrants"]["figure"]["value"] == 293000


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_english_on_a_french_or_spanish_card(con: Any, lang: str) -> None:
    doc = build(con, "MDA", lang)
    text = to_html(doc) + to_svg(doc)
    texts = " ".join([doc["title"]] + [c["text"] for c in doc["cards"]]
                     + [x for c in doc["cards"] for x in c["caveats"]])
    assert not ENGLISH.search(texts), ENGLISH.findall(texts)
    assert f'lang="{lang}"' in text
    assert ("8\u202f000" if lang == "fr" else "8.000") in texts


def test_renderings(con: Any) -> None:
    doc = build(con, "MDA")
    assert json.loads(to_json(doc))["cards"][0]["figure"]["value"] == 8000
    html = to_html(doc)
    assert html.startswith('<section class="tmo-cards"')
    assert "<script" not in html
    assert "http" not in html  # embeddable: nothing fetched from elsewhere
    svg = to_svg(doc)
    assert svg.startswith("<svg")
    assert "<title" in svg
    assert "8,000" in svg


def test_unknown_place_is_one_clear_error(con: Any) -> None:
    from tmo.errors import NotFound

    with pytest.raises(NotFound, match="no country, UN region or world named 'Atlantis'"):
        build(con, "Atlantis")


def test_real_cards_equal_the_published_rows_and_the_profile(store: Path) -> None:
    """On the real store: a card's figure is the published matrix summed here with pandas,
    and the profile's figure."""
    import pandas as pd

    frame = pd.read_csv(shared_file("undesa_ims/od_gdidata/ims2024_od_by_sex_long.csv.gz"))
    od = frame[frame.year == 2024].groupby(["orig_iso3", "dest_iso3"])["stock"].sum()
    c = connect(store)
    try:
        for iso3 in ("DEU", "MDA"):
            cards = by_key(build(c, iso3))
            profile = build_profile_from(c, iso3)
            assert cards["immigrants"]["figure"]["value"] == \
                od.xs(iso3, level="dest_iso3").sum() == \
                profile["immigration"]["figures"]["immigrant_stock"]["value"]
            assert cards["diaspora"]["figure"]["value"] == \
                od.xs(iso3, level="orig_iso3").sum() == \
                profile["emigration"]["figures"]["emigrant_stock"]["value"]
    finally:
        c.close()
