"""The WPP 2019 official CSVs type no location: a code from 900 is only assumed to be an
aggregate, and the build confirms it against the UN annex (issue #11 c).

A country whose code was damaged into 999 used to become the aggregate `UN:999` with an
info finding; it is now refused, naming the file, line, code and the country its name is.
A code the annex lacks under a name that is no country's (WPP's own groups, such as the
G20) is kept as an aggregate with a warning. Built with `tmo build --only wpp2019` from
the fixture store's files, one of them rewritten (about 3 s a build).
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from tmo.cli import cli

from ..fixture_store.make import _small_country_codes

POP = "WPP2019_TotalPopulationBySex.csv"


def _mirror(fixture_store: Path, tmp: Path, edit) -> tuple[Path, int]:
    """A source folder linking every fixture file but the WPP 2019 population CSV, which
    is copied through `edit(rows) -> line number (1 = header) of the first edited row`."""
    src, out = fixture_store.parent / "sources", tmp / "sources"
    out.mkdir()
    for path in src.iterdir():
        if path.name != POP:
            (out / path.name).symlink_to(path)
    with (src / POP).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    line = edit(rows)
    with (out / POP).open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return out, line


def _build(sources: Path, db: Path):
    with _small_country_codes():
        return CliRunner().invoke(cli, ["build", "--db", str(db), "--source-dir", str(sources),
                                        "--only", "wpp2019", "--allow-changed-checksums"])


def _recode(rows: list[list[str]], name: str, code: str) -> int:
    """Give every row of location `name` the LocID `code`; the first such line."""
    hits = [i for i, r in enumerate(rows) if r[1] == name]
    assert hits, name
    for i in hits:
        rows[i][0] = code
    return hits[0] + 1


def test_a_country_coded_999_is_refused(fixture_store: Path, tmp_path: Path) -> None:
    sources, line = _mirror(fixture_store, tmp_path,
                            lambda rows: _recode(rows, "Republic of Moldova", "999"))
    db = tmp_path / "tmo.duckdb"
    db.write_bytes(fixture_store.read_bytes())  # the previous store
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    res = _build(sources, db)
    assert res.exit_code == 1
    lines = res.output.strip().splitlines()
    assert lines[0].startswith("error: "), res.output
    assert len(lines) <= 2, res.output  # the error, and a hint
    assert f"{POP} line {line}, column LocID: location code 999 ('Republic of Moldova')" \
        in lines[0]
    said = ("is no aggregate of the UN annex, and 'Republic of Moldova' is the country MDA "
            "(M49 498); refused")
    assert said in lines[0]
    assert "Traceback" not in res.output
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("code", ["1524", "999"])
def test_a_group_the_annex_lacks_is_kept_with_a_warning(fixture_store: Path, tmp_path: Path,
                                                        code: str) -> None:
    def add_group(rows: list[list[str]]) -> int:
        world = [r for r in rows if r[0] == "900"]
        rows += [[code, "Group of Twenty (G20)", *r[2:]] for r in world]
        return len(rows) - len(world) + 1

    sources, line = _mirror(fixture_store, tmp_path, add_group)
    db = tmp_path / "tmo.duckdb"
    res = _build(sources, db)
    assert res.exit_code == 0, res.output
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute("SELECT severity, \"where\", message FROM findings "
                            "WHERE \"check\" = 'aggregate_not_in_annex'").fetchall()
        group = con.execute("SELECT count(*) FROM population WHERE country = ?",
                            [f"UN:{code}"]).fetchone()
        world = con.execute("SELECT count(*) FROM population WHERE country = 'UN:900'"
                            ).fetchone()
        annexed = con.execute("SELECT count(*) FROM findings WHERE message LIKE '%900%'"
                              ).fetchone()
    finally:
        con.close()
    assert found == [("warning", f"{POP} line {line}, column LocID",
                      (f"location code {code} ('Group of Twenty (G20)') is no aggregate of the "
                      "UN annex: kept as an aggregate the file names, on the publisher's "
                      "word only"))]
    assert group == world != (0,)  # the group's rows, as many as the World's they copy
    assert annexed == (0,)  # the World (900) is in the annex: no finding about it
