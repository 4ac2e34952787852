"""UNHCR's two recognition rates of asylum decisions (pure kernel).

In the absence of an internationally agreed method, UNHCR publishes two rates over the
*substantive* decisions of a year (recognised as refugees + complementary protection +
rejected); decisions otherwise closed (non-substantive: withdrawn, abandoned, ...) are
left out of both:

- total recognition rate = (recognised + complementary protection) / substantive;
- refugee recognition rate = recognised / substantive.

Sources: UNHCR, refugees R package documentation of `asylum_decisions`
(https://search.r-project.org/CRAN/refmans/refugees/html/asylum_decisions.html) and the
rates as UNHCR defines them (https://www.unhcr.org/4ce531e09.pdf, quoted in UNHCR's
unhcrdatapackage: https://edouard-legoupil.github.io/unhcrdatapackage/reference/plot_ctr_origin_recognition.html).
Persons and cases are different units: compute the rates of each apart, never of a sum.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rates:
    total: float  # (recognised + complementary) / substantive decisions
    refugee: float  # recognised / substantive decisions
    substantive: float  # the denominator


def recognition_rates(recognized: float, complementary: float, rejected: float
                      ) -> Rates | None:
    """The two rates, or None when there is no substantive decision (no rate, not 0)."""
    if min(recognized, complementary, rejected) < 0:
        raise ValueError("decision counts cannot be negative")
    substantive = recognized + complementary + rejected
    if substantive <= 0:
        return None
    return Rates((recognized + complementary) / substantive, recognized / substantive,
                 substantive)
