"""The age structure in the Demographic context (issue #13): the pyramid's bars and the
shares are the `population_by_age` rows of the latest year held (checked with plain SQL
over a copy of the fixture store holding made-up age groups for DEU), "no data" for a
country without age groups and nothing for an area without them, EN/FR/ES; and the
pyramid's geometry for any numbers (hypothesis)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.profiles.charts import pyramid
from tmo.profiles.demography import WORDS, demography
from tmo.profiles.demography import view as demography_view
from tmo.profiles.i18n import Locale
from tmo.profiles.untranslated import english
from tmo.store.evidence import Evidence

AGES = [f"{a}-{a + 4}" for a in range(0, 100, 5)] + ["100+"]
BAR = re.compile(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" '
                 r'fill="[^"]+" class="bar" data-sex="(\w+)" data-age="([^"]+)" '
                 r'data-value="([\d.e+-]+)"')
VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)"')


@pytest.fixture(scope="module")
def con(fixture_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """The fixture store with made-up WPP age groups for DEU in 2015 and 2020 (rows
    numbered like popAge5dt's, 2020 the latest year)."""
    db = tmp_path_factory.mktemp("ages") / "ages.duckdb"
    shutil.copy(fixture_store, db)
    c = duckdb.connect(str(db))
    row = 0
    for year in (2015, 2020):
        for i, age in enumerate(AGES):
            row += 1
            men, women = 1000 * (21 - i) + year, 900 * (21 - i) + 7 * i
            for sex, value in (("male", men), ("female", women), ("total", men + women)):
                c.execute("INSERT INTO base.population_by_age VALUES ('UN WPP', '2024', ?, "
                          "'DEU', ?, ?, ?, ?, 'popAge5dt.rda', 'popAge5dt', ?)",
                          [year, age, int(age.rstrip("+").split("-")[0]), sex, value, str(row)])
    yield c
    c.close()


def _stored(con: duckdb.DuckDBPyConnection, sex: str) -> dict[str, float]:
    return {a: float(v) for a, v in con.execute(
        "SELECT age, population FROM population_by_age WHERE country = 'DEU' AND year = 2020 "
        "AND sex = ?", [sex]).fetchall()}


def test_age_structure_is_the_stored_rows(con: duckdb.DuckDBPyConnection) -> None:
    ages = demography(Evidence(con), "DEU")["age_structure"]
    assert (ages["year"], ages["revision"]) == (2020, "2024")  # the latest year held
    for sex in ("male", "female", "total"):
        assert {g["age"]: g[sex] for g in ages["groups"]} == _stored(con, sex)
    assert [g["age"] for g in ages["groups"]] == AGES  # youngest first
    total = _stored(con, "total")
    young = sum(v for a, v in total.items() if a in AGES[:3])
    old = sum(v for a, v in total.items() if a in AGES[13:])
    assert ages["shares"]["young"] == pytest.approx(100 * young / sum(total.values()))
    assert ages["shares"]["old"] == pytest.approx(100 * old / sum(total.values()))
    assert sum(ages["shares"].values()) == pytest.approx(100)
    (src,) = ages["sources"]
    assert src["files"] == ["popAge5dt.rda"]
    assert src["rows"] == ["22-42"]  # the 2020 rows of the frame
    assert "year = 2020" in src["filter"]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_pyramid_bars_are_the_stored_rows(con: duckdb.DuckDBPyConnection, lang: str
                                               ) -> None:
    v = demography_view(demography(Evidence(con), "DEU"), Locale(lang), "Deutschland")
    bars = BAR.findall(v["pyramid"])
    for sex in ("male", "female"):
        drawn = {age: float(value) for *_, s, age, value in bars if s == sex}
        assert drawn == _stored(con, sex)
    assert "2020" in v["pyramid_title"]
    assert "Deutschland" in v["pyramid_title"]
    line = next(x for x in v["lines"] if x.startswith(WORDS[lang]["age_shares"][:10]))
    assert "2020" in line
    assert "popAge5dt.rda" in v["sources"]
    assert [r["age"] for r in v["age_rows"]] == AGES  # the Markdown table


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_age_groups_no_data_for_a_country_nothing_for_an_area(
        con: duckdb.DuckDBPyConnection, lang: str) -> None:
    ev, loc = Evidence(con), Locale(lang)
    doc = demography(ev, "TUV")  # WPP figures, no age groups
    assert doc["age_structure"] is None
    v = demography_view(doc, loc, "Tuvalu")
    assert WORDS[lang]["age"] in v["lines"]
    assert not v["pyramid"]
    area = demography(ev, "TUV", area=True)
    assert "age_structure" not in area
    assert WORDS[lang]["age"] not in demography_view(area, loc, "x")["lines"]


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_english_in_the_age_structure(con: duckdb.DuckDBPyConnection, lang: str) -> None:
    ev, loc = Evidence(con), Locale(lang)
    text = []
    for iso3 in ("DEU", "TUV"):
        v = demography_view(demography(ev, iso3), loc, "x")
        text += [*v["lines"], v["pyramid_title"], v["age_note"], v["age_table"],
                 v["w"]["age_group"]]
    assert english(" ".join(text), lang) == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e9), st.floats(0, 1e9)), min_size=1, max_size=25))
def test_pyramid_geometry(values: list[tuple[float, float]]) -> None:
    """Every bar inside the chart, men left of the age column and women right of it, one
    scale for both (width proportional to the number, to the rounding of the SVG)."""
    groups = [(f"{5 * i}-{5 * i + 4}", m, f) for i, (m, f) in enumerate(values)]
    svg = pyramid(groups, title="t", fmt=str, labels=("M", "F"))
    width, height = (float(x) for x in VIEWBOX.search(svg).groups())  # type: ignore[union-attr]
    bars = [(float(x), float(y), float(w), float(h), s, float(v))
            for x, y, w, h, s, _, v in BAR.findall(svg)]
    assert len(bars) == 2 * len(groups)
    top = max(max(m, f) for _, m, f in groups)
    widest = max(w for _, _, w, _, _, _ in bars)
    for x, y, w, h, _sex, value in bars:
        assert x >= 0
        assert x + w <= width + 0.01
        assert y >= 0
        assert y + h <= height
        if top > 0:
            assert w == pytest.approx(value / top * widest, abs=0.02)
    men_end = {round(x + w, 1) for x, _, w, _, s, _ in bars if s == "male"}
    women_start = {round(x, 1) for x, _, _, _, s, _ in bars if s == "female"}
    assert len(men_end) == len(women_start) == 1
    assert men_end.pop() < women_start.pop()
