"""The skills composition crosses into the statistics store with the registry's other
aggregates (`tmo registry publish-aggregates`, table `registry_skills`), suppressed, with
the same provenance; the registry country's profile shows it in "Registered diaspora"
beside the IMS stock of each corridor (HTML, Markdown, JSON; EN, FR, ES), SYNTHETIC."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest
from markupsafe import escape

from tmo.profiles import untranslated
from tmo.profiles.i18n import Locale
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown
from tmo.registry import aggregates
from tmo.skills import taxonomy
from tmo.store.query import connect


@pytest.fixture(scope="module")
def published(published_registry: dict[str, Any]) -> dict[str, Any]:
    """The fixture store into which a registry of MDA, every registrant with a synthetic
    skills profile, published its aggregates (conftest.py, shared with
    test_publication.py)."""
    return {"store": published_registry["store"], "expected": published_registry["skills"],
            "profile": published_registry["profile"]}


def test_the_store_holds_the_suppressed_composition(published: dict[str, Any]) -> None:
    con = duckdb.connect(str(published["store"]), read_only=True)
    rows = con.execute("SELECT residence, classification, category, people, synthetic, k "
                       "FROM registry_skills WHERE origin = 'MDA'").fetchall()
    con.close()
    expected = published["expected"]["tables"]
    held = {(r, c, cat): n for r, c, cat, n, _s, _k in rows}
    assert {(s, k) for *_x, s, k in rows} == {(60, aggregates.K)}
    for name, table in expected.items():
        assert held[("UN:900", name, "total")] == table["total"] == 60
        for row in table["rows"]:
            assert held[(row["residence"], name, "total")] == row["total"]
            for category, n in row["cells"].items():
                assert held[(row["residence"], name, category)] == n
    shown = [n for n in held.values() if n is not None]
    assert None in held.values(), "the test wants a suppressed cell"
    assert all(n == 0 or n >= aggregates.K for n in shown)  # a zero is no small cell


def test_the_profile_shows_it_beside_the_corridor_stock(published: dict[str, Any]) -> None:
    store = published["store"]
    con = duckdb.connect(str(store), read_only=True)
    revision, year = con.execute("""SELECT revision, max(year) FROM migrant_stock
                                    WHERE revision = (SELECT max(revision) FROM migrant_stock)
                                    GROUP BY revision""").fetchone()  # type: ignore[misc]
    stocks = dict(con.execute("""SELECT destination, stock FROM migrant_stock WHERE origin =
                                 'MDA' AND sex = 'total' AND revision = ? AND year = ?""",
                              [revision, year]).fetchall())
    stored = con.execute("SELECT document FROM profiles WHERE iso3 = 'MDA'").fetchone()
    con.close()
    assert stored is not None
    assert '"skills":{"synthetic":60' in stored[0]
    profile = published["profile"]
    section = profile["registered_diaspora"]["skills"]
    assert section["label"] == "SYNTHETIC"
    expected = published["expected"]["tables"]
    assert set(section["tables"]) == set(expected)
    for name, table in section["tables"].items():
        by = {r["residence"]: r for r in expected[name]["rows"]}
        for row in table["rows"]:
            if row["residence"] == "UN:900":
                assert row["people"] == 60
                continue
            assert row["people"] == by[row["residence"]]["total"]
            assert row["cells"] == by[row["residence"]]["cells"]
            assert row["estimated"] == stocks.get(row["residence"])
            assert row["sources"][0]["view"] == "registry_skills"
            assert [s["view"] for s in row["sources"][1:]] == (
                ["migrant_stock"] if row["estimated"] is not None else [])
    con = connect(store)
    try:
        lexicon = Lexicon.from_store(con)
    finally:
        con.close()
    titles = {"en": ("With a skills profile", "ISCO-08", "suppressed"),
              "fr": ("Avec un profil de compétences", "CITP-08", "masqué"),
              "es": ("Con perfil de competencias", "CIUO-08", "suprimido")}
    for lang, words in titles.items():
        html = render_html(profile, lexicon, lang)
        part = html.split('<section id="registered-diaspora">')[1].split("</section>")[0]
        assert all(w in part for w in words), lang
        assert part.count('class="reg-skills"') == 2
        md = render_markdown(profile, lexicon, lang)
        assert all(w in md for w in words[:2]), lang
        if lang != "en":
            for english in ("With a skills profile", "not stated", "All countries",
                            "skills composition published"):
                assert english not in part, (lang, english)
            heads_html = part.split('class="reg-skills"')[1].split("</thead>")[0]
            note_html = part.split("</table></div>")[1].split("</p>")[0]
            for piece in (heads_html, note_html):  # the major groups' heads and their note
                assert untranslated.english(untranslated.visible_text(piece), lang) == []
        heads = [taxonomy.title(c, lang) for c in section["tables"]["occupation_major_group"]
                 ["columns"] if c != "not_stated"]
        for code, title in zip(section["tables"]["occupation_major_group"]["columns"], heads,
                               strict=False):  # code beside the ILO title (issue #18)
            shown = f'<span lang="en">{escape(title.text)}</span>' if title.fallback \
                else escape(title.text)
            assert f"{code} {shown}</th>" in part, (lang, code)
            assert f"| {code} {title.text} |" in md, (lang, code)
        note = Locale(lang).t("reg_skills_isco_english")
        assert (escape(note) in part) == any(t.fallback for t in heads), lang
