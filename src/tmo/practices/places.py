"""The countries a practice can name, resolved by the project's one country registry.

`Places` pairs a `tmo.countries.CountryRegistry` (codes and names, alias files, never
fuzzy) with the names to show. Where they come from:

- a built store (`settings().db_path`): the store's reference tables and the names
  the statistics use (UN DESA's own names, `tmo.store.facts.area_names`), so search
  and practice pages say "Republic of Moldova" as the profiles do;
- otherwise, or when that store cannot be opened (being written, older layout): the
  committed ISO 3166 table `iso3166.tsv` beside this module, English short names.

A practice may name an ISO 3166 country or XKX (Kosovo); both sources hold the same
codes (`tests/practices/test_places.py`), so whether a record is valid does not depend
on whether a store is built. Queries resolve through `CountryRegistry.lookup` (ISO3,
ISO2, M49 or a name); suggestions come from `CountryRegistry.closest`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from tmo.config import settings
from tmo.countries import CountryRegistry
from tmo.errors import CountryNotFound, TmoError
from tmo.store import facts
from tmo.store.query import connect

ISO_TABLE = Path(__file__).with_name("iso3166.tsv")
# special codes of the reference that a practice may name besides ISO 3166 countries
PRACTICE_SPECIALS = frozenset({"XKX"})
_GROUP_COLUMNS = ["group_code", "group_name", "group_type", "member"]


@dataclass(frozen=True)
class Places:
    """A registry to resolve and check codes, and the names to show for them."""

    registry: CountryRegistry
    names: Mapping[str, str]
    origin: str  # where the registry comes from: the store's path or the committed table

    def is_practice_country(self, code: str) -> bool:
        """True for an upper-case code of an ISO 3166 country, or XKX."""
        found = self.registry.by_iso3(code) if isinstance(code, str) else None
        return found is not None and found.iso3 == code and (
            found.kind == "country" or code in PRACTICE_SPECIALS)

    @property
    def codes(self) -> frozenset[str]:
        """Every code a practice may name."""
        return frozenset(c.iso3 for c in self.registry.countries()
                         if self.is_practice_country(c.iso3))

    def name(self, code: str) -> str:
        """The name to show for a code (the code itself when nothing names it)."""
        found = self.registry.by_iso3(code)
        return self.names.get(code) or (found.name if found else code)

    def resolve(self, query: str) -> str:
        """An ISO3, ISO2 or M49 code or an English name -> ISO3; CountryNotFound with the
        closest countries ('MAR (Morocco)') otherwise. Never fuzzy."""
        try:
            return self.registry.lookup(query.strip()).iso3
        except CountryNotFound:
            close = [f"{c.iso3} ({self.name(c.iso3)})"
                     for c in self.registry.closest(query.strip())]
            raise CountryNotFound(query.strip(), close) from None

    def suggest(self, code: str) -> str:
        """' (did you mean: URY (Uruguay)?)' for an unknown code, '' when nothing is close."""
        close = [f"{c.iso3} ({self.name(c.iso3)})" for c in self.registry.closest(code)
                 if self.is_practice_country(c.iso3)]
        return f" (did you mean: {', '.join(close)}?)" if close else ""

    @classmethod
    def from_store(cls, con: duckdb.DuckDBPyConnection, origin: str = "store") -> Places:
        """The registry and the statistics' names of an open store."""
        return cls(facts.registry(con), facts.area_names(con), origin)


@cache
def committed_places() -> Places:
    """The registry of the committed ISO 3166 table (read once)."""
    table = pd.read_csv(ISO_TABLE, sep="\t", comment="#", dtype=str, keep_default_na=False)
    table["m49"] = pd.to_numeric(table["m49"]).astype("Int64")
    # ISO's English short names come from UN terminology: the registry's UNTERM column
    table = table.rename(columns={"iso_name": "unterm_name"}).replace("", None)
    registry = CountryRegistry.from_frames(table, pd.DataFrame(columns=_GROUP_COLUMNS))
    return Places(registry, dict(zip(table["iso3"], table["name"], strict=True)),
                  ISO_TABLE.name)


_STORE_CACHE: dict[tuple[str, int, int], Places] = {}


def _store_places(path: Path) -> Places | None:
    """The places of the store at `path`, read once per version of the file; None when
    there is no store or it cannot be read now."""
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _STORE_CACHE:
        try:
            with connect(path) as con:
                _STORE_CACHE.clear()
                _STORE_CACHE[key] = Places.from_store(con, str(path))
        except (duckdb.Error, TmoError):  # being written, or built by an older tmo
            return None
    return _STORE_CACHE[key]


def default_places() -> Places:
    """The store's places when a store is built at `settings().db_path`, else the
    committed ISO 3166 table."""
    return _store_places(settings().db_path) or committed_places()
