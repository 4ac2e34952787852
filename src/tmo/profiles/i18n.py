"""Labels and number formats in IOM's working languages (English, French, Spanish)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from tmo.errors import InputError

LOCALES = Path(__file__).with_name("locales")
LANGUAGES = ("en", "fr", "es")
# thousands separator, decimal mark (fr: narrow no-break space; es: point, as the UN does)
SEPARATORS = {"en": (",", "."), "fr": ("\u202f", ","), "es": (".", ",")}


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; available: {', '.join(LANGUAGES)}")
    return yaml.safe_load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Locale:
    lang: str

    def t(self, key: str, **values: object) -> str:
        text = catalogue(self.lang).get(key) or catalogue("en")[key]
        return text.format(**values) if values else text

    def number(self, value: float | None, digits: int = 0) -> str:
        if value is None or math.isnan(value):
            return "–"
        text = f"{value:,.{digits}f}"
        thousands, decimal = SEPARATORS[self.lang]
        return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)

    def compact(self, value: float | None) -> str:
        """Axis labels: 1.2 M, 350 k (locale marks)."""
        if value is None:
            return "–"
        for size, suffix in ((1e9, " G"), (1e6, " M"), (1e3, " k")):
            if abs(value) >= size:
                return self.number(value / size, 1 if abs(value) < 10 * size else 0) + suffix
        return self.number(value)

    def percent(self, value: float | None, digits: int = 1) -> str:
        return "–" if value is None else self.number(value, digits) + self.t("percent_suffix")
