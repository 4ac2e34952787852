"""Eurostat migr_imm5prv adapter: codes as published (GeoKind iso2), OTHER left out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import shared_file
from tmo.errors import SchemaError, SourceError
from tmo.frame import validate
from tmo.sources.catalog import source
from tmo.sources.eurostat import read_immigration_by_previous_residence as read

NAME = "eurostat_migr_imm5prv_bilateral_total.csv"


def test_published_file():
    out = read({NAME: shared_file(f"reported_flows/{NAME}")}, source("eurostat_immigration"))
    assert out.geo == {"reported_flows": {"origin": "iso2", "destination": "iso2"}}
    frame = validate("reported_flows", out.tables["reported_flows"], source="eurostat")
    at_be = frame[(frame.origin == "AT") & (frame.destination == "BE") & (frame.year == 2010)]
    assert at_be[["flow", "src_row"]].values.tolist() == [[373.0, "2"]]
    assert {"UK", "GR", "NO", "CH"} <= set(frame["origin"])  # as published, not ISO3
    assert "OTHER" not in set(frame["origin"]) | set(frame["destination"])
    (finding,) = out.findings
    assert finding.check == "not_bilateral"
    assert finding.severity == "info"


def _write(tmp_path: Path, text: str) -> dict[str, Path]:
    path = tmp_path / NAME
    path.write_text(text, encoding="utf-8")
    return {NAME: path}


def test_hand_made(tmp_path):
    files = _write(tmp_path, "partner,geo,year,value\nEL,UK,2019,12\nNA,DE,2019,3\n"
                   "OTHER,DE,2019,100\n")
    frame = read(files, source("eurostat_immigration")).tables["reported_flows"]
    assert frame[["origin", "destination", "flow", "src_row"]].values.tolist() == [
        ["EL", "UK", 12.0, "2"], ["NA", "DE", 3.0, "3"]]  # "NA" is Namibia, not missing


@pytest.mark.parametrize(("text", "error", "match"), [
    ("partner,geo,value\nAT,BE,1\n", SchemaError, rf"{NAME} line 1: missing columns \['year'\]"),
    ("partner,geo,year,value\nAT,BE,2019,-4\n", SourceError, r"line 2: value '-4' is not a"),
    ("partner,geo,year,value\nAT,BE,2019,many\n", SourceError, r"line 2: value 'many'"),
    ("partner,geo,year,value\nAT,BE,,5\n", SourceError, r"line 2: year '' is not a year"),
])
def test_broken(tmp_path, text, error, match):
    with pytest.raises(error, match=match):
        read(_write(tmp_path, text), source("eurostat_immigration"))
