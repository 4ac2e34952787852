"""The shared vocabulary of the store, at the lowest layer: every package may import it.

Area codes (see `tmo.frame`): ISO 3166 alpha-3 for countries and areas, the special
codes below, `UN:<m49>` for UN aggregates and `WB:<code>` for World Bank aggregates.
"""

from __future__ import annotations

from typing import Literal

# How a geographic column identifies places, as published (adapters declare it; the
# build's harmonisation maps each kind to area codes):
#  "m49"   UN M49 numeric codes (int or numeric string), aggregates > 900 included
#  "iso3"  ISO 3166 alpha-3 (plus OOO, XCX, XKX and the like)
#  "iso2"  ISO 3166 alpha-2, plus the codes of countries/aliases/iso2.tsv (Eurostat's
#          EL Greece, UK United Kingdom)
#  "wb"    World Bank codes: ISO3 for economies, WB aggregate codes (WLD, AFE, ...)
#  "unhcr" UNHCR ISO-like codes (UNK = unknown, stateless codes ...)
#  "name"  English names only; the value of `name_vocabulary` selects the alias file
GeoKind = Literal["m49", "iso3", "iso2", "wb", "unhcr", "name"]

UNKNOWN_ORIGIN = "OOO"  # immigrants whose place of birth the destination does not report
WORLD = "UN:900"
SEXES: tuple[str, ...] = ("total", "female", "male")
Sex = Literal["total", "female", "male"]


def is_aggregate(code: str) -> bool:
    """Whether an area code names a group of countries (`UN:<m49>`, `WB:<code>`)."""
    return ":" in code
