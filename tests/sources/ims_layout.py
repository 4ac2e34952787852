"""Write small IMS workbooks in the official 2024 and 2020 layouts (tests only).

Mirrors the real 'by sex and destination' workbooks: title rows 2-6 (title, table
title, POP/DB/MIG/Stock/Rev.<year>, citation, copyright) starting at the first year
column in 2024 and one column before it in 2020, block labels on row 8 above the first
column of each block, the unlabelled Index column A, the header on row 11 and the data
from row 12. The origin-destination layout has two more identifier columns (origin
name and origin code) before the years; 2020 names are indented.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

YEARS = {"2024": [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024],
         "2020": [1990, 1995, 2000, 2005, 2010, 2015, 2020]}
SEXES = ("total", "male", "female")
BLOCKS = {"stock": ["International migrant stock at mid-year, both sexes combined",
                    "International migrant stock at mid-year, males",
                    "International migrant stock at mid-year, females"],
          "population": ["Total population at mid-year, both sexes combined (thousands)",
                         "Total population at mid-year, males (thousands)",
                         "Total population at mid-year, females (thousands)"]}
NAME = "Region, development group, country or area"
OD_IDS = {"2024": [None, f"{NAME} of destination", "Coverage", "Data type",
                   "Location code of destination", f"{NAME} of origin", "Location code of origin"],
          "2020": [None, f"{NAME} of destination", "Notes of destination",
                   "Location code of destination", "Type of data of destination",
                   f"{NAME} of origin", "Location code of origin"]}
DEST_IDS = {"2024": [None, NAME, "Coverage", "Data type", "Location code"],
            "2020": [None, NAME, "Notes", "Location code", "Type of data"]}
POP_IDS = {"2024": [None, NAME, "Population notes", "Location code"],
           "2020": [None, NAME, "Notes", "Location code", "Type of data"]}

Values = dict[str, list[Any]]  # sex -> one value per year ('..' allowed)


def _titles(sheet: Any, revision: str, first_year_col: int, *, title: str, table: str,
            blocks: list[str], n_years: int, header_row: int) -> None:
    col = first_year_col if revision == "2024" else first_year_col - 1
    for r, text in enumerate([f"International Migrant Stock {revision}: {title}", table,
                              f"POP/DB/MIG/Stock/Rev.{revision}",
                              ("Suggested citation: United Nations Department of Economic and "
                               f"Social Affairs, Population Division ({revision}). "
                               f"International Migrant Stock {revision}."),
                              (f"Copyright © {revision} by United Nations, made available under "
                               "a Creative Commons license CC BY 3.0 IGO")], start=2):
        sheet.cell(r, col, text)
    for b, text in enumerate(blocks):
        sheet.cell(header_row - 3, first_year_col + b * n_years, text)


def _table(sheet: Any, revision: str, ids: list[Any], rows: list[list[Any]],
           values: list[Values], *, header_row: int) -> None:
    years = YEARS[revision]
    first = len(ids) + 1
    for i, text in enumerate(ids, start=1):
        sheet.cell(header_row, i, text)
    for b in range(len(SEXES)):
        for j, y in enumerate(years):
            sheet.cell(header_row, first + b * len(years) + j, y)
    for n, (ident, vals) in enumerate(zip(rows, values, strict=True), start=1):
        r = header_row + n
        for i, v in enumerate([n, *ident], start=1):
            sheet.cell(r, i, v)
        for b, sex in enumerate(SEXES):
            for j, v in enumerate(vals[sex]):
                sheet.cell(r, first + b * len(years) + j, v)


def _name(revision: str, name: str, code: int) -> str:
    """2020 indents names (aggregates by two spaces, countries by three)."""
    if revision == "2024":
        return name
    return name.upper() if code == 900 else ("  " if code > 900 else "   ") + name


def od_workbook(path: Path, revision: str, rows: list[tuple], *, header_row: int = 11,
                drop: str | None = None) -> Path:
    """rows: (dest name, dest code, origin name, origin code, {sex: [values by year]}).
    `drop` leaves out the header column with that label."""
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "Table 1"
    ids = [None if h == drop else h for h in OD_IDS[revision]]
    n_years = len(YEARS[revision])
    _titles(sheet, revision, len(ids) + 1, title="Destination and origin",
            table="Table 1: International migrant stock at mid-year by sex and by region, "
            f"country or area of destination and origin, 1990-{revision}",
            blocks=BLOCKS["stock"], n_years=n_years, header_row=header_row)
    idents = []
    for dname, dcode, oname, ocode, _ in rows:
        if revision == "2024":
            idents.append([dname, None, "B" if dcode < 900 else None, dcode, oname, ocode])
        else:
            idents.append([_name(revision, dname, dcode), None, dcode,
                           "B " if dcode < 900 else None, _name(revision, oname, ocode), ocode])
    _table(sheet, revision, ids, idents, [r[4] for r in rows], header_row=header_row)
    book.save(path)
    return path


def destination_workbook(path: Path, revision: str, rows: list[tuple], *,
                         header_row: int = 11, drop: str | None = None) -> Path:
    """Table 1 and Table 2 of the 'by sex and destination' workbook.
    rows: (name, code, data type, {sex: stock by year}, {sex: population (thousands)})."""
    book = openpyxl.Workbook()
    n_years = len(YEARS[revision])
    for t, (kind, published) in enumerate([("stock", DEST_IDS[revision]),
                                           ("population", POP_IDS[revision])], start=1):
        sheet = book.worksheets[0] if t == 1 else book.create_sheet()
        sheet.title = f"Table {t}"
        ids = [None if h == drop else h for h in published]
        _titles(sheet, revision, len(ids) + 1, title="Destination", table=f"Table {t}: ...",
                blocks=BLOCKS[kind], n_years=n_years, header_row=header_row if t == 1 else 11)
        idents = []
        for name, code, dtype, *_ in rows:
            if revision == "2024" and kind == "stock":
                idents.append([name, None, dtype, code])
            elif revision == "2024":  # the published Table 2 has data types as codes
                idents.append([name, None, dtype])
            else:
                idents.append([_name(revision, name, code), None, code, dtype])
        _table(sheet, revision, ids, idents, [r[3 if kind == "stock" else 4] for r in rows],
               header_row=header_row if t == 1 else 11)
    book.save(path)
    return path
