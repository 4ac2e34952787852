"""UNHCR population.rda adapter: published totals, key uniqueness, broken inputs."""

from __future__ import annotations

import bz2
import functools
import gzip
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import shared_file
from tmo.errors import SchemaError, SourceError
from tmo.frame import validate
from tmo.sources.catalog import source
from tmo.sources.unhcr import read_population


@pytest.fixture(scope="module")
def refugees():
    out = read_population({"population.rda": shared_file("unhcr/population.rda")},
                          source("unhcr"))
    assert out.geo == {"refugees": {"origin": "unhcr", "asylum": "unhcr"}}
    return validate("refugees", out.tables["refugees"], source="unhcr")


def test_published_totals(refugees):
    y = refugees[refugees["year"] == 2023]
    # "refugees under UNHCR's mandate" = sum of the refugees column (UNRWA's Palestine
    # refugees are not in this dataset)
    assert y["refugees"].sum() == 31_637_408
    assert y["asylum_seekers"].sum() == 6_858_500
    syr_tur = y[(y["origin"] == "SYR") & (y["asylum"] == "TUR")]
    assert syr_tur["refugees"].tolist() == [3_214_780]


def test_na_stays_null_and_rows_are_provenanced(refugees):
    assert refugees["oip"].isna().any()
    assert refugees["refugees"].notna().all()
    assert refugees["src_row"].iloc[0] == "1"
    assert (refugees["src_sheet"] == "population").all()
    assert len(refugees) == 138_893


def test_truncated_file(tmp_path):
    data = bz2.decompress(shared_file("unhcr/population.rda").read_bytes())
    cut = tmp_path / "population.rda"
    # gzip, R's default compression for .rda, at level 1: bz2 takes 2 s on these 11 MB
    cut.write_bytes(gzip.compress(data[: len(data) // 2], 1))
    with pytest.raises(SourceError, match=r"population\.rda"):
        read_population({"population.rda": cut}, source("unhcr"))


def test_wrong_file(tmp_path):
    with pytest.raises(SchemaError, match="no data frame 'population'"):
        read_population({"population.rda": shared_file("unhcr/countries.rda")},
                        source("unhcr"))


@functools.cache
def _head(path: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """The first five rows of the real file, read once for the tests that edit them."""
    from tmo.sources.io import read_rda

    return read_rda(path, name, columns).head(5).copy()


def _patched(monkeypatch, edit):
    import tmo.sources.unhcr as mod

    def fake(path, name, columns):
        return edit(_head(path, name, tuple(columns)).copy())

    monkeypatch.setattr(mod, "read_rda", fake)
    return read_population({"population.rda": shared_file("unhcr/population.rda")},
                           source("unhcr"))


def test_negative_count_is_an_error(monkeypatch):
    def edit(frame):
        frame.loc[frame.index[2], "refugees"] = -4.0
        return frame

    with pytest.raises(SchemaError, match=r"'refugees' row 3: negative"):
        _patched(monkeypatch, edit)


def test_duplicate_keys_are_summed_and_reported(monkeypatch):
    def edit(frame):
        frame.loc[frame.index[1], "coa_iso"] = frame.loc[frame.index[0], "coa_iso"]
        return frame

    out = _patched(monkeypatch, edit)
    frame = validate("refugees", out.tables["refugees"], source="unhcr")
    assert len(frame) == 4
    assert frame["src_row"].iloc[0] == "1+2"
    assert frame["refugees"].iloc[0] == 180_000 + 282_000
    assert [f.check for f in out.findings] == ["duplicate_key"]
