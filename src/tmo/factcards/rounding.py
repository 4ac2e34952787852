"""How much precision a card may state (docs/factcards.md, "Rounding").

The migrant stock is an estimate of UN DESA for 1 July, built from censuses, registers
and surveys of different dates; its last digits carry no information. A card therefore
never states more than three significant figures of a count or an amount, shares with
one decimal (and "less than 0.1 %" below it), changes in whole per cent. The figure
behind the words is kept unrounded in the card's JSON (`value`), so it can be compared
with the profile and with the source row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SIGNIFICANT = 3  # significant figures of counts and amounts
SHARE_DIGITS = 1  # decimals of a share of a population or of a group
SMALLEST_SHARE = 0.1  # below it a share is "less than 0.1 %"


@dataclass(frozen=True)
class Rounded:
    """A value rounded for a sentence: the rounded number, its scale word (None, 'thousand',
    'million', 'billion') and how many decimals the scaled number shows."""

    value: float
    scale: str | None
    scaled: float
    digits: int


def significant(value: float, figures: int = SIGNIFICANT) -> float:
    """`value` rounded to `figures` significant figures (0 stays 0)."""
    if value == 0 or not math.isfinite(value):
        return value
    exponent = math.floor(math.log10(abs(value)))
    return round(value, figures - 1 - exponent)


def count(value: float) -> Rounded:
    """A count of people or an amount of money for a sentence: three significant figures;
    from a million up written with its scale word (16.8 million, 2.01 billion), below it in
    full (8,000; 25,300). Counts under 1,000 are stated as published."""
    if abs(value) < 1000:
        return Rounded(float(value), None, float(value), 0)
    rounded = significant(value)
    for size, scale in ((1e9, "billion"), (1e6, "million")):
        if abs(rounded) >= size:
            scaled = rounded / size
            digits = max(0, SIGNIFICANT - 1 - math.floor(math.log10(abs(scaled))))
            scaled = round(scaled, digits)
            while digits and scaled == round(scaled, digits - 1):
                digits -= 1  # 17.0 million -> 17 million
            return Rounded(rounded, scale, scaled, digits)
    return Rounded(rounded, None, rounded, 0)


def share(value: float) -> tuple[float, bool]:
    """A share in per cent: one decimal; (0.1, True) when it is above 0 but below 0.1."""
    if 0 < abs(value) < SMALLEST_SHARE:
        return SMALLEST_SHARE, True
    return round(value, SHARE_DIGITS), False


def change(value: float) -> int:
    """A relative change in per cent: whole per cent."""
    return round(value)
