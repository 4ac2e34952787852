"""Remittance figures of the real store against expectations computed here with plain
pandas from the official files: Remittance Prices Worldwide's corridor CSV and the World
Bank's 2017 bilateral remittance matrix (names only, matched here by hand)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tmo.remittances import data as rdata
from tmo.remittances import report
from tmo.store.query import connect

from ..conftest import shared_file

RPW = "remittance_prices/rpw_corridors_databank_2011Q1-2020Q3.csv"
MATRIX = "remittances/WB_Bilateral_Remittance_Estimates_2017.xlsx"


@pytest.fixture(scope="module")
def rpw() -> pd.DataFrame:
    """The RPW file as published: one row per corridor, '..' = no figure."""
    raw = pd.read_csv(shared_file(RPW), encoding="utf-8-sig", dtype=str,
                      keep_default_na=False)
    raw = raw[raw["Series Code"] == "ATCR.CORR"]
    cols = [c for c in raw.columns if "[YR" in c]
    values = raw[cols].replace("..", np.nan).apply(pd.to_numeric)
    values.columns = [c[:6] for c in cols]
    values.insert(0, "sender", raw["Sending Countries Code"])
    values.insert(1, "receiver", raw["Receiving Countries  Code"])
    return values


@pytest.fixture(scope="module")
def matrix() -> pd.DataFrame:
    """The bilateral matrix, US$ million: rows sending (down), columns receiving (across)."""
    return pd.read_excel(shared_file(MATRIX), sheet_name="Bilateral_Remittances_2017",
                         header=1, index_col=0)


@pytest.fixture(scope="module")
def remit(store: Path) -> rdata.RemittanceData:
    con = connect(store)
    try:
        return rdata.load(con)
    finally:
        con.close()


def cell(frame: pd.DataFrame, row: str, column: str) -> float:
    """One figure of the matrix (US$ million)."""
    value: Any = frame.loc[row, column]
    return float(value)


def corridor_row(rpw: pd.DataFrame, sender: str, receiver: str) -> pd.Series:
    found = rpw[(rpw["sender"] == sender) & (rpw["receiver"] == receiver)]
    assert len(found) == 1
    return found.iloc[0].drop(["sender", "receiver"]).dropna().astype(float)


@pytest.mark.parametrize("quarter", ["2020Q3", "2016Q2", "2011Q1"])
def test_sdg_counts_equal_the_file(rpw: pd.DataFrame, remit: rdata.RemittanceData,
                                   quarter: str) -> None:
    column = rpw[quarter].dropna()
    got = report.sdg(remit, quarter)
    assert got["priced"] == len(column)
    assert got["above_5"] == int((column > 5).sum())
    assert got["at_or_below_3"] == int((column <= 3).sum())
    assert got["average_pct"] == pytest.approx(column.mean())


def test_sdg_2020q3_by_hand_count(remit: rdata.RemittanceData) -> None:
    # counted in the CSV's 2020Q3 column: 367 figures, 241 above 5, 26 at or below 3
    got = report.sdg(remit, "2020Q3")
    assert (got["priced"], got["above_5"], got["at_or_below_3"]) == (367, 241, 26)


@pytest.mark.parametrize(("sender", "receiver"), [("USA", "MEX"), ("ESP", "COL"),
                                                  ("ZAF", "ZWE")])
def test_a_corridors_series_average_and_trend(rpw: pd.DataFrame, remit: rdata.RemittanceData,
                                              sender: str, receiver: str) -> None:
    row = corridor_row(rpw, sender, receiver)
    got = report.corridor(remit, sender, receiver)
    assert [p["period"] for p in got["series"]] == list(row.index)
    assert [p["cost_pct"] for p in got["series"]] == pytest.approx(list(row))
    assert got["average_pct"] == pytest.approx(row.mean())
    t = [int(p[:4]) + (int(p[5]) - 1) / 4 for p in row.index]
    assert got["trend"]["slope_pp_per_year"] == pytest.approx(np.polyfit(t, row, 1)[0])
    assert got["quarters_above_5"] == [p for p, v in row.items() if v > 5]


def test_fees_lost_in_the_united_states_mexico_corridor(
        rpw: pd.DataFrame, matrix: pd.DataFrame, remit: rdata.RemittanceData) -> None:
    row = corridor_row(rpw, "USA", "MEX")
    cost_2017 = row[[p for p in row.index if p.startswith("2017")]].mean()
    volume = cell(matrix, "United States", "Mexico") * 1e6
    fees = report.corridor(remit, "USA", "MEX")["fees"]
    assert fees["volume_year"] == fees["cost_year"] == 2017
    assert fees["usd"] == pytest.approx(volume)
    assert fees["fees"] == pytest.approx(volume * cost_2017 / 100)
    assert fees["saved_at_3"] == pytest.approx(volume * (cost_2017 - 3) / 100)
    assert fees["note"] is None
    assert next(s["rows"] for s in fees["sources"]) == ["206"]  # the matrix's United States


# Names of the matrix for the senders to the Philippines priced in 2020Q3 (RPW codes).
MATRIX_NAMES = {"ARE": "United Arab Emirates", "AUS": "Australia", "CAN": "Canada",
                "DEU": "Germany", "GBR": "United Kingdom", "ITA": "Italy", "JPN": "Japan",
                "KOR": "Korea, Rep.", "KWT": "Kuwait", "NZL": "New Zealand",
                "QAT": "Qatar", "SAU": "Saudi Arabia", "SGP": "Singapore",
                "USA": "United States", "ESP": "Spain", "FRA": "France",
                "HKG": "Hong Kong SAR, China", "MYS": "Malaysia", "OMN": "Oman",
                "TWN": "Taiwan, China", "BHR": "Bahrain", "CHE": "Switzerland"}


def test_a_countrys_volume_weighted_average(rpw: pd.DataFrame, matrix: pd.DataFrame,
                                            remit: rdata.RemittanceData) -> None:
    now = rpw[(rpw["receiver"] == "PHL")][["sender", "2020Q3"]].dropna()
    assert set(now["sender"]) <= set(MATRIX_NAMES)
    weights = [cell(matrix, MATRIX_NAMES[s], "Philippines") for s in now["sender"]]
    expected = float(np.average(now["2020Q3"], weights=weights))
    got = report.country(remit, "PHL")["as_receiver"]
    assert got["latest_quarter"] == "2020Q3"
    assert got["priced_now"] == len(now)
    assert got["average_pct"] == pytest.approx(now["2020Q3"].mean())
    assert got["weighted_pct"] == pytest.approx(expected)
    last = next(a for a in got["averages"] if a["period"] == "2020Q3")
    assert last["weighted"] == pytest.approx(expected)


def test_the_worlds_fees_add_up_the_corridors(remit: rdata.RemittanceData) -> None:
    world = report.world(remit)
    rows = remit.fee_rows
    assert world["fees"]["fees"] == pytest.approx(rows["fees"].sum())
    assert world["fees"]["corridors"] == len(rows)
    assert world["latest"]["period"] == "2020Q3"
    assert 0 < world["fees"]["saved_at_5"] < world["fees"]["saved_at_3"] < \
        world["fees"]["fees"]


def test_the_docs_quote_the_computed_global_averages(remit: rdata.RemittanceData) -> None:
    """docs/remittances.md's comparison with the World Bank's published averages quotes
    the averages tmo computes; they must stay those of the store."""
    from ..conftest import REPO

    doc = (REPO / "docs" / "remittances.md").read_text(encoding="utf-8")
    by_quarter = {q["period"]: q for q in report.sdg_counts(remit)}
    for quarter in ("2016Q3", "2017Q1", "2020Q3"):
        q = by_quarter[quarter]
        row = next(line for line in doc.splitlines() if line.startswith(f"| {quarter} |"))
        assert f"{q['average_pct']:.2f} % ({q['priced']})" in row, quarter
        assert f"{q['weighted_pct']:.2f} %" in row, quarter
