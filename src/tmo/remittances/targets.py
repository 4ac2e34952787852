"""SDG 10.c's two thresholds, quarters as points in time, and a traffic light.

SDG target 10.c: "By 2030, reduce to less than 3 per cent the transaction costs of migrant
remittances and eliminate remittance corridors with costs higher than 5 per cent"
(indicator 10.c.1: remittance costs as a proportion of the amount remitted).
"""

from __future__ import annotations

import re

SDG_AVERAGE = 3.0  # percent: the average the world should reach by 2030
CORRIDOR_CEILING = 5.0  # percent: no corridor above it
LIGHTS = ("green", "amber", "red", "grey")
_PERIOD = re.compile(r"(\d{4})Q([1-4])")


def period_time(period: str) -> float:
    """'2013Q2' -> 2013.25: the quarter's start as a year with a fraction."""
    m = _PERIOD.fullmatch(period)
    if m is None:
        raise ValueError(f"not a quarter like 2013Q2: {period!r}")
    return int(m.group(1)) + (int(m.group(2)) - 1) / 4


def above_ceiling(cost: float) -> bool:
    """The corridor costs more than SDG 10.c allows any corridor (above 5 %)."""
    return cost > CORRIDOR_CEILING


def meets_average(cost: float) -> bool:
    """At or below the 3 % SDG 10.c sets for the average."""
    return cost <= SDG_AVERAGE


def light(average: float | None, highest: float | None) -> str:
    """Traffic light of a set of corridors in one quarter: green when it meets SDG 10.c
    (average at or below 3 % and no corridor above 5 %), amber when the average is at or
    below 5 % but the target is not met, red when the average is above 5 %, grey when no
    corridor is priced."""
    if average is None or highest is None:
        return "grey"
    if meets_average(average) and not above_ceiling(highest):
        return "green"
    return "amber" if not above_ceiling(average) else "red"
