"""The reference tables built from the real files (`tmo.countries.build_reference`);
the reference-file adapters and broken files are tested in tests/sources/test_reference.py."""

from __future__ import annotations

import pandas as pd
import pytest

from tmo.countries import Reference

from ..conftest import shared_file


def test_countries_table(reference: Reference) -> None:
    c = reference.countries.set_index("iso3")
    assert c.loc["DEU", "m49"] == 276
    assert c.loc["DEU", "iso2"] == "DE"
    assert c.loc["DEU", "capital"] == "Berlin"
    assert c.loc["DEU", "capital_lat"] == pytest.approx(52.52437)
    assert c.loc["DEU", "sdg_region"] == "Europe and Northern America"
    assert c.loc["DEU", "wb_income"] == "High income"
    assert c.loc["NAM", "iso2"] == "NA"
    assert c.loc["MDA", "name_fr"]
    assert c.loc["MDA", "name_es"]
    assert set(c.loc[c["kind"] == "special"].index) >= {"OOO", "XCX", "XKX"}
    assert not reference.countries["iso3"].duplicated().any()


def test_aggregates_are_apart_from_countries(reference: Reference) -> None:
    g = reference.country_groups
    assert g["group_code"].str.contains(":").all()
    world = g[g["group_code"] == "UN:900"]
    assert len(world) > 230
    assert world["group_type"].eq("world").all()
    germany = set(g.loc[g["member"] == "DEU", "group_code"])
    assert {"UN:926", "UN:908", "UN:1503"} <= germany  # Western Europe, Europe, high income
    assert not set(reference.countries["iso3"]) & set(g["group_code"])


def test_every_un_location_code_maps(reference: Reference) -> None:
    for rel in ("wpp2024/UNlocations.txt", "wpp2019/UNlocations.txt"):
        codes = pd.read_csv(shared_file(rel), sep="\t")["country_code"].astype(int)
        unmapped = [c for c in codes if reference.registry.area_for_m49(c) is None]
        assert unmapped == [], rel


def test_group_types(reference: Reference) -> None:
    g = reference.country_groups.drop_duplicates("group_code").set_index("group_code")
    expected = {"UN:900": "world", "UN:926": "un_subregion", "UN:908": "un_region",
                "UN:1829": "sdg_region", "UN:941": "development_group",
                "UN:1503": "income_group_un", "WB:WLD": "wb_other", "WB:HIC": "wb_income",
                "WB:LMY": "wb_income", "WB:SSF": "wb_region", "WB:IDA": "wb_lending"}
    assert {c: g.loc[c, "group_type"] for c in expected} == expected
    assert g.loc["UN:900", "group_name"] == "World"
    assert g.loc["UN:904", "group_name"] == "Latin America and the Caribbean"


def test_groups_without_members_are_listed_once(reference: Reference) -> None:
    g = reference.country_groups
    rows = g[g["group_code"] == "WB:INX"]  # used by WDI, absent from CLASS
    assert len(rows) == 1
    assert (rows["member"] == "").all()  # an empty member, never NULL
    assert g["member"].notna().all()
    # named only in the annex header, with members
    assert g.loc[g["group_code"] == "UN:1518", "member"].ne("").sum() > 10
    assert g.groupby("group_code")["member"].apply(lambda m: m.eq("").any() and len(m) > 1
                                                   ).sum() == 0
    # the CLASS "Groups" sheet lists the OECD members twice: each member is kept once
    assert not g.duplicated(["group_code", "member"]).any()
    assert g.loc[g["group_code"] == "WB:OED", "member"].nunique() == \
        (g["group_code"] == "WB:OED").sum()


def test_world_bank_codes_become_special_codes(reference: Reference) -> None:
    c = reference.countries.set_index("iso3")
    assert c.loc["XCX", "wb_name"] == "Channel Islands"
    assert c.loc["XKX", "wb_income"]
    g = reference.country_groups
    assert {"XCX", "XKX"} <= set(g.loc[g["group_code"] == "WB:HIC", "member"]) | set(
        g.loc[g["group_code"] == "WB:UMC", "member"])
    assert not g["member"].isin(["CHI", "KSV"]).any()


def test_flags_and_regions(reference: Reference) -> None:
    c = reference.countries.set_index("iso3")
    assert c.loc["AFG", "ldc"]
    assert c.loc["AFG", "lldc"]
    assert not c.loc["AFG", "sids"]
    assert c.loc["FJI", "sids"]
    assert not c.loc["DEU", "ldc"]
    assert c.loc["BRA", "intermediate_region"] == "South America"
    assert c.loc["BRA", "wb_region"] == "Latin America & Caribbean"
    assert c.loc["TUR", "un_name"] == "Turkey"  # IMS 2020 annex spelling


@pytest.mark.parametrize(("iso3", "capital", "kind"), [
    ("BEN", "Porto-Novo", "Constitutional Capital"), ("BOL", "Sucre", "Constitutional Capital"),
    ("ZAF", "Pretoria", "Administrative Capital"), ("NLD", "Amsterdam", "Capital"),
    ("CIV", "Yamoussoukro", "Capital"), ("LKA", "Colombo", "Capital"),
    ("XCX", "St. Helier", "Capital"),
])
def test_official_capital(reference: Reference, iso3: str, capital: str, kind: str) -> None:
    c = reference.countries.set_index("iso3")
    assert (c.loc[iso3, "capital"], c.loc[iso3, "capital_type"]) == (capital, kind)


def test_capital_coordinates_borrowed_by_city_name(reference: Reference) -> None:
    lat = reference.countries.set_index("iso3")["capital_lat"]
    assert lat.loc["JEY"] == lat.loc["XCX"]  # Saint Helier
    assert lat.loc["GGY"] == pytest.approx(49.4598)  # St Peter Port
    assert pd.isna(lat.loc["ATA"])


@pytest.mark.parametrize(("m49", "area"), [
    (2003, "OOO"), (830, "XCX"), (412, "XKX"), (688, "SRB"), (729, "SDN"), (728, "SSD"),
    (534, "SXM"), (535, "BES"), (531, "CUW"), (530, "ANT"), (900, "UN:900"),
    (1834, "UN:1834"), (5503, "UN:5503"), (680, None), (999, "UN:999"),
])
def test_m49_quirks(reference: Reference, m49: int, area: str | None) -> None:
    assert reference.registry.area_for_m49(m49) == area
