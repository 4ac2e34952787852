"""Readers of the reference files: ISO/M49 codes, UN aggregates, World Bank groups, capitals.

Each reader has the adapter signature `(files, source) -> DataFrame` and returns the
file's content as a tidy frame, codes and names as published, with the provenance
columns `src_file`, `src_sheet`, `src_row` (the row number a user sees in the file).
A file whose layout moved (header row, missing column, truncated) raises SchemaError
naming the file, sheet, row or column and what was expected; an unreadable file
raises SourceError.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError, SourceError
from tmo.sources.base import SourceSpec

HINT = "the publisher changed the layout or the file is truncated; see docs/countries.md"


def _only(files: dict[str, Path]) -> tuple[str, Path]:
    if len(files) != 1:
        raise SourceError(f"expected one reference file, got {sorted(files)}")
    name, path = next(iter(files.items()))
    return name, path


def _require(frame: pd.DataFrame, columns: list[str], where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{where}: missing columns {missing}", hint=HINT)


def _book(path: Path, name: str, **kw: object) -> dict[str, pd.DataFrame]:
    """All sheets of a workbook (no header); SourceError if it cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # xlrd deprecation, openpyxl style warnings
            return pd.read_excel(path, sheet_name=None, **kw)
    except Exception as exc:  # xlrd/openpyxl/zipfile raise many kinds on damaged files
        raise SourceError(f"{name}: cannot read the workbook ({exc})",
                          hint="the file is truncated or damaged; download it again") from exc


def _sheet(book: dict[str, pd.DataFrame], sheet: str, name: str) -> pd.DataFrame:
    if sheet not in book:
        raise SchemaError(f"{name}: no sheet {sheet!r} (sheets: {list(book)})", hint=HINT)
    return book[sheet]


# ---------------------------------------------------------------- country-codes.csv

COUNTRY_CODES = {
    "ISO3166-1-Alpha-3": "iso3", "ISO3166-1-Alpha-2": "iso2", "M49": "m49",
    "CLDR display name": "name", "official_name_en": "official_name",
    "official_name_fr": "name_fr", "official_name_es": "name_es",
    "UNTERM English Short": "unterm_name", "Region Name": "region",
    "Sub-region Name": "subregion", "Intermediate Region Name": "intermediate_region",
    "Region Code": "region_code", "Sub-region Code": "subregion_code",
    "Intermediate Region Code": "intermediate_region_code",
    "Least Developed Countries (LDC)": "ldc",
    "Land Locked Developing Countries (LLDC)": "lldc",
    "Small Island Developing States (SIDS)": "sids", "Capital": "capital_name",
}
MIN_COUNTRIES = 240  # the file lists 249 ISO 3166 entries; fewer means truncated


def read_country_codes(files: dict[str, Path], source: SourceSpec) -> pd.DataFrame:
    """datasets/country-codes CSV, one row per ISO 3166 entry.

    Read with keep_default_na=False: Namibia's alpha-2 code is "NA". Returns iso3,
    iso2, m49 (int), names (CLDR, official EN/FR/ES, UNTERM), UN region, subregion and
    intermediate region (names and codes), ldc/lldc/sids (bool), capital_name.
    """
    name, path = _only(files)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise SourceError(f"{name}: unreadable CSV ({exc})") from exc
    _require(raw, list(COUNTRY_CODES), name)
    frame = raw[list(COUNTRY_CODES)].rename(columns=COUNTRY_CODES)
    frame["src_row"] = (raw.index + 2).astype(str)  # line 1 is the header
    frame = frame[(frame["iso3"] != "") | (frame["m49"] != "")]
    if len(frame) < MIN_COUNTRIES:
        raise SchemaError(f"{name}: {len(frame)} rows with codes, expected at least "
                          f"{MIN_COUNTRIES}; the file is truncated", hint=HINT)
    for column, pattern in (("iso3", r"[A-Z]{3}"), ("m49", r"\d{1,4}")):
        bad = ~frame[column].str.fullmatch(pattern)
        if bad.any():
            row = frame.loc[bad].iloc[0]
            label = next(k for k, v in COUNTRY_CODES.items() if v == column)
            raise SchemaError(f"{name} line {row['src_row']} column {label}: "
                              f"{row[column]!r} is not a valid code", hint=HINT)
    frame["m49"] = frame["m49"].astype(int)
    for flag in ("ldc", "lldc", "sids"):
        frame[flag] = frame[flag].str.strip().str.lower().eq("x")
    return frame.assign(src_file=name, src_sheet="")


# ------------------------------------------------ IMS 2020 annex (UN aggregates)

ANNEX_SHEET = "Annex"
ANNEX_HEAD = 10  # 0-based index of the second header row (spreadsheet row 11)
ANNEX_ROW10 = {5: "Location Type", 7: "Parent Location code", 8: "WORLD", 9: "Subregion",
               11: "SDG subregion", 13: "SDG region", 15: "Geographic region",
               17: "UN development groups", 24: "World Bank income groups"}
ANNEX_ROW11 = {3: "Location code", 4: "ISO3 Alpha-code", 5: "Code", 6: "Name"}
ANNEX_GROUP_CODES = (8, 9, 11, 13, 15)  # columns holding the code of a parent aggregate
ANNEX_FLAGS = range(17, 30)  # development and income group columns: code when member
_LABEL = re.compile(r"^(?P<name>.+?)\s*\n\s*(?P<code>\d+)\s*$", re.S)


def _annex_header(raw: pd.DataFrame, name: str) -> dict[int, tuple[int, str, str]]:
    """Check both header rows; return {column: (code, name, type)} of the flag columns."""
    where = f"{name}, sheet {ANNEX_SHEET}"
    if raw.shape[0] <= ANNEX_HEAD + 1 or raw.shape[1] < 30:
        raise SchemaError(f"{where}: expected at least 30 columns and a header on rows 10-11, "
                          f"found {raw.shape[1]} columns and {raw.shape[0]} rows", hint=HINT)

    def text(r: int, c: int) -> str:
        v = raw.iat[r, c]
        return "" if pd.isna(v) else str(v).strip()

    for row, expected in ((ANNEX_HEAD - 1, ANNEX_ROW10), (ANNEX_HEAD, ANNEX_ROW11)):
        for col, label in expected.items():
            if text(row, col) != label:
                raise SchemaError(f"{where}, row {row + 1}, column {col + 1}: expected header "
                                  f"{label!r}, found {text(row, col)!r}", hint=HINT)
    flags = {}
    for col in ANNEX_FLAGS:
        match = _LABEL.match(text(ANNEX_HEAD, col))
        if not match:
            raise SchemaError(f"{where}, row {ANNEX_HEAD + 1}, column {col + 1}: expected a "
                              f"group name and its code, found {text(ANNEX_HEAD, col)!r}",
                              hint=HINT)
        kind = "Development group" if col < 24 else "Income group"
        flags[col] = (int(match["code"]), " ".join(match["name"].split()), kind)
    return flags


def read_un_aggregates(files: dict[str, Path], source: SourceSpec) -> pd.DataFrame:
    """IMS 2020 annex: one row per location (`record` "location": m49, name as published
    without footnote marks, iso3, location_type, `groups` = M49 codes of the aggregates
    it belongs to), and one row per development or income group named in the header
    (`record` "header"; e.g. 1518 "No income group available", which has no row)."""
    name, path = _only(files)
    raw = _sheet(_book(path, name, header=None), ANNEX_SHEET, name)
    flags = _annex_header(raw, name)
    where = f"{name}, sheet {ANNEX_SHEET}"
    body = raw.iloc[ANNEX_HEAD + 1:]
    body = body[body[3].notna()]
    rows = []
    for idx, r in body.iterrows():
        row = idx + 1
        try:
            m49 = int(r[3])
            groups = [int(r[c]) for c in ANNEX_GROUP_CODES if pd.notna(r[c])]
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"{where}, row {row}: a location or group code is not a "
                              f"number ({exc})", hint=HINT) from exc
        for col in ANNEX_FLAGS:
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
                     "src_row": str(ANNEX_HEAD + 1)})
    frame = pd.DataFrame(rows)
    n = int((frame["location_type"] == "Country/Area").sum())
    if n < 200:
        raise SchemaError(f"{where}: {n} countries under the header on row 11, expected "
                          "at least 200; the file is truncated", hint=HINT)
    return frame.assign(src_file=name, src_sheet=ANNEX_SHEET)


# ----------------------------------------------------- World Bank CLASS.xlsx

ECONOMIES = "List of economies"
GROUPS = "Groups"


def read_wb_class(files: dict[str, Path], source: SourceSpec) -> pd.DataFrame:
    """World Bank CLASS: economies (`record` "economy": iso3 as published (XKX Kosovo,
    CHI Channel Islands), wb_name, wb_region, wb_income, wb_lending) and group
    memberships (`record` "group": group_code, group_name, iso3)."""
    name, path = _only(files)
    book = _book(path, name)
    economies = _sheet(book, ECONOMIES, name)
    groups = _sheet(book, GROUPS, name)
    _require(economies, ["Economy", "Code", "Region", "Income group", "Lending category"],
             f"{name}, sheet {ECONOMIES!r} (header expected on row 1)")
    _require(groups, ["GroupCode", "GroupName", "CountryCode"],
             f"{name}, sheet {GROUPS!r} (header expected on row 1)")
    economies = economies[economies["Region"].notna()]  # aggregates have no region
    if len(economies) < 200 or len(groups) < 1000:
        raise SchemaError(f"{name}: {len(economies)} economies and {len(groups)} group "
                          "memberships, expected at least 200 and 1000; truncated", hint=HINT)
    for sheet, frame, col in ((ECONOMIES, economies, "Code"), (GROUPS, groups, "CountryCode"),
                              (GROUPS, groups, "GroupCode")):
        bad = ~frame[col].astype(str).str.fullmatch(r"[A-Z0-9]{3}")
        if bad.any():
            i = bad.idxmax()
            raise SchemaError(f"{name}, sheet {sheet!r}, row {i + 2}, column {col}: "
                              f"{frame.at[i, col]!r} is not a 3-character code", hint=HINT)
    out = pd.DataFrame({
        "record": "economy", "iso3": economies["Code"], "wb_name": economies["Economy"],
        "wb_region": economies["Region"], "wb_income": economies["Income group"],
        "wb_lending": economies["Lending category"],
        "src_sheet": ECONOMIES, "src_row": (economies.index + 2).astype(str)})
    memb = pd.DataFrame({
        "record": "group", "group_code": groups["GroupCode"], "group_name": groups["GroupName"],
        "iso3": groups["CountryCode"], "src_sheet": GROUPS,
        "src_row": (groups.index + 2).astype(str)})
    return pd.concat([out, memb], ignore_index=True).assign(src_file=name)


# ----------------------------------------------------- WUP 2014 F13 capitals

WUP_SHEET = "DATA"
WUP_HEADER_ROW = 17  # spreadsheet row of the header
WUP_COLUMNS = ["Country code", "Capital City", "Capital Type", "Latitude", "Longitude"]


def read_wup_capitals(files: dict[str, Path], source: SourceSpec) -> pd.DataFrame:
    """WUP 2014 File 13: one row per capital city (m49, capital, capital_type, lat, lon);
    some countries list several (official, administrative, legislative ...)."""
    name, path = _only(files)
    raw = _sheet(_book(path, name, header=None), WUP_SHEET, name)
    where = f"{name}, sheet {WUP_SHEET}"
    head = WUP_HEADER_ROW - 1
    found = raw.index[raw.apply(lambda r: "Capital City" in set(r.astype(str)), axis=1)]
    if head >= len(raw) or "Capital City" not in set(raw.iloc[head].astype(str)):
        at = f"found on row {found[0] + 1}" if len(found) else "not found"
        raise SchemaError(f"{where}: header expected on row {WUP_HEADER_ROW}, {at}", hint=HINT)
    table = raw.iloc[head + 1:].copy()
    table.columns = [str(c).strip() for c in raw.iloc[head]]
    _require(table, WUP_COLUMNS, f"{where}, header row {WUP_HEADER_ROW}")
    table = table[table["Country code"].notna()]
    if len(table) < 200:
        raise SchemaError(f"{where}: {len(table)} capitals below the header, expected at "
                          "least 200; the file is truncated", hint=HINT)
    rows = (table.index + 1).astype(str)
    for col in ("Country code", "Latitude", "Longitude"):
        values = pd.to_numeric(table[col], errors="coerce")
        if values.isna().any():
            i = values.isna().to_numpy().argmax()
            raise SchemaError(f"{where}, row {rows[i]}, column {col!r}: "
                              f"{table[col].iloc[i]!r} is not a number", hint=HINT)
    return pd.DataFrame({
        "m49": table["Country code"].astype(int).to_numpy(),
        "capital": table["Capital City"].astype(str).str.strip().to_numpy(),
        "capital_type": table["Capital Type"].astype(str).str.strip().to_numpy(),
        "capital_lat": table["Latitude"].astype(float).to_numpy(),
        "capital_lon": table["Longitude"].astype(float).to_numpy(),
        "src_file": name, "src_sheet": WUP_SHEET, "src_row": rows.to_numpy()})
