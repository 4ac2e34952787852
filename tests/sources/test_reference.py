"""Adapters of the reference files (`tmo.sources.reference`) on the real files and on
broken copies: a moved header, a missing column or sheet, a truncated or damaged file."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from tmo.errors import SchemaError, SourceError
from tmo.sources.catalog import load_catalog
from tmo.sources.reference.country_codes import read_country_codes
from tmo.sources.reference.un_aggregates import read_un_aggregates
from tmo.sources.reference.wb_class import read_wb_class
from tmo.sources.reference.wup_capitals import read_wup_capitals

from ..conftest import shared_file

ANNEX = "undesa_ims/official/aggregates_correspondence_table_2020_1.xlsx"


def test_country_codes_missing_column(tmp_path: Path) -> None:
    src = pd.read_csv(shared_file("metadata/country-codes.csv"), dtype=str,
                      keep_default_na=False)
    broken = tmp_path / "country-codes.csv"
    src.drop(columns=["ISO3166-1-Alpha-3"]).to_csv(broken, index=False)
    with pytest.raises(SchemaError, match=r"country-codes.csv: missing columns \['ISO3166"):
        read_country_codes({"country-codes.csv": broken}, load_catalog()["countries_iso"])


def test_capitals_workbook_damaged(tmp_path: Path) -> None:
    broken = tmp_path / "WUP2014-F13-Capital_Cities.xls"
    broken.write_bytes(shared_file("metadata/WUP2014-F13-Capital_Cities.xls").read_bytes()[:5000])
    with pytest.raises(SourceError, match=r"WUP2014-F13-Capital_Cities\.xls: cannot read"):
        read_wup_capitals({broken.name: broken}, load_catalog()["wup_capitals"])



def _wup() -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # xlrd deprecation
        return pd.read_excel(shared_file("metadata/WUP2014-F13-Capital_Cities.xls"),
                             sheet_name="DATA", header=None)


def _catalog(key: str):
    return load_catalog()[key]


def test_country_codes_truncated(tmp_path: Path) -> None:
    lines = shared_file("metadata/country-codes.csv").read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "country-codes.csv"
    broken.write_text("\n".join(lines[:50]) + "\n", encoding="utf-8")
    with pytest.raises(SchemaError, match=r"country-codes.csv: 49 rows .* truncated"):
        read_country_codes({broken.name: broken}, _catalog("countries_iso"))


def test_country_codes_bad_m49(tmp_path: Path) -> None:
    src = pd.read_csv(shared_file("metadata/country-codes.csv"), dtype=str,
                      keep_default_na=False)
    src.loc[3, "M49"] = "four"
    broken = tmp_path / "country-codes.csv"
    src.to_csv(broken, index=False)
    with pytest.raises(SchemaError, match=r"country-codes.csv line 5 column M49: 'four'"):
        read_country_codes({broken.name: broken}, _catalog("countries_iso"))


def test_capitals_header_moved(tmp_path: Path) -> None:
    raw = _wup()
    moved = pd.concat([pd.DataFrame([[None] * raw.shape[1]] * 3), raw], ignore_index=True)
    broken = tmp_path / "WUP2014-F13-Capital_Cities.xlsx"
    moved.to_excel(broken, sheet_name="DATA", header=False, index=False)
    with pytest.raises(SchemaError, match=r"sheet DATA: header expected on row 17, found on "
                                          r"row 20"):
        read_wup_capitals({broken.name: broken}, _catalog("wup_capitals"))


def test_capitals_missing_column(tmp_path: Path) -> None:
    raw = _wup()
    raw.iat[16, 7] = "Lat"
    broken = tmp_path / "WUP2014-F13-Capital_Cities.xlsx"
    raw.to_excel(broken, sheet_name="DATA", header=False, index=False)
    with pytest.raises(SchemaError, match=r"header row 17: missing columns \['Latitude'\]"):
        read_wup_capitals({broken.name: broken}, _catalog("wup_capitals"))


def test_annex_header_moved(tmp_path: Path) -> None:
    raw = pd.read_excel(shared_file(ANNEX), sheet_name="Annex", header=None)
    broken = tmp_path / "aggregates_correspondence_table_2020_1.xlsx"
    raw.iloc[1:].to_excel(broken, sheet_name="Annex", header=False, index=False)
    with pytest.raises(SchemaError, match=r"sheet Annex, row 10, column 6: expected header "
                                          r"'Location Type'"):
        read_un_aggregates({broken.name: broken}, _catalog("un_aggregates_2020"))


def test_annex_bad_membership(tmp_path: Path) -> None:
    raw = pd.read_excel(shared_file(ANNEX), sheet_name="Annex", header=None)
    raw.iat[200, 24] = 1501  # Germany listed under the high-income column as 1501
    broken = tmp_path / "aggregates_correspondence_table_2020_1.xlsx"
    raw.to_excel(broken, sheet_name="Annex", header=False, index=False)
    with pytest.raises(SchemaError, match=r"row 201, column 25: membership 1501, expected 1503"):
        read_un_aggregates({broken.name: broken}, _catalog("un_aggregates_2020"))


def test_class_missing_sheet_and_column(tmp_path: Path) -> None:
    book = pd.read_excel(shared_file("metadata/CLASS_wb_income_classification.xlsx"),
                         sheet_name=None)
    broken = tmp_path / "CLASS.xlsx"
    with pd.ExcelWriter(broken) as out:
        book["List of economies"].drop(columns=["Income group"]).to_excel(
            out, sheet_name="List of economies", index=False)
        book["Groups"].to_excel(out, sheet_name="Groups", index=False)
    with pytest.raises(SchemaError, match=r"sheet 'List of economies' .*missing columns "
                                          r"\['Income group'\]"):
        read_wb_class({broken.name: broken}, _catalog("wb_income"))
    with pd.ExcelWriter(broken) as out:
        book["Groups"].to_excel(out, sheet_name="Groups", index=False)
    with pytest.raises(SchemaError, match=r"CLASS.xlsx: no sheet 'List of economies'"):
        read_wb_class({broken.name: broken}, _catalog("wb_income"))


@pytest.mark.parametrize(("key", "name", "rows"), [
    ("countries_iso", "country_codes", 249), ("un_aggregates_2020", "un_aggregates", 200),
    ("wb_income", "wb_class", 1200), ("wup_capitals", "wup_capitals", 200),
])
def test_reference_adapters_return_their_frame(key: str, name: str, rows: int) -> None:
    from tmo.sources.catalog import reader
    from tmo.sources.snapshot import MirrorIndex, locate

    from ..conftest import DATA

    res = locate(_catalog(key), MirrorIndex(DATA))
    out = reader(res.edition)(res.files, res.spec)
    assert out.parts == []
    assert out.findings == []
    assert list(out.reference) == [name]
    frame = out.reference[name]
    assert len(frame) >= rows
    assert {"src_file", "src_sheet", "src_row"} <= set(frame.columns)
    assert frame["src_file"].eq(next(iter(res.files))).all()
