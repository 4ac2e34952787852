"""Partial profiles (issue #13): Kosovo (XKX), which the International Migrant Stock does
not publish, has a profile of the figures other sources publish for it, with one
statement of why the IMS-based sections are absent; a code no source holds still has
none."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tmo.errors import NotFound
from tmo.profiles.context import build_profile_from
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.partial_view import words
from tmo.profiles.render import render_html, render_json, render_markdown
from tmo.profiles.untranslated import english, visible_text
from tmo.store import facts
from tmo.store.query import connect

from ..conftest import shared_file


def flat(text: str) -> str:
    """Spaces of any kind (the French no-break ones) as one plain space."""
    return " ".join(text.split())


WDI_RECEIVED = "remittances/wdi_BX.TRF.PWKR.CD.DT_personal-remittances-received.xls"


@pytest.fixture(scope="module")
def kosovo(profile_store: Path) -> dict[str, Any]:
    con = connect(profile_store)
    try:
        return {"profile": build_profile_from(con, "XKX"),
                "lexicon": Lexicon.from_store(con),
                "revisions": facts.revisions(con),
                "partial": facts.partial_list(con)}
    finally:
        con.close()


def wdi_row(code: str) -> tuple[int, dict[int, float]]:
    """The WDI file's row of `code`: its row number in the sheet and its values by year,
    read with plain pandas."""
    frame = pd.read_excel(shared_file(WDI_RECEIVED), sheet_name="Data", header=None)
    head = frame.index[frame[1] == "Country Code"][0]
    years = {c: int(y) for c, y in frame.loc[head].items() if isinstance(y, float | int)
             and not pd.isna(y)}
    at = frame.index[frame[1] == code][0]
    values = {years[c]: float(v) for c, v in frame.loc[at].items()
              if c in years and not pd.isna(v)}
    return int(at) + 1, values


def test_kosovo_has_a_partial_profile_whose_remittances_are_the_wdi_row(
        kosovo: dict[str, Any]) -> None:
    p = kosovo["profile"]
    assert p["country"]["iso3"] == "XKX"
    assert ("XKX", "Kosovo") in kosovo["partial"]
    # the IMS sections are empty, and the statement names every stored revision
    # the IMS headline stocks: no value, the query that finds no row as their source
    for section, key in (("immigration", "immigrant_stock"), ("emigration", "emigrant_stock")):
        assert list(p[section]["figures"]) == [key]
        assert p[section]["figures"][key]["value"] is None
        assert p[section]["figures"][key]["sources"][0]["n_rows"] == 0
    assert {"immigrant_stock", "emigrant_stock"} <= {g["figure"] for g in p["data_gaps"]
                                                     if g["check"] == "no_data"}
    assert p["corridors"] == []
    assert p["net_position"]["value"] is None
    absent = p["ims_absent"]
    assert [r["revision"] for r in absent["revisions"]] == kosovo["revisions"]
    assert all(r["rows"] == 0 and r["sources"][0]["files"] for r in absent["revisions"])
    assert absent["within"] is None  # no source in the store says where it is counted
    # remittances received: the WDI file's own row, latest year up to the profile's
    row, values = wdi_row("XKX")
    fig = p["remittances"]["figures"]["remittances_received"]
    latest = max(y for y in values if y <= p["year"])
    assert (fig["year"], fig["value"]) == (latest, values[latest])
    assert fig["sources"][0]["rows"] == [str(row)]
    assert fig["sources"][0]["files"] == [Path(WDI_RECEIVED).name]
    # no data is no data, not 0; and every figure's file is in the sources
    hosted = p["refugees"]["figures"]["refugees_hosted"]
    assert hosted["value"] is None
    assert p["demography"], "WPP holds Kosovo's population"
    cited = {s["file"] for s in p["sources"]}
    assert Path(WDI_RECEIVED).name in cited
    assert json.loads(render_json(p))["ims_absent"] == absent


def test_the_absence_is_stated_in_english_french_and_spanish(kosovo: dict[str, Any]) -> None:
    p, lexicon = kosovo["profile"], kosovo["lexicon"]
    revisions = ", ".join(kosovo["revisions"])
    for lang in ("en", "fr", "es"):
        statement = words(lang)["absent"].format(country="Kosovo", revisions=revisions)
        html, md = render_html(p, lexicon, lang), render_markdown(p, lexicon, lang)
        page = flat(unescape(re.sub(r"<[^>]+>", " ", html)))
        assert flat(statement) in page, lang
        assert flat(statement) in flat(md), lang
        assert flat(words(lang)["title"].format(country="Kosovo")) in page, lang
        text = visible_text(html)
        assert 'id="immigration"' not in html
        assert 'id="remittances"' in html
        assert not {"None", "nan", "NaN", "null"} & set(page.split() + md.split()), lang
        if lang != "en":
            assert english(text, lang) == [], lang


def test_a_code_no_source_holds_has_no_profile(profile_store: Path) -> None:
    con = connect(profile_store)
    try:
        with pytest.raises(NotFound, match="no Migration Profile"):
            build_profile_from(con, "XXA")  # stateless persons: no population anywhere
    finally:
        con.close()
