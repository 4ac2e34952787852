"""`tmo remittances` over the fixture store, whose hand-made figures
(tests/fixture_store/figures.py: RPW, BILATERAL_2017) give every expected value by hand."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmo.cli import cli


@pytest.fixture(scope="module")
def run(fixture_store: Path):
    def invoke(*args: str):
        return CliRunner().invoke(cli, ["remittances", *args, "--db", str(fixture_store)])
    return invoke


def test_sdg_json_counts_the_quarter(run) -> None:
    result = run("sdg", "--quarter", "2020Q3", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    # 2020Q3: DEU-MDA 4.5, ITA-MDA 4.0, USA-PHL 3.0, DEU-ROU 3.5
    assert (doc["priced"], doc["above_5"], doc["at_or_below_3"], doc["between"]) == \
        (4, 0, 1, 3)
    assert doc["average_pct"] == pytest.approx((4.5 + 4.0 + 3.0 + 3.5) / 4)
    assert [c["receiver"] for c in doc["corridors_at_or_below_3"]] == ["PHL"]
    assert doc["source"]["files"] == ["rpw_corridors_databank_2011Q1-2020Q3.csv"]


def test_sdg_of_an_unpublished_quarter_is_one_line(run) -> None:
    result = run("sdg", "--quarter", "2031Q1")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: quarter '2031Q1' is not in the Remittance Prices Worldwide series",
        "hint: quarters 2011Q1 to 2020Q3"]


def test_corridor_fees_state_the_differing_years(run) -> None:
    result = run("corridor", "DEU", "MDA", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [p["cost_pct"] for p in doc["series"]] == [6.0, 5.5, 5.0, 4.5]
    assert doc["quarters_above_5"] == ["2019Q4", "2020Q1"]
    assert doc["trend"]["slope_pp_per_year"] == pytest.approx(-2.0)  # -0.5 a quarter
    fees = doc["fees"]
    # US$ 50 million in 2017; the nearest priced year is 2019 (one quarter, 6 %)
    assert (fees["volume_year"], fees["cost_year"]) == (2017, 2019)
    assert fees["fees"] == pytest.approx(50e6 * 0.06)
    assert fees["saved_at_5"] == pytest.approx(50e6 * 0.01)
    assert fees["saved_at_3"] == pytest.approx(50e6 * 0.03)
    assert fees["note"] == "volume of 2017, cost of 2019"


def test_corridor_table_and_csv(run) -> None:
    table = run("corridor", "Germany", "Moldova")
    assert table.exit_code == 0, table.output
    assert "2019Q4    6.00 %  above 5 %" in table.output
    assert "(the years differ)" in table.output
    rows = list(csv.DictReader(io.StringIO(run("corridor", "DEU", "MDA", "--format",
                                               "csv").output)))
    assert [r["period"] for r in rows] == ["2019Q4", "2020Q1", "2020Q2", "2020Q3"]
    assert {r["src_file"] for r in rows} == {"rpw_corridors_databank_2011Q1-2020Q3.csv"}


def test_country_weighted_average_and_light(run) -> None:
    doc = json.loads(run("country", "MDA", "--format", "json").output)
    side = doc["as_receiver"]
    assert side["average_pct"] == pytest.approx(4.25)
    assert side["weighted_pct"] == pytest.approx((4.5 * 50 + 4.0 * 300) / 350)
    assert side["light"] == "amber"  # average above 3 %, no corridor above 5 %
    # fees: DEU 50 M x 6 % (2019) + ITA 300 M x 4 % (2020, nearest to 2017)
    assert side["fees"]["fees"] == pytest.approx(3e6 + 12e6)
    assert doc["as_sender"]["light"] == "grey"


def test_unknown_country_is_one_line(run) -> None:
    result = run("corridor", "XYZ", "MDA")
    assert result.exit_code == 1
    assert result.output.startswith("error: unknown country 'XYZ'")


def test_all_series_equal_each_corridor(fixture_store: Path) -> None:
    from tmo.remittances import data as rdata
    from tmo.remittances import report
    from tmo.store.query import connect

    con = connect(fixture_store)
    try:
        data = rdata.load(con)
    finally:
        con.close()
    every = report.all_series(data)
    assert [(c["sender"], c["receiver"]) for c in every] == report.corridors(data)
    for found in every:
        one = report.corridor(data, found["sender"], found["receiver"])
        for key in ("series", "quarters_above_5", "quarters_at_or_below_3"):
            assert found[key] == one[key]
        assert found["average_pct"] == pytest.approx(one["average_pct"])
        assert found["trend"]["first"] == one["trend"]["first"]
        assert found["trend"]["last"] == one["trend"]["last"]
        slope = one["trend"]["slope_pp_per_year"]
        if slope is None:
            assert found["trend"]["slope_pp_per_year"] is None
        else:
            assert found["trend"]["slope_pp_per_year"] == pytest.approx(slope)


def test_sdg_trend_and_world(run) -> None:
    rows = list(csv.DictReader(io.StringIO(run("sdg", "--trend", "--format", "csv").output)))
    # quarters published in the fixture: 2011Q1 (USA-PHL 5.0), 2019Q4 (DEU-MDA 6.0),
    # 2020Q1-Q3
    assert [(r["period"], r["priced"], r["above_5"], r["at_or_below_3"]) for r in rows] == [
        ("2011Q1", "1", "0", "0"), ("2019Q4", "1", "1", "0"), ("2020Q1", "2", "1", "0"),
        ("2020Q2", "2", "0", "0"), ("2020Q3", "4", "0", "1")]
    world = run("world")
    assert world.exit_code == 0, world.output
    assert world.output.startswith("2020Q3: 4 corridors priced, average 3.75 %")
