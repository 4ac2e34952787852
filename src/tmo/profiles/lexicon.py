"""What every profile of one store shares, read once: names of areas in each language,
indicator definitions and map shapes. Renderers receive it beside the profile document."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

from tmo.indicators.definitions import Indicator, indicators
from tmo.store import facts

AREA_NAMES = Path(__file__).with_name("area_names.yaml")


@cache
def area_translations() -> dict[str, dict[str, str]]:
    """Language -> area code -> name, for the areas the country reference does not
    translate (UN regions, "other / unknown"; `area_names.yaml`, with its source)."""
    raw = yaml.safe_load(AREA_NAMES.read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for code, names in raw.items():
        for lang, name in names.items():
            out.setdefault(lang, {})[code] = name
    return out


@dataclass(frozen=True)
class Lexicon:
    names: dict[str, dict[str, str]]  # language -> area code -> name
    indicators: dict[str, Indicator]
    shapes: dict[str, str]  # ISO3 -> SVG path

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection) -> Lexicon:
        names = facts.names_by_lang(con)
        for lang, extra in area_translations().items():
            if lang in names:
                names[lang] = {**names[lang], **extra}
        return cls(names, indicators(), facts.shapes(con))

    def names_in(self, lang: str) -> dict[str, str]:
        return self.names.get(lang) or self.names["en"]

    def name(self, code: str, lang: str = "en") -> str:
        return self.names_in(lang).get(code, code)
