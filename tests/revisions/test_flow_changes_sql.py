"""The store's comparison of flows (`store.changes.flow_changes_frame`, one SQL query,
what `tmo flows` writes) gives the rows of the kernel `compare.flow_changes` (the
definition), on hand-made flows with runs held by one revision only, corridors absent
from one side, zero old values and several methods and sexes."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from tmo.revisions.compare import CHANGE_COLUMNS, flow_changes
from tmo.store.changes import flow_changes_frame, insert_flow_changes

COLS = ["method", "sex", "period_start", "origin", "destination", "flow"]


def flows(seed: int) -> pd.DataFrame:
    """Random sparse flows of 6 places, 2 methods, 2 sexes and 3 periods."""
    rng = np.random.default_rng(seed)
    rows = [(m, s, p, o, d, float(rng.integers(1, 1000)) + rng.random())
            for m in ("m1", "m2") for s in ("total", "female") for p in (2000, 2005, 2010)
            for o in "ABCDEF" for d in "ABCDEF" if o != d and rng.random() < 0.6]
    return pd.DataFrame(rows, columns=COLS)


def test_sql_comparison_equals_the_kernel() -> None:
    old, new = flows(1), flows(2)
    old = old[~((old["method"] == "m2") & (old["period_start"] == 2010))]  # run of new only
    new = new[~((new["sex"] == "female") & (new["period_start"] == 2000))]  # run of old only
    con = duckdb.connect()
    con.execute("CREATE SCHEMA base")
    con.execute("CREATE TABLE base.revision_changes (dataset VARCHAR, old_revision VARCHAR, "
                "new_revision VARCHAR, level VARCHAR, area VARCHAR, partner VARCHAR, "
                "measure VARCHAR, sex VARCHAR, year INTEGER, old_value DOUBLE, new_value "
                "DOUBLE, change DOUBLE, relative DOUBLE, old_file VARCHAR, new_file VARCHAR)")
    both = pd.concat([old.assign(revision="2020"), new.assign(revision="2024")])
    con.register("both_revisions", both)
    con.execute("CREATE TABLE migration_flows AS SELECT * FROM both_revisions")
    got = flow_changes_frame(con, "2020", "2024", dataset="flows", source="f")
    inserted = insert_flow_changes(con, "2020", "2024", dataset="flows", source="f")
    stored = con.execute("SELECT * FROM base.revision_changes").df()
    want = flow_changes(old, new)
    keys = ["level", "area", "partner", "measure", "sex", "year"]

    def norm(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame[list(CHANGE_COLUMNS)].sort_values(keys, ignore_index=True)
        return out.astype({"year": "int64"})

    assert len(want) > 0
    assert inserted == len(want) == len(got) == len(stored)
    assert (got["old_revision"] == "2020").all()
    assert (got["new_file"] == "f").all()
    assert want["relative"].isna().any()  # corridors new in 2024: no relative revision
    pd.testing.assert_frame_equal(norm(got), norm(want), check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(norm(stored), norm(want), check_exact=False, rtol=1e-12)
