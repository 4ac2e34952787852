"""refugee_sources: UN DESA's refugees (IMS 2020 Table 6, mid-year) against UNHCR's at the two
year ends around it: a hand-made case, then the real store, where the countries flagged
equal those counted again with pandas over the store's views."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from tmo.checks import comparisons as cmp
from tmo.checks.rules import refugee_sources

from .agreement import apart, flagged

IMS = "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"


def ims_ref(area: str, year: int, value: float, row: str = "201") -> dict[str, Any]:
    return {"revision": "2020", "table_no": 6, "indicator": "refugees", "period": str(year),
            "area": area, "sex": "total", "value": value, "src_file": IMS,
            "src_sheet": "Table 6", "src_row": row}


def unhcr(asylum: str, year: int, refugees: int, asylum_seekers: int = 0,
          oip: int | None = None, origin: str = "SYR") -> dict[str, Any]:
    return {"year": year, "origin": origin, "asylum": asylum, "refugees": refugees,
            "asylum_seekers": asylum_seekers, "oip": oip, "src_file": "population.rda",
            "src_sheet": "population", "src_row": "9"}


def test_refugees_differ_from_both_unhcr_counts_around_mid_year(store) -> None:
    con = store(ims_indicator=[
        ims_ref("JOR", 2020, 3_017_401, row="160"),  # UNRWA's refugees added: far from both
        ims_ref("PER", 2020, 867_821),  # = UNHCR end 2019 with oip, far from end 2020: fine
        ims_ref("TUV", 2020, 3_000),  # UNHCR lists no one, but under 5,000 persons apart
        ims_ref("ZAF", 1990, 90_000, row="78"),  # UNHCR lists no one (in 1990): flagged
        ims_ref("DEU", 2005, 50_000),  # a year UNHCR's file does not cover: not compared
    ], refugees=[
        unhcr("KEN", 1990, 10_000),  # the file covers 1990 (not 1989)
        unhcr("JOR", 2019, 700_000, 44_951), unhcr("JOR", 2020, 702_147, 50_000),
        unhcr("PER", 2019, 400_000, 67_763, oip=400_000),
        unhcr("PER", 2020, 500_000, 156_863, oip=400_000),
    ])
    findings = refugee_sources(con)
    assert [(f.severity, f.where) for f in findings] == [
        ("warning", "JOR refugees"), ("warning", "ZAF refugees"), ("info", "all countries")]
    assert findings[0].message == (
        "UN DESA's refugees and asylum seekers at mid-year and UNHCR's (refugees, asylum "
        "seekers and others in need of international protection) at the end of the year "
        "before and of the year differ by more than 25% in 1 year (2020); most in 2020: "
        f"UN DESA 3,017,401 ({IMS} 'Table 6' row 160), UNHCR end 2019 744,951, end 2020 "
        "752,147 (population.rda, 2 rows)")
    assert "end 1989 not in the file, end 1990 none listed" in findings[1].message
    assert findings[2].message == ("4 countries' refugees compared: 2 differ by more than "
                                   "25% in some year")



@pytest.fixture(scope="module")
def real(built) -> Any:
    con = duckdb.connect(str(built.db_path), read_only=True)
    yield con
    con.close()


def test_real_refugees_flagged_equal_pandas(real) -> None:
    """JOR, LBN, SYR and the State of Palestine in 2020: UN DESA adds the Palestine refugees
    under UNRWA's mandate, which UNHCR's population table leaves out."""
    ims = real.execute("SELECT area, period, value FROM ims_indicator WHERE indicator = "
                       "'refugees' AND sex = 'total' AND area NOT LIKE '%:%'").df()
    ims["year"] = ims["period"].astype(int)
    u = real.execute("SELECT asylum AS area, year, refugees, asylum_seekers, oip "
                     "FROM refugees").df().fillna(0)
    u = (u.assign(n=u.refugees + u.asylum_seekers + u.oip)
         .groupby(["area", "year"], as_index=False)["n"].sum())
    m = ims.merge(u.rename(columns={"n": "end"}), on=["area", "year"], how="left").merge(
        u.assign(year=u.year + 1).rename(columns={"n": "before"}), on=["area", "year"],
        how="left").fillna({"end": 0, "before": 0})
    years = set(u.year)  # a year the file does not cover is not compared
    end_in, before_in = m.year.isin(years), (m.year - 1).isin(years)
    bad = m[(end_in | before_in)
            & (~end_in | apart(m.value, m.end, cmp.REFUGEE_TOLERANCE, cmp.REFUGEE_MIN_GAP))
            & (~before_in | apart(m.value, m.before, cmp.REFUGEE_TOLERANCE,
                                  cmp.REFUGEE_MIN_GAP))]
    found = {a for _, a in flagged(refugee_sources(real))}
    assert found == set(bad.area)
    assert set(bad[bad.year == 2020].area) == {"JOR", "LBN", "SYR", "PSE"}


