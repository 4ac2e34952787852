"""Write small origin-destination workbooks in the official IMS layouts (tests only)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

YEARS = {"2024": [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024],
         "2020": [1990, 1995, 2000, 2005, 2010, 2015, 2020]}
BLOCKS = ["International migrant stock at mid-year, both sexes combined",
          "International migrant stock at mid-year, males",
          "International migrant stock at mid-year, females"]


def od_workbook(path: Path, revision: str, rows: list[tuple], *, header_row: int = 11) -> Path:
    """rows: (dest name, dest code, origin name, origin code, {sex: [values by year]})."""
    years = YEARS[revision]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Table 1"
    sheet.cell(1, 1, "United Nations, Department of Economic and Social Affairs")
    sheet.cell(4, 1, f"International Migrant Stock {revision}: Destination and origin")
    if revision == "2024":
        ids = ["Index", "Region, development group, country or area of destination",
               "Coverage", "Data type", "Location code of destination",
               "Region, development group, country or area of origin", "Location code of origin"]
    else:
        ids = ["Index", "Region, development group, country or area of destination",
               "Notes of destination", "Location code of destination",
               "Type of data of destination",
               "Region, development group, country or area of origin", "Location code of origin"]
    first = len(ids) + 1
    for b, label in enumerate(BLOCKS):
        sheet.cell(header_row - 3, first + b * len(years), label)
    for i, label in enumerate(ids, start=1):
        sheet.cell(header_row, i, None if label == "Index" else label)
    for b in range(3):
        for j, y in enumerate(years):
            sheet.cell(header_row, first + b * len(years) + j, y)
    for n, (dname, dcode, oname, ocode, values) in enumerate(rows, start=1):
        r = header_row + n
        if revision == "2024":
            ident = [n, dname, None, "B", dcode, oname, ocode]
        else:
            ident = [n, "   " + dname, None, dcode, "B ", "   " + oname, ocode]
        for i, v in enumerate(ident, start=1):
            sheet.cell(r, i, v)
        for b, sex in enumerate(("total", "male", "female")):
            for j, v in enumerate(values[sex]):
                sheet.cell(r, first + b * len(years) + j, v)
    book.save(path)
    return path
