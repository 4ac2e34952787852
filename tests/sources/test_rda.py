"""The fast .rda decoder (`tmo.sources.rda`) against the `rdata` package, the reference
reader it replaces for speed: same frames, columns and values on every .rda file the
build reads (dtypes may differ: rdata gives factors as Categorical, integers as Int32,
strings as StringDtype with pd.NA)."""

from __future__ import annotations

import bz2
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rdata
import rdata.parser

from tmo.errors import SchemaError, SourceError
from tmo.sources import rda
from tmo.sources.catalog import load_catalog
from tmo.sources.io import read_rda
from tmo.sources.snapshot import MirrorIndex, locate

from ..conftest import DATA
from .rda_sample import Sampler, kept_rows, raw_bytes, sample_rda


def _rda_files() -> list[Path]:
    """Every .rda file of the editions a build from ../shared/data reads."""
    index = MirrorIndex(DATA)
    paths = {p for spec in load_catalog().values()
             for name, p in locate(spec, index).files.items() if name.endswith(".rda")}
    return sorted(paths)


RDA_FILES = _rda_files()


def test_the_build_reads_rda_files() -> None:
    assert {p.name for p in RDA_FILES} >= {"population.rda", "popAge5dt.rda",
                                           "gdidata_wdi.rda", "mig1dt.rda"}


def _values(column: pd.Series) -> list[object] | np.ndarray:
    """Plain values: text as str or None, numbers as float64 with NaN for NA."""
    if (isinstance(column.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(column)
            or column.dtype == object):
        return [None if pd.isna(v) else str(v) for v in column]
    return column.astype("float64").to_numpy()


SAMPLE_ABOVE = 2_000  # rows: rdata reads larger frames from a sample of their rows
EVERY = 20  # at least every 20th row, and no more than about COMPARED rows of a frame:
COMPARED = 1_000  # rdata takes about 0.4 ms a row (solutions.rda's 21,258 rows: 11 s)


@pytest.mark.parametrize("path", RDA_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fast_decoder_equals_rdata(path: Path, tmp_path: Path) -> None:
    """Every frame, column and value; of the frames over SAMPLE_ABOVE rows (population.rda,
    gdidata_wdi.rda, popAge5dt.rda, the UNHCR asylum and solutions files), every EVERY-th
    row or more sparsely, about COMPARED rows, and the last: `rdata` makes a
    Python object of each string (20 s for population.rda alone), so it reads a copy of
    the file cut to those rows from the file's own bytes (tests/sources/rda_sample.py),
    while the fast decoder reads the whole real file."""
    fast = rda.decode_frames(path)  # no fallback: the fast path itself is compared
    reference = path
    longest = max(len(f) for f in fast.values())
    if longest > SAMPLE_ABOVE:
        every = max(EVERY, -(-longest // COMPARED))
        reference = tmp_path / path.name
        sample_rda(path, reference, every)
        fast = {k: f.iloc[kept_rows(len(f), every)].reset_index(drop=True)
                for k, f in fast.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        slow = {k: v for k, v in rdata.read_rda(reference).items()
                if isinstance(v, pd.DataFrame)}
    assert sorted(fast) == sorted(slow)
    assert fast
    for name, expected in slow.items():
        got = fast[name]
        assert list(got.columns) == list(expected.columns), name
        assert len(got) == len(expected), name
        for col in expected.columns:
            want, have = _values(expected[col]), _values(got[col])
            if isinstance(want, list):
                assert have == want, (name, col)
            else:
                np.testing.assert_array_equal(have, want, err_msg=f"{name}.{col}")


@pytest.mark.parametrize("name", ["gdidata_wdi.rda", "mig1dt.rda"])
def test_a_sample_of_every_row_is_the_file_itself(name: str) -> None:
    """The sampler copies bytes: keeping every row gives back the decompressed file."""
    path = next(p for p in RDA_FILES if p.name == name)
    data = raw_bytes(path)
    assert Sampler(data, 1).file() == data


def test_type_codes_are_r_s() -> None:
    """The named SEXP codes agree with rdata's (R's Rinternals.h and serialize.c)."""
    theirs = {t.name: t.value for t in rdata.parser.RObjectType}
    shared = {s.name for s in rda.Sexp} & set(theirs)
    assert len(shared) >= 20
    assert {n: rda.Sexp[n].value for n in shared} == {n: theirs[n] for n in shared}


def test_damaged_file_is_a_source_error(tmp_path: Path) -> None:
    data = bz2.decompress((DATA / "wpp2024" / "mig1dt.rda").read_bytes())
    cut = tmp_path / "mig1dt.rda"
    cut.write_bytes(bz2.compress(data[: len(data) // 3]))
    with pytest.raises(rda.RDataError):
        rda.read_frames(cut)
    with pytest.raises(SourceError, match=r"mig1dt.rda: not a readable R data file") as err:
        read_rda(cut, "mig1dt", ["mig"])
    assert "download it again" in (err.value.hint or "")


def test_missing_object_or_column_is_a_schema_error() -> None:
    path = DATA / "wpp2024" / "mig1dt.rda"
    with pytest.raises(SchemaError, match=r"mig1dt.rda: no data frame 'pop' \(found: \['mig1dt'"):
        read_rda(path, "pop", [])
    with pytest.raises(SchemaError, match=r"mig1dt.rda, object mig1dt: missing columns \['popM'"):
        read_rda(path, "mig1dt", ["country_code", "popM"])
