"""The reference tables built from the real files, and broken reference files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tmo.countries import Reference
from tmo.countries.loaders import read_country_codes, read_wup_capitals
from tmo.errors import SchemaError, SourceError
from tmo.sources.catalog import load_catalog

from ..conftest import shared_file


def test_countries_table(reference: Reference) -> None:
    c = reference.countries.set_index("iso3")
    assert c.loc["DEU", "m49"] == 276 and c.loc["DEU", "iso2"] == "DE"
    assert c.loc["DEU", "capital"] == "Berlin"
    assert c.loc["DEU", "capital_lat"] == pytest.approx(52.52437)
    assert c.loc["DEU", "sdg_region"] == "Europe and Northern America"
    assert c.loc["DEU", "wb_income"] == "High income"
    assert c.loc["NAM", "iso2"] == "NA"
    assert c.loc["MDA", "name_fr"] and c.loc["MDA", "name_es"]
    assert set(c.loc[c["kind"] == "special"].index) >= {"OOO", "XCX", "XKX"}
    assert not reference.countries["iso3"].duplicated().any()


def test_aggregates_are_apart_from_countries(reference: Reference) -> None:
    g = reference.country_groups
    assert g["group_code"].str.contains(":").all()
    world = g[g["group_code"] == "UN:900"]
    assert len(world) > 230 and world["group_type"].eq("world").all()
    germany = set(g.loc[g["member"] == "DEU", "group_code"])
    assert {"UN:926", "UN:908", "UN:1503"} <= germany  # Western Europe, Europe, high income
    assert not set(reference.countries["iso3"]) & set(g["group_code"])


def test_every_un_location_code_maps(reference: Reference) -> None:
    for rel in ("wpp2024/UNlocations.txt", "wpp2019/UNlocations.txt"):
        codes = pd.read_csv(shared_file(rel), sep="\t")["country_code"].astype(int)
        unmapped = [c for c in codes if reference.registry.area_for_m49(c) is None]
        assert unmapped == [], rel


def test_country_codes_missing_column(tmp_path: Path) -> None:
    src = pd.read_csv(shared_file("metadata/country-codes.csv"), dtype=str,
                      keep_default_na=False)
    broken = tmp_path / "country-codes.csv"
    src.drop(columns=["ISO3166-1-Alpha-3"]).to_csv(broken, index=False)
    with pytest.raises(SchemaError, match=r"country-codes.csv: missing columns \['ISO3166"):
        read_country_codes({"country-codes.csv": broken}, load_catalog()["countries_iso"])


def test_capitals_workbook_damaged(tmp_path: Path) -> None:
    broken = tmp_path / "WUP2014-F13-Capital_Cities.xls"
    broken.write_bytes(shared_file("metadata/WUP2014-F13-Capital_Cities.xls").read_bytes()[:5000])
    with pytest.raises(SourceError, match="WUP2014-F13-Capital_Cities.xls: cannot read"):
        read_wup_capitals({broken.name: broken}, load_catalog()["wup_capitals"])
