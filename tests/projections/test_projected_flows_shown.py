"""Projected flows where users see them (issue #14): the API route, the profile's
projections section (HTML, Markdown, JSON; EN/FR/ES) and the /projections page, over the
tiny fixture store after `tmo projections run` and `tmo projections flows run` with a few
draws. Every figure is checked against the stored `projected_flows` rows read here with
plain SQL; "no data" where none are stored."""

from __future__ import annotations

import csv
import io
import shutil
from html import unescape
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from tmo.cli import cli
from tmo.profiles import charts
from tmo.profiles.context import build_profile_from
from tmo.profiles.i18n import Locale
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.projected_flows import WORDS
from tmo.profiles.render import render_html, render_markdown
from tmo.profiles.stage import refreshable
from tmo.web.app import create_app

from ..web.conformance import Conformance
from .test_profile_section import stored_profile

COUNTRY = "DEU"
DRAWS = 2


@pytest.fixture(scope="module")
def flows_db(projected: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("shown_flows") / "tmo.duckdb"
    shutil.copy(projected, copy)
    res = CliRunner().invoke(cli, ["projections", "flows", "run", "--scenario", "median",
                                   "--scenario", "draws", "--flow-draws", str(DRAWS),
                                   "--db", str(copy)])
    assert res.exit_code == 0, res.output
    return copy


def test_the_run_stores_the_draws_of_every_sex(flows_db: Path) -> None:
    """By default (test_flow_intervals.py: the total alone with --flow-sex total)."""
    con = duckdb.connect(str(flows_db), read_only=True)
    stored = con.execute("SELECT DISTINCT sex FROM projected_flows WHERE scenario = "
                         "'draws_median' ORDER BY 1").fetchall()
    con.close()
    assert stored == [("female",), ("male",), ("total",)]


def _cells(db: Path, sex: str = "total") -> pd.DataFrame:
    """The stored flows into or out of COUNTRY, one column a scenario (plain SQL)."""
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""SELECT period_start, origin, destination, scenario, flow
                          FROM projected_flows WHERE sex = ?
                          AND ? IN (origin, destination)""", [sex, COUNTRY]).df()
    con.close()
    return rows.pivot_table(index=["period_start", "origin", "destination"],
                            columns="scenario", values="flow").reset_index()


def test_the_api_serves_the_stored_flows_with_their_intervals(flows_db: Path) -> None:
    wide = _cells(flows_db)
    first = wide[wide["period_start"] == wide["period_start"].min()].fillna(0.0)
    first = first[first["median"] > 0].sort_values("median", ascending=False)
    with TestClient(create_app(flows_db, watch=0)) as client:
        conformance = Conformance(client.get("/openapi.json").json())  # the typed answer
        client.event_hooks = {"request": [], "response": [conformance.hook]}
        answer = client.get("/api/v1/projections/flows",
                            params={"country": COUNTRY.lower(),
                                    "period": int(first["period_start"].iloc[0])}).json()
        drawn = client.get("/api/v1/projections/flows",
                           params={"country": COUNTRY, "scenario": "draws", "sex": "female",
                                   "limit": 1}).json()
        as_csv = client.get("/api/v1/projections/flows",
                            params={"country": COUNTRY, "format": "csv", "limit": 3})
    assert conformance.succeeded() == {("GET", "/api/v1/projections/flows")}
    rows = answer["data"]
    assert [r["flow"] for r in rows] == [round(v) for v in first["median"]]
    for r, (_, want) in zip(rows, first.iterrows(), strict=True):
        assert (r["origin"], r["destination"]) == (want["origin"], want["destination"])
        assert (r["lower80"], r["upper80"], r["lower95"], r["upper95"]) == (
            round(want["draws_lower80"]), round(want["draws_upper80"]),
            round(want["draws_lower95"]), round(want["draws_upper95"]))
        assert (r["revision"], r["wpp_revision"], r["scenario"], r["method"], r["kind"]) == (
            "2024", "2024", "median", "da_pb_closed", "projected")
        assert r["backtested"] is False
        assert r["draws"] == DRAWS  # the futures the intervals come from
        assert "not a forecast" in r["caveat"]
    meta = answer["meta"]
    con = duckdb.connect(str(flows_db), read_only=True)
    count = con.execute(f"SELECT count(*) FROM {meta['source']}").fetchone()
    con.close()
    assert count == (meta["rows"],)
    assert meta["files"]
    female = _cells(flows_db, "female").dropna(subset=["draws_median"])
    top = female.sort_values(["period_start", "draws_median"], ascending=[True, False]).iloc[0]
    assert drawn["data"][0]["flow"] == round(top["draws_median"])
    assert drawn["data"][0]["sex"] == "female"
    assert len(list(csv.DictReader(io.StringIO(as_csv.text)))) == 3


def test_no_projected_flows_is_a_404_with_a_hint(projected: Path) -> None:
    with TestClient(create_app(projected, watch=0)) as client:
        answer = client.get("/api/v1/projections/flows", params={"country": COUNTRY})
    assert answer.status_code == 404
    assert "tmo projections flows run" in answer.json()["error"]["hint"]


def test_the_stored_profile_shows_the_top_three_each_way(flows_db: Path) -> None:
    """`tmo projections flows run` refreshed the stored profiles: the section's flows are
    the three largest of the first period each way, with the draws' bounds."""
    flows = stored_profile(flows_db, COUNTRY)["projections"]["flows"]
    wide = _cells(flows_db)
    first = wide[wide["period_start"] == wide["period_start"].min()].fillna(0.0)
    first = first[(first["median"] > 0) & (first["origin"] != first["destination"])]
    assert len(flows["periods"]) == 1
    period = flows["periods"][0]
    for key, side in (("inflows", "destination"), ("outflows", "origin")):
        want = first[first[side] == COUNTRY].sort_values(
            ["median", "origin", "destination"], ascending=[False, True, True]).head(3)
        assert [(m["origin"], m["destination"], m["flow"], m["lower80"], m["upper95"])
                for m in period[key]] == [
            (w["origin"], w["destination"], w["median"], w["draws_lower80"],
             w["draws_upper95"]) for _, w in want.iterrows()]
    assert (flows["backtested"], flows["intervals"], flows["method"], flows["draws"]) == (
        False, True, "da_pb_closed", DRAWS)
    assert flows["sources"][0]["view"] == "projected_flows"
    # the run refreshed the projections section alone; the stored document is the one
    # built whole on request
    assert refreshable(frozenset({"projected_flows"})) == ["projections"]
    con = duckdb.connect(str(flows_db), read_only=True)
    try:
        for iso3 in (COUNTRY, "MDA"):
            assert stored_profile(flows_db, iso3) == build_profile_from(con, iso3), iso3
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_html_and_markdown_say_what_the_flows_are(flows_db: Path, projected: Path,
                                                  lang: str) -> None:
    con = duckdb.connect(str(flows_db), read_only=True)
    lexicon = Lexicon.from_store(con)
    con.close()
    profile = stored_profile(flows_db, COUNTRY)
    top = profile["projections"]["flows"]["periods"][0]["inflows"][0]
    w, loc = WORDS[lang], Locale(lang)
    md = render_markdown(profile, lexicon, lang)
    html = unescape(render_html(profile, lexicon, lang))
    for text in (md, html):
        assert w["title"] in text
        assert w["caveat"][:40] in text
        assert w["bands_n"].format(draws=DRAWS) + " " + w["few"] in text
        assert loc.number(top["flow"]) in text
        assert f"{loc.number(top['lower80'])}–{loc.number(top['upper80'])}" in text
        if lang != "en":
            part = text[text.index(w["title"]):]
            for key in ("caveat", "bands", "i80", "i95"):
                assert WORDS["en"][key][:30] not in part, key
            assert WORDS["en"]["inflows"].format(country="") not in part
    assert html.count('class="interval"') == 6  # three corridors each way
    # no projected flows stored: no data, never 0
    empty = stored_profile(projected, COUNTRY)
    md = render_markdown(empty, lexicon, lang)
    part = md[md.index(f"### {w['title']}"):]
    assert w["none"].split("(")[0].format(country="")[:20] in part


def test_the_page_shows_the_first_and_last_periods_as_charts(flows_db: Path, browser) -> None:
    with TestClient(create_app(flows_db, watch=0)) as client:
        page_fr = client.get("/projections", params={"country": COUNTRY, "lang": "fr"})
    assert page_fr.status_code == 200
    text = unescape(page_fr.text)
    block = text[text.index('id="projected-flows"'):]
    assert WORDS["fr"]["caveat"][:40] in block
    assert WORDS["en"]["caveat"][:40] not in block
    periods = _cells(flows_db)["period_start"].nunique()
    assert block.count("<svg") == min(2, periods)  # the first and the last period
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_content(page_fr.text)
    chart = page.locator("#projected-flows svg.chart").first
    assert chart.is_visible()
    assert chart.bounding_box()["width"] >= 34 * 16 - 1  # legible on a phone: scrolled
    page.close()


def test_interval_bars_put_each_line_on_its_bar_scale() -> None:
    svg = charts.interval_bars([("In", [("A", 100.0, 50.0, 200.0), ("B", 10.0, None, None)]),
                                ("Out", [])], title="t", fmt=str, legend="80 %")
    assert svg.count('class="bar"') == 2
    assert svg.count('class="interval"') == 1  # none where there is no interval
    assert "A 100.0 (50.0–200.0)" in svg
    assert "no data" in charts.interval_bars([], title="t", fmt=str, legend="")


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_without_draws_the_flows_are_shown_without_intervals(lang: str) -> None:
    """Projected flows stored without the draws scenario: the bars alone, and the words
    say there is no interval (never a made-up one)."""
    from tmo.profiles.projected_flows import view

    move = {"origin": "AAA", "destination": "BBB", "flow": 1234.0, "lower80": None,
            "upper80": None, "lower95": None, "upper95": None}
    flows = {"revision": "2024", "wpp_revision": "2024", "method": "da_pb_closed",
             "intervals": False, "sources": [],
             "periods": [{"period_start": 2024, "period_end": 2030, "inflows": [],
                          "outflows": [move]}]}
    shown = view(flows, Locale(lang), {"BBB": "Bee"}, "Ay")
    assert shown["lines"][1] == WORDS[lang]["no_bands"]
    chart = shown["periods"][0]["chart"]
    assert 'class="interval"' not in chart
    assert chart.count('class="bar"') == 1
    out = shown["periods"][0]["rows"][1]["moves"][0]
    assert (out["name"], out["i80"], out["i95"]) == ("Bee", "–", "–")
    assert view({}, Locale(lang), {}, "Ay")["empty"] == WORDS[lang]["none"].format(
        country="Ay")
