"""The file-reading guards every adapter shares (`tmo.sources.io`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tmo.errors import SchemaError, SourceError
from tmo.sources import io


def test_read_csv_damaged(tmp_path: Path) -> None:
    path = tmp_path / "a.csv.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(SourceError, match=r"^a.csv.gz: unreadable CSV \(") as err:
        io.read_csv(path, compression="gzip")
    assert err.value.hint == io.DAMAGED
    empty = tmp_path / "b.csv"
    empty.write_text("")
    with pytest.raises(SourceError, match=r"^declared.csv: unreadable CSV \(EmptyDataError"):
        io.read_csv(empty, "declared.csv")


def test_read_csv_skips_the_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("\ufeffx,y\n1,2\n", encoding="utf-8")
    assert list(io.read_csv(path).columns) == ["x", "y"]


def test_workbooks_damaged(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"<html>not found</html>")
    with pytest.raises(SourceError, match=r"^a.xlsx: cannot read the workbook") as err:
        io.read_workbook(path)
    assert err.value.hint == io.DAMAGED
    with pytest.raises(SourceError, match=r"^a.xlsx: not a readable xlsx workbook") as err:
        io.open_xlsx(path)
    assert "HTML error page" in (err.value.hint or "")


def test_sheets(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    with pd.ExcelWriter(path) as out:
        pd.DataFrame({"x": [1]}).to_excel(out, sheet_name="Data", index=False)
    book = io.read_workbook(path)
    name, frame = io.select_sheet(book, 0, "a.xlsx")
    assert name == "Data"
    assert frame["x"].tolist() == [1]
    with pytest.raises(SchemaError, match=r"a.xlsx: no sheet 'Table 1' \(sheets: \['Data'\]\)"):
        io.select_sheet(book, "Table 1", "a.xlsx", hint="h")


def test_require_columns() -> None:
    frame = pd.DataFrame(columns=[f"c{i}" for i in range(12)])
    io.require_columns(frame, ["c0", "c11"], "f.csv")
    with pytest.raises(SchemaError, match=r"^f.csv line 1: missing columns \['x', 'y'\] "
                                          r"\(found: \['c0', .*'c9', '...'\]\)$") as err:
        io.require_columns(frame, ["c0", "x", "y"], "f.csv line 1", hint="see the docs")
    assert err.value.hint == "see the docs"


def test_numbers() -> None:
    frame = pd.DataFrame({"n": [1.0, "x"], "m": [2, -1]}, index=[10, 11])
    with pytest.raises(SchemaError, match=r"f: column 'n' row 12: 'x' is not a number"):
        io.check_numbers(frame, ["n"], "f")
    with pytest.raises(SchemaError, match=r"f: column 'm' row 7: negative count -1"):
        io.check_numbers(frame, ["m"], "f", nonneg=("m",), row=pd.Series([6, 7], index=[10, 11]))
    io.check_numbers(frame, ["m"], "f")  # negatives allowed unless named
    cells = pd.Series(["1.5", " ", None, "n.a."])
    with pytest.raises(SchemaError, match=r"f row 4 column 2022: 'n.a.' is not a number"):
        io.numeric(cells, "f", pd.Series([1, 2, 3, 4]), "2022")
    assert io.numeric(cells[:3], "f", pd.Series([1, 2, 3]), "2022").isna().tolist() == [
        False, True, True]


def test_persons_and_rows_label() -> None:
    assert io.persons(pd.Series([1.2346, 172_419.832])).tolist() == [1235.0, 172_419_832.0]
    assert io.rows_label(pd.Series([5, 6, 7])) == "5-7"
    assert io.rows_label(pd.Series([5, 9])) == "5+9"


def test_single() -> None:
    assert io.single({"a": Path("x")}) == ("a", Path("x"))
    with pytest.raises(SourceError, match="expected one file"):
        io.single({"a": Path("x"), "b": Path("y")})
