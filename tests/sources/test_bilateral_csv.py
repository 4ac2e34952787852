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


def _iso3_of_m49() -> dict[int, str]:
    codes = pd.read_csv(shared_file("metadata/country-codes.csv"),
                        usecols=["M49", "ISO3166-1-Alpha-3"]).dropna()
    return {**dict(zip(codes["M49"], codes["ISO3166-1-Alpha-3"], strict=True)), 830: "XCX"}


@pytest.mark.parametrize("rev", ["2024", "2020"])
def test_destination_sums_equal_the_destination_workbook(rev: str) -> None:
    """Every country's published both-sexes total equals the sum over its origins."""
    from tmo.sources.undesa_ims import read_destination_workbook

    m = read(shared_file(f"undesa_ims/od_gdidata/ims{rev}_od_by_sex_long.csv.gz"),
             load_catalog()[f"ims_od_{rev}"])
    name = f"undesa_pd_{rev}_ims_stock_by_sex_and_destination.xlsx"
    dest = read_destination_workbook({name: shared_file(f"undesa_ims/official/{name}")},
                                     load_catalog()[f"ims_destination_{rev}"])
    d = dest.tables["destination_stock"]
    d = d[(d.sex == "total") & (d.destination < 900)]
    iso3 = d["destination"].map(_iso3_of_m49())
    assert iso3.notna().all()
    published = pd.Series(d["stock"].to_numpy(), index=pd.MultiIndex.from_arrays(
        [iso3, d["year"]]))
    assert published.index.is_unique
    sums = m[m.sex == "total"].groupby(["destination", "year"])["stock"].sum()
    assert len(sums) == {"2024": 233 * 8, "2020": 232 * 7}[rev]
    both = pd.concat({"sums": sums, "published": published.rename_axis(sums.index.names)},
                     axis=1)
    assert both["sums"].notna().all()
    # 2020 publishes '..' for South Sudan, Montenegro, Curaçao and Sint Maarten before
    # they existed (15 cells); the O-D table has zeros there
    unpublished = both[both["published"].isna()]
    assert len(unpublished) == {"2024": 0, "2020": 15}[rev]
    assert (unpublished["sums"] == 0).all()
    published_cells = both.dropna()
    assert (published_cells["sums"] == published_cells["published"]).all()


def write(tmp_path: Path, text: str, gz: bool = False) -> Path:
    path = tmp_path / ("stocks.csv.gz" if gz else "stocks.csv")
    data = text.encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


GOOD = ("year,orig_iso3,dest_iso3,sex,stock\n2021,AAA,BBB,Female,10\n2021,AAA,BBB,m,15\n"
        "2021,BBB,AAA,total,7\n")


def test_user_file_sexes_and_gzip(tmp_path: Path) -> None:
    for gz in (False, True):
        m = read(write(tmp_path, GOOD, gz))
        assert _one(m, origin="AAA", destination="BBB", sex="total") == 25
        assert _one(m, origin="AAA", destination="BBB", sex="female") == 10
        assert _one(m, origin="BBB", destination="AAA", sex="total") == 7
        assert set(m["revision"]) == {"census-2021"}
        assert _src(m, origin="AAA", sex="total") == "2+3"
        assert _src(m, origin="BBB", sex="total") == "4"


def _src(frame: pd.DataFrame, **key: object) -> str:
    sel = frame
    for k, v in key.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, key
    return str(sel["src_row"].iloc[0])


def test_gzip_without_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "stocks.csv"
    path.write_bytes(gzip.compress(GOOD.encode()))
    assert _one(read(path), origin="AAA", destination="BBB", sex="total") == 25


def test_single_sex_gets_no_total(tmp_path: Path) -> None:
    m = read(write(tmp_path, GOOD + "2021,CCC,BBB,female,3\n"))
    assert _one(m, origin="CCC", destination="BBB", sex="female") == 3
    assert m[(m.origin == "CCC") & (m.sex == "total")].empty


def test_loose_header_extra_columns_and_blank_lines(tmp_path: Path) -> None:
    text = ("Year , ORIG_ISO3,dest_iso3,Sex,stock,note\n2021,AAA,BBB,both sexes,5,x\n\n"
            "2021,CCC,BBB, M ,2,y\n")
    m = read(write(tmp_path, text))
    assert _one(m, origin="AAA", sex="total") == 5
    assert _src(m, origin="CCC", sex="male") == "4"  # the blank line 3 still counts


def test_total_differing_from_the_sexes_is_a_finding(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "2021,AAA,BBB,total,26\n")
    ing = read_bilateral_csv({path.name: path}, USER)
    m = ing.tables["migrant_stock"]
    assert _one(m, origin="AAA", destination="BBB", sex="total") == 26  # as published
    (finding,) = ing.findings
    assert finding.check == "sex_total_mismatch"
    assert finding.severity == "warning"
    assert finding.where == "stocks.csv line 5"
    assert "lines 2, 3" in finding.message


@pytest.mark.parametrize(("text", "error", "match"), [
    ("year,orig_iso3,dest_iso3,stock\n2021,AAA,BBB,1\n", SchemaError, r"line 1: missing .*sex"),
    (GOOD + "2021,CCC,BBB,total,-4\n", SourceError, r"line 5, column stock: '-4' is a negative"),
    (GOOD + "2021,CCC,BBB,total,many\n", SourceError, r"line 5, column stock: 'many' is not a"),
    (GOOD + "2021,CCC,BBB,total,\n", SourceError, r"line 5, column stock: '' is not a number"),
    (GOOD + "2021,CCC,BBB,everyone,4\n", SourceError, r"line 5, column sex: 'everyone'"),
    (GOOD + "20x1,CCC,BBB,total,4\n", SourceError, r"line 5, column year: '20x1' is not a year"),
    (GOOD + "2021,,BBB,total,4\n", SourceError, r"line 5, column orig_iso3: '' is empty"),
    (GOOD + "2021,BBB,AAA,total,8\n", SourceError,
     r"line 5, column orig_iso3: 'BBB' repeats .* of line 4"),
    ("", SourceError, r"stocks.csv: unreadable CSV"),
])
def test_bad_user_files(tmp_path: Path, text: str, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        read(write(tmp_path, text))


def test_truncated_gzip(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD * 200, gz=True)
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(SourceError, match=r"stocks\.csv\.gz: unreadable CSV") as err:
        read(path)
    assert "again" in (err.value.hint or "")


def test_gz_name_but_not_gzip(tmp_path: Path) -> None:
    path = tmp_path / "stocks.csv.gz"
    path.write_text(GOOD)
    with pytest.raises(SourceError, match=r"stocks\.csv\.gz: unreadable CSV"):
        read(path)
