"""The profile's "What changed" section over the fixture store (two IMS revisions, built
by the real build): its figures are the two revisions' published rows (read here with
plain SQL from `destination_stock` and `migrant_stock`, not from the comparison), the
corridors are the most revised, both revisions' files are named; HTML, Markdown and JSON
in EN, FR and ES, with the chart of both series; "no data" when nothing was compared."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import duckdb
import pytest

from tmo.profiles.document import Profile
from tmo.profiles.i18n import Locale, catalogue
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown

COUNTRY = "DEU"


@pytest.fixture(scope="module")
def stored(fixture_store: Path
           ) -> Iterator[tuple[Profile, Lexicon, duckdb.DuckDBPyConnection]]:
    con = duckdb.connect(str(fixture_store), read_only=True)
    doc = con.execute("SELECT document FROM profiles WHERE iso3 = ?", [COUNTRY]).fetchone()
    assert doc is not None
    yield json.loads(doc[0]), Lexicon.from_store(con), con
    con.close()


def one(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> float:
    row = con.execute(sql, params).fetchone()
    assert row is not None
    assert row[0] is not None
    return float(row[0])


def test_figures_are_both_revisions_published_rows(stored) -> None:
    profile, _, con = stored
    section = profile["what_changed"]
    old, new, year = section["old_revision"], section["new_revision"], section["year"]
    revisions = [r[0] for r in con.execute(
        "SELECT DISTINCT revision FROM migrant_stock ORDER BY 1").fetchall()]
    assert (old, new) == tuple(revisions[-2:])
    common = con.execute("""SELECT max(year) FROM (SELECT year FROM destination_stock
                            WHERE revision = ? INTERSECT SELECT year FROM destination_stock
                            WHERE revision = ?)""", [old, new]).fetchone()
    assert common is not None
    assert year == common[0]
    figures = {f["measure"]: f for f in section["figures"]}
    for rev, side in ((old, "old"), (new, "new")):
        imm = one(con, """SELECT stock FROM destination_stock WHERE revision = ? AND
                          year = ? AND destination = ? AND sex = 'total'""", [rev, year, COUNTRY])
        emi = one(con, """SELECT sum(stock) FROM migrant_stock WHERE revision = ? AND
                          year = ? AND origin = ? AND sex = 'total'""", [rev, year, COUNTRY])
        assert figures["immigrants"][side] == imm
        assert figures["emigrants"][side] == emi
    assert figures["immigrants"]["change"] == figures["immigrants"]["new"] - \
        figures["immigrants"]["old"]
    assert figures["immigrants"]["old_file"] != figures["immigrants"]["new_file"]
    # the corridors revised most, each as published in both revisions
    shown = section["corridors"]
    assert shown
    changes = [abs(c["change"]) for c in shown]
    assert changes == sorted(changes, reverse=True)
    for c in shown:
        for rev, side in ((old, "old"), (new, "new")):
            assert c[side] == one(con, """SELECT stock FROM migrant_stock WHERE revision = ?
                AND year = ? AND origin = ? AND destination = ? AND sex = 'total'""",
                                  [rev, year, c["origin"], c["destination"]])
    # rank changes: those of the latest common year, as the comparison stored them
    for r in section["ranks"]:
        row = con.execute("""SELECT old_rank, new_rank FROM revision_events WHERE kind = ?
                             AND area = ? AND partner = ? AND year = ? AND
                             old_revision = ? AND new_revision = ?""",
                          [r["kind"], COUNTRY, r["partner"], year, old, new]).fetchone()
        assert row == (r["old_rank"], r["new_rank"])
    # both series over the common years, for the chart
    assert [p["year"] for p in section["series"]["immigrants"]] == section["common_years"]
    assert {s["view"] for s in section["sources"]} == {"revision_changes", "revision_events"}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_html_and_markdown_in_each_language(stored, lang: str) -> None:
    profile, lexicon, _ = stored
    section = profile["what_changed"]
    loc = Locale(lang)
    words = catalogue(lang)
    md = render_markdown(profile, lexicon, lang)
    assert f"## {words['what-changed']}" in md
    imm = next(f for f in section["figures"] if f["measure"] == "immigrants")
    assert (f"| {loc.t('immigrants')} | {loc.number(imm['old'])} | {loc.number(imm['new'])} "
            in md)
    html = unescape(render_html(profile, lexicon, lang))
    block = html[html.index('<section id="what-changed">'):]
    block = block[:block.index("</section>")]
    assert loc.t("wc_intro", old=section["old_revision"], new=section["new_revision"],
                 year=section["year"]) in block
    assert block.count('class="series"') == 4  # immigrants and emigrants, both revisions
    if lang != "en":
        for key in ("wc_intro", "wc_corridors", "wc_change"):
            assert catalogue("en")[key][:20] not in block, key


def test_nothing_compared_says_no_data(stored) -> None:
    profile, lexicon, _ = stored
    empty = dict(profile, what_changed={})
    for lang in ("en", "fr", "es"):
        md = render_markdown(empty, lexicon, lang)  # type: ignore[arg-type]
        after = md[md.index(f"## {catalogue(lang)['what-changed']}"):]
        after = after[:after.index("\n## ", 3)]
        assert catalogue(lang)["wc_none"] in after
        assert " 0 " not in after


def test_the_real_store_section(store: Path) -> None:
    """On the real build: Germany's rank changes are those of the latest common year
    (some among its origins, some among its destinations), and the corridor revised most
    from Türkiye has both revisions' published stocks (read here with plain SQL)."""
    from tmo.profiles.changed import what_changed
    from tmo.store.evidence import Evidence

    con = duckdb.connect(str(store), read_only=True)
    try:
        section = what_changed(Evidence(con), COUNTRY, "2024")
        old, new, year = section["old_revision"], section["new_revision"], section["year"]
        assert (old, new, year) == ("2020", "2024", 2020)
        kinds = {r["kind"] for r in section["ranks"]}
        assert kinds == {"origin_rank", "destination_rank"}
        for r in section["ranks"]:
            row = con.execute("""SELECT old_rank, new_rank FROM revision_events WHERE
                                 kind = ? AND area = ? AND partner = ? AND year = ? AND
                                 dataset = 'IMS'""",
                              [r["kind"], COUNTRY, r["partner"], year]).fetchone()
            assert row == (r["old_rank"], r["new_rank"])
        tur = next(c for c in section["corridors"] if c["origin"] == "TUR")
        for rev, side in ((old, "old"), (new, "new")):
            assert tur[side] == one(con, """SELECT stock FROM migrant_stock WHERE
                revision = ? AND year = ? AND origin = 'TUR' AND destination = ? AND
                sex = 'total'""", [rev, year, COUNTRY])
    finally:
        con.close()
