"""Normalising country names so that spelling variants compare equal."""

from __future__ import annotations

import re
import unicodedata

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_FOOTNOTE = re.compile(r"[*†‡]+|\(\d+\)|\s\d+$")


def normalise(name: str) -> str:
    """Lower case, no accents, footnote marks, punctuation or leading article.

    "   Côte d'Ivoire*" -> "cote d ivoire"; "St. Lucia" -> "saint lucia";
    "Bosnia & Herzegovina" -> "bosnia and herzegovina"; "The Gambia" -> "gambia".
    """
    text = _FOOTNOTE.sub(" ", str(name)).replace("\u2019", " ").replace("'", " ")
    text = re.sub(r"\((the|of)\)", " ", text, flags=re.IGNORECASE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("&", " and ")
    text = re.sub(r"\bst\b\.?", "saint", text)
    text = _PUNCT.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    return text.removeprefix("the ")
