"""WPP net migration revised (issue #15): WPP 2019 publishes five-year periods from 1 July,
WPP 2024 calendar years, so the calendar years are summed into the periods (half of the
first and last year). The kernel on hand-made series (a constant year gives five times
it; the sum is linear; a missing year leaves the period out), and on the real store every
stored figure of a few countries is recomputed here with plain SQL from the
`vital_events` rows of both revisions, over estimated periods only."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.revisions.compare import mid_year_periods, net_migration_changes


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=11, max_size=11),
       st.floats(-1e5, 1e5, allow_nan=False))
def test_mid_year_periods(values, level) -> None:
    years = list(range(2010, 2021))
    annual = pd.DataFrame({"area": "A", "year": years, "value": values})
    got = mid_year_periods(annual, [2010, 2015]).set_index("year")["value"]
    for start in (2010, 2015):
        v = dict(zip(years, values, strict=True))
        want = 0.5 * v[start] + sum(v[start + k] for k in range(1, 5)) + 0.5 * v[start + 5]
        assert np.isclose(got[start], want, rtol=1e-12, atol=1e-6)
    flat = pd.DataFrame({"area": "A", "year": years, "value": level})
    assert np.allclose(mid_year_periods(flat, [2010, 2015])["value"], 5 * level)
    gap = annual[annual["year"] != 2017]
    assert list(mid_year_periods(gap, [2010, 2015])["year"]) == [2010]


def test_revisions_with_other_periods_are_put_on_the_five_year_ones() -> None:
    old = pd.DataFrame({"area": ["A", "A"], "year": [2010, 2015], "period_years": 5,
                        "value": [100.0, 50.0]})
    new = pd.DataFrame({"area": "A", "year": range(2010, 2021), "period_years": 1,
                        "value": [10.0] * 11})
    table = net_migration_changes(old, new).set_index("year")
    assert list(table["new_value"]) == [50.0, 50.0]
    assert list(table["change"]) == [-50.0, 0.0]
    assert (table["measure"] == "net_migration").all()
    flipped = net_migration_changes(new, old).set_index("year")
    assert list(flipped["old_value"]) == [50.0, 50.0]


def test_the_stored_revision_is_the_published_rows(store: Path) -> None:
    con = duckdb.connect(str(store), read_only=True)
    stored = con.execute("""SELECT area, year, old_value, new_value, change FROM
                            revision_changes WHERE dataset = 'WPP' AND
                            measure = 'net_migration' AND old_revision = '2019' AND
                            new_revision = '2024'""").df()
    want = con.execute("""
        WITH old AS (SELECT country, year, net_migration AS v FROM vital_events
                     WHERE source = 'UN WPP' AND revision = '2019' AND period_years = 5),
             new AS (SELECT country, year, net_migration AS v FROM vital_events
                     WHERE source = 'UN WPP' AND revision = '2024' AND period_years = 1)
        SELECT old.country AS area, old.year, old.v AS old_value,
               sum(new.v * CASE WHEN new.year IN (old.year, old.year + 5) THEN 0.5
                                ELSE 1 END) AS new_value, count(*) AS n
        FROM old JOIN new ON new.country = old.country
             AND new.year BETWEEN old.year AND old.year + 5
        WHERE old.country IN ('DEU', 'TUR', 'SYR', 'MDA', 'PHL')
          AND old.year + 5 <= (SELECT max(year) FROM population
                               WHERE source = 'UN WPP' AND revision = '2019')
        GROUP BY 1, 2, 3 HAVING count(*) = 6""").df()
    last = con.execute("""SELECT max(year) FROM population WHERE source = 'UN WPP'
                          AND revision = '2019'""").fetchone()
    con.close()
    assert last is not None
    assert len(want) == 5 * len(range(1950, last[0] - 4, 5))
    assert stored["year"].max() + 5 <= last[0]  # estimates only, no projection
    got = stored.merge(want, on=["area", "year"], suffixes=("", "_want"))
    assert len(got) == len(want)
    np.testing.assert_allclose(got["old_value"], got["old_value_want"])
    np.testing.assert_allclose(got["new_value"], got["new_value_want"], rtol=1e-9)
    np.testing.assert_allclose(got["change"], got["new_value"] - got["old_value"])
