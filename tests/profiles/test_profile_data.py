"""Profile figures equal the published figures, derived here from the files themselves;
the profile's behaviour (errors, names, an older store) on the fixture store."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tmo.cli import cli
from tmo.errors import CountryNotFound, NotFound
from tmo.profiles.context import build_profile

from ..conftest import shared_file


@pytest.fixture(scope="module")
def od2024() -> pd.DataFrame:
    frame = pd.read_csv(shared_file("undesa_ims/od_gdidata/ims2024_od_by_sex_long.csv.gz"))
    summed: pd.DataFrame = frame.groupby(["year", "orig_iso3", "dest_iso3"],
                                         as_index=False)[["stock"]].sum()
    return summed


@pytest.fixture(scope="module")
def moldova(profile_store: Path) -> dict:
    return dict(build_profile(profile_store, "MDA"))


def fig(profile: dict, section: str, key: str) -> dict:
    return profile[section]["figures"][key]


def test_defaults_are_the_latest_revision_and_year(moldova: dict) -> None:
    assert moldova["revision"] == "2024"
    assert moldova["year"] == 2024
    assert moldova["years"] == [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024]


def test_immigrants_equal_the_destination_total(od2024: pd.DataFrame, moldova: dict) -> None:
    published = od2024[(od2024.year == 2024) & (od2024.dest_iso3 == "MDA")]["stock"].sum()
    imm = fig(moldova, "immigration", "immigrant_stock")
    assert imm["value"] == published
    src = imm["sources"][0]
    assert src["files"] == ["undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"]
    assert "destination = 'MDA'" in src["filter"]


def test_emigrants_equal_the_sum_over_destinations(od2024: pd.DataFrame, moldova: dict) -> None:
    rows = od2024[(od2024.year == 2024) & (od2024.orig_iso3 == "MDA")]
    assert fig(moldova, "emigration", "emigrant_stock")["value"] == rows["stock"].sum()
    top = fig(moldova, "emigration", "top_destinations")["detail"]["ranking"][0]
    best = rows.sort_values("stock").iloc[-1]
    assert (top["area"], top["stock"]) == (best.dest_iso3, best.stock)
    share = 100 * best.stock / rows["stock"].sum()
    assert top["share_pct"] == pytest.approx(share)
    hhi = ((rows["stock"] / rows["stock"].sum()) ** 2).sum()
    assert fig(moldova, "emigration", "diaspora_dispersion")["value"] == pytest.approx(hhi)


def test_shares_match_the_published_table_3(moldova: dict, profile_store: Path) -> None:
    from tmo.store.query import sql

    published = sql(profile_store, """SELECT value FROM ims_indicator WHERE revision = '2024'
        AND indicator = 'migrant_share_pct' AND area = 'MDA' AND period = '2024'
        AND sex = 'total'""")["value"].item()
    assert fig(moldova, "immigration", "immigrant_share")["value"] == pytest.approx(published,
                                                                                   rel=1e-6)


def test_net_position_and_corridors(moldova: dict) -> None:
    imm = fig(moldova, "immigration", "immigrant_stock")["value"]
    emi = fig(moldova, "emigration", "emigrant_stock")["value"]
    assert moldova["net_position"]["value"] == imm - emi
    first = moldova["corridors"][0]
    assert first["immigrants_from"] + first["emigrants_to"] >= \
        moldova["corridors"][1]["immigrants_from"] + moldova["corridors"][1]["emigrants_to"]


def test_corridor_trend_in_both_directions(od2024: pd.DataFrame, moldova: dict) -> None:
    partner = moldova["corridors"][0]["partner"]
    trend = moldova["corridor_trends"][0]
    for orig, dest in (("MDA", partner), (partner, "MDA")):
        expected = od2024[(od2024.orig_iso3 == orig) & (od2024.dest_iso3 == dest)]
        got = {r["year"]: r["total"] for r in trend[f"{orig}->{dest}"]["trend"]}
        assert got == dict(zip(expected["year"], expected["stock"], strict=True))


def test_refugees_and_remittances_from_their_sources(moldova: dict) -> None:
    from tmo.sources.io import read_rda

    pop = read_rda(shared_file("unhcr/population.rda"), "population",
                   ["year", "coa_iso", "coo_iso", "refugees"])
    hosted = fig(moldova, "refugees", "refugees_hosted")
    year = hosted["year"]
    assert hosted["value"] == pop[(pop.year == year) & (pop.coa_iso == "MDA")]["refugees"].sum()
    received = fig(moldova, "remittances", "remittances_received")
    assert received["value"] > 1e9
    assert received["sources"][0]["view"] == "remittances"
    wdi = read_rda(shared_file("wpp2024/gdidata_wdi.rda"), "wdi", ["geo", "var", "t", "v"])
    gdp = wdi[(wdi.geo == "MDA") & (wdi["var"] == "gdp") & (wdi.t == received["year"])]["v"]
    share = fig(moldova, "remittances", "remittances_gdp_share")
    assert share["value"] == pytest.approx(100 * received["value"] / gdp.item())


def test_every_figure_carries_its_source(moldova: dict) -> None:
    for section in ("immigration", "emigration", "refugees", "remittances"):
        for key, figure in moldova[section]["figures"].items():
            assert figure["sources"], (section, key)
            for src in figure["sources"]:
                assert src["files"], (section, key)
                assert src["view"], (section, key)
                assert src["revision"], (section, key)


def test_2020_revision_is_separate(profile_store: Path) -> None:
    old = build_profile(profile_store, "DEU", 2020, "2020")
    new = build_profile(profile_store, "DEU", 2020, "2024")
    assert old["immigration"]["figures"]["immigrant_stock"]["value"] \
        != new["immigration"]["figures"]["immigrant_stock"]["value"]


def test_markdown_in_spanish(profile_store: Path) -> None:
    res = CliRunner().invoke(cli, ["profile", "MDA", "--db", str(profile_store), "--format",
                                   "md", "--lang", "es"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("# Perfil migratorio: República de Moldova")
    assert "864.257" in res.output  # Spanish thousands separator


# ------------------------------------------------ behaviour, on the fixture store
# (hand-made figures: tests/fixture_store/figures.py)

def test_2020_revision_is_separate_by_hand(fixture_store: Path) -> None:
    old = build_profile(fixture_store, "DEU", 2020, "2020")
    new = build_profile(fixture_store, "DEU", 2020, "2024")
    assert old["immigration"]["figures"]["immigrant_stock"]["value"] == 88_000  # x 8/10
    assert new["immigration"]["figures"]["immigrant_stock"]["value"] == 99_000  # x 9/10


def test_unknown_year_and_revision(fixture_store: Path) -> None:
    with pytest.raises(NotFound, match="year 2023 is not an estimate year"):
        build_profile(fixture_store, "MDA", 2023)
    with pytest.raises(NotFound, match="revision '2017'"):
        build_profile(fixture_store, "MDA", None, "2017")


def test_cli_accepts_names_and_suggests(fixture_store: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(cli, ["profile", "Moldova", "--db", str(fixture_store)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["country"]["iso3"] == "MDA"
    assert data["practices"]
    assert any(p["id"] == "mda-out-of-country-voting" for p in data["practices"])
    res = runner.invoke(cli, ["profile", "Moldavia", "--db", str(fixture_store)])
    assert res.exit_code == 1
    assert "closest matches: Moldova (MDA)" in res.output
    assert issubclass(CountryNotFound, Exception)


def test_markdown_in_spanish_by_hand(fixture_store: Path) -> None:
    res = CliRunner().invoke(cli, ["profile", "MDA", "--db", str(fixture_store), "--format",
                                   "md", "--lang", "es"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("# Perfil migratorio: República de Moldova")
    assert "90.000" in res.output  # MDA's emigrants, with the Spanish thousands separator


def test_a_store_from_an_older_version_gives_a_hint(fixture_store: Path, tmp_path: Path) -> None:
    import shutil

    import duckdb

    old = tmp_path / "old.duckdb"
    shutil.copy(fixture_store, old)
    con = duckdb.connect(str(old))
    con.execute("DROP VIEW gdp")
    con.close()
    with pytest.raises(NotFound, match="lacks a view") as err:
        build_profile(old, "MDA")
    assert "tmo build" in (err.value.hint or "")
