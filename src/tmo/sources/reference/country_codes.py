"""datasets/country-codes `country-codes.csv`: ISO 3166 and UN M49 codes, names, UN
regions, LDC/LLDC/SIDS flags and capital names, one row per ISO 3166 entry.

Quirk: read with keep_default_na=False, since Namibia's alpha-2 code is "NA".
"""

from __future__ import annotations

from pathlib import Path

from tmo.errors import SchemaError
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import read_csv, require_columns, single
from tmo.sources.reference import HINT

COLUMNS = {
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


def read_country_codes(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """country-codes.csv -> reference frame "country_codes": iso3, iso2, m49 (int),
    names (CLDR, official EN/FR/ES, UNTERM), UN region, subregion and intermediate
    region (names and codes), ldc/lldc/sids (bool), capital_name."""
    name, path = single(files)
    raw = read_csv(path, name, dtype=str, keep_default_na=False)
    require_columns(raw, COLUMNS, name, hint=HINT)
    frame = raw[list(COLUMNS)].rename(columns=COLUMNS)
    frame["src_row"] = (raw.index + 2).astype(str)  # line 1 is the header
    frame = frame[(frame["iso3"] != "") | (frame["m49"] != "")]
    if len(frame) < MIN_COUNTRIES:
        raise SchemaError(f"{name}: {len(frame)} rows with codes, expected at least "
                          f"{MIN_COUNTRIES}; the file is truncated", hint=HINT)
    for column, pattern in (("iso3", r"[A-Z]{3}"), ("m49", r"\d{1,4}")):
        bad = ~frame[column].str.fullmatch(pattern)
        if bad.any():
            row = frame.loc[bad].iloc[0]
            label = next(k for k, v in COLUMNS.items() if v == column)
            raise SchemaError(f"{name} line {row['src_row']} column {label}: "
                              f"{row[column]!r} is not a valid code", hint=HINT)
    frame["m49"] = frame["m49"].astype(int)
    for flag in ("ldc", "lldc", "sids"):
        frame[flag] = frame[flag].str.strip().str.lower().eq("x")
    return Ingested(reference={"country_codes": frame.assign(src_file=name, src_sheet="")})
