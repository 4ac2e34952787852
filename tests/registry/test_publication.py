"""The registry's aggregates cross into the statistics store only as published rows
(`tmo registry publish-aggregates`), suppressed, with their provenance; the Migration
Profile of the registry's country shows them as "Registered diaspora" beside UN DESA's
estimate (HTML, Markdown, JSON; EN, FR, ES), labelled SYNTHETIC for demo data, and a
country without a published registry has no such section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy import Engine

from tmo.profiles.context import build_profile
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown
from tmo.registry import aggregates, demo, publication
from tmo.store.query import connect
from tmo.store.writer import carry_table

N = 60  # few enough that some countries of residence fall under k = 10


def _fill(made: Engine, store: Path) -> None:
    con = connect(store)
    try:
        demo.populate(made, con, "MDA", N, seed=3)
    finally:
        con.close()


def test_publication_is_the_suppressed_counts_with_provenance(made: Engine,
                                                             fixture_store: Path) -> None:
    _fill(made, fixture_store)
    rows = publication.publication(made)
    expected = aggregates.registered_by_residence(made)
    by = {r["residence"]: r["registered"] for r in rows}
    assert by.pop("UN:900") == expected["total"] == N
    assert by == expected["by_residence"]
    shown = [v for v in by.values() if v is not None]
    assert None in by.values(), "the test wants a suppressed country of residence"
    assert all(v >= aggregates.K for v in shown)
    # a hidden figure is not the total minus the shown ones alone: at least two are hidden
    assert sum(v is None for v in by.values()) >= 2
    for r in rows:
        assert (r["origin"], r["synthetic"], r["k"]) == ("MDA", N, aggregates.K)
        assert "suppressed" in r["rule"]
        assert r["published_at"].endswith("Z")
        assert set(r) == {"origin", "residence", "registered", "synthetic", "k", "rule",
                          "registry", "published_at"}  # nothing personal crosses


@pytest.fixture(scope="module")
def published(published_registry: dict[str, Any]) -> dict[str, Any]:
    """A copy of the fixture store into which an SQLite registry of MDA (60 synthetic
    registrants) published its aggregates through the command line (conftest.py, shared
    with test_skills_publication.py)."""
    assert "SYNTHETIC" in published_registry["output"]
    return published_registry


def test_the_store_holds_the_published_rows_and_the_profile_shows_them(
        published: dict[str, Any]) -> None:
    store, expected = published["store"], published["expected"]
    con = duckdb.connect(str(store), read_only=True)
    held = dict(con.execute("SELECT residence, registered FROM registry_residence "
                            "WHERE origin = 'MDA'").fetchall())
    revision, year = con.execute("""SELECT revision, max(year) FROM migrant_stock
                                    WHERE revision = (SELECT max(revision) FROM migrant_stock)
                                    GROUP BY revision""").fetchone()  # type: ignore[misc]
    stocks = dict(con.execute("""SELECT destination, stock FROM migrant_stock WHERE origin =
                                 'MDA' AND sex = 'total' AND revision = ? AND year = ?""",
                              [revision, year]).fetchall())
    stored = con.execute("SELECT document FROM profiles WHERE iso3 = 'MDA'").fetchone()
    con.close()
    assert held == {**expected["by_residence"], "UN:900": expected["total"]}
    assert stored is not None
    assert '"registered_diaspora":{"synthetic":60' in stored[0]

    section = published["profile"]["registered_diaspora"]
    assert (section["label"], section["total"]["registered"]) == ("SYNTHETIC", N)
    assert section["total"]["estimated"] == sum(
        v for k, v in stocks.items() if k not in ("OOO",))
    rows = {r["residence"]: r for r in section["rows"]}
    assert set(expected["by_residence"]) <= set(rows)
    for code, row in rows.items():
        assert row["registered"] == expected["by_residence"].get(code, 0)
        assert row["estimated"] == stocks.get(code)
        if row["registered"] is None or not row["estimated"]:
            assert row["coverage_pct"] is None
        else:
            assert row["coverage_pct"] == pytest.approx(100 * row["registered"]
                                                        / row["estimated"])
        views = [s["view"] for s in row["sources"]]
        assert views[0] == "registry_residence"
        assert f"'{code}'" in row["sources"][0]["filter"]
        assert views[1:] == (["migrant_stock"] if row["estimated"] is not None else [])


def test_the_section_in_every_language_and_format(published: dict[str, Any]) -> None:
    store = published["store"]
    profile = published["profile"]
    con = connect(store)
    try:
        lexicon = Lexicon.from_store(con)
    finally:
        con.close()
    words = {"en": ("Registered diaspora", "SYNTHETIC", "suppressed"),
             "fr": ("Diaspora enregistrée", "SYNTHÉTIQUE", "masqué"),
             "es": ("Diáspora registrada", "SINTÉTICO", "suprimido")}
    for lang, (title, label, hidden) in words.items():
        html = render_html(profile, lexicon, lang)
        section = html.split('<section id="registered-diaspora">')[1].split("</section>")[0]
        assert all(word in section for word in (title, label, hidden))
        assert 'href="#registered-diaspora"' in html
        md = render_markdown(profile, lexicon, lang)
        assert all(word in md for word in (f"## {title}", label))
        if lang != "en":
            for english in ("Registered", "Coverage", "suppressed", "estimate",
                            "aggregates published"):
                assert english not in section, (lang, english)


def test_no_published_registry_no_section(fixture_store: Path) -> None:
    profile = build_profile(fixture_store, "MDA")
    assert profile["registered_diaspora"] == {}
    con = connect(fixture_store)
    try:
        lexicon = Lexicon.from_store(con)
    finally:
        con.close()
    html = render_html(profile, lexicon, "en")
    assert "registered-diaspora" not in html
    assert "Registered diaspora" not in render_markdown(profile, lexicon, "en")


def test_a_build_keeps_the_published_rows(published: dict[str, Any], tmp_path: Path) -> None:
    """A new store (as `tmo build` writes) carries the previous store's published rows."""
    fresh = tmp_path / "new.duckdb"
    con = duckdb.connect(str(fresh))
    try:
        con.execute("CREATE SCHEMA base")
        assert carry_table(con, published["store"], "registry_residence") == \
            len(published["expected"]["by_residence"]) + 1
        assert carry_table(con, tmp_path / "absent.duckdb", "registry_residence") == 0
    finally:
        con.close()
