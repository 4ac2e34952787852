"""UN DESA IMS adapters: the real destination workbooks (published figures), and small
workbooks written here in the official 2024 and 2020 layouts (origin-destination,
and destination workbooks with broken layouts)."""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tmo.errors import SchemaError, SourceError
from tmo.frame import validate
from tmo.sources.base import Ingested
from tmo.sources.catalog import load_catalog
from tmo.sources.undesa_ims import read_destination_workbook, read_od_workbook
from tmo.sources.undesa_ims.workbook import clean_name

from ..conftest import shared_file
from .ims_layout import YEARS, destination_workbook, od_workbook

DEST = {"2024": "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
        "2020": "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"}
OD = {"2024": "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
      "2020": "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx"}
REVISIONS = ["2024", "2020"]


@pytest.fixture(scope="module")
def destination() -> dict[str, Ingested]:
    out = {}
    for rev in REVISIONS:
        path = shared_file(f"undesa_ims/official/{DEST[rev]}")
        out[rev] = read_destination_workbook({DEST[rev]: path},
                                             load_catalog()[f"ims_destination_{rev}"])
    return out


def _get(frame: pd.DataFrame, col: str, **key: object):
    sel = frame
    for k, v in key.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, key
    return sel[col].iloc[0]


# --- the real destination workbooks -------------------------------------------------

@pytest.mark.parametrize("rev", REVISIONS)
def test_destination_tables_validate(destination, rev: str) -> None:
    ing = destination[rev]
    assert set(ing.tables) == {"destination_stock", "population", "ims_indicator",
                               "area_names"}
    for name, frame in ing.tables.items():
        validate(name, frame, source="test")
        assert set(frame["src_file"]) == {DEST[rev]}
    assert ing.geo["destination_stock"] == {"destination": "m49"}
    assert ing.geo["population"] == {"country": "m49"}
    d = ing.tables["destination_stock"]
    assert set(d["revision"]) == {rev}
    assert set(d["sex"]) == {"total", "male", "female"}
    assert sorted(d["year"].unique()) == YEARS[rev]


@pytest.mark.parametrize("rev", REVISIONS)
def test_world_series(destination, rev: str) -> None:
    d = destination[rev].tables["destination_stock"]
    world = d[(d.destination == 900) & (d.sex == "total")].sort_values("year")["stock"].tolist()
    expected = {"2024": [153_916_063, 163_176_002, 174_566_152, 192_788_721, 221_020_392,
                         250_042_020, 275_284_032, 304_021_813],
                "2020": [152_986_157, 161_289_976, 173_230_585, 191_446_828, 220_983_187,
                         247_958_644, 280_598_105]}
    assert world == expected[rev]


def test_published_figures_2024(destination) -> None:
    ing = destination["2024"]
    d, pop = ing.tables["destination_stock"], ing.tables["population"]
    assert _get(d, "stock", destination=276, year=2024, sex="total") == 16_750_084
    assert _get(d, "stock", destination=900, year=2020, sex="male") == 143_223_497
    assert _get(d, "src_row", destination=900, year=2024, sex="female") == "12"
    assert _get(d, "src_sheet", destination=900, year=2024, sex="female") == "Table 1"
    assert _get(d, "data_type", destination=276, year=2024, sex="total") == "B R"
    assert _get(pop, "population", country=900, year=2024, sex="total") == 8_161_972_572
    # Table 2's location codes come from Table 1 by row index (its own column is data type)
    assert _get(pop, "src_row", country=108, year=1990, sex="total") == "39"
    ind = ing.tables["ims_indicator"]
    assert _get(ind, "value", indicator="migrant_share_pct", area=900, period="2024",
                sex="total") == pytest.approx(3.72485707735603)
    assert _get(ind, "value", indicator="female_share_pct", area=900, period="2024",
                sex="total") == pytest.approx(48.0268229964144)
    assert _get(ind, "value", indicator="annual_rate_of_change_pct", area=900,
                period="2020-2024", sex="total") == pytest.approx(2.482401095865541)
    assert set(ind["table_no"]) == {3, 4, 5}


def test_published_figures_2020(destination) -> None:
    ing = destination["2020"]
    d = ing.tables["destination_stock"]
    assert _get(d, "stock", destination=900, year=2020, sex="total") == 280_598_105
    assert _get(d, "stock", destination=900, year=1990, sex="total") == 152_986_157
    assert not d["data_type"].str.endswith(" ").any()  # "B R " in the workbook
    names = ing.tables["area_names"]
    assert _get(names, "name", area=900) == "World"  # "WORLD" in the workbook
    assert _get(names, "name", area=947) == "Sub-Saharan Africa"  # indented
    assert not names["name"].str.contains(r"\*|^\s", regex=True).any()
    ind = ing.tables["ims_indicator"]
    assert _get(ind, "value", indicator="refugees", area=900, period="2020",
                sex="total") == 33_807_795
    assert _get(ind, "value", indicator="annual_rate_of_change_pct", area=900,
                period="2015-2020", sex="total") == pytest.approx(2.4732288013031996)
    assert set(ind["table_no"]) == {3, 4, 5, 6}
    # Australia and New Zealand (927) is listed twice with equal figures
    assert any(f.check == "repeated_row" and "927" in f.message for f in ing.findings)


def test_revision_must_match_the_source() -> None:
    path = shared_file(f"undesa_ims/official/{DEST['2020']}")
    with pytest.raises(SchemaError, match=r"IMS 2020 revision .* 'ims_destination_2024'"):
        read_destination_workbook({DEST["2020"]: path}, load_catalog()["ims_destination_2024"])


# --- hand-made destination workbooks -------------------------------------------------

def _dest_rows(rev: str) -> list[tuple]:
    n = len(YEARS[rev])
    stock = {"total": [100, "..", *range(120, 120 + n - 2)], "male": [60, "..", *[70] * (n - 2)],
             "female": [40, "..", *[50] * (n - 2)]}
    pop = {"total": [1000.5, *[1100.25] * (n - 1)], "male": [500.25] * n, "female": [500.25] * n}
    return [("World", 900, None, stock, pop),
            ("Germany*", 276, "B", copy.deepcopy(stock), copy.deepcopy(pop))]


@pytest.mark.parametrize("rev", REVISIONS)
def test_destination_official_layout(tmp_path: Path, rev: str) -> None:
    path = destination_workbook(tmp_path / DEST[rev], rev, _dest_rows(rev))
    ing = read_destination_workbook({DEST[rev]: path}, load_catalog()[f"ims_destination_{rev}"])
    d = validate("destination_stock", ing.tables["destination_stock"], source="test")
    assert _get(d, "stock", destination=276, year=1990, sex="female") == 40
    assert _get(d, "src_row", destination=276, year=1990, sex="female") == "13"
    assert d[(d.year == 1995)].empty  # '..': no estimate, no row
    assert _get(d, "data_type", destination=276, year=2000, sex="total") == "B"
    pop = validate("population", ing.tables["population"], source="test")
    assert _get(pop, "population", country=276, year=1990, sex="total") == 1_000_500
    assert _get(pop, "population", country=276, year=1995, sex="male") == 500_250
    assert _get(ing.tables["area_names"], "name", area=276) == "Germany"


@pytest.mark.parametrize("rev", REVISIONS)
def test_destination_header_moved(tmp_path: Path, rev: str) -> None:
    path = destination_workbook(tmp_path / DEST[rev], rev, _dest_rows(rev), header_row=12)
    with pytest.raises(SchemaError, match=rf"{DEST[rev]}, sheet 'Table 1', row 11: expected "
                                          r"the header .*found on row 12"):
        read_destination_workbook({DEST[rev]: path}, load_catalog()[f"ims_destination_{rev}"])


@pytest.mark.parametrize(("rev", "column", "expected"), [
    ("2024", "Data type", "Data type / Type of data"), ("2024", "Coverage", "Coverage"),
    ("2020", "Type of data", "Data type / Type of data"), ("2020", "Location code",
                                                           "Location code"),
])
def test_destination_column_missing(tmp_path: Path, rev: str, column: str,
                                    expected: str) -> None:
    path = destination_workbook(tmp_path / DEST[rev], rev, _dest_rows(rev), drop=column)
    with pytest.raises(SchemaError, match=rf"sheet 'Table 1', row 11: expected columns "
                                          rf"\['{expected}'\]"):
        read_destination_workbook({DEST[rev]: path}, load_catalog()[f"ims_destination_{rev}"])


def test_destination_unknown_block_label(tmp_path: Path) -> None:
    path = destination_workbook(tmp_path / DEST["2024"], "2024", _dest_rows("2024"))
    book = openpyxl.load_workbook(path)
    book["Table 1"]["N8"] = "International migrant stock at mid-year, adults"
    book.save(path)
    with pytest.raises(SchemaError, match=r"'Table 1', row 8: block label .*adults"):
        read_destination_workbook({DEST["2024"]: path}, load_catalog()["ims_destination_2024"])


def test_destination_negative_stock(tmp_path: Path) -> None:
    rows = _dest_rows("2024")
    rows[1][3]["male"][0] = -3
    path = destination_workbook(tmp_path / DEST["2024"], "2024", rows)
    with pytest.raises(SourceError, match=r"sheet 'Table 1', cell N13: negative figure -3"):
        read_destination_workbook({DEST["2024"]: path}, load_catalog()["ims_destination_2024"])


def test_destination_truncated(tmp_path: Path) -> None:
    path = destination_workbook(tmp_path / DEST["2020"], "2020", _dest_rows("2020"))
    path.write_bytes(path.read_bytes()[:3000])
    with pytest.raises(SourceError, match=f"{DEST['2020']}: not a readable xlsx") as err:
        read_destination_workbook({DEST["2020"]: path}, load_catalog()["ims_destination_2020"])
    assert "download it again" in (err.value.hint or "")


# --- hand-made origin-destination workbooks ------------------------------------------

# destination, origin, values by sex (8 years; the 2020 layout takes 7)
ROWS: list[tuple[str, int, str, int, dict[str, list[int | str]]]] = [
    ("Germany", 276, "Türkiye*", 792, {"total": [1000, "..", 1200, 1300, 1400, 1500, 1600, 1700],
                                       "male": [600, "..", 700, 750, 800, 850, 900, 950],
                                       "female": [400, "..", 500, 550, 600, 650, 700, 750]}),
    ("Germany", 276, "Other", 2003, {"total": [10] * 8, "male": [6] * 8, "female": [4] * 8}),
    ("Germany", 276, "World", 900, {"total": [1010, 0, 1210, 1310, 1410, 1510, 1610, 1710],
                                    "male": [606, 0, 706, 756, 806, 856, 906, 956],
                                    "female": [404, 0, 504, 554, 604, 654, 704, 754]}),
    ("Germany", 276, "Europe", 908, {"total": [7] * 8, "male": [3] * 8, "female": [4] * 8}),
    ("WORLD", 900, "Türkiye*", 792, {"total": [5] * 8, "male": [3] * 8, "female": [2] * 8}),
    ("France*", 250, "Türkiye*", 792, {"total": [0] * 8, "male": [0] * 8, "female": [0] * 8}),
]


def _rows(revision: str) -> list[tuple]:
    n = len(YEARS[revision])
    return [(d, dc, o, oc, {s: list(v[:n]) for s, v in vals.items()})
            for d, dc, o, oc, vals in ROWS]


def _read_od(path: Path, revision: str):
    return read_od_workbook({OD[revision]: path}, load_catalog()[f"ims_od_{revision}"])


@pytest.mark.parametrize("revision", REVISIONS)
def test_od_workbook_official_layout(tmp_path: Path, revision: str) -> None:
    ing = _read_od(od_workbook(tmp_path / OD[revision], revision, _rows(revision)), revision)
    m = validate("migrant_stock", ing.tables["migrant_stock"], source="test")
    assert ing.geo["migrant_stock"] == {"origin": "m49", "destination": "m49"}
    assert set(m["destination"]) == {276, 250}
    assert set(m["origin"]) == {792, 2003}
    assert set(m["revision"]) == {revision}
    assert set(m["src_sheet"]) == {"Table 1"}
    n = len(YEARS[revision])
    for sex, values in ROWS[0][4].items():  # every figure read back exactly
        got = m[(m.origin == 792) & (m.destination == 276) & (m.sex == sex)]
        assert dict(zip(got["year"], got["stock"], strict=True)) == {
            y: v for y, v in zip(YEARS[revision], values[:n], strict=True) if v != ".."}
    assert m[(m.origin == 792) & (m.destination == 276) & (m.year == 1995)].empty  # ".."
    assert _get(m, "stock", origin=2003, destination=276, year=2000, sex="male") == 6
    assert _get(m, "stock", origin=792, destination=250, year=2020, sex="total") == 0  # true 0
    assert _get(m, "src_row", origin=792, destination=276, year=1990, sex="male") == "12"
    assert len(m) == (3 * n - 1) * 3
    agg = next(f for f in ing.findings if f.check == "aggregate_rows")
    assert agg.severity == "info"
    assert ("1 rows with aggregate destination, 1 rows with origin total (900), "
            "1 rows with aggregate origin") in agg.message
    # the 1995 origin total (0) differs from Türkiye ('..') + Other (10)
    check = [f for f in ing.findings if f.check == "od_sum_vs_destination_total"]
    assert len(check) == 1
    assert "3 destination/year/sex totals" in check[0].message


@pytest.mark.parametrize("revision", REVISIONS)
def test_od_workbook_header_moved(tmp_path: Path, revision: str) -> None:
    path = od_workbook(tmp_path / OD[revision], revision, _rows(revision), header_row=13)
    with pytest.raises(SchemaError, match=r"Table 1', row 11: expected the header .*found on "
                                          r"row 13"):
        _read_od(path, revision)


@pytest.mark.parametrize(("revision", "column", "expected"), [
    ("2024", "Location code of origin", "Location code of origin"),
    ("2024", "Data type", "Data type"),
    ("2020", "Notes of destination", "Notes"),
])
def test_od_workbook_column_missing(tmp_path: Path, revision: str, column: str,
                                    expected: str) -> None:
    path = od_workbook(tmp_path / OD[revision], revision, _rows(revision), drop=column)
    with pytest.raises(SchemaError, match=rf"row 11: expected columns \['{expected}"):
        _read_od(path, revision)


@pytest.mark.parametrize("revision", REVISIONS)
def test_od_workbook_negative_stock(tmp_path: Path, revision: str) -> None:
    rows = _rows(revision)
    rows[0][4]["female"][2] = -5
    path = od_workbook(tmp_path / OD[revision], revision, rows)
    col = "Z" if revision == "2024" else "X"  # 2000, females: 7 id columns + 2 blocks + 3
    with pytest.raises(SourceError, match=rf"cell {col}12: negative figure -5 for location 276"):
        _read_od(path, revision)


def test_od_workbook_wrong_revision(tmp_path: Path) -> None:
    path = od_workbook(tmp_path / OD["2020"], "2020", _rows("2020"))
    with pytest.raises(SchemaError, match="IMS 2020 revision"):
        _read_od(path, "2024")


def test_od_truncated_workbook(tmp_path: Path) -> None:
    path = od_workbook(tmp_path / OD["2024"], "2024", _rows("2024"))
    path.write_bytes(path.read_bytes()[:800])
    with pytest.raises(SourceError, match=f"{OD['2024']}: not a readable xlsx"):
        _read_od(path, "2024")


def test_od_text_in_a_number_cell(tmp_path: Path) -> None:
    path = od_workbook(tmp_path / OD["2020"], "2020", _rows("2020"))
    book = openpyxl.load_workbook(path)
    book["Table 1"].cell(12, 9, "n/a")
    book.save(path)
    with pytest.raises(SchemaError, match=r"cell I12: 'n/a' is not a number"):
        _read_od(path, "2020")


def test_od_repeated_pair(tmp_path: Path) -> None:
    rows = _rows("2024")
    path = od_workbook(tmp_path / OD["2024"], "2024", [*rows, rows[1]])
    ing = _read_od(path, "2024")
    assert any(f.check == "repeated_row" and "[276]" in f.message for f in ing.findings)
    validate("migrant_stock", ing.tables["migrant_stock"], source="test")
    changed = (*rows[1][:4], {**rows[1][4], "male": [7] * 8})
    path = od_workbook(tmp_path / OD["2024"], "2024", [*rows, changed])
    with pytest.raises(SchemaError, match="appears twice with different figures"):
        _read_od(path, "2024")


@pytest.mark.parametrize(("published", "name"), [
    ("WORLD", "World"),
    ("  LATIN AMERICA AND THE CARIBBEAN", "Latin America and the Caribbean"),
    ("EUROPE AND NORTHERN AMERICA", "Europe and Northern America"),
    ("   China*", "China"),
    ("   Bonaire, Sint Eustatius and Saba", "Bonaire, Sint Eustatius and Saba"),
])
def test_published_names_cleaned(published: str, name: str) -> None:
    # upper-case aggregate names become English titles, small words in lower case
    assert clean_name(published) == name
