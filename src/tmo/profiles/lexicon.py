"""What every profile of one store shares, read once: names of areas in each language,
indicator definitions and map shapes. Renderers receive it beside the profile document."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from tmo.indicators.definitions import Indicator, indicators
from tmo.store import facts


@dataclass(frozen=True)
class Lexicon:
    names: dict[str, dict[str, str]]  # language -> area code -> name
    indicators: dict[str, Indicator]
    shapes: dict[str, str]  # ISO3 -> SVG path

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection) -> Lexicon:
        return cls(facts.names_by_lang(con), indicators(), facts.shapes(con))

    def names_in(self, lang: str) -> dict[str, str]:
        return self.names.get(lang) or self.names["en"]

    def name(self, code: str, lang: str = "en") -> str:
        return self.names_in(lang).get(code, code)
