"""What's new in headless Chromium over the fixture store with alert rules: each language
complete (no English sentence of the page on the French or Spanish one), the alerts as
sentences, axe-core clean, nothing from another host, one column on a phone; the Atom
feed and the API."""

from __future__ import annotations

import os
import shutil
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tmo.revisions.alerts import parse_rules
from tmo.revisions.i18n import WORDS
from tmo.revisions.stage import write_alerts
from tmo.store.writer import derive

from ..fixture_store import figures
from .conftest import serve
from .test_accessibility import RULES as AXE_RULES

ALERT_RULES = [
    {"name": "mda-corridors", "country": "MDA", "kind": "corridor_change", "threshold": 10},
    {"name": "deu-revised", "country": "DEU", "kind": "revision_change", "threshold": 10},
    {"name": "mda-share", "country": "MDA", "kind": "share_crossing", "level": 0.3},
]
MDA_CORRIDORS = sum(1 for d, origins in figures.OD.items() for o in origins
                    if "MDA" in (o, d))
SHOTS = Path(os.environ.get("TMO_SCREENSHOTS", "/tmp"))
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def news_store(fixture_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture store with the alerts of ALERT_RULES stored (build 1)."""
    copy = tmp_path_factory.mktemp("news") / "tmo.duckdb"
    shutil.copy(fixture_store, copy)
    rules = parse_rules(ALERT_RULES, "rules")
    derive(copy, "alerts", lambda con: write_alerts(con, rules))
    return copy


@pytest.fixture(scope="module")
def news_url(news_store: Path) -> Iterator[str]:
    yield from serve(news_store)


@pytest.fixture(scope="module")
def news_page(news_url: str, browser):
    pg = browser.new_page(viewport={"width": 1200, "height": 900})
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(news_url) else outside.append(r.url))
    pg.outside = outside
    yield pg
    pg.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_page_in_each_language(news_page, news_url: str, lang: str) -> None:
    news_page.goto(f"{news_url}/whats-new?lang={lang}")
    words = WORDS[lang]
    assert news_page.get_attribute("html", "lang") == lang
    assert news_page.inner_text("h1") == words["title"]
    assert news_page.title() == f"{words['title']} · {words['site']}"
    alerts = news_page.locator("ul.alerts > li")
    assert alerts.count() == MDA_CORRIDORS + 2
    text = news_page.inner_text("body")
    # the French and Spanish pages hold none of the English page's sentences
    if lang != "en":
        english = [v.split("{")[0].strip() for k, v in WORDS["en"].items()
                   if v != words[k] and len(v.split("{")[0].strip()) > 8]
        leaked = [e for e in english if e in text]
        assert leaked == []
    # DEU's immigrants in 2020: 88,000 (IMS 2020) and 99,000 (IMS 2024), +12.5 %
    sep = {"en": ",", "fr": "\u202f", "es": "."}[lang]
    dec = {"en": ".", "fr": ",", "es": ","}[lang]
    deu = [alerts.nth(i).inner_text() for i in range(alerts.count())
           if "deu-revised" in alerts.nth(i).inner_text()]
    assert len(deu) == 1
    assert f"88{sep}000" in deu[0]
    assert f"99{sep}000" in deu[0]
    assert f"+12{dec}5 %" in deu[0]
    row = {"en": "row 68]", "fr": "ligne 68]", "es": "fila 68]"}[lang]  # MDA -> ITA
    assert any(row in alerts.nth(i).inner_text() for i in range(alerts.count()))
    assert news_page.outside == []
    news_page.screenshot(path=str(SHOTS / f"whats-new.{lang}.png"), full_page=True)


def test_axe_finds_no_violation(news_page, news_url: str) -> None:
    news_page.goto(f"{news_url}/whats-new?lang=fr")
    results = Axe().run(news_page, options=AXE_RULES).response
    assert len(results["passes"]) > 20
    assert [f"{v['id']}: {v['help']} at {v['nodes'][0]['target']}"
            for v in results["violations"]] == []


def test_one_column_on_a_phone(browser, news_url: str) -> None:
    phone = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        phone.goto(f"{news_url}/whats-new?lang=es")
        wide = phone.evaluate("document.documentElement.scrollWidth")
        assert wide <= 375
        phone.screenshot(path=str(SHOTS / "whats-new.es.phone.png"), full_page=True)
    finally:
        phone.close()


def test_atom_feed_of_builds_and_alerts(news_url: str) -> None:
    with urllib.request.urlopen(f"{news_url}/whats-new.atom?lang=fr") as answer:
        assert answer.headers["Content-Type"].startswith("application/atom+xml")
        feed = ET.fromstring(answer.read())
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1 + MDA_CORRIDORS + 2  # the build and the alerts
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    assert all(e.findtext(f"{ATOM}updated") for e in entries)
    titles = [e.findtext(f"{ATOM}title") or "" for e in entries]
    assert sum(t.startswith("Alerte (") for t in titles) == MDA_CORRIDORS + 2
    assert feed.findtext(f"{ATOM}title") == WORDS["fr"]["feed_title"]


def test_api(news_url: str) -> None:
    import json

    with urllib.request.urlopen(f"{news_url}/api/v1/whats-new") as answer:
        data = json.loads(answer.read())["data"]
    assert [b["build"] for b in data["builds"]] == [1]
    assert len(data["alerts"]) == MDA_CORRIDORS + 2
    ims = next(p for p in data["pairs"] if p["dataset"] == "IMS")
    world = {r["measure"]: r for r in ims["world"]}
    # World 2020: 619,100 x 8/10 and x 9/10 (figures.TENTHS)
    assert (world["immigrants"]["old_value"], world["immigrants"]["new_value"]) == (
        619_100 * 8 // 10, 619_100 * 9 // 10)


def test_changes_alerts_command(news_store: Path) -> None:
    import csv
    import io

    from click.testing import CliRunner

    from tmo.cli import cli

    res = CliRunner().invoke(cli, ["changes", "--db", str(news_store), "--alerts",
                                   "--country", "mda", "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.output)))
    assert sorted({r["rule"] for r in rows}) == ["mda-corridors", "mda-share"]
    assert len(rows) == MDA_CORRIDORS + 1
    md = CliRunner().invoke(cli, ["changes", "--db", str(news_store), "--alerts"])
    expected = ("rule deu-revised: immigrants of DEU in 2020: 88,000 in IMS 2020, 99,000 "
                "in IMS 2024 (+12.5 %, more than 10 %)")
    assert expected in md.output
