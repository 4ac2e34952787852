"""The classifications the skills profiles and opportunities are coded in (a pure kernel
apart from reading the shipped reference file once):

- ISCO-08, the International Standard Classification of Occupations (ILO 2012, Volume 1):
  10 major, 43 sub-major, 130 minor and 436 unit groups, read from
  `reference/isco08.tsv` (its header cites the publication). A code's length is its level
  and its parent is the code less its last digit.
- ISCED 2011 levels 0-8 (UNESCO Institute for Statistics 2012, table 1) and the eleven
  broad fields of ISCED-F 2013 (UNESCO Institute for Statistics 2014, "ISCED Fields of
  Education and Training 2013").
- CEFR levels A1 < A2 < B1 < B2 < C1 < C2 (Council of Europe 2001, Common European
  Framework of Reference for Languages, chapter 3; Companion Volume 2020).

A title the table lacks in a language is never made up: `title` gives the English one and
says so (`Title.fallback`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale

REFERENCE = Path(__file__).with_name("reference")
ISCO_FILE = REFERENCE / "isco08.tsv"
LANGUAGES = ("en", "fr", "es")
LEVELS = {1: "major", 2: "sub-major", 3: "minor", 4: "unit"}
ISCO_CITATION = ("International Labour Office, International Standard Classification of "
                 "Occupations: ISCO-08, Volume 1, Geneva, ILO, 2012")

# ISCED 2011 levels (UNESCO UIS 2012, International Standard Classification of Education
# 2011, table 1), as the registry codes them (tmo.registry.vocabulary.ISCED).
ISCED_LEVELS = ("0", "1", "2", "3", "4", "5", "6", "7", "8")
# ISCED-F 2013 broad fields (UNESCO UIS 2014, ISCED Fields of Education and Training 2013,
# section 4).
ISCED_F = {
    "00": "Generic programmes and qualifications",
    "01": "Education",
    "02": "Arts and humanities",
    "03": "Social sciences, journalism and information",
    "04": "Business, administration and law",
    "05": "Natural sciences, mathematics and statistics",
    "06": "Information and Communication Technologies",
    "07": "Engineering, manufacturing and construction",
    "08": "Agriculture, forestry, fisheries and veterinary",
    "09": "Health and welfare",
    "10": "Services",
}
ISCED_CITATION = ("UNESCO Institute for Statistics, International Standard Classification "
                  "of Education: ISCED 2011 (2012) and ISCED Fields of Education and "
                  "Training 2013 (ISCED-F 2013) (2014)")
# The levels' names in English, French and Spanish as UNESCO's Institute for Statistics
# publishes them in its SDMX code list "Level of education" (agency UNESCO, CL_EDU_LEVEL,
# version 1.0, codes L0 to L8).
ISCED_NAMES = {
    "en": ("Early childhood education", "Primary education", "Lower secondary education",
           "Upper secondary education", "Post-secondary non-tertiary education",
           "Short-cycle tertiary education", "Bachelor's or equivalent level",
           "Master's or equivalent level", "Doctoral or equivalent level"),
    "fr": ("Education de la petite enfance", "Enseignement primaire",
           "Premier cycle de l'enseignement secondaire",
           "Deuxième cycle de l'enseignement secondaire",
           "Enseignement post-secondaire non-supérieur",
           "Enseignement supérieur de cycle court", "Licence ou niveau équivalent",
           "Master ou niveau équivalent", "Doctorat ou niveau équivalent"),
    "es": ("Educación de la primera infancia", "Educación primaria",
           "Educación secundaria baja", "Educación secundaria alta",
           "Educación post-secundaria no terciaria", "Educación terciaria de ciclo corto",
           "Grado en educación terciaria o nivel equivalente",
           "Nivel de maestría, especialización o equivalente",
           "Nivel de doctorado o equivalente"),
}
ISCED_NAMES_CITATION = ("UNESCO Institute for Statistics, SDMX code list CL_EDU_LEVEL "
                        "(version 1.0), Level of education, names in English, French and "
                        "Spanish")
LANGUAGE_NAMES_CITATION = "Unicode CLDR language names, through Babel"
# ESCO (European Commission) holds every ISCO-08 group in its occupations pillar as a
# concept of its own, identified by this prefix and the code (C2512: software developers).
ESCO_ISCO = "http://data.europa.eu/esco/isco/C"
ESCO_CITATION = ("European Commission, ESCO (European Skills, Competences, Qualifications "
                 "and Occupations), occupations pillar: the ISCO-08 groups")
# CEFR common reference levels, in order (Council of Europe 2001, section 3.3).
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")
CEFR_CITATION = ("Council of Europe, Common European Framework of Reference for "
                 "Languages: Learning, teaching, assessment, 2001, section 3.3")


@dataclass(frozen=True)
class Group:
    code: str
    titles: dict[str, str]  # language -> title, only where the table has one

    @property
    def level(self) -> str:
        return LEVELS[len(self.code)]

    @property
    def parent(self) -> str | None:
        return self.code[:-1] or None


@dataclass(frozen=True)
class Title:
    text: str
    language: str  # the language of `text`
    fallback: bool  # True: not in the table in the language asked; English shown


@lru_cache(maxsize=1)
def isco() -> dict[str, Group]:
    """Every ISCO-08 group by code, in the table's order."""
    lines = [line for line in ISCO_FILE.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    groups: dict[str, Group] = {}
    for row in csv.DictReader(lines, delimiter="\t", restval=""):
        titles = {lang: (row.get(lang) or "").strip() for lang in LANGUAGES}
        groups[row["code"]] = Group(row["code"], {k: v for k, v in titles.items() if v})
    return groups


def units() -> list[str]:
    """The 436 unit groups (four digits)."""
    return [code for code in isco() if len(code) == 4]


def is_unit(code: str) -> bool:
    return len(code) == 4 and code in isco()


def title(code: str, lang: str = "en") -> Title:
    """The title of an ISCO-08 group in `lang`, or the English one marked as a fallback."""
    group = isco().get(code)
    if group is None:
        raise KeyError(f"{code!r} is not an ISCO-08 group")
    if lang in group.titles:
        return Title(group.titles[lang], lang, False)
    return Title(group.titles["en"], "en", lang != "en")


def distance(a: str, b: str) -> int:
    """Steps up the ISCO hierarchy to the nearest group holding both codes: 0 when one
    code is the other or a group holding it (2512 in 251), 1 the same minor group (2512,
    2511), 2 the same sub-major group, 3 the same major group, 4 none in common."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return 0 if common == min(len(a), len(b)) else 4 - common


def cefr_rank(level: str | None) -> int:
    """0 for none, 1 (A1) to 6 (C2)."""
    return CEFR.index(level) + 1 if level in CEFR else 0


def isced_name(level: str | None, lang: str = "en") -> str:
    """The name of an ISCED 2011 level in `lang` (ISCED_NAMES); "" for none."""
    if level not in ISCED_LEVELS:
        return ""
    return ISCED_NAMES.get(lang, ISCED_NAMES["en"])[int(level or 0)]


@lru_cache(maxsize=8)
def _language_names(lang: str) -> dict[str, str]:
    return dict(Locale.parse(lang).languages)  # CLDR data: read once per language


def language_name(code: str, lang: str = "en") -> str:
    """The name of the language `code` (ISO 639) in `lang`, from CLDR; the code itself
    when CLDR has no name for it."""
    return _language_names(lang if lang in LANGUAGES else "en").get(code, code)


def esco_uri(code: str) -> str:
    """ESCO's URI of an ISCO-08 group (the same group, not a mapping to an ESCO
    occupation); KeyError for a code that is not a group."""
    if code not in isco():
        raise KeyError(f"{code!r} is not an ISCO-08 group")
    return ESCO_ISCO + code
