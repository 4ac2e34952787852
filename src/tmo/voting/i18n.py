"""The words of the voter-information pages in each language (locales/LANG.yaml): labels,
sentences with {placeholders}, plural forms, month names, number and date formats, and
country names where the store has none (Romanian).

    loc = Locale("fr")
    loc.t("where_title")                       # "Où voter"
    loc.plural("stations", 3)                  # "3 bureaux de vote"
    loc.date(datetime.date(2025, 8, 14))       # "14 août 2025"

Every catalogue has every key of the English one (tested), so no page falls back to
English.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tmo.errors import InputError

LOCALES = Path(__file__).with_name("locales")
# thousands separator, decimal mark (fr: narrow no-break space; es, ro: point)
SEPARATORS = {"en": (",", "."), "fr": ("\u202f", ","), "es": (".", ","), "ro": (".", ",")}


def available() -> tuple[str, ...]:
    """The languages with a catalogue, English first."""
    found = sorted(p.stem for p in LOCALES.glob("*.yaml"))
    return ("en", *(lang for lang in found if lang != "en"))


@cache
def catalogue(lang: str) -> dict[str, Any]:
    path = LOCALES / f"{lang}.yaml"
    if not path.is_file():
        raise InputError(f"no voter-information language {lang!r}; available: "
                         f"{', '.join(available())}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@dataclass(frozen=True)
class Locale:
    lang: str

    def t(self, key: str, **values: object) -> str:
        text = str(catalogue(self.lang)[key])
        return text.format(**values) if values else text

    def plural(self, key: str, n: int) -> str:
        """`key_one`, `key_other`, and in Romanian `key_many` (20 and more: "20 de ...")."""
        forms = catalogue(self.lang)
        if n == 1:
            form = "one"
        elif self.lang == "ro" and n != 0 and not 1 <= n % 100 <= 19:
            form = "many"
        else:
            form = "other"
        return str(forms[f"{key}_{form}"]).format(n=self.number(n))

    def number(self, value: float, digits: int = 0) -> str:
        text = f"{value:,.{digits}f}"
        thousands, decimal = SEPARATORS[self.lang]
        return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)

    def date(self, day: datetime.date) -> str:
        months = catalogue(self.lang)["months"]
        first = catalogue(self.lang).get("first_day")  # French: "1er"
        number = str(first) if day.day == 1 and first else str(day.day)
        return str(catalogue(self.lang)["date_format"]).format(
            day=number, month=months[day.month - 1], year=day.year)

    def country(self, iso3: str, names: dict[str, str]) -> str:
        """The country's name in this language: the catalogue's (Romanian), else the
        store's names in this language (`names`)."""
        own = catalogue(self.lang).get("countries") or {}
        return str(own.get(iso3) or names.get(iso3, iso3))

    def join(self, items: list[str]) -> str:
        """'a, b and c' in the language."""
        if len(items) <= 1:
            return "".join(items)
        last = items[-1]
        conjunction = self.t("and")
        if self.lang == "es" and _spanish_e(last):  # "Francia e Islandia"
            conjunction = " e "
        return ", ".join(items[:-1]) + conjunction + last


def _spanish_e(word: str) -> bool:
    """Spanish writes "e" for "y" before an /i/ sound: i-, hi- (not hie-, hia-, hio-)."""
    low = word.casefold()
    return low.startswith(("i", "í")) or (low.startswith(("hi", "hí"))
                                         and not low.startswith(("hie", "hia", "hio")))
