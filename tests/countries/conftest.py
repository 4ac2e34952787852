"""The country reference built from the real files in ../shared/data."""

from __future__ import annotations

import pytest

from tmo.countries import Reference, build_reference
from tmo.sources.catalog import REFERENCE_SOURCES, load_catalog, reader
from tmo.sources.snapshot import MirrorIndex, locate

from ..conftest import DATA


@pytest.fixture(scope="session")
def reference() -> Reference:
    index = MirrorIndex(DATA)
    catalog = load_catalog()
    frames = {}
    for key in REFERENCE_SOURCES:
        res = locate(catalog[key], index)
        frames.update(reader(res.edition)(res.files, res.spec).reference)
    return build_reference(frames)
