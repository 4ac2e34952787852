"""The "Data gaps" section on Moldova and Tuvalu (real store): each gap's figures equal
those counted here with pandas from the store's views, each names the check that found
it and its files, and the section is in the HTML, Markdown and JSON in EN/FR/ES."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from markupsafe import escape

from tmo.checks.comparisons import REVISION_TOLERANCE
from tmo.checks.rules import stock_jumps
from tmo.profiles.context import build_profile
from tmo.profiles.i18n import Locale
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_json, render_markdown
from tmo.profiles.untranslated import english, visible_text


@pytest.fixture(scope="module")
def con(store: Path) -> Any:
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def docs(store: Path) -> dict[str, Any]:
    return {iso: build_profile(store, iso, revision="2024") for iso in ("MDA", "TUV")}


def _gap(doc: dict[str, Any], check: str, figure: str | None = None) -> dict[str, Any]:
    found = [g for g in doc["data_gaps"]
             if g["check"] == check and figure in (None, g["figure"])]
    assert len(found) == 1, [(g["check"], g["figure"]) for g in doc["data_gaps"]]
    return found[0]


def test_moldova_diaspora_gaps_equal_the_store(con, docs) -> None:
    doc = docs["MDA"]
    # destinations with Moldovans in the 2020 revision (2020) and none in the 2024 one,
    # though the 2024 revision publishes their total
    od = con.execute("SELECT revision, destination, stock FROM migrant_stock WHERE year = 2020 "
                     "AND origin = 'MDA' AND sex = 'total'").df()
    published = set(con.execute("SELECT destination FROM destination_stock WHERE revision = "
                                "'2024' AND year = 2020").df().destination)
    old = od[(od.revision == "2020") & (od.stock > 0)].set_index("destination").stock
    lost = old[~old.index.isin(od[od.revision == "2024"].destination)
               & old.index.isin(published)]
    gap = _gap(doc, "origin_breakdown")
    v = gap["values"]
    assert len(v["missing"]) + v["others"] == len(lost)
    assert v["missing_total"] == int(lost.sum())
    assert [m["stock"] for m in v["missing"]] == list(lost.nlargest(len(v["missing"])))
    assert {"USA", "DEU"} <= {m["area"] for m in v["missing"]}
    assert gap["finding"] == "origin_breakdown"
    # the emigrants revised: both revisions' sums for 2020
    sums = od.groupby("revision").stock.sum()
    rev = _gap(doc, "stock_revision", "emigrant_stock")
    assert (rev["values"]["old"], rev["values"]["new"]) == (sums["2020"], sums["2024"])
    assert abs(sums["2024"] - sums["2020"]) > REVISION_TOLERANCE * sums["2020"]
    assert rev["finding"] == "stock_jumps"
    flagged = {(f.source, f.where) for f in stock_jumps(con)}  # what `tmo check` reports
    assert ("IMS 2020, IMS 2024", "MDA emigrants") in flagged
    for g in doc["data_gaps"]:
        assert g["text"]
        assert "None" not in g["text"]
        assert all(s["files"] for s in g["sources"]), g


def test_tuvalu_gaps_equal_the_store(con, docs) -> None:
    doc = docs["TUV"]
    hosted = con.execute("SELECT count(*) FROM refugees WHERE asylum = 'TUV' "
                         "AND year <= 2024").fetchone()[0]
    assert hosted == 0  # UNHCR lists no one: a gap, never shown as 0
    gap = _gap(doc, "no_data", "refugees_hosted")
    assert gap["values"] == {"year": doc["refugees"]["figures"]["refugees_hosted"]["year"],
                             "last": None}
    assert gap["text"].startswith("No data for")
    nzl = con.execute("SELECT stock FROM migrant_stock WHERE revision = '2020' AND year = "
                      "2020 AND origin = 'TUV' AND destination = 'NZL' AND sex = 'total'"
                      ).fetchone()[0]
    first = _gap(doc, "origin_breakdown")["values"]["missing"][0]
    assert first == {"area": "NZL", "stock": nzl}  # New Zealand, the largest, listed first
    unknown = con.execute("SELECT sum(stock) FILTER (WHERE origin = 'OOO') / sum(stock) "
                          "FROM migrant_stock WHERE revision = '2024' AND year = 2024 "
                          "AND destination = 'TUV' AND sex = 'total'").fetchone()[0]
    assert _gap(doc, "unknown_origin")["values"]["share_pct"] == pytest.approx(100 * unknown)


HEADINGS = {"en": "Data gaps", "fr": "Lacunes des données", "es": "Lagunas de datos"}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_section_in_html_markdown_and_json(con, docs, lang: str) -> None:
    lexicon = Lexicon.from_store(con)
    for doc in docs.values():
        html = render_html(doc, lexicon, lang)
        section = re.search(r'<section id="data-gaps">.*?</section>', html, re.S)
        assert section is not None
        body = section.group(0)
        assert f"<h2>{HEADINGS[lang]}</h2>" in body
        assert body.count("<li>") == len(doc["data_gaps"]) > 0
        assert 'href="#data-gaps"' in html  # in the table of contents
        if lang != "en":
            assert english(visible_text(body), lang) == []
            assert escape(Locale(lang).t("dg_intro")) in body
        md = render_markdown(doc, lexicon, lang)
        assert f"## {HEADINGS[lang]}\n" in md
        part = md.split(f"## {HEADINGS[lang]}\n")[1].split("\n## ")[0]
        assert part.count("\n- **") == len(doc["data_gaps"])
        assert json.loads(render_json(doc))["data_gaps"] == doc["data_gaps"]
