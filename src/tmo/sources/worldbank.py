"""World Bank remittance data: WDI indicator downloads (xls), KNOMAD annual inflows and
outflows (xlsx, US$ million) and the 2017 bilateral remittance matrix (xlsx, US$ million).

Layouts, units and quirks are documented in docs/sources/worldbank.md. WDI rows keep
their World Bank codes (kind "wb", aggregates such as WLD included); KNOMAD and the
bilateral matrix publish English names only (kind "name", vocabulary "worldbank").
Numbers: an empty cell (and '-' in the bilateral matrix) is the only missing marker;
other text, non-finite values and amounts outside 0 to 1e15 US$ are refused naming the
cell (tmo.sources.numbers).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import (
    check_numbers,
    first_label,
    numeric,
    read_rda,
    read_workbook,
    select_sheet,
    single,
)
from tmo.sources.numbers import USD, YEAR
from tmo.sources.wdi import wdi_long, year_of

WDI_REMITTANCES = {
    "wdi_BX.TRF.PWKR.CD.DT_personal-remittances-received.xls": ("BX.TRF.PWKR.CD.DT", "received"),
    "wdi_BM.TRF.PWKR.CD.DT_personal-remittances-paid.xls": ("BM.TRF.PWKR.CD.DT", "paid"),
}
KNOMAD = {
    "knomad_remittance-inflows_june2023.xlsx": ("Remittance inflows (US$ million)", "received"),
    "knomad_remittance-outflows_june2023.xlsx": ("Remittance outflows (US$ million)", "paid"),
}
BILATERAL = "WB_Bilateral_Remittance_Estimates_2017.xlsx"
BILATERAL_SHEET = "Bilateral_Remittances_2017"
BILATERAL_CORNER = "receiving (across) / sending (down)"
MILLION = 1e6
MILLIONS = USD.per(MILLION, "US$ million")


def _read_sheet(path: Path, which: str | int = 0) -> tuple[str, pd.DataFrame]:
    """A whole sheet as published (no header), with its name."""
    return select_sheet(read_workbook(path, header=None), which, path.name)


def read_wdi_remittances(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """WDI personal remittances received / paid (current US$) -> remittances."""
    out = Ingested()
    for name, (indicator, direction) in WDI_REMITTANCES.items():
        frame = wdi_long(files[name], indicator, "usd", USD)
        if (frame["usd"] < 0).any():
            bad = frame[frame["usd"] < 0].iloc[0]
            raise SchemaError(f"{name}, sheet Data row {bad['src_row']}: negative remittances "
                              f"{bad['usd']} in {bad['year']}")
        frame.insert(0, "source", "WDI")
        frame.insert(3, "direction", direction)
        out.add("remittances", frame, {"country": "wb"}, {"country": "B (Country Code)"})
    return out


def table_end(names: pd.Series, values: pd.DataFrame) -> int:
    """Position of the first row after a table: the first fully blank row. Every row
    below it must be a footnote (text in the first column, no numbers)."""
    blank = names.isna() & values.isna().all(axis=1)
    return int(blank.to_numpy().argmax()) if blank.any() else len(names)


def read_knomad_remittances(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """KNOMAD inflows/outflows (US$ million, names) -> remittances (source "KNOMAD").

    Zeros are kept as published (see docs: they often stand for "not reported");
    the count of zero cells is reported as an info finding.
    """
    out = Ingested(name_vocabulary="worldbank")
    for name, (title, direction) in KNOMAD.items():
        sheet, raw = _read_sheet(files[name])
        where = f"{name}, sheet {sheet}"
        heads = [i for i in range(min(5, len(raw))) if str(raw.iat[i, 0]).strip() == title]
        if not heads:
            raise SchemaError(f"{where}: header cell {title!r} not found in column A of rows 1-5")
        head = heads[0]
        header = raw.iloc[head].tolist()
        years = {j: y for j in range(1, len(header)) if (y := year_of(header[j]))}
        extra = [header[j] for j in range(1, len(header)) if j not in years and pd.notna(header[j])]
        if not years or [str(e) for e in extra] not in ([], ["% of GDP in 2022"]):
            raise SchemaError(f"{where} row {head + 1}: unexpected header columns {extra}")
        body = raw.iloc[head + 1:]
        end = table_end(body[0], body[list(years)])
        notes, body = body.iloc[end:], body.iloc[:end]
        stray = notes[notes[list(years)].notna().any(axis=1)]
        if not stray.empty:
            raise SchemaError(f"{where} row {stray.index[0] + 1}: figures below the table "
                              "(after the blank row that ends it)")
        if not any(str(n).startswith(("Note", "Date")) for n in notes[0].dropna()):
            raise SchemaError(f"{where}: footnotes ('Note: ...', 'Date: ...') not found below "
                              "the table; the file may be truncated")
        rows = body.index.to_series() + 1
        parts, zeros = [], 0
        for j, year in years.items():
            col = numeric(body[j], where, rows, str(year), measure=MILLIONS)
            if (col < 0).any():
                raise SchemaError(f"{where} row {rows[first_label(col < 0)]} column {year}: "
                                  "negative remittances")
            zeros += int((col == 0).sum())
            keep = col.notna()
            parts.append(pd.DataFrame({
                "source": "KNOMAD", "year": year, "country": body.loc[keep, 0].astype(str).str
                .strip(), "direction": direction, "usd": col[keep] * MILLION,
                "src_file": name, "src_sheet": sheet, "src_row": rows[keep].astype(str)}))
        out.add("remittances", pd.concat(parts, ignore_index=True), {"country": "name"},
                {"country": "A (name)"})
        out.findings.append(Finding(
            "zero_as_missing", "info", source.key, where,
            f"{zeros} cells are 0; KNOMAD uses 0 for some years a country did not report. "
            "Kept as published"))
    return out


def read_bilateral_remittances(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """2017 bilateral remittance matrix (US$ million, sending down x receiving across)
    -> remittance_corridors. WORLD row and column are totals, not corridors."""
    sheet, raw = _read_sheet(files[BILATERAL], BILATERAL_SHEET)
    where = f"{BILATERAL}, sheet {sheet}"
    if raw.shape[0] < 3 or str(raw.iat[1, 0]).strip() != BILATERAL_CORNER:
        raise SchemaError(f"{where}: expected {BILATERAL_CORNER!r} in cell A2")
    receivers = raw.iloc[1, 1:].astype(str).str.strip()
    if "WORLD" not in set(receivers):
        raise SchemaError(f"{where} row 2: no WORLD column (the file may be truncated)")
    cols = [j for j, r in zip(receivers.index, receivers, strict=True) if r not in {"WORLD", "nan"}]
    senders = raw.iloc[2:, 0].astype(str).str.strip()
    if "WORLD" not in set(senders):
        raise SchemaError(f"{where}: no WORLD row (the file may be truncated)")
    last = senders[senders == "WORLD"].index[0]
    body = raw.loc[2:last - 1]
    body = body[body[0].notna()]
    rows = body.index.to_series() + 1
    parts, dashes = [], []
    for j in cols:
        dash = body[j].astype(str).str.strip() == "-"  # no estimate published
        dashes += [f"{sender} -> {receivers[j]} (row {i + 1})"
                   for i, sender in zip(body.index[dash], body.loc[dash, 0], strict=True)]
        col = numeric(body[j].mask(dash), where, rows, receivers[j], measure=MILLIONS)
        if (col < 0).any():
            raise SchemaError(f"{where} row {rows[first_label(col < 0)]} column {receivers[j]}: "
                              "negative remittances")
        keep = col.notna()
        parts.append(pd.DataFrame({
            "source": "WB bilateral 2017", "year": 2017,
            "sender": body.loc[keep, 0].astype(str).str.strip(), "receiver": receivers[j],
            "usd": col[keep] * MILLION, "src_file": BILATERAL, "src_sheet": sheet,
            "src_row": rows[keep].astype(str)}))
    out = Ingested(name_vocabulary="worldbank")
    if dashes:
        out.findings.append(Finding(
            "no_estimate", "info", source.key, where,
            f"'-' (no estimate) for {len(dashes)} corridors, left out: {'; '.join(dashes)}"))
    out.add("remittance_corridors", pd.concat(parts, ignore_index=True),
            {"sender": "name", "receiver": "name"},
            {"sender": "A (sending)", "receiver": "of row 2 (receiving)"})
    return out


def read_gdidata_gdp(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """GDP (current US$, WDI NY.GDP.MKTP.CD) from IOM GDI's WDI extract (`wdi`, var "gdp")."""
    name, path = single(files)
    wdi = read_rda(path, "wdi", ["geo", "var", "t", "v"])
    gdp = wdi[(wdi["var"] == "gdp") & wdi["v"].notna()]
    if gdp.empty:
        raise SchemaError(f"{name}, object wdi: no rows with var == 'gdp'")
    rows = (gdp.index + 1).astype(str) if "_row" not in gdp else gdp["_row"].astype(str)
    check_numbers(gdp, ["t", "v"], f"{name}, object wdi (var 'gdp')", row=gdp.index.to_series() + 1,
                  measures={"t": YEAR, "v": USD})
    out = Ingested()
    out.add("gdp", pd.DataFrame({
        "source": "WDI", "year": gdp["t"].astype(int), "country": gdp["geo"].astype(str),
        "usd": gdp["v"].astype(float), "src_file": name, "src_sheet": "wdi",
        "src_row": rows}), {"country": "iso3"}, {"country": "geo"})
    return out
