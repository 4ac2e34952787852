"""A build whose findings include an error never exits 0 and never replaces the store,
unless the error's check is explicitly allowed (`tmo.store.build.ALLOWED_ERRORS`)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmo.cli import cli
from tmo.errors import SourceError
from tmo.findings import Finding
from tmo.sources.base import Ingested
from tmo.store import build as build_module
from tmo.store.build import build

from .conftest import settings_for

ERROR = Finding("od_sum_vs_destination_total", "error", "IMS 2024", "DEU 2020 total",
                "origins add up to 1,000,000,000,000,000,000 persons, total 16,750,084")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(settings_for(tmp_path_factory.mktemp("good")), keys=["rpw_corridors"]).db_path


@pytest.fixture
def previous(good_store: Path, tmp_path: Path) -> Path:
    return Path(shutil.copy(good_store, tmp_path / good_store.name))


def test_an_error_of_a_check_rule_fails_the_build(previous: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    before = digest(previous)
    monkeypatch.setattr(build_module, "run_all", lambda con: [ERROR])
    result = CliRunner().invoke(cli, ["build", "--source-dir", str(settings_for(
        previous.parent).source_dir), "--db", str(previous), "--only", "rpw_corridors"])
    assert result.exit_code == 1
    line = next(ln for ln in result.stderr.splitlines() if ln.strip())
    assert line == ("error: the data has 1 error finding(s), so the store was not replaced: "
                    "od_sum_vs_destination_total in IMS 2024, DEU 2020 total: origins add up to "
                    "1,000,000,000,000,000,000 persons, total 16,750,084")
    assert digest(previous) == before
    assert [p for p in previous.parent.iterdir() if ".building-" in p.name] == []


def test_an_allowed_error_is_stored(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "run_all", lambda con: [ERROR])
    monkeypatch.setattr(build_module, "ALLOWED_ERRORS", frozenset({ERROR.check}))
    report = build(settings_for(previous.parent), keys=["rpw_corridors"])
    assert ERROR in report.findings


def test_an_adapters_error_finding_fails_before_writing(previous: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    before = digest(previous)
    real_read = build_module._read

    def read(res):  # the RPW adapter, with an error finding of its own
        ing: Ingested = real_read(res)
        if res.spec.key == "rpw_corridors":
            ing.findings.append(Finding("made_up", "error", "rpw_corridors", "line 9", "bad"))
        return ing

    monkeypatch.setattr(build_module, "_read", read)
    with pytest.raises(SourceError, match=r"^the data has 1 error finding\(s\), so the store "
                                          r"was not replaced: made_up in rpw_corridors, line 9"):
        build(settings_for(previous.parent), keys=["rpw_corridors"])
    assert digest(previous) == before


def test_an_unforeseen_adapter_error_is_one_line(previous: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(files, source):
        raise OverflowError("cannot convert float infinity to integer\nat line 2")

    monkeypatch.setattr(build_module, "reader", lambda edition: broken)
    with pytest.raises(SourceError) as err:
        build(settings_for(previous.parent), keys=["rpw_corridors"])
    assert str(err.value).startswith("source 'countries_iso': cannot read ")
    assert str(err.value).endswith("(OverflowError: cannot convert float infinity to integer "
                                   "at line 2)")
    assert isinstance(err.value.__cause__, OverflowError)  # the traceback, with --debug
