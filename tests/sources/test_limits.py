"""Limits on inputs (`tmo.config.InputLimits`, enforced by `tmo.sources.io`): every
decompression and every table read is bounded, and a file beyond a limit is refused in
one line naming the file and the limit, before its content is held in memory."""

from __future__ import annotations

import gzip
import io as stdio
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tmo.config import InputLimits, settings
from tmo.errors import InputError, SchemaError, SourceError
from tmo.sources import io, rda

SMALL = InputLimits(max_bytes=64 * 1024, max_rows=100, max_cells=1000)


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert InputLimits() == InputLimits(256 * 1024**2, 2_000_000, 20_000_000)
    monkeypatch.setenv("TMO_MAX_INPUT_BYTES", "1G")
    monkeypatch.setenv("TMO_MAX_INPUT_ROWS", "5000")
    monkeypatch.setenv("TMO_MAX_INPUT_CELLS", "64k")
    assert settings().inputs == InputLimits(1024**3, 5000, 64 * 1024)
    assert io.limits() == InputLimits(1024**3, 5000, 64 * 1024)  # outside a build
    with io.input_limits(SMALL):
        assert io.limits() == SMALL
    monkeypatch.setenv("TMO_MAX_INPUT_ROWS", "lots")
    with pytest.raises(InputError, match="TMO_MAX_INPUT_ROWS='lots': expected a positive"):
        settings()


def test_gzip_bomb_is_refused_while_streaming(tmp_path: Path) -> None:
    path = tmp_path / "a.csv.gz"
    member = gzip.compress(b"0" * 1024 * 1024)
    path.write_bytes(gzip.compress(b"x,y\n") + member * 8)  # 8 MiB out of 8 KiB
    with io.input_limits(SMALL), pytest.raises(SourceError) as err:
        io.read_csv(path)
    assert str(err.value) == ("a.csv.gz: decompressed, the file exceeds the limit of 65,536 "
                              "bytes (TMO_MAX_INPUT_BYTES); refused")
    assert "raise the limit" in (err.value.hint or "")


def test_rows_and_cells_of_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("x,y\n" + "1,2\n" * 150)
    with io.input_limits(SMALL), pytest.raises(SourceError, match=r"a.csv: more than 100 rows "
                                               r"exceed the limit of 100 \(TMO_MAX_INPUT_ROWS"):
        io.read_csv(path)
    path.write_text(",".join(f"c{i}" for i in range(20)) + "\n" + ("1," * 19 + "1\n") * 60)
    with io.input_limits(SMALL), pytest.raises(SourceError, match=r"60 rows x 20 columns = "
                                               r"1,200 cells exceed .*TMO_MAX_INPUT_CELLS"):
        io.read_csv(path)
    assert len(io.read_csv(path)) == 60  # within the defaults


def _xlsx(path: Path, rows: int = 3) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Data"
    for r in range(rows):
        sheet.append([r, r * 2.5, "x"])
    book.save(path)
    return path


def _rewrite(path: Path, part: str, edit) -> None:
    with zipfile.ZipFile(path) as book:
        parts = {i.filename: book.read(i) for i in book.infolist()}
    parts[part] = edit(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def test_xlsx_parts_are_bounded_by_their_declared_size(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "a.xlsx")
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda x: x + " " * 200_000)
    with io.input_limits(SMALL), pytest.raises(SourceError, match=r"a.xlsx: its parts \(.*"
                                               r"decompressed\) exceed the limit of 65,536 "
                                               r"bytes \(TMO_MAX_INPUT_BYTES\); refused"):
        io.open_xlsx(path)
    with io.input_limits(SMALL), pytest.raises(SourceError, match="TMO_MAX_INPUT_BYTES"):
        io.read_workbook(path)


def test_xlsx_declared_and_actual_extent(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "a.xlsx")
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda x: re.sub(r'<dimension ref="A1:C3"\s*/>', '<dimension ref="A1:XFD1048576"/>',
                              x))
    with pytest.raises(SourceError, match=r"sheet 'Data': 1,048,576 rows x 16,384 columns"):
        io.open_xlsx(path)  # openpyxl would pad every row to the declared extent
    path = _xlsx(tmp_path / "b.xlsx", rows=150)
    with io.input_limits(SMALL), pytest.raises(SourceError, match=r"b.xlsx, sheet 'Data': 150 "
                                               r"rows exceed the limit of 100"):
        io.read_workbook(path)


@pytest.mark.parametrize("value", ["inf", "-INF", "nan", "1e400"])
def test_xlsx_number_cells_must_be_finite(tmp_path: Path, value: str) -> None:
    path = _xlsx(tmp_path / "a.xlsx")
    _rewrite(path, "xl/worksheets/sheet1.xml",
             lambda x: x.replace('<c r="B2" t="n"><v>2.5</v>', f'<c r="B2" t="n"><v>{value}</v>'))
    with pytest.raises(SchemaError, match=rf"^a.xlsx, sheet 'Data', cell B2: '{value}' is not "
                                          r"a finite number$"):
        io.read_workbook(path)


def test_text_stays_text_in_a_workbook(tmp_path: Path) -> None:
    """Only an empty cell is missing: 'n/a' and 'NA' reach the number policy as text."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["n/a", "NA", None, 5])
    book.save(tmp_path / "a.xlsx")
    frame = io.read_workbook(tmp_path / "a.xlsx", header=None)["Sheet"]
    assert frame.iloc[0].tolist()[:2] == ["n/a", "NA"]
    assert frame.iloc[0].isna().tolist() == [False, False, True, False]
    sheet["D1"] = "=1/0"  # an error value: pandas would read it as no figure
    book.save(tmp_path / "a.xlsx")
    _rewrite(tmp_path / "a.xlsx", "xl/worksheets/sheet1.xml",
             lambda x: re.sub(r'<c r="D1"[^>]*>.*?</c>', '<c r="D1" t="e"><v>#DIV/0!</v></c>', x))
    with pytest.raises(SchemaError, match=r"sheet 'Sheet', cell D1: '#DIV/0!' is an error value"):
        io.read_workbook(tmp_path / "a.xlsx")


def test_rda_bomb_is_refused_before_it_is_held(tmp_path: Path) -> None:
    path = tmp_path / "a.rda"
    path.write_bytes(gzip.compress(b"RDX2\nX\n") + gzip.compress(b"\0" * 1024 * 1024) * 4)
    with io.input_limits(SMALL), pytest.raises(SourceError, match=r"^a.rda: decompressed, the "
                                               r"file exceeds the limit of 65,536 bytes"):
        io.read_rda(path, "x", [])
    with pytest.raises(rda.TooLarge):
        rda.read_frames(path, max_bytes=1024)


def test_rda_lengths_are_checked_before_allocating() -> None:
    """A damaged length (2**31 - 1 strings) is refused, not allocated (16 GiB)."""
    reader = rda._Reader(struct.pack(">i", 2**31 - 1) + b"\0" * 64)
    with pytest.raises(struct.error, match="runs past the end"):
        reader.length(8)


def test_files_on_disk_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.xls"
    path.write_bytes(b"\0" * 100_000)
    with io.input_limits(SMALL), pytest.raises(SourceError, match=r"big.xls: the file \(97,656 "
                                               r"bytes on disk\)|big.xls: the file"):
        io.read_workbook(path)


def test_a_parser_error_stays_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n3,4,5\n")
    with pytest.raises(SourceError) as err:
        io.read_csv(path)
    assert "\n" not in str(err.value)
    assert "line 3" in str(err.value)


def test_limits_do_not_change_what_is_read(tmp_path: Path) -> None:
    data = stdio.StringIO()
    pd.DataFrame({"x": range(50), "y": ["a"] * 50}).to_csv(data, index=False)
    path = tmp_path / "a.csv.gz"
    path.write_bytes(gzip.compress(data.getvalue().encode()))
    with io.input_limits(SMALL):
        assert io.read_csv(path)["x"].sum() == sum(range(50))
