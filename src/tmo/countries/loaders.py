"""Readers of the reference files: ISO/M49 codes, UN aggregates, World Bank groups, capitals.

Each returns a tidy frame with provenance columns; a file whose layout moved raises
SchemaError naming the file, sheet and what was expected.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError, SourceError
from tmo.sources.base import SourceSpec


def _only(files: dict[str, Path]) -> tuple[str, Path]:
    name, path = next(iter(files.items()))
    return name, path


def _require(frame: pd.DataFrame, columns: list[str], where: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{where}: missing columns {missing}",
                          hint="the publisher changed the layout; see docs/countries.md")


def _excel(path: Path, name: str, **kw: object) -> pd.DataFrame:
    try:
        return pd.read_excel(path, **kw)
    except Exception as exc:  # noqa: BLE001 - xlrd/openpyxl raise many types on damaged files
        if isinstance(exc, SchemaError):
            raise
        raise SourceError(f"{name}: cannot read the workbook ({exc})",
                          hint="the file is truncated or damaged; download it again") from exc


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


def read_country_codes(files: dict[str, Path], source: SourceSpec) -> pd.DataFrame:
    """datasets/country-codes CSV (read with keep_default_na=False: Namibia is "NA")."""
    name, path = _only(files)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise SourceError(f"{name}: unreadable CSV ({exc})") from exc
    _require(raw, list(COUNTRY_CODES), name)
    frame = raw[list(COUNTRY_CODES)].rename(columns=COUNTRY_CODES)
    frame["src_row"] = (raw.index + 2).astype(str)
    frame = frame[frame["iso3"] != ""]
    bad = ~frame["m49"].str.fullmatch(r"\d+")
    if bad.any():
        row = frame.loc[bad, "src_row"].iloc[0]
        raise SchemaError(f"{name} line {row}: M49 code {frame.loc[bad, 'm49'].iloc[0]!r} "
                          "is not a number")
    frame["m49"] = frame["m49"].astype(int)
    for flag in ("ldc", "lldc", "sids"):
        frame[flag] = frame[flag].str.lower().eq("x")
    return frame.assign(src_file=name, src_sheet="")


def read_un_aggregates(files: dict[str, Path], source: SourceSpec) -> pd.DataFrame:
    """IMS 2020 annex: one row per location with its type, and for countries the codes
    of the groups it belongs to (`groups`, a list of M49 codes)."""
    name, path = _only(files)
    raw = _excel(path, name, header=None)
    header = [str(v) for v in raw.iloc[10].tolist()]
    if len(header) < 30 or header[3] != "Location code" or header[4] != "ISO3 Alpha-code":
        raise SchemaError(f"{name}, row 11: expected 'Location code' and 'ISO3 Alpha-code' "
                          f"in columns D and E, found {header[3:5]}")
    body = raw.iloc[11:]
    body = body[body[3].notna()]
    rows = []
    group_cols = [9, 11, 13, 15, *range(17, 30)]
    for idx, r in body.iterrows():
        kind = "World" if int(r[3]) == 900 else str(r[6])
        groups = [int(r[c]) for c in group_cols if pd.notna(r[c])]
        if kind == "Country/Area":
            groups = [900, *groups]
        rows.append({"m49": int(r[3]), "name": str(r[1]).strip().rstrip("*").strip(),
                     "iso3": None if pd.isna(r[4]) else str(r[4]), "location_type": kind,
                     "subregion_code": None if pd.isna(r[9]) else int(r[9]),
                     "sdg_region": None if pd.isna(r[14]) else str(r[14]),
                     "groups": groups, "src_row": str(idx + 1)})
    frame = pd.DataFrame(rows)
    if frame.empty or (frame["location_type"] == "Country/Area").sum() < 200:
        raise SchemaError(f"{name}: fewer than 200 countries under the header on row 11")
    return frame.assign(src_file=name, src_sheet="")


def read_wb_class(files: dict[str, Path], source: SourceSpec) -> pd.DataFrame:
    """World Bank CLASS: economies (region, income group) and group memberships."""
    name, path = _only(files)
    sheets = _excel(path, name, sheet_name=None)
    for sheet, cols in (("List of economies", ["Economy", "Code", "Region", "Income group"]),
                        ("Groups", ["GroupCode", "GroupName", "CountryCode"])):
        if sheet not in sheets:
            raise SchemaError(f"{name}: no sheet {sheet!r}")
        _require(sheets[sheet], cols, f"{name}, sheet {sheet!r}")
    groups = sheets["Groups"]
    economies = sheets["List of economies"]
    economies = economies[economies["Region"].notna()]
    out = pd.DataFrame({
        "iso3": economies["Code"], "wb_name": economies["Economy"],
        "wb_region": economies["Region"], "wb_income": economies["Income group"],
        "src_sheet": "List of economies", "src_row": (economies.index + 2).astype(str)})
    memb = pd.DataFrame({
        "group_code": groups["GroupCode"], "group_name": groups["GroupName"],
        "iso3": groups["CountryCode"], "src_sheet": "Groups",
        "src_row": (groups.index + 2).astype(str)})
    return pd.concat([out.assign(record="economy"), memb.assign(record="group")],
                     ignore_index=True).assign(src_file=name)


def read_wup_capitals(files: dict[str, Path], source: SourceSpec) -> pd.DataFrame:
    """WUP 2014 File 13: capital cities with coordinates (header on row 17)."""
    name, path = _only(files)
    raw = _excel(path, name, sheet_name="DATA", header=16)
    _require(raw, ["Country code", "Capital City", "Capital Type", "Latitude", "Longitude"],
             f"{name}, sheet DATA (header expected on row 17)")
    raw = raw[raw["Country code"].notna()]
    return pd.DataFrame({
        "m49": raw["Country code"].astype(int), "capital": raw["Capital City"].astype(str),
        "capital_type": raw["Capital Type"].astype(str),
        "capital_lat": raw["Latitude"].astype(float), "capital_lon": raw["Longitude"].astype(float),
        "src_file": name, "src_sheet": "DATA", "src_row": (raw.index + 18).astype(str)})
