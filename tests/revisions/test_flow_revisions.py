"""Flows estimated from two revisions compared after `tmo flows` (fixture store)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd

from tmo.flows.estimate_store import estimate_revision
from tmo.pipeline import store_flows


def test_flows_of_two_revisions_are_compared(fixture_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "tmo.duckdb"
    shutil.copy(fixture_store, db)
    for revision in ("2024", "2020"):
        con = duckdb.connect(str(db), read_only=True)
        frame, findings, _diag = estimate_revision(con, revision, "da_pb_closed", ("total",))
        con.close()
        store_flows(db, frame, findings)
    con = duckdb.connect(str(db), read_only=True)
    try:
        flows = con.execute("SELECT revision, period_start, origin, destination, flow "
                            "FROM migration_flows").df()
        got = con.execute("SELECT * FROM revision_changes WHERE dataset = 'flows'").df()
        ims = con.execute("SELECT count(*) FROM revision_changes WHERE dataset = 'IMS'"
                          ).fetchone()
    finally:
        con.close()
    assert ims is not None
    assert ims[0] > 0  # the build's comparison is kept
    wide = flows.pivot_table(index=["period_start", "origin", "destination"],
                             columns="revision", values="flow").fillna(0.0)
    common = sorted(set(flows.loc[flows["revision"] == "2020", "period_start"])
                    & set(flows.loc[flows["revision"] == "2024", "period_start"]))
    assert common == [1990, 1995, 2000, 2005, 2010, 2015]  # 2015-2020: the last in both
    cor = got[got["level"] == "corridor"].set_index(["year", "partner", "area"])
    assert set(cor["measure"]) == {"flow_da_pb_closed"}
    assert sorted(cor.index.get_level_values(0).unique()) == common
    expected = wide.loc[common]
    pd.testing.assert_series_equal(
        cor.loc[expected.index, "old_value"], expected["2020"], check_names=False)
    pd.testing.assert_series_equal(
        cor.loc[expected.index, "new_value"], expected["2024"], check_names=False)
