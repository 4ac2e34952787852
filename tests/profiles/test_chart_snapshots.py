"""Every kind of chart of tmo.profiles.charts, drawn from small hand-made inputs, equals
its committed SVG under tests/profiles/snapshots/ (one tag per line there, so a change
shows as a readable unified diff).

After an intended change of the charts, regenerate the files and review their diff:

    TMO_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/profiles/test_chart_snapshots.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from tmo.profiles import charts

SNAPSHOTS = Path(__file__).with_name("snapshots")
UPDATE = os.environ.get("TMO_UPDATE_SNAPSHOTS") == "1"


def lines(svg: str) -> str:
    """One tag per line; exact, since the charts write no line breaks themselves."""
    assert "\n" not in svg
    return svg.replace("><", ">\n<") + "\n"


def assert_snapshot(name: str, svg: str) -> None:
    path = SNAPSHOTS / f"{name}.svg"
    got = lines(svg)
    if UPDATE:
        path.write_text(got, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"no snapshot {path.name}: run with TMO_UPDATE_SNAPSHOTS=1 and commit it",
                    pytrace=False)
    expected = path.read_text(encoding="utf-8")
    if got != expected:
        diff = difflib.unified_diff(expected.splitlines(), got.splitlines(),
                                    f"snapshots/{path.name}", "drawn now", lineterm="")
        pytest.fail(f"{name} differs from its snapshot (TMO_UPDATE_SNAPSHOTS=1 rewrites it):\n"
                    + "\n".join(diff), pytrace=False)


def thousands(x: float) -> str:
    return f"{x:,.0f}"


def percent(x: float) -> str:
    return f"{x:.1f}"


# Made-up figures of three made-up places (codes AAA, BBB, CCC), nothing from real data.
NAMES = {"AAA": "Aland & Co", "BBB": "Bee <Islands>", "CCC": "Cee"}
SHAPES = {"AAA": "M10,10L110,10L110,90L10,90Z", "BBB": "M150,40L260,40L205,140Z",
          "CCC": "M300,200L420,200L420,300L300,300Z", "DDD": "M500,50L560,50L560,110Z"}

CASES = {
    "line": lambda: charts.line_chart(
        [("Immigrants", [(1990, 1200.0), (2000, None), (2010, 2500.0), (2020, 4100.0)]),
         ("Emigrants", [(1990, 800.0), (2000, 950.0), (2010, 700.0), (2020, 300.0)])],
        title="Migrants & residents", fmt=thousands),
    "line_long_labels": lambda: charts.line_chart(
        [("Born in Aland, living in Bee Islands", [(y, 10.0 * (y - 1989))
                                                   for y in range(1990, 2005)]),
         ("Born in Bee Islands, living in Aland", [(1990, 5.0), (2004, 45.0)])],
        title="Corridor", fmt=thousands, width=500, height=240),
    "line_empty": lambda: charts.line_chart([("Nothing", [(1990, None)])], title="Trend",
                                            fmt=thousands),
    "bar": lambda: charts.bar_chart(
        [("Aland & Co", 5000.0, "(50 %)"), ("Bee <Islands>", 3000.0, "(30 %)"),
         ("A name longer than thirty characters", 2000.0, "(20 %)"), ("Cee", 0.0, "")],
        title="Top destinations", fmt=thousands),
    "bar_empty": lambda: charts.bar_chart([], title="Top origins", fmt=thousands),
    "share_bars": lambda: charts.share_bars(
        [("Immigrants", 55.0), ("Emigrants", 42.5), ("Refugees", None)],
        title="Women among migrants", fmt=percent, labels=("women", "men")),
    "share_bars_empty": lambda: charts.share_bars([("Immigrants", None)], title="Women",
                                                  fmt=percent, labels=("women", "men")),
    "world_map": lambda: charts.world_map(
        SHAPES, {"AAA": 12.0, "BBB": 250.0, "CCC": 9000.0}, title="Immigrants, % of residents",
        fmt=percent, names=NAMES, highlight="CCC", width=600, height=320),
    "world_map_links": lambda: charts.world_map(
        SHAPES, {"AAA": 12.0, "BBB": 250.0, "CCC": 9000.0, "DDD": 40.0}, title="Linked map",
        fmt=percent, names=NAMES, width=600, height=320, link=lambda iso3: f"/c/{iso3}?x=1&y=2"),
    "world_map_one_value": lambda: charts.world_map(
        SHAPES, {"BBB": 7.0}, title="One value", fmt=percent, names=NAMES, width=600,
        height=320),
    "sankey": lambda: charts.sankey(
        [("AAA", "BBB", 600.0), ("AAA", "CCC", 300.0), ("CCC", "BBB", 150.0),
         ("DDD", "AAA", 50.0)], title="Flows 2015-2020", fmt=thousands, names=NAMES),
    "sankey_empty": lambda: charts.sankey([], title="Flows", fmt=thousands, names=NAMES),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_equals_its_snapshot(name: str) -> None:
    assert_snapshot(name, CASES[name]())


def test_every_snapshot_is_drawn() -> None:
    """No stale snapshot: each file belongs to a case."""
    assert {p.stem for p in SNAPSHOTS.glob("*.svg")} == set(CASES)


def test_a_changed_chart_fails_with_a_diff(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(f"{__name__}.SNAPSHOTS", tmp_path)
    monkeypatch.setattr(f"{__name__}.UPDATE", False)
    (tmp_path / "bar.svg").write_text(lines(CASES["bar"]()).replace("Top destinations",
                                                                     "Top sources"))
    with pytest.raises(pytest.fail.Exception) as failed:
        assert_snapshot("bar", CASES["bar"]())
    assert "-<title>Top sources</title>" in str(failed.value)
    assert "+<title>Top destinations</title>" in str(failed.value)
