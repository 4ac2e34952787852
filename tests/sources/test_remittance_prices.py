"""Remittance Prices Worldwide corridors CSV and WDI sending-cost adapters."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import shared_file
from tmo.errors import SchemaError
from tmo.frame import validate
from tmo.sources.catalog import source
from tmo.sources.remittance_prices import RPW, read_rpw_corridors, read_wdi_costs


def _rpw() -> dict[str, Path]:
    return {RPW: shared_file(f"remittance_prices/{RPW}")}


def test_rpw_published_figures():
    out = read_rpw_corridors(_rpw(), source("rpw_corridors"))
    frame = validate("remittance_costs", out.tables["remittance_costs"], source="rpw")
    assert out.geo == {"remittance_costs": {"sender": "wb", "receiver": "wb"}}
    usa_mex = frame[(frame.sender == "USA") & (frame.receiver == "MEX")].set_index("period")
    for period, cost in {"2011Q1": 5.01, "2013Q1": 5.32, "2015Q3": 5.59, "2018Q1": 4.43}.items():
        assert usa_mex.loc[period, "cost_pct"] == pytest.approx(cost, abs=0.005)
    assert usa_mex.loc["2011Q1", "year"] == 2011
    assert frame["period"].str.fullmatch(r"20\d\dQ[1-4]").all()
    assert not frame["sender"].str.contains("Data from|Last Updated").any()
    assert [f.check for f in out.findings] == ["negative_cost"]  # 5 published cells < 0


CORNER = ("Sending Countries Name,Sending Countries Code,Series Name,Series Code,"
          "Receiving Countries  Name,Receiving Countries  Code,2011Q1 [YR2011Q1],"
          "2011Q3 [YR2011Q3]")
ROW = "United States,USA,Average Total Cost to remit in corridor,ATCR.CORR,Mexico,MEX,{},.."
TRAILER = ",,,,,,,\n,,,,,,,\nData from database: RPW,,,,,,,\nLast Updated: 12/07/2020,,,,,,,\n"


def _write(tmp_path: Path, text: str) -> dict[str, Path]:
    path = tmp_path / RPW
    path.write_text("\ufeff" + text, encoding="utf-8")
    return {RPW: path}


def test_rpw_hand_made(tmp_path):
    files = _write(tmp_path, CORNER + "\n" + ROW.format("5.01") + "\n" + TRAILER)
    frame = read_rpw_corridors(files, source("rpw_corridors")).tables["remittance_costs"]
    assert frame[["period", "sender", "receiver", "cost_pct", "src_row"]].values.tolist() == [
        ["2011Q1", "USA", "MEX", 5.01, "2"]]


def test_rpw_broken(tmp_path):
    spec = source("rpw_corridors")
    with pytest.raises(SchemaError, match="missing columns"):
        read_rpw_corridors(_write(tmp_path, CORNER.replace("  Code", " Code") + "\n"
                                  + ROW.format("5") + "\n" + TRAILER), spec)
    with pytest.raises(SchemaError, match="truncated"):
        read_rpw_corridors(_write(tmp_path, CORNER + "\n" + ROW.format("5") + "\n"), spec)
    with pytest.raises(SchemaError, match=r"row 2 column 2011Q1 \[YR2011Q1\]: 'five'"):
        read_rpw_corridors(_write(tmp_path, CORNER + "\n" + ROW.format("five") + "\n"
                                  + TRAILER), spec)


@pytest.mark.filterwarnings("ignore:The xlrd engine")
def test_wdi_costs():
    spec = source("wdi_remittance_costs")
    files = {f.name: shared_file(f"remittance_prices/{f.name}") for f in spec.editions[0].files}
    out = read_wdi_costs(files, spec)
    frame = validate("remittance_cost_country", out.tables["remittance_cost_country"],
                     source="wdi")
    assert set(frame["direction"]) == {"to", "from"}
    assert frame["year"].between(2011, 2022).all()
    raw = pd.read_excel(files[next(iter(files))], sheet_name="Data", header=3)
    raw.columns = [str(c).removesuffix(".0") for c in raw.columns]
    mex = raw.set_index("Country Code").loc["MEX", "2020"]
    got = frame[(frame.country == "MEX") & (frame.year == 2020) & (frame.direction == "to")]
    assert got["cost_pct"].tolist() == [mex]


# ------------------------------------------- negative costs: kept, one warning per file

def test_rpw_negative_cost_is_kept_with_a_warning(tmp_path):
    files = _write(tmp_path, CORNER + "\n" + ROW.format("-0.25") + "\n" + TRAILER)
    out = read_rpw_corridors(files, source("rpw_corridors"))
    assert out.tables["remittance_costs"]["cost_pct"].tolist() == [-0.25]
    (finding,) = out.findings
    assert (finding.check, finding.severity, finding.where) == ("negative_cost", "warning", RPW)
    assert "line 2 2011Q1: -0.25" in finding.message


def _wdi_costs_book(path: Path, code: str, rows: list[tuple[str, str, float]]) -> None:
    head = [["Data Source", "World Development Indicators", None, None, None, None],
            ["Last Updated Date", "2023-05-10", None, None, None, None], [None] * 6,
            ["Country Name", "Country Code", "Indicator Name", "Indicator Code", 2021.0,
             2022.0]]
    body = [[name, iso3, "Average transaction cost", code, None, value]
            for name, iso3, value in rows]
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(head + body).to_excel(writer, sheet_name="Data", header=False,
                                           index=False)


def test_wdi_negative_cost_is_kept_with_a_warning(tmp_path):
    spec = source("wdi_remittance_costs")
    files = {}
    for f in spec.editions[0].files:
        code = "SI.RMT.COST.IB.ZS" if ".IB." in f.name else "SI.RMT.COST.OB.ZS"
        path = tmp_path / (f.name + "x")  # written as xlsx; read by content
        _wdi_costs_book(path, code, [("Mexico", "MEX", 5.5), ("Eritrea", "ERI", -0.25)])
        files[f.name] = path
    out = read_wdi_costs(files, spec)
    frame = validate("remittance_cost_country", out.tables["remittance_cost_country"],
                     source="wdi")
    assert frame.loc[frame.country == "ERI", "cost_pct"].tolist() == [-0.25, -0.25]
    assert [(f.check, f.severity) for f in out.findings] == [("negative_cost", "warning")] * 2
    first = out.findings[0]
    assert first.where == f"{next(iter(files))}, sheet Data"
    assert "row 6 ERI 2022: -0.25" in first.message
