"""UN DESA IMS adapters: the real destination workbooks and hand-made origin-destination
workbooks in the official 2024 and 2020 layouts."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tmo.errors import SchemaError, SourceError
from tmo.frame import validate
from tmo.sources.catalog import load_catalog
from tmo.sources.undesa_ims import read_destination_workbook, read_od_workbook

from ..conftest import shared_file
from .ims_layout import YEARS, od_workbook

DEST = {"2024": "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
        "2020": "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"}


@pytest.fixture(scope="module", params=["2024", "2020"])
def destination(request):
    rev = request.param
    path = shared_file(f"undesa_ims/official/{DEST[rev]}")
    spec = load_catalog()[f"ims_destination_{rev}"]
    return rev, read_destination_workbook({DEST[rev]: path}, spec)


def _get(frame: pd.DataFrame, col: str, **key: object):
    sel = frame
    for k, v in key.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, key
    return sel[col].iloc[0]


def test_destination_tables_validate(destination) -> None:
    _, ing = destination
    for name, frame in ing.tables.items():
        validate(name, frame, source="test")
    assert ing.geo["destination_stock"] == {"destination": "m49"}


def test_world_series(destination) -> None:
    rev, ing = destination
    d = ing.tables["destination_stock"]
    world = d[(d.destination == 900) & (d.sex == "total")].sort_values("year")["stock"].tolist()
    expected = {"2024": [153_916_063, 163_176_002, 174_566_152, 192_788_721, 221_020_392,
                         250_042_020, 275_284_032, 304_021_813],
                "2020": [152_986_157, 161_289_976, 173_230_585, 191_446_828, 220_983_187,
                         247_958_644, 280_598_105]}
    assert world == expected[rev]


def test_published_figures_2024() -> None:
    path = shared_file(f"undesa_ims/official/{DEST['2024']}")
    ing = read_destination_workbook({DEST["2024"]: path}, load_catalog()["ims_destination_2024"])
    d, pop = ing.tables["destination_stock"], ing.tables["population"]
    assert _get(d, "stock", destination=276, year=2024, sex="total") == 16_750_084
    assert _get(pop, "population", country=900, year=2024, sex="total") == 8_161_972_572
    # Table 2's location codes come from Table 1 by row index (its own column is data type)
    assert _get(pop, "src_row", country=108, year=1990, sex="total") == "39"
    share = ing.tables["ims_indicator"]
    assert _get(share, "value", indicator="migrant_share_pct", area=900, period="2024",
                sex="total") == pytest.approx(3.72485707735603)


def test_repeated_aggregate_row_2020() -> None:
    path = shared_file(f"undesa_ims/official/{DEST['2020']}")
    ing = read_destination_workbook({DEST["2020"]: path}, load_catalog()["ims_destination_2020"])
    assert any(f.check == "repeated_row" and "927" in f.message for f in ing.findings)
    refugees = ing.tables["ims_indicator"]
    assert _get(refugees, "value", indicator="refugees_and_asylum_seekers", area=900,
                period="2020", sex="total") == 33_807_795


ROWS = [  # destination, origin, values by sex
    ("Germany", 276, "Türkiye*", 792, {"total": [1000, "..", 1200, 1300, 1400, 1500, 1600, 1700],
                                       "male": [600, "..", 700, 750, 800, 850, 900, 950],
                                       "female": [400, "..", 500, 550, 600, 650, 700, 750]}),
    ("Germany", 276, "Other", 2003, {"total": [10] * 8, "male": [6] * 8, "female": [4] * 8}),
    ("Germany", 276, "Total", 900, {"total": [1010] * 8, "male": [606] * 8, "female": [404] * 8}),
    ("WORLD", 900, "Türkiye*", 792, {"total": [5] * 8, "male": [3] * 8, "female": [2] * 8}),
]


def _rows(revision: str) -> list[tuple]:
    n = len(YEARS[revision])
    return [(d, dc, o, oc, {s: v[:n] for s, v in vals.items()}) for d, dc, o, oc, vals in ROWS]


@pytest.mark.parametrize("revision", ["2024", "2020"])
def test_od_workbook_official_layout(tmp_path: Path, revision: str) -> None:
    name = f"undesa_pd_{revision}_ims_stock_by_sex_destination_and_origin.xlsx"
    path = od_workbook(tmp_path / name, revision, _rows(revision))
    ing = read_od_workbook({name: path}, load_catalog()[f"ims_od_{revision}"])
    m = validate("migrant_stock", ing.tables["migrant_stock"], source="test")
    assert set(m["destination"]) == {276} and set(m["origin"]) == {792, 2003}
    assert _get(m, "stock", origin=792, year=1990, sex="total") == 1000
    assert _get(m, "stock", origin=792, year=2000, sex="female") == 500
    assert m[(m.origin == 792) & (m.year == 1995)].empty  # ".." is no estimate
    assert _get(m, "src_row", origin=792, year=1990, sex="male") == "12"
    assert any(f.check == "aggregate_rows" for f in ing.findings)


def test_od_workbook_header_moved(tmp_path: Path) -> None:
    name = "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
    path = od_workbook(tmp_path / name, "2024", _rows("2024"), header_row=13)
    with pytest.raises(SchemaError, match=r"Table 1', row 11: .*found on row 13"):
        read_od_workbook({name: path}, load_catalog()["ims_od_2024"])


def test_od_workbook_negative_stock(tmp_path: Path) -> None:
    name = "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
    rows = _rows("2024")
    rows[0][4]["female"][2] = -5
    path = od_workbook(tmp_path / name, "2024", rows)
    with pytest.raises(SourceError, match=r"cell [A-Z]+12: negative figure -5"):
        read_od_workbook({name: path}, load_catalog()["ims_od_2024"])


def test_truncated_workbook(tmp_path: Path) -> None:
    name = "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
    path = od_workbook(tmp_path / name, "2024", _rows("2024"))
    path.write_bytes(path.read_bytes()[:800])
    with pytest.raises(SourceError, match=f"{name}: not a readable xlsx"):
        read_od_workbook({name: path}, load_catalog()["ims_od_2024"])


def test_text_in_a_number_cell(tmp_path: Path) -> None:
    name = "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx"
    path = od_workbook(tmp_path / name, "2020", _rows("2020"))
    book = openpyxl.load_workbook(path)
    book["Table 1"].cell(12, 9, "n/a")
    book.save(path)
    with pytest.raises(SchemaError, match=r"cell I12: 'n/a' is not a number"):
        read_od_workbook({name: path}, load_catalog()["ims_od_2020"])
