"""The registry's codes: roles, consent purposes, and the optional composition fields'
code lists (ISCED 2011 levels, ISCO-08 major groups, sexes, age bands)."""

from __future__ import annotations

ROLES = ("registrant", "officer", "analyst", "admin", "institution")  # institution: tmo.skills
STAFF = ("officer", "analyst", "admin")

# Consent purposes (opt-in, one timestamped record each, withdrawable).
PURPOSES = ("crisis_contact", "statistics", "domestic_institutions", "news")

SEXES = ("female", "male", "other")

# ISCED 2011 levels 0-8 (UNESCO Institute for Statistics, International Standard
# Classification of Education 2011, Table 1).
ISCED = {
    "0": "early childhood education",
    "1": "primary education",
    "2": "lower secondary education",
    "3": "upper secondary education",
    "4": "post-secondary non-tertiary education",
    "5": "short-cycle tertiary education",
    "6": "bachelor's or equivalent level",
    "7": "master's or equivalent level",
    "8": "doctoral or equivalent level",
}

# ISCO-08 major groups: the first digit of a four-digit unit group (ILO, International
# Standard Classification of Occupations 2008, Volume 1, Table 1).
ISCO_MAJOR = {
    "0": "armed forces occupations",
    "1": "managers",
    "2": "professionals",
    "3": "technicians and associate professionals",
    "4": "clerical support workers",
    "5": "service and sales workers",
    "6": "skilled agricultural, forestry and fishery workers",
    "7": "craft and related trades workers",
    "8": "plant and machine operators, and assemblers",
    "9": "elementary occupations",
}

INTENTIONS = ("return", "invest", "mentor", "vote")

AGE_BANDS = ((0, 14), (15, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200))
NOT_STATED = "not_stated"


def age_band(birth_year: int | None, year: int) -> str:
    """The age band of someone born in `birth_year` at the end of `year`."""
    if birth_year is None:
        return NOT_STATED
    age = year - birth_year
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return NOT_STATED
