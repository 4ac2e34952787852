"""The schema gate every write passes (`tmo.frame.validate`): duplicate keys are found
exactly, whether or not the hashes of two different keys meet."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo import frame as frame_module
from tmo.errors import SchemaError
from tmo.frame import validate

rows = st.lists(st.tuples(st.sampled_from(["MDA", "DEU", "ITA"]),
                          st.sampled_from(["MDA", "DEU", "ROU"]),
                          st.integers(2015, 2017)), max_size=12)


@given(rows)
@settings(max_examples=60, deadline=None)
def test_duplicated_is_pandas_duplicated(keys: list[tuple[str, str, int]]) -> None:
    frame = pd.DataFrame(keys, columns=["origin", "destination", "year"])
    key = ["origin", "destination", "year"]
    expected = frame.duplicated(key, keep=False)
    assert frame_module._duplicated(frame, key).tolist() == expected.tolist()


def test_colliding_hashes_are_not_duplicates(monkeypatch: pytest.MonkeyPatch) -> None:
    # every key hashes alike: the values themselves decide
    monkeypatch.setattr(pd.util, "hash_pandas_object",
                        lambda f, index=False: pd.Series([7] * len(f), dtype="uint64"))
    frame = pd.DataFrame({"origin": ["MDA", "DEU", "MDA"], "destination": ["ITA"] * 3,
                          "year": [2015, 2015, 2015]})
    assert frame_module._duplicated(frame, ["origin", "destination", "year"]).tolist() == [
        True, False, True]


def test_a_flows_frame_with_a_duplicate_key_is_refused() -> None:
    flows = pd.DataFrame({"revision": ["2024"] * 2, "method": ["da_pb_closed"] * 2,
                          "sex": ["total"] * 2, "period_start": [2015, 2015],
                          "period_end": [2020, 2020], "origin": ["MDA", "MDA"],
                          "destination": ["ITA", "ITA"], "flow": [1.0, 2.0]})
    with pytest.raises(SchemaError, match="duplicate keys"):
        validate("migration_flows", flows, source="test")
    assert len(validate("migration_flows", flows.iloc[:1], source="test")) == 1
