"""Pure pieces of the profiles: dispersion measures, chart geometry, number formats."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tmo.indicators.dispersion import effective_number, herfindahl, shares, top_share
from tmo.profiles import charts
from tmo.profiles.i18n import Locale

values = st.lists(st.floats(0, 1e9), min_size=1, max_size=50)


@given(values)
def test_herfindahl_bounds(v: list[float]) -> None:
    positive = [x for x in v if x > 0]
    h = herfindahl(v)
    if not positive:
        assert h == 0
        return
    assert 1 / len(positive) - 1e-9 <= h <= 1 + 1e-9
    assert top_share(v) ** 2 <= h + 1e-9


def test_dispersion_known_values() -> None:
    assert herfindahl([1, 1, 1, 1]) == pytest.approx(0.25)
    assert effective_number([1, 1, 1, 1]) == pytest.approx(4)
    assert herfindahl([5, 0, 0]) == 1
    assert top_share([60, 30, 10], k=2) == pytest.approx(0.9)
    np.testing.assert_allclose(shares([1, 3]), [0.25, 0.75])
    with pytest.raises(ValueError, match="negative"):
        shares([1, -1])


@given(st.floats(1e-3, 1e12))
def test_ticks_cover_the_maximum(top: float) -> None:
    ticks = charts.nice_ticks(top)
    assert ticks[0] == 0
    assert ticks[-1] >= top
    assert len(ticks) <= 12


def test_line_chart_is_accessible_svg() -> None:
    svg = charts.line_chart([("Immigrants", [(1990, 10.0), (2000, None), (2020, 30.0)])],
                            title="Trend", fmt=lambda x: f"{x:.0f}")
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert "<title>Trend</title>" in svg
    assert "Immigrants: 1990 10, 2020 30" in svg
    assert svg.count("<circle") == 2


def test_map_classes_are_increasing() -> None:
    bounds = charts.classes([10, 100, 1000, 1e6])
    assert bounds == sorted(bounds)
    assert bounds[-1] == pytest.approx(1e6)
    svg = charts.world_map({"AAA": "M0,0L1,1Z", "BBB": "M2,2L3,3Z"}, {"BBB": 50},
                           title="Map", fmt=str, names={"BBB": "Bee"}, highlight="AAA")
    assert 'data-iso3="BBB"' in svg
    assert "Bee: 50" in svg
    assert "#f1c40f" in svg


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "1,234,567.9"), ("fr", "1\u202f234\u202f567,9"), ("es", "1.234.567,9")])
def test_number_formats(lang: str, expected: str) -> None:
    assert Locale(lang).number(1234567.89, 1) == expected


def test_every_language_has_every_label() -> None:
    from tmo.profiles.i18n import LANGUAGES, catalogue

    keys = set(catalogue("en"))
    for lang in LANGUAGES:
        assert set(catalogue(lang)) == keys, lang



@given(st.lists(st.text(alphabet="ABCdefgh-é ", min_size=1, max_size=60), min_size=1,
                max_size=10))
def test_bar_labels_fit_their_column(names: list[str]) -> None:
    """No bar label runs past the chart's left edge: a label wider than its column ends in
    an ellipsis, and the bar's tooltip keeps the whole name."""
    svg = charts.bar_chart([(n, float(i + 1), "") for i, n in enumerate(names)],
                           title="t", fmt=str)
    labels = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end" fill="#222">'
                        r"([^<]*)</text>", svg)
    assert len(labels) == len(names)
    for (x, shown), name in zip(labels, names, strict=True):
        assert float(x) - len(shown) * charts.GLYPH_W >= 0  # starts inside the chart
        assert shown == name or (shown.endswith("…") and name.startswith(shown[:-1]))
        assert f"<title>{name}: " in svg


@given(st.lists(st.integers(1950, 2050), min_size=1, max_size=60, unique=True))
def test_year_labels_never_collide(years: list[int]) -> None:
    """The year labels of a line chart are at least a label's width apart, and the first
    and the last year of the series are among them unless the two are too close."""
    svg = charts.line_chart([("a", [(y, float(i)) for i, y in enumerate(sorted(years))])],
                            title="t", fmt=str)
    labels = [(float(x), int(y)) for x, y in re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" fill="#444">(\d{4})</text>', svg)]
    xs = [x for x, _ in labels]
    assert all(b - a >= charts.YEAR_GAP for a, b in itertools.pairwise(xs))
    shown = [y for _, y in labels]
    assert shown[-1] == max(years)
    assert shown[0] == min(years) or len(shown) == 1
