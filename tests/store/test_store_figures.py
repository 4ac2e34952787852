"""The views return the published figures exactly, and each figure leads back to its row."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest

from tmo.store.query import sql

from ..conftest import DATA


def one(store: Path, query: str):
    frame = sql(store, query)
    assert len(frame) == 1, frame
    return frame.iloc[0, 0]


@pytest.mark.parametrize(
    ("revision", "year", "expected"),
    [("2024", 2024, 304_021_813), ("2024", 1990, 153_916_063), ("2024", 2020, 275_284_032),
     ("2020", 2020, 280_598_105), ("2020", 1990, 152_986_157)],
)
def test_world_migrant_stock(store: Path, revision: str, year: int, expected: int) -> None:
    published = one(store, f"""SELECT stock FROM destination_stock WHERE revision = '{revision}'
        AND year = {year} AND destination = 'UN:900' AND sex = 'total'""")
    assert published == expected
    od_sum = one(store, f"""SELECT sum(stock) FROM migrant_stock WHERE revision = '{revision}'
        AND year = {year} AND sex = 'total'""")
    assert od_sum == expected


def test_od_sums_equal_destination_totals_everywhere(store: Path) -> None:
    diff = sql(store, """
        WITH od AS (SELECT revision, year, destination, sex, sum(stock) s FROM migrant_stock
                    GROUP BY ALL)
        SELECT d.revision, count(*) FILTER (WHERE sex = 'total') AS n,
               count(*) FILTER (WHERE od.s <> d.stock) AS bad
        FROM destination_stock d JOIN od USING (revision, year, destination, sex)
        GROUP BY ALL ORDER BY 1""")
    assert diff["revision"].tolist() == ["2020", "2024"]
    # every published both-sexes country total is compared: 233 destinations x 8 years
    # (2024); 232 x 7 less the 15 cells published as ".." (2020); the sexes are compared
    # wherever the workbook publishes them (bad counts all three)
    published = sql(store, """SELECT revision, count(*) AS n FROM destination_stock
        WHERE sex = 'total' AND destination NOT LIKE '%:%' GROUP BY 1 ORDER BY 1""")
    assert diff["n"].tolist() == published["n"].tolist() == [1609, 233 * 8]
    assert diff["bad"].tolist() == [0, 0]


def test_revisions_are_kept_apart(store: Path) -> None:
    q = """SELECT stock FROM migrant_stock WHERE revision = '{}' AND year = 2020
           AND origin = 'TUR' AND destination = 'DEU' AND sex = 'total'"""
    assert one(store, q.format("2024")) == 1_326_045
    assert one(store, q.format("2020")) == 1_837_282


def test_totals_present_and_sexes_add_up(store: Path) -> None:
    frame = sql(store, """SELECT sex, sum(stock) s FROM migrant_stock
        WHERE revision = '2024' AND year = 2020 GROUP BY sex ORDER BY sex""")
    sums = dict(zip(frame["sex"], frame["s"], strict=True))
    assert sums["male"] == 143_223_497
    assert sums["female"] + sums["male"] == sums["total"] == 275_284_032


def test_no_error_findings_on_the_official_files(built) -> None:
    errors = [f for f in built.findings if f.severity == "error"]
    assert errors == []


def test_provenance_records_each_file_with_its_checksum(store: Path) -> None:
    on_disk = {f"{p.name}@{hashlib.sha256(p.read_bytes()).hexdigest()}"
               for p in DATA.rglob("*") if p.is_file()}
    prov = sql(store, "SELECT source, file, sha256, revision, rows FROM provenance")
    assert len(prov) >= 30
    for rec in prov.itertuples():
        assert f"{rec.file}@{rec.sha256}" in on_disk, rec
    # UNlocations.txt only checks WPP's location codes: it feeds no row
    feeding = prov[prov["file"] != "UNlocations.txt"]
    assert (feeding["rows"] > 0).all(), feeding[feeding["rows"] == 0]


def test_a_figure_leads_back_to_its_cell(store: Path) -> None:
    """Germany 2024: the row named in src_row of the workbook holds the stored figure."""
    rec = sql(store, """SELECT stock, src_file, src_sheet, src_row FROM destination_stock
        WHERE revision = '2024' AND year = 2024 AND destination = 'DEU' AND sex = 'total'""")
    assert rec["stock"].item() == 16_750_084
    path = DATA / "undesa_ims" / "official" / rec["src_file"].item()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    row = next(book[rec["src_sheet"].item()].iter_rows(
        min_row=int(rec["src_row"].item()), max_row=int(rec["src_row"].item()), values_only=True))
    assert 276 in row
    assert 16_750_084 in row


def test_population_in_persons(store: Path) -> None:
    world = one(store, """SELECT population FROM population WHERE source = 'UN DESA IMS'
        AND revision = '2024' AND year = 2024 AND country = 'UN:900' AND sex = 'total'""")
    assert world == 8_161_972_572


def test_views_are_read_only(store: Path) -> None:
    from tmo.errors import InputError

    with pytest.raises(InputError):
        sql(store, "DELETE FROM base.migrant_stock")
