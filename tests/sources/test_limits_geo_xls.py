"""Limits on inputs for GeoJSON and .xls (issue #11 a): both used to be bounded by their
size on disk only (a 48 MB GeoJSON of one polygon took 1 GB of memory and 45 s to parse;
xlrd decoded every cell of every sheet before a sheet's rows and cells were checked).
Now features and values of a GeoJSON, and the cell records of each BIFF sheet, are
counted before anything is parsed or decoded, and refused beyond the limits in one line
naming the file and the limit."""

from __future__ import annotations

import json
import struct
from pathlib import Path
from types import SimpleNamespace

import pytest
import xlrd  # type: ignore[import-untyped]

from tmo.config import InputLimits
from tmo.errors import SourceError
from tmo.sources import io
from tmo.sources.catalog import load_catalog
from tmo.sources.natural_earth import read_countries

from ..conftest import shared_file
from ..fixture_store.xls import write_xls

SMALL = InputLimits(max_bytes=64 * 1024, max_rows=100, max_cells=1000)
NE = "ne_110m_admin_0_countries.geojson"


def _geojson(path: Path, features: int, pairs: int) -> Path:
    ring = [[1.5, 2.5]] * pairs + [[1.5, 2.5]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ISO_A3_EH": "FRA"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}] * features}))
    return path


@pytest.fixture
def never_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed")

    monkeypatch.setattr("tmo.sources.natural_earth.json.loads", parse)


@pytest.mark.usefixtures("never_parsed")
@pytest.mark.parametrize(("features", "pairs", "said"), [
    (1, 400, r"more than 1,000 JSON values exceed the limit of 1,000 \(TMO_MAX_INPUT_CELLS\)"),
    (150, 1, r"more than 100 features exceed the limit of 100 \(TMO_MAX_INPUT_ROWS\)"),
])
def test_geojson_beyond_the_limits_is_refused_before_parsing(tmp_path: Path, features: int,
                                                             pairs: int, said: str) -> None:
    path = _geojson(tmp_path / NE, features, pairs)
    assert path.stat().st_size < SMALL.max_bytes  # within the one limit there used to be
    with io.input_limits(SMALL), pytest.raises(SourceError, match=f"^{NE}: {said}; refused$"):
        read_countries({NE: path}, load_catalog()["natural_earth"])


def test_the_official_geojson_is_within_the_defaults() -> None:
    path = shared_file(f"geo/{NE}")
    data = path.read_bytes()
    # the upper bound the check counts, computed here from the bytes
    values = data.count(b",") + data.count(b"[") + data.count(b"{")
    assert values * 100 < io.InputLimits().max_cells  # a hundredfold margin
    out = read_countries({NE: path}, load_catalog()["natural_earth"])
    assert len(out.tables["country_shapes"]) > 150


def test_xls_cells_are_counted_before_they_are_decoded(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    wide = write_xls(tmp_path / "wide.xls", [("Data", [[1.0] * 30] * 40)])  # 1,200 cells
    far = write_xls(tmp_path / "far.xls", [("Data", [[None] * 20 + [1.0]] * 1 + [[]] * 60
                                            + [[None] * 20 + [2.0]])])  # 62 x 21, 2 cells
    two = write_xls(tmp_path / "two.xls", [("A", [[1.0] * 20] * 30), ("B", [[1.0] * 20] * 30)])
    book = xlrd.open_workbook(str(two))
    assert [(s.nrows, s.ncols) for s in book.sheets()] == [(30, 20), (30, 20)]  # as written
    monkeypatch.setattr(xlrd.book.Book, "get_sheet", lambda *a, **k: pytest.fail("decoded"))
    with io.input_limits(SMALL):
        rows = -(-(SMALL.max_cells + 1) // 30)  # the row whose cells go beyond: 34
        with pytest.raises(SourceError, match=rf"^wide.xls, sheet 'Data': at least {rows} rows "
                           rf"x 30 columns = {rows * 30:,} cells exceed the limit of 1,000 "
                           r"\(TMO_MAX_INPUT_CELLS\); refused$"):
            io.read_workbook(wide)
        with pytest.raises(SourceError, match=r"^far.xls, sheet 'Data': at least 62 rows x 21 "
                           r"columns = 1,302 cells"):
            io.read_workbook(far)  # xlrd pads every row to the widest
        with pytest.raises(SourceError, match=r"^two.xls: its sheets together \(1,200 cells\) "
                           r"exceed the limit of 1,000 \(TMO_MAX_INPUT_CELLS\); refused$"):
            io.read_workbook(two)


def _record(code: int, data: bytes) -> bytes:
    return struct.pack("<HH", code, len(data)) + data


def test_runs_of_cells_in_one_record_are_counted() -> None:
    """MULRK (6 bytes a cell) and MULBLANK (2 bytes a cell) hold runs of one row."""
    mulrk = _record(0x00BD, struct.pack("<HH", 5, 2) + b"\0" * 6 * 40 + struct.pack("<H", 41))
    mulblank = _record(0x00BE, struct.pack("<HH", 7, 0) + b"\0" * 2 * 10 + struct.pack("<H", 9))
    book = SimpleNamespace(biff_version=80, mem=mulrk + mulblank + _record(0x000A, b""),
                           _sh_abs_posn=[0], sheet_names=lambda: ["S"])
    with io.input_limits(InputLimits(max_rows=100, max_cells=8 * 42 - 1)), \
            pytest.raises(SourceError, match=r"8 rows x 42 columns = 336 cells"):
        io._scan_xls(book, "x.xls")
    with io.input_limits(InputLimits(max_rows=100, max_cells=8 * 42)):
        io._scan_xls(book, "x.xls")  # exactly at the limit: accepted


def test_xlsx_sheets_together_are_bounded(tmp_path: Path) -> None:
    """pandas reads every sheet of a workbook at once: their cells are summed too."""
    import openpyxl

    book = openpyxl.Workbook()
    for index, sheet in enumerate([book.active, book.create_sheet("B")]):
        assert sheet is not None
        sheet.title = "AB"[index]
        for _ in range(30):
            sheet.append([1.0] * 20)  # 600 cells, within the limit alone
    path = tmp_path / "two.xlsx"
    book.save(path)
    with io.input_limits(SMALL), pytest.raises(
            SourceError, match=r"^two.xlsx: its sheets together \(1,200 cells\) exceed the "
                               r"limit of 1,000 \(TMO_MAX_INPUT_CELLS\); refused$"):
        io.read_workbook(path)
    with io.input_limits(InputLimits(max_bytes=SMALL.max_bytes, max_rows=100, max_cells=1200)):
        assert [f.shape for f in io.read_workbook(path).values()] == [(29, 20), (29, 20)]
