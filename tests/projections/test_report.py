"""The backtest report (`tmo projections backtest --format html|pdf`, issue #14): coverage
by years ahead and PIT histograms for the model and the random walk with drift, point
errors of every baseline, in English, French and Spanish, drawn from the same rows that
`--format json` prints; checked in Chromium (a screenshot is left in /tmp)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmo.cli import cli
from tmo.projections.report import About, Words, catalogue, render_html

ARGS = ["projections", "backtest", "--jump-off", "2015", "--jump-off", "2005", "--draws", "40"]


@pytest.fixture(scope="module")
def rows(fixture_store: Path) -> list[dict]:
    res = CliRunner().invoke(cli, [*ARGS, "--format", "json", "--db", str(fixture_store)])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)["rows"]


@pytest.fixture(scope="module")
def reports(fixture_store: Path, rows: list[dict], tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Path]:
    """The French report written by the command; the English and Spanish ones rendered
    from the JSON rows (the command's path does not depend on the language)."""
    out = tmp_path_factory.mktemp("backtest_report")
    paths = {lang: out / f"backtest.{lang}.html" for lang in ("en", "fr", "es")}
    res = CliRunner().invoke(cli, [*ARGS, "--format", "html", "--lang", "fr", "--out",
                                   str(paths["fr"]), "--db", str(fixture_store)])
    assert res.exit_code == 0, res.output
    about = About("2024", 40, 2024, 0.9, 0.95, "migrant_stock", "revision = '2024'",
                  ("ims2024_od_by_sex_long.csv.gz",), 100)
    for lang in ("en", "es"):
        paths[lang].write_text(render_html(rows, about, lang), encoding="utf-8")
    return paths


def test_the_locales_have_the_same_keys() -> None:
    assert set(catalogue("fr")) == set(catalogue("en")) == set(catalogue("es"))


def test_json_rows_carry_pit_histograms_that_match_their_coverage(rows) -> None:
    with_pit = [r for r in rows if "pit" in r]
    assert {(r["method"], r["level"]) for r in with_pit} == {
        ("model", "corridor"), ("drift", "corridor"), ("model", "destination")}
    for r in with_pit:
        assert len(r["pit"]) == 10
        assert abs(sum(r["pit"]) - 1) < 1e-9
    assert {r["jump_off"] for r in rows} == {2005, 2015}


def test_the_table_shows_the_coverage_of_the_json_rows(rows, reports) -> None:
    """Every coverage the French table shows is the JSON's, in French number format."""
    html = reports["fr"].read_text(encoding="utf-8")
    table = html.split('id="coverage-table"')[1].split("</table>")[0]
    cells = re.findall(r"<tr>((?:<td>[^<]*</td>)+)</tr>", table)
    shown = [re.findall(r"<td>([^<]*)</td>", c) for c in cells]
    w = Words("fr")
    for r in rows:
        if r["method"] == "model" and r["level"] == "corridor" and r["sex"] == "total" \
                and r["band"] == "all":
            line = next(s for s in shown if s[0] == str(r["jump_off"])
                        and s[1] == str(r["target"]))
            assert line[2] == str(r["target"] - r["jump_off"])
            assert line[3:5] == [w.share(r["coverage80"]), w.share(r["coverage95"])]
    assert len(shown) == 6  # 2015: 2020, 2024; 2005: 2010, 2015, 2020, 2024


def test_the_report_in_chromium_in_each_language(reports, browser) -> None:
    english = ["Coverage of", "years after", "corridors", "Random walk", "Last value",
               "Published year", "no data"]
    for lang, path in reports.items():
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        page.goto(path.as_uri())
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("svg.chart").count() == 2 + 6 * 3  # coverage + PIT charts
        assert page.locator("svg.chart rect").count() >= 6 * 3 * 10
        text = page.locator("body").inner_text()
        assert catalogue(lang)["sec_pit"] in text
        if lang != "en":
            assert not [w for w in english if w in text], lang
        if lang == "fr":
            page.screenshot(path="/tmp/backtest_report_fr.png", full_page=True)
        page.close()


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="scripts/system-deps installs poppler-utils")
def test_the_pdf_is_the_same_report(fixture_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "backtest.es.pdf"
    res = CliRunner().invoke(cli, [*ARGS[:4], "--draws", "20", "--format", "pdf", "--lang",
                                   "es", "--out", str(out), "--db", str(fixture_store)])
    assert res.exit_code == 0, res.output
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert catalogue("es")["title"] in " ".join(text.split())
    assert "Calibración: histogramas PIT" in text
