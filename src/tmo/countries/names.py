"""Normalising country names so that spelling variants compare equal.

Normalisation is deliberately conservative: it removes typography (case, accents,
footnote marks, indentation, punctuation) and a few fixed word forms, never words
that tell places apart, so that "Guinea" can never become "Equatorial Guinea" and
"Niger" never "Nigeria". Anything beyond that is editorial work for the alias files.
"""

from __future__ import annotations

import re
import unicodedata

_FOOTNOTE = re.compile(r"[*†‡]+|\(\d+\)|\[\d+\]|\s\d{1,2}$")
_ARTICLE = re.compile(r"\((the|of)\)|,\s*the$", re.IGNORECASE)
_QUOTES = re.compile(r"['\u2019\u2018`\u00b4]")
_SAINT = re.compile(r"\bst\b\.?")
_WORDS = {"rep": "republic", "dem": "democratic"}  # abbreviations, never place names
_PUNCT = re.compile(r"[^a-z0-9 ]+")


def normalise(name: object) -> str:
    """A comparison key: lower case ASCII words separated by single spaces.

    Removes footnote marks ("France*", "(1)"), indentation, accents ("Côte" ->
    "cote"), apostrophes, "(the)", a trailing ", The" ("Gambia, The") and a leading
    "The"; spells "&" as "and", "St." as "saint", "Rep." as "republic" and "Dem." as
    "democratic"; other punctuation becomes a space.

    >>> normalise("   Côte d'Ivoire*")
    'cote d ivoire'
    >>> normalise("St. Kitts & Nevis")
    'saint kitts and nevis'
    >>> normalise("Gambia, The")
    'gambia'
    """
    text = _FOOTNOTE.sub(" ", str(name)).strip()
    text = _ARTICLE.sub(" ", text).strip()
    text = _QUOTES.sub(" ", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = _SAINT.sub("saint", text)
    text = _PUNCT.sub(" ", text)
    words = [_WORDS.get(w, w) for w in text.split()]
    return " ".join(words).removeprefix("the ")
