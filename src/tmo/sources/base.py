"""What every source adapter receives and returns.

An adapter is a function `read(files: dict[str, Path], source: SourceSpec) -> Ingested`:
`files` maps each declared file name of the edition to a local path. It reads the
publisher's layout (all quirks of that layout live in the adapter), and returns
canonical tables (see `tmo.frame.TABLES`) whose geographic columns still hold the
identifiers *as published*, together with their kind (`GeoKind`), so that
`tmo.countries.harmonize` can map them to area codes and report what does not match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from tmo.checks.finding import Finding

# How a geographic column identifies places, as published:
#  "m49"   UN M49 numeric codes (int or numeric string), aggregates > 900 included
#  "iso3"  ISO 3166 alpha-3 (plus OOO, XCX, XKX and the like)
#  "wb"    World Bank codes: ISO3 for economies, WB aggregate codes (WLD, AFE, ...)
#  "unhcr" UNHCR ISO-like codes (UNK = unknown, stateless codes ...)
#  "name"  English names only; the value of `name_vocabulary` selects the alias file
GeoKind = Literal["m49", "iso3", "wb", "unhcr", "name"]


@dataclass(frozen=True)
class FileSpec:
    name: str
    url: str | None = None
    sha256: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Edition:
    name: str
    reader: str  # "module:function"
    files: tuple[FileSpec, ...]


@dataclass(frozen=True)
class SourceSpec:
    key: str
    title: str
    publisher: str
    licence: str
    citation: str
    revision: str
    editions: tuple[Edition, ...]


@dataclass
class Ingested:
    """An adapter's result: canonical tables with raw geographic identifiers.

    `geo[table][column]` is the GeoKind of that column; `name_vocabulary` names the
    alias vocabulary used for kind "name" (e.g. "worldbank", "knomad").
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    geo: dict[str, dict[str, GeoKind]] = field(default_factory=dict)
    name_vocabulary: str | None = None
    findings: list[Finding] = field(default_factory=list)

    def add(self, table: str, frame: pd.DataFrame, geo: dict[str, GeoKind]) -> None:
        if table in self.tables:
            self.tables[table] = pd.concat([self.tables[table], frame], ignore_index=True)
        else:
            self.tables[table] = frame
        self.geo.setdefault(table, {}).update(geo)
