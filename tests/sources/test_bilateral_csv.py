"""The canonical bilateral stock CSV on the real IMS tables and on broken files."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from tmo.errors import SchemaError, SourceError
from tmo.frame import validate
from tmo.sources.base import Edition, FileSpec, SourceSpec
from tmo.sources.bilateral_csv import read_bilateral_csv
from tmo.sources.catalog import load_catalog

from ..conftest import shared_file

USER = SourceSpec("user", "My census table", "Me", "CC BY 4.0", "cite", "census-2021",
                  (Edition("csv", "tmo.sources.bilateral_csv:read_bilateral_csv",
                           (FileSpec("stocks.csv"),)),))


def read(path: Path, spec: SourceSpec = USER) -> pd.DataFrame:
    return read_bilateral_csv({path.name: path}, spec).tables["migrant_stock"]


@pytest.fixture(scope="module")
def ims2024() -> pd.DataFrame:
    return read(shared_file("undesa_ims/od_gdidata/ims2024_od_by_sex_long.csv.gz"),
                load_catalog()["ims_od_2024"])


def _one(frame: pd.DataFrame, **key: object) -> int:
    sel = frame
    for k, v in key.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, key
    return int(sel["stock"].iloc[0])


def test_published_figures(ims2024: pd.DataFrame) -> None:
    validate("migrant_stock", ims2024, source="ims2024")
    assert _one(ims2024, origin="MEX", destination="USA", year=2024, sex="total") == 11_279_561
    assert _one(ims2024, origin="TUR", destination="DEU", year=2020, sex="total") == 1_326_045
    assert ims2024[(ims2024.year == 2024) & (ims2024.sex == "total")]["stock"].sum() \
        == 304_021_813


def test_totals_are_the_sum_of_the_sexes(ims2024: pd.DataFrame) -> None:
    wide = ims2024.pivot_table(index=["year", "origin", "destination"], columns="sex",
                               values="stock", aggfunc="sum").dropna()
    assert len(wide) > 70_000
    assert (wide["female"] + wide["male"] == wide["total"]).all()
    totals = ims2024[ims2024.sex == "total"]
    assert totals["src_row"].str.fullmatch(r"\d+\+\d+").all()


def test_2020_revision_differs() -> None:
    m = read(shared_file("undesa_ims/od_gdidata/ims2020_od_by_sex_long.csv.gz"),
             load_catalog()["ims_od_2020"])
    assert _one(m, origin="TUR", destination="DEU", year=2020, sex="total") == 1_837_282
    assert set(m["revision"]) == {"2020"}


def write(tmp_path: Path, text: str, gz: bool = False) -> Path:
    path = tmp_path / ("stocks.csv.gz" if gz else "stocks.csv")
    data = text.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


GOOD = "year,orig_iso3,dest_iso3,sex,stock\n2021,AAA,BBB,Female,10\n2021,AAA,BBB,m,15\n" \
       "2021,BBB,AAA,total,7\n"


def test_user_file_sexes_and_gzip(tmp_path: Path) -> None:
    for gz in (False, True):
        m = read(write(tmp_path, GOOD, gz))
        assert _one(m, origin="AAA", destination="BBB", sex="total") == 25
        assert _one(m, origin="AAA", destination="BBB", sex="total") == 25
        assert _one(m, origin="BBB", destination="AAA", sex="total") == 7
        assert set(m["revision"]) == {"census-2021"}


@pytest.mark.parametrize(("text", "error", "match"), [
    ("year,orig_iso3,dest_iso3,stock\n2021,AAA,BBB,1\n", SchemaError, r"line 1: missing .*sex"),
    (GOOD + "2021,CCC,BBB,total,-4\n", SourceError, r"line 5, column stock: '-4' is a negative"),
    (GOOD + "2021,CCC,BBB,total,many\n", SourceError, r"line 5, column stock: 'many' is not a"),
    (GOOD + "2021,CCC,BBB,everyone,4\n", SourceError, r"line 5, column sex: 'everyone'"),
    (GOOD + "2021,BBB,AAA,total,8\n", SourceError, r"line 4, column orig_iso3: 'BBB' appears"),
])
def test_bad_user_files(tmp_path: Path, text: str, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        read(write(tmp_path, text))


def test_truncated_gzip(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD * 200, gz=True)
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(SourceError, match="stocks.csv.gz: unreadable CSV"):
        read(path)
