"""remittance_sources: World Bank WDI and KNOMAD give one country's remittances; where they
disagree beyond the tolerance a warning names the years and the largest gap with both rows."""

from __future__ import annotations

import re
from typing import Any

import duckdb

from tmo.checks.rules import REMITTANCE_TOLERANCE, remittance_sources


def rem(source: str, country: str, year: int, usd: float, *, direction: str = "received",
        row: str = "7") -> dict[str, Any]:
    sheet = "Data" if source == "WDI" else "Inward remittance flows"
    return {"source": source, "year": year, "country": country, "direction": direction,
            "usd": usd, "src_file": f"{source.lower()}.xlsx", "src_sheet": sheet,
            "src_row": row}


def test_fires_once_per_country_with_the_largest_gap(store) -> None:
    con = store(remittances=[
        rem("WDI", "PHL", 2021, 36e9), rem("KNOMAD", "PHL", 2021, 36.7e9),  # within 25 %
        rem("WDI", "PHL", 2022, 9e9, row="192"), rem("KNOMAD", "PHL", 2022, 38e9, row="154"),
        rem("WDI", "PHL", 2020, 20e9), rem("KNOMAD", "PHL", 2020, 30e9),  # 33 %
        rem("WDI", "TUV", 2022, 1e6), rem("KNOMAD", "TUV", 2022, 1.5e6),  # 33 %, 0.5 million
        rem("WDI", "MDA", 2022, 2e9),  # one source only: nothing to compare
    ])
    findings = remittance_sources(con)
    assert [(f.severity, f.where) for f in findings] == [
        ("warning", "PHL received"), ("info", "all countries")]
    assert findings[0].message == (
        "World Bank WDI and KNOMAD differ by more than 25% in 2 years (2020, 2022); most in "
        "2022: WDI US$ 9,000,000,000 (wdi.xlsx 'Data' row 192), KNOMAD US$ 38,000,000,000 "
        "(knomad.xlsx 'Inward remittance flows' row 154)")
    assert findings[1].message == ("2 country series given by both compared: 1 differ by "
                                   "more than 25% in some year")


def test_directions_are_separate_series(store) -> None:
    con = store(remittances=[
        rem("WDI", "PHL", 2022, 1e8, direction="paid"), rem("KNOMAD", "PHL", 2022, 3e8,
                                                             direction="paid"),
        rem("WDI", "PHL", 2022, 38e9), rem("KNOMAD", "PHL", 2022, 38e9)])
    assert [f.where for f in remittance_sources(con)] == ["PHL paid", "all countries"]


def test_real_store_flags_each_disagreeing_country(built) -> None:
    """Counted again here with pandas over the store's rows: the countries whose WDI and
    KNOMAD remittances received in 2022 differ by more than the tolerance each have a
    finding naming 2022 (the Philippines: WDI 9.07 billion, KNOMAD 38.0 billion)."""
    con = duckdb.connect(str(built.db_path), read_only=True)
    rows = con.execute("SELECT source, country, direction, year, usd FROM remittances "
                       "WHERE year = 2022 AND direction = 'received'").df()
    wide = rows.pivot_table(index="country", columns="source", values="usd").dropna()
    gap = (wide["WDI"] - wide["KNOMAD"]).abs()
    expected = set(wide.index[(gap > REMITTANCE_TOLERANCE * wide.max(axis=1))
                              & (gap >= 1_000_000)])
    findings = remittance_sources(con)
    con.close()
    years = {}
    for f in findings:
        listed = re.search(r"years? \(([\d, ]+)\)", f.message)
        if f.severity == "warning":
            assert listed is not None, f.message
            years[f.where] = listed.group(1).split(", ")
    flagged = {where.split()[0] for where, listed in years.items()
               if where.endswith("received") and "2022" in listed}
    assert flagged == expected
    assert len(expected) > 20  # "over twenty countries" (issue #13)
    assert "PHL" in expected
