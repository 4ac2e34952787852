"""The rounding rules (docs/factcards.md): properties of the kernels, and the words."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tmo.factcards import rounding
from tmo.factcards import words as w

COUNTS = st.integers(min_value=1000, max_value=10**13)


def digits_shown(x: float) -> int:
    """Significant digits of a number as written without trailing zeros."""
    text = f"{x:.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0")
    return len(text.rstrip("0")) if "." not in f"{x:g}" else len(text)


@given(COUNTS)
def test_a_count_keeps_three_significant_figures_at_most(n: int) -> None:
    r = rounding.count(n)
    # never more precision than three figures ...
    assert abs(r.value - n) <= 0.5 * 10 ** (math.floor(math.log10(n)) - 2) + 1e-6
    # ... and the scaled number written shows at most three of them
    assert len(f"{r.scaled:.{r.digits}f}".replace(".", "").lstrip("0").rstrip("0")) <= 3
    scale = {None: 1, "million": 1e6, "billion": 1e9}[r.scale]
    assert math.isclose(r.scaled * scale, r.value, rel_tol=1e-9)


@given(st.integers(min_value=0, max_value=999))
def test_small_counts_are_stated_as_published(n: int) -> None:
    assert rounding.count(n).value == n


@given(st.floats(min_value=0.1, max_value=100, allow_nan=False))
def test_a_share_has_one_decimal_and_moves_at_most_half_a_tenth(x: float) -> None:
    shown, below = rounding.share(x)
    assert not below
    assert abs(shown - x) <= 0.05 + 1e-9
    assert shown == round(shown, 1)


@given(st.floats(min_value=1e-9, max_value=0.0999, allow_nan=False))
def test_a_tiny_share_is_less_than_a_tenth(x: float) -> None:
    assert rounding.share(x) == (0.1, True)


def test_sentences_in_each_language() -> None:
    assert w.people(16_750_084, "en") == "16.8 million"
    assert w.people(16_750_084, "fr", of=True) == "16,8 millions de"
    assert w.people(1_880_000, "fr") == "1,88 million"
    assert w.people(16_750_084, "es") == "16,8 millones"
    assert w.people(17_000_000, "en") == "17 million"
    assert w.people(25_349, "en") == "25,300"
    assert w.people(25_349, "fr") == "25\u202f300"
    assert w.usd(2_170_000_000, "es") == "2,17 mil millones de dólares"
    assert w.percent(19.84, "fr") == "19,8\u202f%"
    assert w.percent(0.02, "en") == "less than 0.1 %"
    assert w.percent(18.8, "es", article=True) == "el 18,8 %"
    assert w.whole_percent(-64.6, "en") == "65 %"


def test_every_word_has_the_three_languages() -> None:
    for table in (w.WORDS, w.NOTES):
        for key, langs in table.items():
            assert set(langs) == {"en", "fr", "es"}, key
            assert all(text.strip() for text in langs.values()), key
