"""Read-only means read-only: `tmo sql` and every connection from `tmo.store.query.connect`
read the store's views and nothing else. Writing, reading or listing files, attaching other
databases, installing or loading extensions and changing settings are refused with one line
and a hint, and the store file stays byte-identical."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from tmo.cli import cli
from tmo.errors import TmoError
from tmo.store.query import connect

SEALED = {"access_mode": "read_only", "enable_external_access": "false",
          "autoinstall_known_extensions": "false", "autoload_known_extensions": "false",
          "allow_community_extensions": "false", "lock_configuration": "true"}

# {dir} is the folder holding the store: files beside it are as out of reach as /etc/passwd.
ATTACKS = {
    "copy_query_to_file": "COPY (SELECT * FROM findings) TO '{dir}/out.csv'",
    "copy_view_to_file": "COPY findings TO '{dir}/out.parquet' (FORMAT parquet)",
    "read_csv_passwd": "SELECT * FROM read_csv('/etc/passwd', sep = ':')",
    "read_text_passwd": "SELECT * FROM read_text('/etc/passwd')",
    "read_blob_passwd": "SELECT * FROM read_blob('/etc/passwd')",
    "read_parquet_passwd": "SELECT * FROM read_parquet('/etc/passwd')",
    "read_json_passwd": "SELECT * FROM read_json('/etc/passwd')",
    "read_csv_beside": "SELECT * FROM read_csv('{dir}/beside.csv')",
    "read_text_beside": "SELECT * FROM read_text('{dir}/beside.csv')",
    "read_blob_beside": "SELECT * FROM read_blob('{dir}/beside.csv')",
    "read_parquet_beside": "SELECT * FROM read_parquet('{dir}/beside.parquet')",
    "read_json_beside": "SELECT * FROM read_json('{dir}/beside.json')",
    "replacement_scan_beside": "SELECT * FROM '{dir}/beside.csv'",
    "glob_etc": "SELECT * FROM glob('/etc/*')",
    "glob_beside": "SELECT * FROM glob('{dir}/*')",
    "attach_read_write": "ATTACH '{dir}/other.duckdb' AS other",
    "attach_read_only": "ATTACH '{dir}/other.duckdb' AS other (READ_ONLY)",
    "attach_new_file": "ATTACH '{dir}/new.duckdb' AS fresh",
    "install_extension": "INSTALL httpfs",
    "load_extension": "LOAD httpfs",
    "load_builtin_extension": "LOAD json",
    "set_setting": "SET threads = 1",
    "set_external_access": "SET enable_external_access = true",
    "reset_lock": "RESET lock_configuration",
    "set_allowed_directories": "SET allowed_directories = ['/']",
    "pragma_setting": "PRAGMA enable_profiling",
    "create_table": "CREATE TABLE scratch AS SELECT 1 AS a",
    "insert": "INSERT INTO base.findings SELECT * FROM base.findings",
    "delete": "DELETE FROM base.findings",
    "drop_view": "DROP VIEW findings",
    "checkpoint": "CHECKPOINT",
    "force_checkpoint": "FORCE CHECKPOINT",
    "export_database": "EXPORT DATABASE '{dir}/export'",
    "query_then_copy": "SELECT 1; COPY (SELECT 1) TO '{dir}/out.csv'",
}
# DuckDB runs these as no-ops on a read-only store with external access off: `tmo sql`
# refuses them (they are not queries); on a bare connection they change nothing.
NO_OPS = {"load_builtin_extension", "checkpoint", "force_checkpoint"}

QUERIES = {
    "select": (("SELECT stock FROM destination_stock WHERE revision = '2024' AND year = 2024 "
                "AND destination = 'UN:900' AND sex = 'total'"), "304021813"),
    "with": (("WITH w AS (SELECT * FROM destination_stock WHERE destination = 'UN:900' "
              "AND sex = 'total' AND revision = '2024') SELECT max(year) AS y FROM w"), "2024"),
    "aggregate": (("SELECT revision, count(*) AS n FROM destination_stock GROUP BY revision "
                   "ORDER BY revision"), "2020"),
    "duckdb_views": (("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                      "AND view_name = 'migrant_stock'"), "migrant_stock"),
    "describe": ("DESCRIBE destination_stock", "src_row"),
    "show_tables": ("SHOW TABLES", "findings"),
    "pivot": ("PIVOT (SELECT severity FROM findings) ON severity USING count(*)", "warning"),
    "explain": ("EXPLAIN SELECT count(*) FROM migrant_stock", "physical_plan"),
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def listing(folder: Path) -> dict[str, str]:
    return {p.name: digest(p) if p.is_file() else "folder" for p in folder.iterdir()}


@pytest.fixture(scope="module")
def sealed_dir(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the store with readable files and another database beside it."""
    folder = tmp_path_factory.mktemp("readonly")
    shutil.copy2(store, folder / "tmo.duckdb")
    (folder / "beside.csv").write_text("secret,value\nkey,42\n", encoding="utf-8")
    (folder / "beside.json").write_text('[{"secret": "key"}]\n', encoding="utf-8")
    pd.DataFrame({"secret": ["key"]}).to_parquet(folder / "beside.parquet")
    other = duckdb.connect(str(folder / "other.duckdb"))
    other.execute("CREATE TABLE t AS SELECT 42 AS secret")
    other.close()
    return folder


@pytest.fixture
def unchanged(sealed_dir: Path) -> Iterator[Path]:
    """The store; afterwards its bytes and the folder's listing must be as before."""
    db = sealed_dir / "tmo.duckdb"
    before = digest(db), listing(sealed_dir)
    yield db
    assert digest(db) == before[0], "the store file changed"
    assert listing(sealed_dir) == before[1], "files beside the store were created or changed"


def tmo(*args: str):
    return CliRunner().invoke(cli, list(args))


def assert_one_line_refusal(res) -> None:
    assert res.exit_code == 1, res.output
    assert isinstance(res.exception, SystemExit), res.exception
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 2, res.stderr
    assert lines[0].startswith("error: "), lines
    assert lines[1].startswith("hint: "), lines
    assert "Traceback" not in res.output
    assert res.stdout == ""


@pytest.mark.parametrize("name", ATTACKS)
def test_tmo_sql_refuses(name: str, unchanged: Path) -> None:
    query = ATTACKS[name].format(dir=unchanged.parent)
    res = tmo("sql", "--db", str(unchanged), "--format", "csv", query)
    assert_one_line_refusal(res)
    assert "refused" in res.stderr or "exactly one query" in res.stderr, res.stderr


@pytest.mark.parametrize("name", ATTACKS)
def test_connection_refuses(name: str, unchanged: Path) -> None:
    query = ATTACKS[name].format(dir=unchanged.parent)
    con = connect(unchanged)
    try:
        if name in NO_OPS:
            assert con.execute(query).fetchall() in ([], [(True,)])
        else:
            with pytest.raises(duckdb.Error) as caught:
                con.execute(query).fetchall()
            assert isinstance(caught.value, (duckdb.PermissionException,
                                             duckdb.InvalidInputException,
                                             duckdb.CatalogException)), caught.value
        # the sealing outlives the attempt
        settings = dict(con.execute("SELECT name, value FROM duckdb_settings()").fetchall())
        assert {k: settings[k] for k in SEALED} == SEALED
    finally:
        con.close()


def test_settings_take_effect(unchanged: Path) -> None:
    con = connect(unchanged)
    try:
        settings = dict(con.execute("SELECT name, value FROM duckdb_settings()").fetchall())
        assert {k: settings[k] for k in SEALED} == SEALED
        with pytest.raises(duckdb.CatalogException):  # no replacement scan of Python objects
            con.execute("SELECT * FROM SEALED").fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("name", QUERIES)
def test_tmo_sql_still_queries_the_views(name: str, unchanged: Path) -> None:
    query, expected = QUERIES[name]
    res = tmo("sql", "--db", str(unchanged), "--format", "csv", query)
    assert res.exit_code == 0, res.output
    assert expected in res.stdout


@pytest.mark.parametrize("name", QUERIES)
def test_connection_still_queries_the_views(name: str, unchanged: Path) -> None:
    query, expected = QUERIES[name]
    con = connect(unchanged)
    try:
        frame = con.execute(query).df()
    finally:
        con.close()
    assert expected in frame.to_csv(index=False)


def test_real_cli_refuses_without_traceback(unchanged: Path) -> None:
    folder = unchanged.parent
    for query in (f"COPY (SELECT 1) TO '{folder}/out.csv'",
                  "SELECT * FROM read_csv('/etc/passwd')"):
        proc = subprocess.run([sys.executable, "-m", "tmo.cli", "sql", "--db", str(unchanged),
                               query], capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 2, proc.stderr
        assert lines[0].startswith("error: "), proc.stderr
        assert lines[1].startswith("hint: "), proc.stderr
        assert proc.stdout == ""
    assert not (folder / "out.csv").exists()


def test_connect_seals_a_plain_connection_already_open(unchanged: Path) -> None:
    """DuckDB shares one instance per file in a process: a plain read-only connection opened
    first is sealed too, rather than `connect` failing on the differing settings."""
    plain = duckdb.connect(str(unchanged), read_only=True)
    try:
        con = connect(unchanged)
        with pytest.raises(duckdb.PermissionException):
            plain.execute("SELECT * FROM read_text('/etc/passwd')").fetchall()
        assert con.execute("SELECT count(*) FROM findings").fetchall()[0][0] >= 0
        con.close()
    finally:
        plain.close()


HOLD = """import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
con.close()
"""


@pytest.fixture
def written_store(sealed_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the store held open read-write by another process."""
    db = tmp_path / "tmo.duckdb"
    shutil.copy2(sealed_dir / "tmo.duckdb", db)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "holding"
        yield db
    finally:
        holder.communicate(timeout=60)


def test_store_written_by_another_process(written_store: Path) -> None:
    with pytest.raises(TmoError) as caught:
        connect(written_store)
    message = str(caught.value)
    assert type(caught.value) is not TmoError  # a subclass, as every error raised on purpose
    assert "\n" not in message
    assert str(written_store) in message, message
    assert "another process" in message, message
    assert "writing it" in message, message
    assert "retry" in (caught.value.hint or "")
    assert "wait" in (caught.value.hint or "")
    res = tmo("sql", "--db", str(written_store), "SELECT 1")
    assert_one_line_refusal(res)
    assert res.stderr.startswith(f"error: the store {written_store} is locked"), res.stderr
