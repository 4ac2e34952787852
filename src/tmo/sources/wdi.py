"""The layout of a World Development Indicators download (the API's xls), shared by
the WDI adapters (`worldbank`: remittances; `remittance_prices`: sending costs).

Sheet "Data": three title rows, the header on row 4 (Country Name | Country Code |
Indicator Name | Indicator Code | 1960 | 1961 | ...), one row per economy or
aggregate (World Bank codes), empty cells where no figure is published. An empty cell
is the only missing marker of these downloads: 'n/a', '..' or other text where a figure
belongs is refused, as is a figure outside the plausible range of the indicator's
measure (tmo.sources.numbers).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError
from tmo.sources.io import first_label, numeric, read_workbook, select_sheet
from tmo.sources.numbers import Measure

HEADER = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
SHEET = "Data"


def year_of(label: object) -> int | None:
    """1960, 1960.0, "1960" -> 1960; anything else -> None."""
    text = str(label).strip()
    match = re.fullmatch(r"(\d{4})(\.0)?", text)
    return int(match.group(1)) if match else None


def wdi_long(path: Path, indicator: str, value: str, measure: Measure) -> pd.DataFrame:
    """A WDI API xls download as long rows: country (WB code), year, `value`,
    provenance (src_row = spreadsheet row). Empty cells give no row; every figure is a
    finite number within the plausible range of `measure`."""
    label, raw = select_sheet(read_workbook(path, header=None), SHEET, path.name)
    where = f"{path.name}, sheet {label}"
    if raw.shape[0] < 5 or [str(c) for c in raw.iloc[3, :4]] != HEADER:
        raise SchemaError(f"{where}: expected header {HEADER} on row 4, found "
                          f"{raw.iloc[3, :4].tolist() if raw.shape[0] > 3 else 'no row 4'}")
    years = {j: year_of(raw.iat[3, j]) for j in range(4, raw.shape[1])}
    if not any(years.values()) or any(y is None for y in years.values()):
        raise SchemaError(f"{where} row 4: year columns expected after Indicator Code, found "
                          f"{raw.iloc[3, 4:].tolist()[:5]}...")
    body = raw.iloc[4:].dropna(how="all")
    codes = body[3].astype(str)
    if (codes != indicator).any():
        i = first_label(codes != indicator)
        raise SchemaError(f"{where} row {i + 1}: indicator {codes[i]!r}, expected {indicator}")
    if body[1].isna().any():
        raise SchemaError(f"{where} row {first_label(body[1].isna()) + 1}: Country Code is empty")
    rows = body.index.to_series() + 1
    parts = []
    for j, year in years.items():
        col = numeric(body[j], where, rows, str(year), measure=measure)
        keep = col.notna()
        parts.append(pd.DataFrame({"year": year, "country": body.loc[keep, 1].astype(str),
                                   value: col[keep], "src_file": path.name, "src_sheet": label,
                                   "src_row": rows[keep].astype(str)}))
    return pd.concat(parts, ignore_index=True)
