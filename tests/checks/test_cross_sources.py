"""refugee_sources, population_sources and stock_jumps: a hand-made case each that fires
(and its neighbours that do not), then the real store, where the countries flagged equal
those counted again here with pandas over the store's views (not the rules' SQL)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import pytest

from tmo.checks import comparisons as cmp
from tmo.checks.rules import MAX_LISTED, population_sources, refugee_sources, stock_jumps

from .conftest import od, pop, total

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
        ims_ref("ZAF", 1990, 90_000, row="78"),  # UNHCR lists no one: flagged
    ], refugees=[
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
    assert "end 1989 none listed, end 1990 none listed" in findings[1].message
    assert findings[2].message == ("4 countries' refugees compared: 2 differ by more than "
                                   "25% in some year")


def test_population_compared_with_the_latest_wpp_only(store) -> None:
    con = store(population=[
        pop("MDA", "total", 4_033_963, source="UN DESA IMS", revision="2020"),
        pop("MDA", "total", 3_069_130, source="UN WPP", revision="2024"),
        pop("MDA", "total", 4_033_963, source="UN WPP", revision="2019"),  # not the latest
        pop("TUV", "total", 11_069, source="UN DESA IMS", revision="2020"),
        pop("TUV", "total", 9_069, source="UN WPP", revision="2024"),  # 18 %, 2,000 persons
        pop("FRA", "total", 65_000_000, source="UN DESA IMS", revision="2020"),
        pop("FRA", "total", 64_000_000, source="UN WPP", revision="2024"),  # 1.5 %
    ])
    findings = population_sources(con)
    assert [(f.severity, f.source, f.where) for f in findings] == [
        ("warning", "IMS 2020, WPP 2024", "MDA population"),
        ("info", "IMS 2020, WPP 2024", "all countries")]
    assert findings[0].message == (
        "the population published with the IMS 2020 and WPP 2024 differ by more than 5% in "
        "1 year (2020); most in 2020: IMS 4,033,963 (pop.csv '' row 2), WPP 3,069,130 "
        "(pop.csv row 2)")
    assert findings[1].message.startswith("3 countries' populations compared: 1 differ")


def test_stock_jumps_between_years_and_revisions(store) -> None:
    con = store(destination_stock=[
        total("MDA", "total", 77_291, revision="2024", year=2020),
        total("MDA", "total", 188_207, revision="2024", year=2024),  # +144 %: a jump
        total("TUV", "total", 100, revision="2024", year=2020),
        total("TUV", "total", 300, revision="2024", year=2024),  # +200 % but 200 persons
    ], migrant_stock=[
        od("USA", "MDA", "total", 1_159_443, revision="2020"),
        od("RUS", "MDA", "total", 812_653, revision="2024"),  # -30 % across revisions
        od("NZL", "TUV", "total", 3_670, revision="2020"),
        od("FJI", "TUV", "total", 1_164, revision="2024"),  # -68 %, 2,506 persons
        od("USA", "OOO", "total", 900_000, revision="2020"),  # unknown origin: not an origin
    ])
    findings = stock_jumps(con)
    assert [(f.severity, f.source, f.where) for f in findings] == [
        ("info", "IMS 2024", "MDA immigrants"),
        ("warning", "IMS 2020, IMS 2024", "MDA emigrants")]
    assert findings[0].message.startswith(
        "immigrants change by more than 50% (and 50,000) between consecutive years in 1 year "
        "(2024); most from 2020 to 2024: 77,291 to 188,207 (+144%)")
    assert findings[1].message.startswith(
        "the 2024 revision changes the emigrants of the 2020 revision by more than 25% (and "
        "50,000) in 1 year (2020); most in 2020: 1,159,443 to 812,653 (-30%) (od.xlsx 1 rows")


def _apart(a: pd.Series, b: pd.Series, tolerance: float, min_gap: int) -> pd.Series:
    gap = (a - b).abs()
    return (gap > tolerance * pd.concat([a, b], axis=1).max(axis=1)) & (gap >= min_gap)


@pytest.fixture(scope="module")
def real(built) -> Any:
    con = duckdb.connect(str(built.db_path), read_only=True)
    yield con
    con.close()


def _flagged(findings: list[Any], severity: str = "warning") -> set[tuple[str, str]]:
    return {(f.source, f.where.split()[0]) for f in findings if f.severity == severity}


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
    bad = m[_apart(m.value, m.end, cmp.REFUGEE_TOLERANCE, cmp.REFUGEE_MIN_GAP)
            & _apart(m.value, m.before, cmp.REFUGEE_TOLERANCE, cmp.REFUGEE_MIN_GAP)]
    flagged = {a for _, a in _flagged(refugee_sources(real))}
    assert flagged == set(bad.area)
    assert set(bad[bad.year == 2020].area) == {"JOR", "LBN", "SYR", "PSE"}


def test_real_population_flagged_equal_pandas(real) -> None:
    p = real.execute("SELECT source, revision, year, country, population FROM population "
                     "WHERE sex = 'total' AND country NOT LIKE '%:%'").df()
    wpp = p[p.source == "UN WPP"]
    wpp = wpp[wpp.revision == wpp.revision.max()]
    m = p[p.source == "UN DESA IMS"].merge(wpp, on=["year", "country"], suffixes=("", "_w"))
    bad = m[_apart(m.population, m.population_w, cmp.POPULATION_TOLERANCE,
                   cmp.POPULATION_MIN_GAP)]
    expected = {(f"IMS {r.revision}, WPP {r.revision_w}", r.country) for r in bad.itertuples()}
    assert len(expected) < MAX_LISTED
    assert _flagged(population_sources(real)) == expected
    assert ("IMS 2020, WPP 2024", "MDA") in expected


def test_real_stock_jumps_flagged_equal_pandas(real) -> None:
    d = real.execute("SELECT revision, year, destination AS area, stock FROM destination_stock "
                     "WHERE sex = 'total' AND destination NOT LIKE '%:%'").df()
    o = real.execute("SELECT revision, year, origin AS area, stock FROM migrant_stock "
                     "WHERE sex = 'total' AND origin <> 'OOO'").df()
    o = o.groupby(["revision", "year", "area"], as_index=False)["stock"].sum()
    years, revisions = set(), set()
    for what, stocks in (("immigrants", d), ("emigrants", o)):
        s = stocks.sort_values("year")
        s["old"] = s.groupby(["revision", "area"])["stock"].shift()
        step = s.dropna(subset=["old"])
        hit = step[_apart(step.stock, step.old, cmp.JUMP_TOLERANCE, cmp.JUMP_MIN_GAP)]
        years |= {(f"IMS {r.revision}", f"{r.area} {what}") for r in hit.itertuples()}
        w = s.pivot_table(index=["year", "area"], columns="revision", values="stock").dropna()
        w = w.reset_index()
        hit = w[_apart(w["2024"], w["2020"], cmp.REVISION_TOLERANCE, cmp.JUMP_MIN_GAP)]
        revisions |= {("IMS 2020, IMS 2024", f"{a} {what}") for a in hit.area}
    found = stock_jumps(real)
    got = {(f.severity, f.source, f.where) for f in found}
    assert {(s, w) for sev, s, w in got if sev == "info"} == years
    assert {(s, w) for sev, s, w in got if sev == "warning"} == revisions
    assert ("IMS 2020, IMS 2024", "MDA emigrants") in revisions
    assert len(years) < MAX_LISTED
    assert len(revisions) < MAX_LISTED
