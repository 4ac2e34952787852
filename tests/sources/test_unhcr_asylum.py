"""UNHCR asylum applications, decisions, durable solutions and IDMC internal displacement:
the store's sums equal the figures verified on the files (../shared/data/MANIFEST.md),
persons and cases stay apart, NA stays null, and broken inputs are one clear error."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from tests.conftest import shared_file
from tmo.errors import SchemaError, SourceError
from tmo.sources.catalog import source


@pytest.fixture(scope="module")
def con(store: Path):
    connection = duckdb.connect(str(store), read_only=True)
    yield connection
    connection.close()


def one(con, sql: str, *params: object) -> Any:
    return con.execute(sql, list(params)).fetchone()[0]


def test_sums_equal_the_verified_figures(con):
    # MANIFEST, "Verified (sums over the file)": applications 2023 in persons and cases
    # mixed, Germany 2023, decisions 2023, resettlement and returns 2023, IDMC 2023
    assert one(con, "SELECT sum(applied) FROM asylum_applications WHERE year = 2023") \
        == 3_848_894
    assert one(con, "SELECT sum(applied) FROM asylum_applications WHERE year = 2023 "
                    "AND asylum = 'DEU'") == 444_432
    assert con.execute("SELECT sum(recognized), sum(total) FROM asylum_decisions "
                       "WHERE year = 2023").fetchone() == (612_908, 2_498_303)
    assert con.execute("SELECT sum(resettlement), sum(returned_refugees) FROM "
                       "durable_solutions WHERE year = 2023").fetchone() == (158_591, 1_126_551)
    assert one(con, "SELECT sum(idps) FROM internal_displacement WHERE year = 2023") \
        == 67_332_380


def test_persons_and_cases_apart_and_rows_provenanced(con):
    units = dict(con.execute("SELECT unit, count(*) FROM asylum_applications GROUP BY 1")
                 .fetchall())
    assert set(units) == {"persons", "cases"}
    assert units["cases"] > 0
    # every row of each file is one row of its view, numbered as in the file
    for view, rows in (("asylum_applications", 120_597), ("asylum_decisions", 113_929),
                       ("durable_solutions", 21_258), ("internal_displacement", 934)):
        assert con.execute(f"SELECT count(*), count(DISTINCT src_row), min(src_row::INT), "
                           f"max(src_row::INT) FROM {view}").fetchone() == (rows, rows, 1, rows)
    # solutions.rda leaves a cell NA where nothing was reported: null, not 0
    assert one(con, "SELECT count(*) FROM durable_solutions WHERE resettlement IS NULL") > 0
    assert one(con, "SELECT count(*) FROM durable_solutions WHERE resettlement = 0") == 0


def test_idmc_codes(con):
    # Abyei (AB9) kept as its own area; the displaced IDMC attributes to no country (UNK)
    # are the store's other/unknown code
    assert one(con, "SELECT idps FROM internal_displacement WHERE country = 'AB9' "
                    "AND year = 2023") == 42_000
    assert one(con, "SELECT idps FROM internal_displacement WHERE country = 'UKR' "
                    "AND year = 2022") == 5_914_000
    assert one(con, "SELECT count(*) FROM internal_displacement WHERE country = 'OOO'") > 0


FRAME: dict[str, list[Any]] = {
    "year": [2023.0, 2023.0], "coo_iso": ["SYR", "AFG"], "coa_iso": ["DEU", "DEU"],
    "procedure_type": ["G", "G"], "app_type": ["N", "N"], "dec_level": ["FI", "FI"],
    "app_pc": ["P", "C"], "applied": [10.0, 5.0]}


def _read(monkeypatch, module: str, frame: dict[str, list[Any]], fn: str, key: str,
          file: str):
    import importlib

    mod = importlib.import_module(module)
    monkeypatch.setattr(mod, "read_rda", lambda *a, **k: pd.DataFrame(frame))
    return getattr(mod, fn)({file: Path(file)}, source(key))


def test_a_hand_made_file_is_read_as_published(monkeypatch):
    out = _read(monkeypatch, "tmo.sources.unhcr_asylum", FRAME, "read_asylum_applications",
                "unhcr_asylum_applications", "asylum_applications.rda")
    frame = out.tables["asylum_applications"]
    assert frame[["origin", "unit", "applied", "src_row"]].values.tolist() == [
        ["SYR", "persons", 10, "1"], ["AFG", "cases", 5, "2"]]


@pytest.mark.parametrize(("edit", "message"), [
    ({"applied": [10.0, -1.0]}, r"column 'applied' row 2: negative"),
    ({"app_pc": ["P", "X"]}, r"row 2: app_pc 'X' is neither P \(persons\) nor C"),
    ({"coo_iso": ["SYR", None]}, r"row 2: coo_iso is empty"),
])
def test_bad_cells_are_one_clear_error(monkeypatch, edit, message):
    with pytest.raises(SchemaError, match=r"asylum_applications\.rda, object "
                                          r"asylum_applications: .*" + message):
        _read(monkeypatch, "tmo.sources.unhcr_asylum", FRAME | edit,
              "read_asylum_applications", "unhcr_asylum_applications",
              "asylum_applications.rda")


def test_idmc_row_naming_two_countries_is_refused(monkeypatch):
    frame: dict[str, list[Any]] = {"year": [2023.0], "coo_iso": ["SYR"], "coa_iso": ["TUR"],
                                   "total": [5.0]}
    with pytest.raises(SchemaError, match=r"idmc\.rda, object idmc: row 1: coo_iso 'SYR' "
                                          r"and coa_iso 'TUR' differ"):
        _read(monkeypatch, "tmo.sources.idmc", frame, "read_idmc", "idmc", "idmc.rda")


def test_wrong_file(tmp_path):
    from tmo.sources.unhcr_asylum import read_solutions

    with pytest.raises(SchemaError, match="no data frame 'solutions'"):
        read_solutions({"solutions.rda": shared_file("unhcr/idmc.rda")},
                       source("unhcr_solutions"))
    cut = tmp_path / "solutions.rda"
    cut.write_bytes(shared_file("unhcr/idmc.rda").read_bytes()[:2000])
    with pytest.raises(SourceError, match=r"solutions\.rda"):
        read_solutions({"solutions.rda": cut}, source("unhcr_solutions"))
