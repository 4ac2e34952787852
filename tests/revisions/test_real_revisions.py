"""The stored revision comparison of the real build (IMS 2020 against 2024) against
figures computed here with plain pandas from the official files."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from ..conftest import shared_file

DEST = "undesa_ims/official/undesa_pd_{rev}_ims_stock_by_sex_and_destination.xlsx"
OD = "undesa_ims/od_gdidata/ims{rev}_od_by_sex_long.csv.gz"


@pytest.fixture(scope="module")
def od() -> dict[str, pd.DataFrame]:
    return {rev: pd.read_csv(shared_file(OD.format(rev=rev))) for rev in ("2020", "2024")}


def world_2020(rev: str) -> tuple[float, float, float]:
    """World (Location code 900) in 2020: both sexes, males, females (Table 1)."""
    table = pd.read_excel(shared_file(DEST.format(rev=rev)), sheet_name="Table 1", header=10)
    row = table[table["Location code"] == 900].iloc[0]
    return float(row[2020]), float(row["2020.1"]), float(row["2020.2"])


@pytest.fixture(scope="module")
def con(store: Path):
    c = duckdb.connect(str(store), read_only=True)
    yield c
    c.close()


def stored(con, **where: object) -> tuple[float, float, float, float]:
    clause = " AND ".join(f"{k} = ?" for k in where)
    row = con.execute("SELECT old_value, new_value, change, relative FROM revision_changes "
                      f"WHERE dataset = 'IMS' AND old_revision = '2020' AND "
                      f"new_revision = '2024' AND {clause}", list(where.values())).fetchall()
    assert len(row) == 1, (where, row)
    return row[0]


def test_world_2020_revised_from_280_6_to_275_3_million(con) -> None:
    old, new = world_2020("2020"), world_2020("2024")
    assert round(old[0] / 1e6, 1) == 280.6
    assert round(new[0] / 1e6, 1) == 275.3
    for i, sex in enumerate(("total", "male", "female")):
        got = stored(con, level="world", area="UN:900", measure="immigrants", sex=sex,
                     year=2020)
        assert got[:3] == (old[i], new[i], new[i] - old[i])
        assert got[3] == pytest.approx(100 * (new[i] - old[i]) / old[i])


def test_turkiye_born_in_germany_2020(con, od: dict[str, pd.DataFrame]) -> None:
    def corridor(rev: str) -> float:
        f = od[rev]
        return float(f[(f["year"] == 2020) & (f["orig_iso3"] == "TUR")
                       & (f["dest_iso3"] == "DEU")]["stock"].sum())
    old, new = corridor("2020"), corridor("2024")
    assert round(old / 1e6, 2) == 1.84
    assert round(new / 1e6, 2) == 1.33
    got = stored(con, level="corridor", area="DEU", partner="TUR", measure="stock",
                 sex="total", year=2020)
    assert got[:3] == (old, new, new - old)


def test_emigrants_and_every_corridor_of_a_country(con, od: dict[str, pd.DataFrame]) -> None:
    """Moldova's emigrants (sum over destinations, each sex) and each of its corridors in
    every common year, against the official origin-destination tables."""
    frames = {rev: f[f["orig_iso3"] == "MDA"] for rev, f in od.items()}
    for year in (1990, 2005, 2020):
        for sex in ("female", "male"):
            old = frames["2020"][(frames["2020"]["year"] == year)
                                 & (frames["2020"]["sex"] == sex)]["stock"].sum()
            new = frames["2024"][(frames["2024"]["year"] == year)
                                 & (frames["2024"]["sex"] == sex)]["stock"].sum()
            got = stored(con, level="country", area="MDA", measure="emigrants", sex=sex,
                         year=year)
            assert got[:2] == (old, new)
    old_2020, new_2020 = (f[f["year"] == 2020].groupby("dest_iso3")["stock"].sum()
                          for f in frames.values())
    pairs = pd.merge(old_2020, new_2020, left_index=True, right_index=True, how="outer",
                     suffixes=("_old", "_new"))
    rows = con.execute("SELECT area, old_value, new_value FROM revision_changes WHERE "
                       "dataset = 'IMS' AND level = 'corridor' AND partner = 'MDA' AND "
                       "sex = 'total' AND year = 2020").df().set_index("area")
    expected = pairs.rename(columns={"stock_old": "old_value", "stock_new": "new_value"})
    pd.testing.assert_frame_equal(rows.sort_index(), expected.sort_index(),
                                  check_names=False, check_dtype=False)


def test_changes_json_has_the_world_and_a_country(store: Path) -> None:
    from tmo.cli import cli

    res = CliRunner().invoke(cli, ["changes", "--db", str(store), "--country", "deu",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    ims = next(p for p in doc["pairs"] if p["dataset"] == "IMS")
    world = {(r["sex"], r["year"]): r for r in ims["world"] if r["measure"] == "immigrants"}
    assert world[("total", 2020)]["old_value"] == world_2020("2020")[0]
    tur = [r for r in ims["country"]["corridors"]
           if r["partner"] == "TUR" and r["year"] == 2020 and r["sex"] == "total"]
    assert tur[0]["new_value"] == 1_326_045
    assert {p["dataset"] for p in doc["pairs"]} == {"IMS", "WPP"}
