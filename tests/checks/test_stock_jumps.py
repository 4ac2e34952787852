"""stock_jumps: immigrants and emigrants changing beyond the thresholds between consecutive
years of a revision or between revisions: a hand-made case, then the real store against
pandas over the views."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from tmo.checks import comparisons as cmp
from tmo.checks.rules import MAX_LISTED, stock_jumps

from .agreement import apart
from .conftest import od, total


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



@pytest.fixture(scope="module")
def real(built) -> Any:
    con = duckdb.connect(str(built.db_path), read_only=True)
    yield con
    con.close()


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
        hit = step[apart(step.stock, step.old, cmp.JUMP_TOLERANCE, cmp.JUMP_MIN_GAP)]
        years |= {(f"IMS {r.revision}", f"{r.area} {what}") for r in hit.itertuples()}
        w = s.pivot_table(index=["year", "area"], columns="revision", values="stock").dropna()
        w = w.reset_index()
        hit = w[apart(w["2024"], w["2020"], cmp.REVISION_TOLERANCE, cmp.JUMP_MIN_GAP)]
        revisions |= {("IMS 2020, IMS 2024", f"{a} {what}") for a in hit.area}
    found = stock_jumps(real)
    got = {(f.severity, f.source, f.where) for f in found}
    assert {(s, w) for sev, s, w in got if sev == "info"} == years
    assert {(s, w) for sev, s, w in got if sev == "warning"} == revisions
    assert ("IMS 2020, IMS 2024", "MDA emigrants") in revisions
    assert len(years) < MAX_LISTED
    assert len(revisions) < MAX_LISTED
