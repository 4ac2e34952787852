"""UN World Urbanization Prospects 2014, File 13 (`WUP2014-F13-Capital_Cities.xls`,
sheet DATA, header on row 17): capital cities with coordinates (decimal degrees).
Some countries list several (official, administrative, legislative ...);
`tmo.countries.build_reference` picks one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from tmo.errors import SchemaError
from tmo.sources import numbers
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import read_workbook, require_columns, select_sheet, single
from tmo.sources.numbers import LATITUDE, LONGITUDE, M49
from tmo.sources.reference import HINT

SHEET = "DATA"
HEADER_ROW = 17  # spreadsheet row of the header
COLUMNS = ["Country code", "Capital City", "Capital Type", "Latitude", "Longitude"]
MEASURES = {"Country code": M49, "Latitude": LATITUDE, "Longitude": LONGITUDE}


def read_wup_capitals(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """WUP 2014 File 13 -> reference frame "wup_capitals": one row per capital city
    (m49, capital, capital_type, capital_lat, capital_lon)."""
    name, path = single(files)
    _, raw = select_sheet(read_workbook(path, name, header=None), SHEET, name, hint=HINT)
    where = f"{name}, sheet {SHEET}"
    head = HEADER_ROW - 1
    found = raw.index[raw.apply(lambda r: "Capital City" in set(r.astype(str)), axis=1)]
    if head >= len(raw) or "Capital City" not in set(raw.iloc[head].astype(str)):
        at = f"found on row {found[0] + 1}" if len(found) else "not found"
        raise SchemaError(f"{where}: header expected on row {HEADER_ROW}, {at}", hint=HINT)
    table = raw.iloc[head + 1:].copy()
    table.columns = [str(c).strip() for c in raw.iloc[head]]
    require_columns(table, COLUMNS, f"{where}, header row {HEADER_ROW}", hint=HINT)
    table = table[table["Country code"].notna()]
    if len(table) < 200:
        raise SchemaError(f"{where}: {len(table)} capitals below the header, expected at "
                          "least 200; the file is truncated", hint=HINT)
    rows = (table.index + 1).astype(str)
    for col in ("Country code", "Latitude", "Longitude"):
        values = pd.to_numeric(table[col], errors="coerce")
        if values.isna().any():
            i = int(values.isna().to_numpy().argmax())
            raise SchemaError(f"{where}, row {rows[i]}, column {col!r}: "
                              f"{table[col].iloc[i]!r} is not a number", hint=HINT)
        def place(label: Any, col: str = col) -> str:
            return f"{where}, row {label + 1}, column {col!r}"
        numbers.check(table[col], MEASURES[col], place, required=True)
    return Ingested(reference={"wup_capitals": pd.DataFrame({
        "m49": table["Country code"].astype(int).to_numpy(),
        "capital": table["Capital City"].astype(str).str.strip().to_numpy(),
        "capital_type": table["Capital Type"].astype(str).str.strip().to_numpy(),
        "capital_lat": table["Latitude"].astype(float).to_numpy(),
        "capital_lon": table["Longitude"].astype(float).to_numpy(),
        "src_file": name, "src_sheet": SHEET, "src_row": rows.to_numpy()})})
