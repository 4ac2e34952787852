"""What the WPP adapters share: the location list (UNlocations.txt), text tables with
their line numbers, and the source and revision columns of every WPP row.

Locations: UNlocations.txt is WPP's own list. Every location code of the other files
must be in it (else the file is refused naming the line or row and the code), and its
locations whose type is not 4 (country or area) are the aggregates the build accepts
(`Ingested.aggregates`). Text tables: only an empty cell is missing; 'NA', 'n/a' or any
other text where a number belongs is refused (tmo.sources.numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tmo.errors import SchemaError
from tmo.findings import Finding
from tmo.sources.io import check_numbers, read_csv, require_columns
from tmo.sources.numbers import M49
from tmo.vocabulary import GeoKind

SOURCE = "UN WPP"
GEO: dict[str, GeoKind] = {"country": "m49"}
COUNTRY = 4  # UNlocations.txt location_type of a country or area


def read_locations(path: Path) -> pd.DataFrame:
    """UNlocations.txt (tab-separated): name, country_code, location_type (4 = country)."""
    frame = read_csv(path, sep="\t", keep_default_na=False, na_values=[""])
    require_columns(frame, ["name", "country_code", "location_type"], path.name)
    check_numbers(frame, ["country_code", "location_type"], path.name,
                  row=frame.index.to_series() + 2, measures={"country_code": M49})
    return frame


def aggregates(locations: pd.DataFrame) -> set[int]:
    """The codes UNlocations.txt lists as aggregates (location_type other than 4)."""
    kind = locations["location_type"].astype(int)
    return {int(c) for c in locations.loc[kind != COUNTRY, "country_code"]}


def known_codes(codes: pd.Series, locations: pd.DataFrame, at: Callable[[Any], str],
                names: pd.Series | None = None) -> pd.Series:
    """SchemaError "<at(row)>: location code ... is not in UNlocations.txt" for the first
    code WPP's own list lacks (a damaged code would otherwise become another country, or
    an aggregate). A table that names its rows (`names`) may carry headings that are no
    location (migration.txt: 1802 'World Bank income groups', 1840 'Geographic
    regions'): a code UNlocations.txt lacks under a name it lacks too is such a heading,
    returned in the mask for the caller to leave out and report; under a name it lists,
    it is a damaged code, refused."""
    known = set(locations["country_code"].astype(int))
    unknown = ~codes.astype("float64").isin(known)
    heading = pd.Series(False, index=codes.index)
    if names is not None:
        listed = set(locations["name"].astype(str).str.strip())
        heading = unknown & ~names.astype(str).str.strip().isin(listed)
    refused = unknown & ~heading
    if refused.any():
        i = refused.index[int(refused.to_numpy().argmax())]
        more = int(refused.sum()) - 1
        also = ""
        if names is not None:
            same = locations.loc[locations["name"].astype(str).str.strip()
                                 == str(names[i]).strip(), "country_code"]
            also = f", which codes {str(names[i]).strip()!r} as {int(same.iloc[0])}"
        raise SchemaError(f"{at(i)}: location code {codes[i]:g} is not in UNlocations.txt"
                          + also + (f" ({more:,} more such rows)" if more else ""))
    return heading


def heading_finding(frame: pd.DataFrame, heading: pd.Series, key: str, name: str
                    ) -> list[Finding]:
    """One info finding naming the heading rows left out of a text table."""
    if not heading.any():
        return []
    rows = [f"line {r} ({c} {n})" for r, c, n in
            zip(frame.loc[heading, "_row"], frame.loc[heading, "country_code"],
                frame.loc[heading, "name"], strict=True)]
    return [Finding("heading_rows", "info", key, name,
                    f"{len(rows)} rows whose code and name are not in UNlocations.txt are "
                    f"headings, not locations: left out ({'; '.join(rows)})")]


def read_table(path: Path, columns: list[str], *, sep: str = "\t") -> pd.DataFrame:
    """A text table with string column names and `_row`, the line number (line 1 is
    the header); SchemaError if a column of `columns` is missing. Only an empty cell is
    missing: other text stays text, for the number policy to refuse."""
    frame = read_csv(path, sep=sep, keep_default_na=False, na_values=[""])
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
