"""harmonize: published identifiers to area codes, unmatched values as findings."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

from tmo.countries import Reference, harmonize
from tmo.countries.registry import ALIASES, aliases, vocabularies

# the module, which the package's `harmonize` (the function) hides as an attribute
harmonize_module = importlib.import_module("tmo.countries.harmonize")


def test_m49_codes(reference: Reference) -> None:
    values = pd.Series([276, "276", 900, 2003, 830, 1834, 4.0])
    codes, findings = harmonize(values, "m49", reference.registry, source="t")
    assert codes.tolist() == ["DEU", "DEU", "UN:900", "OOO", "XCX", "UN:1834", "AFG"]
    assert findings == []


def test_world_bank_and_unhcr_codes(reference: Reference) -> None:
    reg = reference.registry
    codes, _ = harmonize(pd.Series(["DEU", "WLD", "XKX", "CHI", "KSV", "INX", "SSF"]), "wb", reg,
                         source="t")
    assert codes.tolist() == ["DEU", "WB:WLD", "XKX", "XCX", "XKX", "WB:INX", "WB:SSF"]
    codes, _ = harmonize(pd.Series(["SYR", "UNK", "XXA", "TIB", "STA"]), "unhcr", reg,
                         source="t")
    assert codes.tolist() == ["SYR", "OOO", "XXA", "TIB", "XXA"]
    codes, _ = harmonize(pd.Series(["DEU", "OOO", "XCX", "CHI"]), "iso3", reg, source="t")
    assert codes.tolist() == ["DEU", "OOO", "XCX", "XCX"]


def test_iso2_codes(reference: Reference) -> None:
    """ISO 3166 alpha-2 through the registry; Eurostat's EL and UK through iso2.tsv."""
    values = pd.Series(["DE", "GR", "EL", "GB", "UK", "NA", "gr", "QQ"])
    rows = pd.Series([str(i) for i in range(2, 10)])
    codes, findings = harmonize(values, "iso2", reference.registry, source="eurostat:origin",
                                rows=rows)
    assert codes.iloc[:7].tolist() == ["DEU", "GRC", "GRC", "GBR", "GBR", "NAM", "GRC"]
    assert pd.isna(codes.iloc[7])
    (finding,) = findings
    assert finding.check == "unmatched_code"
    assert finding.where == "eurostat:origin rows 9"
    assert "iso2 'QQ'" in finding.message


def test_unmatched_values_become_na_with_one_finding_each(reference: Reference) -> None:
    values = pd.Series(["Germany", "Atlantis", "France*", "Atlantis", None, "Narnia"])
    rows = pd.Series(["12", "13", "14", "15", "16", "17"])
    codes, findings = harmonize(values, "name", reference.registry, source="knomad:country",
                                vocabulary="worldbank", rows=rows)
    assert codes.iloc[[0, 2]].tolist() == ["DEU", "FRA"]
    assert codes.iloc[[1, 3, 4, 5]].isna().all()
    assert len(findings) == 3
    assert {f.severity for f in findings} == {"error"}
    atlantis = next(f for f in findings if "Atlantis" in f.message)
    assert atlantis.check == "unmatched_name"
    assert atlantis.source == "knomad:country"
    assert atlantis.where == "knomad:country rows 13, 15"
    assert "'Atlantis'" in atlantis.message
    assert "worldbank" in atlantis.message
    empty = next(f for f in findings if "empty" in f.message)
    assert empty.where == "knomad:country rows 16"


def test_unmatched_code_lists_at_most_five_rows(reference: Reference) -> None:
    values = pd.Series(["ZZZ"] * 8, index=range(100, 108))
    rows = pd.Series([str(i) for i in range(2, 10)], index=values.index)
    codes, findings = harmonize(values, "iso3", reference.registry, source="s", rows=rows)
    assert codes.isna().all()
    assert len(findings) == 1
    assert findings[0].check == "unmatched_code"
    assert findings[0].where == "s rows 2, 3, 4, 5, 6 and 3 more"


def test_keeps_the_index(reference: Reference) -> None:
    values = pd.Series(["DEU", "FRA"], index=[7, 3])
    codes, _ = harmonize(values, "iso3", reference.registry, source="s")
    assert codes.index.tolist() == [7, 3]


def test_a_million_rows_map_unique_values_once(reference: Reference,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    pool = np.array([c.iso3 for c in reference.registry.countries()])
    values = pd.Series(rng.choice(pool, 1_000_000))
    seen: list[str] = []
    real = harmonize_module.resolve

    def counted(value, *args, **kwargs):
        seen.append(value)
        return real(value, *args, **kwargs)

    monkeypatch.setattr(harmonize_module, "resolve", counted)
    codes, findings = harmonize(values, "iso3", reference.registry, source="s")
    assert sorted(seen) == sorted(set(values))  # each distinct value resolved once
    assert findings == []
    assert (codes == values).all()


def test_unknown_vocabulary_fails(reference: Reference) -> None:
    with pytest.raises(KeyError, match="no alias file"):
        harmonize(pd.Series(["France"]), "name", reference.registry, source="s",
                  vocabulary="nope")


@pytest.mark.parametrize("vocabulary", ["undesa", "worldbank", "unhcr", "iso2"])
def test_alias_files_point_at_known_areas(reference: Reference, vocabulary: str) -> None:
    reg = reference.registry
    assert vocabulary in vocabularies()
    unknown = {name: area for name, area in aliases(vocabulary).items()
               if reg.by_iso3(area) is None and reg.group_name(area) is None
               and not (area.startswith("UN:") and reg.area_for_m49(int(area[3:])) == area)}
    assert unknown == {}


def test_alias_files_are_hand_edited_tsv() -> None:
    for path in ALIASES.glob("*.tsv"):
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                 if ln.strip() and not ln.startswith("#")]
        assert lines[0] == "name\tarea", path
        assert all(len(ln.split("\t")) == 2 for ln in lines), path
        assert len(lines) < 200, f"{path}: an alias file lists variants, not a whole table"
