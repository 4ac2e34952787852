"""Parquet output of the projections (`tmo projections --format parquet --out FILE`,
issue #14): read back with pyarrow, the rows are those the JSON output gives, every row
carries its provenance (the store views and filters behind it, the published files as the
store lists them, read here with plain SQL), and the file's metadata says the same."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner

from tmo.cli import cli


def test_parquet_reads_back_as_the_json_rows_with_their_provenance(projected: Path,
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "p.parquet"
    args = ["projections", "--country", "DEU", "--horizon", "2030", "--db", str(projected)]
    res = CliRunner().invoke(cli, [*args, "--format", "parquet", "--out", str(out)])
    assert res.exit_code == 0, res.output
    table = pq.read_table(out)
    frame = table.to_pandas()
    shown = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert len(frame) == len(shown) > 0
    for got, want in zip(frame.to_dict(orient="records"), shown, strict=True):
        for key, value in want.items():
            assert got[key] == pytest.approx(value) if isinstance(value, float) \
                else got[key] == value, key
    for col in ("revision", "jump_off", "draws", "seed", "lower95", "upper95"):
        assert col in frame.columns
    con = duckdb.connect(str(projected), read_only=True)
    files = sorted(f for (f,) in con.execute(
        "SELECT DISTINCT src_file FROM migrant_stock WHERE revision = '2024' "
        "AND sex IN ('female', 'male')").fetchall())
    n = con.execute("SELECT count(*) FROM migrant_stock WHERE revision = '2024' "
                    "AND sex IN ('female', 'male')").fetchone()
    con.close()
    assert n is not None
    assert set(frame["source_files"]) == {"; ".join(files)}
    views = frame["source_views"].iloc[0]
    assert "migrant_stock WHERE revision IN ('2024') AND sex IN ('female', 'male')" in views
    assert f"migrant_stock: {n[0]}" in frame["source_rows"].iloc[0]
    meta = table.schema.metadata
    assert meta[b"tmo.source_views"].decode() == views


def test_parquet_needs_a_file(projected: Path) -> None:
    res = CliRunner().invoke(cli, ["projections", "--format", "parquet", "--db",
                                   str(projected)])
    assert res.exit_code == 1
    assert "--format parquet writes a file" in res.output
    assert "hint:" in res.output
