"""The SYNTHETIC demo survey generated from the fixture store's figures (made up by hand in
tests/fixture_store/figures.py: Moldova's population 2,500,000, immigrant share 0.32 %),
its report, and its aggregates published into a copy of the store, where Moldova's
Migration Profile shows them as survey estimates and no other profile does."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from markupsafe import escape

from tmo.cli import cli
from tmo.profiles.context import build_profile_from
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_json, render_markdown
from tmo.store.evidence import Evidence
from tmo.store.query import connect
from tmo.store.writer import ensure_table, replace_rows
from tmo.surveys import aggregates
from tmo.surveys.demo import SYNTHETIC, generate
from tmo.surveys.description import load_description
from tmo.surveys.indicators import estimate_survey
from tmo.surveys.published import published
from tmo.surveys.report import render_html as report_html

MDA_POPULATION = 2_500_000  # tests/fixture_store/figures.py: 1,300 + 1,200 thousand
MDA_IMMIGRANT_SHARE = 0.32  # 8,000 / 2,500,000, in percent (same file)


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["survey", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo(fixture_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    _run("demo", "MDA", "--db", str(fixture_store), "--seed", "11", "--out", str(out))
    return out / "SYNTHETIC_MDA_survey.json"


def test_the_demo_is_reproducible_and_synthetic_everywhere(fixture_store: Path, demo: Path,
                                                           tmp_path: Path) -> None:
    con = connect(fixture_store)
    try:
        figures = published(Evidence(con), "MDA")
    finally:
        con.close()
    assert figures.population.value == MDA_POPULATION
    a, b = generate(figures, seed=11), generate(figures, seed=11)
    pd.testing.assert_frame_equal(a.households, b.households)
    pd.testing.assert_frame_equal(a.attitudes, b.attitudes)
    assert not generate(figures, seed=12).households.equals(a.households)
    written = sorted(p.name for p in demo.parent.iterdir())
    assert len(written) == 4
    assert all(name.startswith(f"{SYNTHETIC}_") for name in written)
    for name in ("households", "members", "attitudes"):
        frame = pd.read_csv(demo.parent / f"SYNTHETIC_MDA_{name}.csv")
        assert len(frame) > 0
        assert set(frame["synthetic"]) == {SYNTHETIC}
    for path in a.write(tmp_path):  # the same seed and figures: the same files, byte for byte
        if path.suffix == ".csv":
            assert path.read_bytes() == (demo.parent / path.name).read_bytes()
    households = pd.read_csv(demo.parent / "SYNTHETIC_MDA_households.csv")
    # the households the weights stand for: the population over the assumed household size
    assert households["weight"].sum() == pytest.approx(MDA_POPULATION / 4.0, rel=1e-6)
    meta = json.loads(demo.read_text(encoding="utf-8"))
    assert meta["synthetic"] is True
    assert SYNTHETIC in meta["title"]["en"]
    assert meta["generated_from"]["population"]["sources"][0]["view"] == "population"


def test_indicators_of_the_demo_read_from_its_files(fixture_store: Path, demo: Path) -> None:
    frame = pd.read_csv(demo.parent / "SYNTHETIC_MDA_households.csv")
    rows = json.loads(_run("indicators", str(demo), "--db", str(fixture_store), "--format",
                           "json"))
    got = {(r["indicator"], r["category"]): r for r in rows}
    w = frame["weight"]
    assert got["hh_member_abroad", ""]["estimate"] == pytest.approx(
        100 * w[frame["members_abroad_n"] > 0].sum() / w.sum())
    assert got["perception_gap", ""]["actual_value"] == pytest.approx(MDA_IMMIGRANT_SHARE)
    results = estimate_survey(load_description(demo))
    assert results.designs["households"]["psus"] == frame["psu"].nunique()
    # members abroad live where the fixture's emigrants of Moldova live (figures.py: DEU,
    # ITA, ROU, USA), each share the members' weighted share
    members = pd.read_csv(demo.parent / "SYNTHETIC_MDA_members.csv").merge(
        frame[["household", "weight"]], on="household")
    assert set(members["country"]) <= {"DEU", "ITA", "ROU", "USA"}
    by_country = members.groupby("country")["weight"].sum() / members["weight"].sum()
    for code, share in by_country.items():
        row = got["members_abroad_country", code]
        expected = None if row["status"] == "suppressed" else pytest.approx(100 * share)
        assert row["estimate"] == expected


def test_published_aggregates_reach_only_the_country_profile(fixture_store: Path, demo: Path,
                                                              tmp_path: Path) -> None:
    # what `tmo survey publish` writes (pipeline.store_survey, without rebuilding every
    # country's stored profile: the profiles below are built from the store)
    db = tmp_path / "tmo.duckdb"
    shutil.copyfile(fixture_store, db)
    writing = duckdb.connect(str(db))
    try:
        actual = published(Evidence(writing), "MDA").immigrant_share
        results = estimate_survey(load_description(demo), actual)
        ensure_table(writing, "survey_estimates")
        replace_rows(writing, "survey_estimates", aggregates.rows(results), ["survey"])
    finally:
        writing.close()
    households = pd.read_csv(demo.parent / "SYNTHETIC_MDA_households.csv")
    con = connect(db)
    try:
        stored = con.execute("SELECT * FROM survey_estimates").df()
        mda = build_profile_from(con, "MDA")
        deu = build_profile_from(con, "DEU")
        lexicon = Lexicon.from_store(con)
    finally:
        con.close()
    # aggregates only: no response column, a few dozen rows for hundreds of responses
    assert not {"household", "remit_amount", "perceived_share"} & set(stored.columns)
    assert len(stored) < len(households) / 5
    assert set(stored["synthetic"]) == {True}
    gap = stored[stored["indicator"] == "perception_gap"].iloc[0]
    assert gap["actual_value"] == pytest.approx(MDA_IMMIGRANT_SHARE)
    assert deu["surveys"] == []
    (survey,) = mda["surveys"]
    assert survey["synthetic"] is True
    first = {e["indicator"]: e for e in survey["estimates"] if not e["category"]}
    w = households["weight"]
    share = 100 * w[households["members_abroad_n"] > 0].sum() / w.sum()
    assert first["hh_member_abroad"]["value"] == pytest.approx(share)
    assert first["hh_member_abroad"]["ci_low"] < share < first["hh_member_abroad"]["ci_high"]
    assert first["hh_member_abroad"]["sources"][0]["view"] == "survey_estimates"
    suppressed = [e for e in survey["estimates"] if e["status"] == "suppressed"]
    assert all(e["value"] is None for e in suppressed)  # no data, never 0
    fr = render_html(mda, lexicon, "fr")
    assert 'id="surveys"' in fr
    assert "SYNTHÉTIQUE" in fr
    assert str(escape("estimation d'enquête")) in fr
    assert "survey estimate" not in fr
    assert "Encuestas" in render_markdown(mda, lexicon, "es")
    assert '"synthetic": true' in render_json(mda)
    assert 'id="surveys"' not in render_html(deu, lexicon, "en")


def test_the_report_in_three_languages(demo: Path) -> None:
    results = estimate_survey(load_description(demo))
    for lang, mark, word in (("en", "SYNTHETIC", "Survey estimate"),
                             ("fr", "SYNTHÉTIQUE", "Estimation d'enquête"),
                             ("es", "SINTÉTICO", "Estimación de encuesta")):
        page = report_html(results, "Moldova", lang)
        assert f'<html lang="{lang}">' in page
        assert 'id="synthetic"' in page
        assert page.count(mark) >= 5, lang
        assert str(escape(word)) in page
        assert page.count("<svg") >= 5
        # the published figures the SYNTHETIC survey was made from, with their rows
        assert "view population WHERE" in page
        assert "view remittances WHERE" in page


def test_the_report_in_a_browser(demo: Path, browser, tmp_path: Path) -> None:
    """The French report in headless Chromium on a phone's width: the SYNTHETIC banner is
    visible, every chart is drawn at a readable size (scrolling sideways in its figure),
    and the page itself is no wider than the screen."""
    results = estimate_survey(load_description(demo))
    path = tmp_path / "report.fr.html"
    path.write_text(report_html(results, "Moldova", "fr"), encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 800})
    try:
        page.goto(path.as_uri())
        assert page.locator("#synthetic").is_visible()
        assert "SYNTHÉTIQUE" in page.locator("#synthetic").inner_text()
        boxes = [page.locator("svg.chart").nth(i).bounding_box()
                 for i in range(page.locator("svg.chart").count())]
        assert len(boxes) >= 5
        assert all(b is not None and b["width"] >= 560 and b["height"] > 50 for b in boxes)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(tmp_path / "report.fr.png"), full_page=True)
    finally:
        page.close()


def test_bad_survey_input_is_one_line_naming_file_and_place(fixture_store: Path,
                                                            tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text(json.dumps({
        "id": "x", "title": "t", "country": "MDA",
        "modules": {"households": {"responses": "h.csv", "weight": "w"}}}), encoding="utf-8")
    (tmp_path / "h.csv").write_text("w,members_abroad_n\n1,2\nx,1\n", encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"id": "x",\n "title": }', encoding="utf-8")
    for description, expected in (
            ("s.json", "error: h.csv: row 3, column 'w': weight is 'x', not a number"),
            ("broken.json", f"error: {tmp_path / 'broken.json'}: line 2: not valid JSON")):
        result = CliRunner().invoke(cli, ["survey", "indicators", str(tmp_path / description),
                                          "--db", str(fixture_store)])
        assert result.exit_code == 1
        assert result.output.splitlines()[0].startswith(expected), result.output
