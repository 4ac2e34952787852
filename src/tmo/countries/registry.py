"""The country registry: look-ups by code and name over the reference tables."""

from __future__ import annotations

import csv
import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from tmo.countries.names import normalise
from tmo.errors import CountryNotFound

ALIASES = Path(__file__).with_name("aliases")
# M49 codes of places that are not ISO 3166 countries, and their area codes
SPECIAL_M49 = {2003: "OOO", 830: "XCX"}
# M49 gives countries and areas codes below 900; 900 and above are aggregates (World,
# regions, development and income groups), whose codes change between revisions.
UN_AGGREGATES_FROM = 900


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    m49: int | None
    kind: str  # 'country' or 'special'


@cache
def aliases(vocabulary: str) -> dict[str, str]:
    """The committed alias file of a vocabulary: normalised name -> area code."""
    path = ALIASES / f"{vocabulary}.tsv"
    if not path.is_file():
        return {}
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return {normalise(r["name"]): r["area"] for r in csv.DictReader(lines, delimiter="\t")}


def vocabularies() -> list[str]:
    return sorted(p.stem for p in ALIASES.glob("*.tsv"))


class CountryRegistry:
    """Countries, special codes and aggregates, with name matching."""

    def __init__(self, countries: pd.DataFrame, groups: pd.DataFrame) -> None:
        self._countries = {
            r.iso3: Country(r.iso3, r.name, None if pd.isna(r.m49) else int(r.m49), r.kind)
            for r in countries.itertuples()
        }
        self._by_m49 = {c.m49: c.iso3 for c in self._countries.values() if c.m49 is not None}
        self._by_m49.update(SPECIAL_M49)
        self._iso2 = {str(r.iso2): r.iso3 for r in countries.itertuples()
                      if isinstance(r.iso2, str) and r.iso2}
        codes = groups[["group_code", "group_name"]].drop_duplicates("group_code")
        self._groups = dict(zip(codes["group_code"], codes["group_name"], strict=True))
        self._un_aggregates = {int(c[3:]) for c in self._groups if c.startswith("UN:")}
        index: dict[str, str] = {}
        for col in ("official_name", "unterm_name", "wb_name", "name"):
            if col in countries.columns:
                for code, value in zip(countries["iso3"], countries[col], strict=True):
                    if isinstance(value, str) and value:
                        index[normalise(value)] = code
        self._names = index
        self._group_names: dict[str, dict[str, str]] = {"UN": {}, "WB": {}}
        for code, value in self._groups.items():
            self._group_names[code.split(":")[0]].setdefault(normalise(value), code)

    @classmethod
    def from_frames(cls, countries: pd.DataFrame, country_groups: pd.DataFrame
                    ) -> CountryRegistry:
        return cls(countries, country_groups)

    def countries(self) -> list[Country]:
        return sorted(self._countries.values(), key=lambda c: c.name)

    def by_iso3(self, code: str) -> Country | None:
        return self._countries.get(code)

    def by_m49(self, code: int) -> Country | None:
        iso3 = self._by_m49.get(int(code))
        return self._countries.get(iso3) if iso3 else None

    def area_for_m49(self, code: int) -> str | None:
        """ISO3 (countries, special codes) or `UN:<m49>` (UN aggregates)."""
        code = int(code)
        if code in self._by_m49:
            return self._by_m49[code]
        if code in self._un_aggregates or code >= UN_AGGREGATES_FROM:
            return f"UN:{code}"
        return None

    def group_name(self, code: str) -> str | None:
        return self._groups.get(code)

    def is_aggregate(self, area: str) -> bool:
        return ":" in area

    def match_name(self, name: str, vocabulary: str | None = None) -> str | None:
        """Area code of a published name (after normalisation, then the vocabulary's aliases)."""
        key = normalise(name)
        if vocabulary and key in aliases(vocabulary):
            return aliases(vocabulary)[key]
        if key in self._names:
            return self._names[key]
        order = ("WB", "UN") if vocabulary == "worldbank" else ("UN", "WB")
        return next((self._group_names[p][key] for p in order if key in self._group_names[p]),
                    None)

    def lookup(self, query: str) -> Country:
        """A country from an ISO3 or ISO2 code, an M49 number or a name."""
        q = str(query).strip()
        if q.upper() in self._countries:
            return self._countries[q.upper()]
        if q.upper() in self._iso2:
            return self._countries[self._iso2[q.upper()]]
        if q.isdigit() and self.by_m49(int(q)):
            return self.by_m49(int(q))  # type: ignore[return-value]
        found = self._names.get(normalise(q))
        if found is None:
            for vocabulary in vocabularies():
                found = found or aliases(vocabulary).get(normalise(q))
        if found in self._countries:
            return self._countries[found]
        names = {normalise(c.name): c for c in self._countries.values()}
        close = difflib.get_close_matches(normalise(q), list(names), n=3, cutoff=0.6)
        partial = [k for k in names if normalise(q) and normalise(q) in k]
        picks = list(dict.fromkeys([*partial[:3], *close]))[:3]
        raise CountryNotFound(q, [f"{names[k].name} ({names[k].iso3})" for k in picks])
