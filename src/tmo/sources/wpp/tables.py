"""What the WPP adapters share: the location list (UNlocations.txt), text tables with
their line numbers, and the source and revision columns of every WPP row."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tmo.findings import Finding
from tmo.sources.io import check_numbers, read_csv, require_columns
from tmo.vocabulary import GeoKind

SOURCE = "UN WPP"
GEO: dict[str, GeoKind] = {"country": "m49"}


def read_locations(path: Path) -> pd.DataFrame:
    """UNlocations.txt (tab-separated): name, country_code, location_type (4 = country)."""
    frame = read_csv(path, sep="\t")
    require_columns(frame, ["name", "country_code", "location_type"], path.name)
    check_numbers(frame, ["country_code"], path.name, row=frame.index.to_series() + 2)
    return frame


def unknown_codes(codes: pd.Series, locations: pd.DataFrame, key: str, where: str) -> list[Finding]:
    unknown = sorted(set(codes.astype(int)) - set(locations["country_code"].astype(int)))
    return [Finding("unknown_location", "warning", key, where,
                    f"location codes {unknown} are not in UNlocations.txt")] if unknown else []


def read_table(path: Path, columns: list[str], *, sep: str = "\t") -> pd.DataFrame:
    """A text table with string column names and `_row`, the line number (line 1 is
    the header); SchemaError if a column of `columns` is missing."""
    frame = read_csv(path, sep=sep)
    frame.columns = [str(c) for c in frame.columns]
    require_columns(frame, columns, path.name)
    frame["_row"] = np.arange(2, len(frame) + 2)
    return frame


def with_source(frame: pd.DataFrame, revision: str) -> pd.DataFrame:
    """`frame` with the leading columns source ("UN WPP") and revision."""
    frame.insert(0, "revision", revision)
    frame.insert(0, "source", SOURCE)
    return frame


def row_number(row: float) -> str:
    """A line number for src_row; "-" where the row is absent (outer merges)."""
    return "-" if pd.isna(row) else str(int(row))
