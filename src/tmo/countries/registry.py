"""The country registry: look-ups by code and name over the reference tables.

Built from the two reference tables alone (`countries`, `country_groups`), so later
commands rebuild it from the store without the official files. No network, no
global state beyond the committed alias files, which are read once.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from pandas.api.typing import NAType

from tmo.countries.names import normalise
from tmo.errors import CountryNotFound, SchemaError

ALIASES = Path(__file__).with_name("aliases")
# M49 codes of places that are not ISO 3166 countries, and their area codes
# (also in the `countries` table; kept here so that an old store still maps them).
SPECIAL_M49 = {2003: "OOO", 830: "XCX"}
# M49 gives countries and areas codes below 900; 900 and above are aggregates (World,
# regions, development and income groups), whose codes change between revisions.
UN_AGGREGATES_FROM = 900
PUBLISHERS = {"worldbank": ("WB", "UN")}  # aggregate names: whose groups come first
# Country names compared first ("exact canonical names"), then the other names the
# reference files give ("alternative names"); a name two places share is ambiguous
# and matches neither.
CANONICAL = ("name", "official_name")
ALTERNATIVE = ("unterm_name", "un_name", "wb_name")


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str
    m49: int | None
    kind: str  # 'country' or 'special'
    iso2: str | None = None
    official_name: str | None = None
    region: str | None = None
    subregion: str | None = None
    sdg_region: str | None = None
    wb_income: str | None = None


def _read_aliases(path: Path) -> dict[str, str]:
    lines = [(i, ln) for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if ln.strip() and not ln.lstrip().startswith("#")]
    if not lines or lines[0][1].split("\t") != ["name", "area"]:
        raise SchemaError(f"{path}: the first line that is not a comment must be "
                          "'name<TAB>area'")
    out: dict[str, str] = {}
    for number, line in lines[1:]:
        cells = line.split("\t")
        if len(cells) != 2 or not cells[0].strip() or not cells[1].strip():
            raise SchemaError(f"{path} line {number}: expected 'name<TAB>area', found {line!r}")
        key = normalise(cells[0])
        if key in out and out[key] != cells[1].strip():
            raise SchemaError(f"{path} line {number}: {cells[0]!r} is already mapped to "
                              f"{out[key]} (names compare after normalisation)")
        out[key] = cells[1].strip()
    return out


@cache
def aliases(vocabulary: str) -> dict[str, str]:
    """The committed alias file of a vocabulary: normalised name -> area code."""
    path = ALIASES / f"{vocabulary}.tsv"
    if not path.is_file():
        raise KeyError(f"no alias file for vocabulary {vocabulary!r}; "
                       f"known: {vocabularies()}")
    return _read_aliases(path)


def vocabularies() -> list[str]:
    return sorted(p.stem for p in ALIASES.glob("*.tsv"))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: float | NAType | None) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


class CountryRegistry:
    """Countries, special codes and aggregates, with name matching."""

    def __init__(self, countries: pd.DataFrame, groups: pd.DataFrame) -> None:
        self._countries: dict[str, Country] = {}
        for r in countries.to_dict("records"):
            self._countries[r["iso3"]] = Country(
                r["iso3"], r["name"], _int(r.get("m49")), r["kind"], _text(r.get("iso2")),
                _text(r.get("official_name")), _text(r.get("region")),
                _text(r.get("subregion")), _text(r.get("sdg_region")),
                _text(r.get("wb_income")))
        self._by_m49 = dict(SPECIAL_M49)
        self._by_m49.update({c.m49: c.iso3 for c in self._countries.values()
                             if c.m49 is not None})
        self._iso2 = {c.iso2: c.iso3 for c in self._countries.values() if c.iso2}
        first = groups.drop_duplicates("group_code")
        self._groups = dict(zip(first["group_code"], first["group_name"], strict=True))
        self._group_types = dict(zip(first["group_code"], first["group_type"], strict=True))
        members = groups[groups["member"].fillna("").ne("")]
        self._members = members.groupby("group_code")["member"].apply(list).to_dict()
        self._canonical = self._index(countries, CANONICAL)
        self._alternative = self._index(countries, ALTERNATIVE)
        self._group_names: dict[str, dict[str, str]] = {"UN": {}, "WB": {}}
        for code, value in self._groups.items():
            self._group_names[code.split(":")[0]].setdefault(normalise(value), code)

    @staticmethod
    def _index(countries: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, str]:
        found: dict[str, set[str]] = {}
        for col in columns:
            if col in countries.columns:
                for code, value in zip(countries["iso3"], countries[col], strict=True):
                    if _text(value):
                        found.setdefault(normalise(value), set()).add(code)
        return {k: next(iter(v)) for k, v in found.items() if len(v) == 1 and k}

    @classmethod
    def from_frames(cls, countries: pd.DataFrame, country_groups: pd.DataFrame
                    ) -> CountryRegistry:
        """The registry of the two reference tables (as kept in the store)."""
        return cls(countries, country_groups)

    # ------------------------------------------------------------------ codes

    def countries(self) -> list[Country]:
        """Countries and special codes, by name."""
        return sorted(self._countries.values(), key=lambda c: c.name)

    def by_iso3(self, code: str) -> Country | None:
        return self._countries.get(str(code).strip().upper())

    def by_iso2(self, code: str) -> Country | None:
        iso3 = self._iso2.get(str(code).strip().upper())
        return self._countries[iso3] if iso3 else None

    def by_m49(self, code: int) -> Country | None:
        iso3 = self._by_m49.get(int(code))
        return self._countries.get(iso3) if iso3 else None

    def area_for_m49(self, code: int) -> str | None:
        """ISO3 (countries, special codes) or `UN:<m49>` (any code from 900 up: UN
        aggregates, whose codes vary by revision); None for an unknown country code.

        For look-ups by number only: a build resolves a file's codes with
        `known_area_for_m49`, which recognises aggregates from the reference and the
        file, never from the range."""
        code = int(code)
        if code in self._by_m49:
            return self._by_m49[code]
        if code >= UN_AGGREGATES_FROM:
            return f"UN:{code}"
        return None

    def known_area_for_m49(self, code: int, listed: Collection[int] = ()) -> str | None:
        """ISO3 (countries, special codes), or `UN:<m49>` for an aggregate the reference
        knows (the UN annex: regions, development and income groups) or the file itself
        lists as one (`listed`: an IMS row without a data type, a WPP location whose type
        is not "country"); None otherwise, whatever the number (a country whose code was
        damaged into 999 stays unknown, and the build refuses it)."""
        code = int(code)
        if code in self._by_m49:
            return self._by_m49[code]
        if f"UN:{code}" in self._groups or code in listed:
            return f"UN:{code}"
        return None

    def group_name(self, code: str) -> str | None:
        return self._groups.get(code)

    def group_type(self, code: str) -> str | None:
        return self._group_types.get(code)

    def members(self, code: str) -> list[str]:
        """ISO3 codes of an aggregate's members (empty when the reference does not say)."""
        return list(self._members.get(code, []))

    def is_aggregate(self, area: str) -> bool:
        """True for `UN:<m49>` and `WB:<code>` area codes."""
        return str(area).startswith(("UN:", "WB:"))

    # ------------------------------------------------------------------ names

    def match_name(self, name: str, vocabulary: str | None = None) -> str | None:
        """Area code of a published name, or None.

        After normalisation (`tmo.countries.names.normalise`), in this order: the
        vocabulary's alias file (editorial decisions win), the canonical country names,
        the alternative names of the reference files, and aggregate names (the World
        Bank's first for vocabulary "worldbank", else the UN's). Without a vocabulary,
        the country aliases of every alias file on which the files agree are used too.
        Never fuzzy: "Guinea" does not match "Equatorial Guinea".
        """
        key = normalise(name)
        if not key:
            return None
        if vocabulary is not None and key in aliases(vocabulary):
            return aliases(vocabulary)[key]
        found = self._canonical.get(key) or self._alternative.get(key)
        if found:
            return found
        if vocabulary is None:
            found = self._any_alias(key)
            if found:
                return found
        order = PUBLISHERS.get(vocabulary or "", ("UN", "WB"))
        return next((self._group_names[p][key] for p in order if key in self._group_names[p]),
                    None)

    @staticmethod
    def _any_alias(key: str) -> str | None:
        hits = {aliases(v)[key] for v in vocabularies() if key in aliases(v)}
        hits = {h for h in hits if ":" not in h}
        return hits.pop() if len(hits) == 1 else None

    def lookup(self, query: str | int) -> Country:
        """A country or special code from an ISO3 or ISO2 code, an M49 number or a name;
        CountryNotFound with the closest names when nothing matches."""
        q = str(query).strip()
        found = self.by_iso3(q) if len(q) == 3 and q.isalpha() else None
        found = found or (self.by_iso2(q) if len(q) == 2 and q.isalpha() else None)
        if found is None and q.isdigit():
            found = self.by_m49(int(q))
        if found is None and q:
            area = self.match_name(q)
            found = self._countries.get(area) if area else None
        if found is None:
            raise CountryNotFound(q, self.suggest(q))
        return found

    def suggest(self, query: str, n: int = 3) -> list[str]:
        """Up to n 'Name (ISO3)' strings close to a query (containment, then difflib)."""
        return [f"{c.name} ({c.iso3})" for c in self.closest(query, n)]

    def closest(self, query: str, n: int = 3) -> list[Country]:
        """Up to n countries whose names are close to a query (containment, then difflib)."""
        key = normalise(query)
        names = {**self._alternative, **self._canonical}
        if not key:
            return []
        contained = sorted(k for k in names if key in k.split() or key in k)
        close = difflib.get_close_matches(key, list(names), n=n * 2, cutoff=0.6)
        picks: list[Country] = []
        for k in [*contained, *close]:
            country = self._countries[names[k]]
            if country not in picks:
                picks.append(country)
        return picks[:n]
