"""The store commands as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from tmo.cli import cli

from ..conftest import DATA


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_sql_json(store: Path) -> None:
    res = run("sql", "--db", str(store), "--format", "json",
              "SELECT stock FROM destination_stock WHERE revision='2024' AND year=2024 "
              "AND destination='UN:900' AND sex='total'")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == [{"stock": 304_021_813}]


def test_sql_csv(store: Path) -> None:
    res = run("sql", "--db", str(store), "--format", "csv",
              "SELECT origin, stock FROM migrant_stock WHERE revision='2024' AND year=2024 "
              "AND origin='MEX' AND destination='USA' AND sex='total'")
    assert res.output == "origin,stock\nMEX,11279561\n"


def test_missing_store_is_one_line_and_a_hint(tmp_path: Path) -> None:
    res = run("sql", "--db", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("error: no store at")
    assert lines[1].startswith("hint: run `tmo build`")


def test_bad_sql_names_the_problem(store: Path) -> None:
    res = run("sql", "--db", str(store), "SELECT nope FROM migrant_stock")
    assert res.exit_code == 1
    assert "error: query failed" in res.output
    assert "nope" in res.output


def test_check_reports_findings(store: Path) -> None:
    res = run("check", "--db", str(store), "--format", "json")
    assert res.exit_code == 0
    findings = json.loads(res.output)
    od = [f for f in findings if f["check"] == "od_sum_vs_destination_total"]
    assert any("differ" in f["message"] and f["message"].endswith(": 0 differ") for f in od)


def test_sources_lists_every_source_as_found() -> None:
    res = CliRunner().invoke(cli, ["sources", "--source-dir", str(DATA)],
                             env={"COLUMNS": "250"})
    assert res.exit_code == 0, res.output
    assert "missing" not in res.output
    assert "ims_destination_2024" in res.output


def test_build_prints_summary(fixture_store: Path, tmp_path: Path) -> None:
    """`tmo build --only` from the fixture store's hand-made files (its World: 619,100,
    tests/fixture_store/figures.py); the real World figure of the summary below."""
    from ..fixture_store.make import _small_country_codes

    with _small_country_codes():
        res = CliRunner().invoke(
            cli, ["build", "--source-dir", str(fixture_store.parent / "sources"), "--db",
                  str(tmp_path / "s.duckdb"), "--only", "ims_destination_2024",
                  "--allow-changed-checksums"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "World migrant stock 2024 (IMS 2024): 619,100" in res.output


def test_build_summary_of_the_real_store(store: Path, capsys, monkeypatch) -> None:
    from tmo.cli.store import _print_summary

    monkeypatch.setenv("COLUMNS", "250")
    _print_summary(store)
    assert "World migrant stock 2024 (IMS 2024): 304,021,813" in capsys.readouterr().out


def test_debug_shows_traceback(tmp_path: Path) -> None:
    res = run("--debug", "sql", "--db", str(tmp_path / "none.duckdb"), "SELECT 1")
    assert res.exit_code != 0
    assert res.exception is not None


def test_sql_table_prints_numbers_as_stored_and_cuts_nothing_in_a_pipe(store: Path) -> None:
    res = run("sql", "--db", str(store),
              "SELECT year, stock, src_file, src_row FROM destination_stock WHERE "
              "destination = 'UN:900' AND sex = 'total' AND revision = '2024' ORDER BY year")
    assert res.exit_code == 0, res.output
    rows = [line for line in res.output.splitlines() if line.startswith("│")]
    first = [cell.strip() for cell in rows[0].strip("│").split("│")]
    # the world's 1990 stock, as test_sql_json reads it for 2024: no separators, no cut
    assert first[0] == "1990"
    assert first[1].isdigit()
    assert first[2].endswith(".xlsx")
    assert "…" not in res.output


def test_sql_names_the_closest_view_for_a_wrong_name(store: Path) -> None:
    res = run("sql", "--db", str(store), "SELECT * FROM destination_stok")
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert lines[0] == ("error: query failed: the store has no view destination_stok; "
                        "did you mean destination_stock?")
    assert lines[1].startswith("hint: the views (docs/store.md): ")
    assert "migrant_stock" in lines[1]
