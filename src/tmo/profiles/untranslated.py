"""English left on a French or Spanish page: the checker behind the profiles' translation
test and benchmark.

A page's visible text (scripts, styles and every element marked `lang="en"` left out:
content that exists only in English, such as a publication's title or a curated practice,
is marked so and says so) is searched for
- the English text of any locale string whose translation differs (a missing key falls
  back to English: `tmo.profiles.i18n.Locale.t`), cut at its placeholders, and
- English function words that French and Spanish do not use ("the", "and", "of", ...).
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from tmo.profiles.i18n import catalogue

# common English words that are not French or Spanish words
ENGLISH_WORDS = ("the", "and", "of", "with", "from", "which", "where", "were", "was",
                 "born", "living", "people", "between", "this", "these", "those", "not",
                 "available", "reported", "share", "other", "unknown", "origin", "region",
                 "income", "countries", "developed", "excluding", "Eastern", "Western",
                 "Northern", "Southern", "South-Eastern", "Middle", "World", "Islands",
                 "abroad", "received", "paid", "hosted", "women", "men", "refugees",
                 "remittances", "see", "below", "since", "than", "more", "for", "by", "to",
                 "their", "its")
_WORDS = re.compile(r"(?<![\w/.-])(" + "|".join(ENGLISH_WORDS) + r")(?![\w/.-])")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr", "path", "rect", "circle", "line", "polyline", "stop"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its text left out?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        skip = (bool(self.stack) and self.stack[-1]) or tag in ("script", "style") \
            or dict(attrs).get("lang") == "en"
        self.stack.append(skip)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader of the page sees in its language (see the module)."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


@cache
def _fragments(lang: str) -> tuple[str, ...]:
    """English locale text with a different translation, cut at placeholders: pieces of
    two words or more."""
    en, other = catalogue("en"), catalogue(lang)
    out = set()
    for key, text in en.items():
        if not isinstance(text, str) or other.get(key) == text:
            continue
        for raw in re.split(r"\{[^}]*\}", text):
            piece = raw.strip(" .,;:()")
            if len(piece.split()) >= 2 and len(piece) >= 8:
                out.add(piece)
    return tuple(sorted(out, key=len, reverse=True))


def english(text: str, lang: str) -> list[str]:
    """English found in `text` of a page in `lang` ("fr" or "es"): locale fragments first,
    then function words, each once, in order of appearance."""
    found = [f for f in _fragments(lang) if f in text]
    found += list(dict.fromkeys(m.group(1) for m in _WORDS.finditer(text)))
    return found
