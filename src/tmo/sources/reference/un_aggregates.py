"""UN DESA International Migrant Stock 2020, annex: the UN aggregates and each
location's memberships (`aggregates_correspondence_table_2020_1.xlsx`, sheet Annex).

Layout: two header rows (10 and 11); columns I-P hold the code of each parent
aggregate (World, subregion, SDG subregion and region, geographic region); columns
R-AD are development and income groups, each labelled on row 11 with its name and
code on two lines ("High-income Countries", 1503); a member's cell holds that code.
Names carry footnote asterisks, stripped here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import read_workbook, select_sheet, single
from tmo.sources.numbers import M49
from tmo.sources.reference import HINT

SHEET = "Annex"
HEAD = 10  # 0-based index of the second header row (spreadsheet row 11)
ROW10 = {5: "Location Type", 7: "Parent Location code", 8: "WORLD", 9: "Subregion",
         11: "SDG subregion", 13: "SDG region", 15: "Geographic region",
         17: "UN development groups", 24: "World Bank income groups"}
ROW11 = {3: "Location code", 4: "ISO3 Alpha-code", 5: "Code", 6: "Name"}
GROUP_CODES = (8, 9, 11, 13, 15)  # columns holding the code of a parent aggregate
FLAGS = range(17, 30)  # development and income group columns: code when member
_LABEL = re.compile(r"^(?P<name>.+?)\s*\n\s*(?P<code>\d+)\s*$", re.S)


def _header(raw: pd.DataFrame, name: str) -> dict[int, tuple[int, str, str]]:
    """Check both header rows; return {column: (code, name, type)} of the flag columns."""
    where = f"{name}, sheet {SHEET}"
    if raw.shape[0] <= HEAD + 1 or raw.shape[1] < 30:
        raise SchemaError(f"{where}: expected at least 30 columns and a header on rows 10-11, "
                          f"found {raw.shape[1]} columns and {raw.shape[0]} rows", hint=HINT)

    header = {r: raw.iloc[r].tolist() for r in (HEAD - 1, HEAD)}  # rows 10-11

    def text(r: int, c: int) -> str:
        v = header[r][c]
        return "" if pd.isna(v) else str(v).strip()

    for row, expected in ((HEAD - 1, ROW10), (HEAD, ROW11)):
        for col, label in expected.items():
            if text(row, col) != label:
                raise SchemaError(f"{where}, row {row + 1}, column {col + 1}: expected header "
                                  f"{label!r}, found {text(row, col)!r}", hint=HINT)
    flags = {}
    for col in FLAGS:
        match = _LABEL.match(text(HEAD, col))
        if not match:
            raise SchemaError(f"{where}, row {HEAD + 1}, column {col + 1}: expected a "
                              f"group name and its code, found {text(HEAD, col)!r}",
                              hint=HINT)
        kind = "Development group" if col < 24 else "Income group"
        flags[col] = (int(match["code"]), " ".join(match["name"].split()), kind)
    return flags


def _code(value: object) -> int:
    """A cell as a whole M49 code (1 to 99,999); ValueError otherwise."""
    number = float(value)  # type: ignore[arg-type]
    if not number.is_integer() or not M49.low <= number <= M49.high:
        raise ValueError(f"{value!r} is not {M49}")
    return int(number)


def read_un_aggregates(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """IMS 2020 annex -> reference frame "un_aggregates": one row per location
    (`record` "location": m49, name as published without footnote marks, iso3,
    location_type, `groups` = M49 codes of the aggregates it belongs to), and one row
    per development or income group named in the header (`record` "header"; e.g. 1518
    "No income group available", which has no row)."""
    name, path = single(files)
    _, raw = select_sheet(read_workbook(path, name, header=None), SHEET, name, hint=HINT)
    flags = _header(raw, name)
    where = f"{name}, sheet {SHEET}"
    body = raw.iloc[HEAD + 1:]
    body = body[body[3].notna()]
    rows = []
    for row, (_, r) in zip(body.index + 1, body.iterrows(), strict=True):
        try:
            m49 = _code(r[3])
            groups = [_code(r[c]) for c in GROUP_CODES if pd.notna(r[c])]
        except (TypeError, ValueError, OverflowError) as exc:
            raise SchemaError(f"{where}, row {row}: a location or group code is not a "
                              f"number ({exc})", hint=HINT) from exc
        for col in FLAGS:
            if pd.notna(r[col]):
                if str(r[col]).strip() != str(flags[col][0]):
                    raise SchemaError(f"{where}, row {row}, column {col + 1}: membership "
                                      f"{r[col]!r}, expected {flags[col][0]} or empty", hint=HINT)
                groups.append(flags[col][0])
        kind = "World" if m49 == 900 else str(r[6]).strip()
        rows.append({"record": "location", "m49": m49,
                     "name": str(r[1]).strip().rstrip("*").strip(),
                     "iso3": None if pd.isna(r[4]) else str(r[4]).strip(),
                     "location_type": kind,
                     "sdg_region": None if pd.isna(r[14]) else str(r[14]).strip(),
                     "groups": [g for g in dict.fromkeys(groups) if g != m49],
                     "src_row": str(row)})
    for code, label, kind in flags.values():
        rows.append({"record": "header", "m49": code, "name": label, "iso3": None,
                     "location_type": kind, "sdg_region": None, "groups": [],
                     "src_row": str(HEAD + 1)})
    frame = pd.DataFrame(rows)
    n = int((frame["location_type"] == "Country/Area").sum())
    if n < 200:
        raise SchemaError(f"{where}: {n} countries under the header on row 11, expected "
                          "at least 200; the file is truncated", hint=HINT)
    return Ingested(reference={"un_aggregates": frame.assign(src_file=name, src_sheet=SHEET)})
