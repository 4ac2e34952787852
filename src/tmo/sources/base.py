"""What every source adapter receives and returns.

An adapter is a function `read(files: dict[str, Path], source: SourceSpec) -> Ingested`:
`files` maps each declared file name of the edition to a local path. It reads the
publisher's layout (all quirks of that layout live in the adapter), and returns
canonical tables (see `tmo.frame.TABLES`) whose geographic columns still hold the
identifiers *as published*, together with their kind (`GeoKind`), so that
`tmo.countries.harmonize` can map them to area codes and report what does not match.
The adapters of the reference files (`tmo.sources.reference`) return instead the
frames `tmo.countries.build_reference` assembles, in `Ingested.reference`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tmo.findings import Finding
from tmo.vocabulary import GeoKind


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


@dataclass(frozen=True)
class Part:
    """Rows of one canonical table whose geographic columns share one GeoKind each.
    `labels` names a geographic column as the file shows it (e.g. "E (Location code)"),
    for messages about its cells; by default the canonical name."""

    table: str
    frame: pd.DataFrame
    geo: dict[str, GeoKind]
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Ingested:
    """An adapter's result: parts of canonical tables with raw geographic identifiers.

    A table may come in several parts when its rows identify places differently
    (e.g. WPP population by M49 code and an annual series by ISO3); each part
    declares the GeoKind of its geographic columns. `name_vocabulary` names the
    alias vocabulary used for kind "name" (e.g. "worldbank"). `reference` holds the
    frames of a reference file by the name `tmo.countries.build_reference` expects
    ("country_codes", "un_aggregates", "wb_class", "wup_capitals"); they are not
    canonical tables and are not harmonised.

    Aggregates are recognised from the reference (the UN annex, the World Bank's groups)
    and from the file itself, never from a range of codes: `aggregates` holds the M49
    codes the file lists as aggregates (an IMS row without a data type, a WPP location
    whose type is not "country"), which the build accepts beside the annex's;
    `assumed_aggregates` the M49 codes an adapter left out of a table of country pairs
    as aggregates (code -> the first cell), each of which the build refuses unless the
    annex or `aggregates` confirms it; `aggregate_names` the name the file gives such a
    code, if it names its rows (the WPP 2019 CSVs): an assumed aggregate the annex lacks
    is then kept, with a warning, unless its name is a country's (a damaged code).
    """

    parts: list[Part] = field(default_factory=list)
    name_vocabulary: str | None = None
    findings: list[Finding] = field(default_factory=list)
    reference: dict[str, pd.DataFrame] = field(default_factory=dict)
    aggregates: set[int] = field(default_factory=set)
    assumed_aggregates: dict[int, str] = field(default_factory=dict)
    aggregate_names: dict[int, str] = field(default_factory=dict)

    def add(self, table: str, frame: pd.DataFrame, geo: dict[str, GeoKind],
            labels: dict[str, str] | None = None) -> None:
        self.parts.append(Part(table, frame, dict(geo), dict(labels or {})))

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """All rows of each table (parts concatenated), as published."""
        out: dict[str, list[pd.DataFrame]] = {}
        for part in self.parts:
            out.setdefault(part.table, []).append(part.frame)
        return {t: f[0] if len(f) == 1 else pd.concat(f, ignore_index=True)
                for t, f in out.items()}

    @property
    def geo(self) -> dict[str, dict[str, GeoKind]]:
        """GeoKinds by table; a column declared with two kinds lists both joined by '|'."""
        out: dict[str, dict[str, str]] = {}
        for part in self.parts:
            cols = out.setdefault(part.table, {})
            for col, kind in part.geo.items():
                if col in cols and kind not in cols[col].split("|"):
                    cols[col] = f"{cols[col]}|{kind}"
                else:
                    cols.setdefault(col, kind)
        return out  # type: ignore[return-value]
