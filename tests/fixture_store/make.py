"""Write the fixture store's official files (made-up figures, official layouts) and build it.

`write_sources(folder)` writes one file per file the catalog declares, named as declared
(so `MirrorIndex` finds them), in the publisher's layout as the real files have it
(title rows, header rows, sheet names, footnotes, missing-value markers, trailer lines):
the reference files (country codes, IMS 2020 annex, World Bank CLASS, WUP capitals),
the IMS 2024 and 2020 destination workbooks, the IMS 2024 origin-destination workbook
(official edition) and the IMS 2020 origin-destination table (canonical-CSV edition),
the WPP 2024 and 2019 official CSVs, UNHCR `population.rda`, WDI remittances and
sending costs (.xls), KNOMAD inflows/outflows, the 2017 bilateral remittance matrix,
Remittance Prices Worldwide, IOM GDI's `wdi.rda` (GDP), Natural Earth and Eurostat.
The figures are those of `figures.py`.

`build_store(folder)` writes them under `folder/sources` and runs the real build
(`tmo.store.build.build`, checksums differ from the declared ones: `allow_changed`).

Padding: the reference readers refuse files with fewer rows than a complete edition
(country codes 240, annex 200 countries, CLASS 200 economies and 1,000 memberships,
WUP 200 capitals) as truncated. The annex, CLASS and WUP files are therefore padded
with "Fixture filler" places whose codes are not in the country codes, so none of
them becomes a country of the store (CLASS's fillers belong to filler groups `ZF1`...,
which appear in `country_groups` only); the country-codes guard is lowered to the
fixture's countries for the duration of the build (see `_small_country_codes`).
The build also rejects a UN group of the annex without any member (an empty
`country_groups.member`), so every group the annex names has one (see figures.py).

Run `python -m tests.fixture_store.make DIR` to write the files and build DIR/tmo.duckdb.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import importlib
import itertools
import json
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import openpyxl
import pandas as pd
import rdata
from openpyxl.worksheet.worksheet import Worksheet

from . import figures
from .xls import write_xls

COUNTRIES = figures.COUNTRIES
ISO3 = [c.iso3 for c in COUNTRIES]
SEXES = ("total", "male", "female")  # the IMS block order
CITATION = ("Suggested citation: United Nations Department of Economic and Social Affairs, "
            "Population Division ({rev}). International Migrant Stock {rev}.")
COPYRIGHT = ("Copyright © {rev} by United Nations, made available under a Creative Commons "
             "license CC BY 3.0 IGO: http://creativecommons.org/licenses/by/3.0/igo/")
NAME = "Region, development group, country or area"
FILLER_MIN = 200  # rows the annex, CLASS and WUP readers require (see the module doc)
CLASS_MEMBERSHIPS_MIN = 1000


# ------------------------------------------------------------------ figures by area

def members(area: str | int) -> list[str]:
    """Countries an IMS area stands for (an ISO3 code, or an aggregate's M49 code)."""
    if isinstance(area, int):
        return figures.AGGREGATES[area][1] if area != 2003 else ["OOO"]
    return [area]


def od(rev: str, year: int, dest: str | int, origin: str | int) -> tuple[int, int]:
    """(female, male) born in `origin` living in `dest` (areas; origin 900 = all)."""
    tenths = figures.TENTHS[rev][year]
    dests = members(dest)
    origins = None if origin == 900 else set(members(origin))
    female = male = 0
    for d in dests:
        for o, (f, m) in figures.OD[d].items():
            if origins is None or o in origins:
                female += f * tenths // 10
                male += m * tenths // 10
    return female, male


Number = TypeVar("Number", int, float)


def by_sex(pair: tuple[Number, Number]) -> dict[str, Number]:
    female, male = pair
    return {"total": female + male, "male": male, "female": female}


def stock(rev: str, year: int, area: str | int) -> dict[str, int]:
    return by_sex(od(rev, year, area, 900))


def population(area: str | int) -> dict[str, float]:
    """Mid-year population in THOUSANDS (the same every year)."""
    female = sum(figures.POPULATION[c][0] for c in members(area))
    male = sum(figures.POPULATION[c][1] for c in members(area))
    return by_sex((female, male))


def events(area: str | int) -> tuple[float, float, float]:
    """Births, deaths, net migration per year, thousands."""
    rows = [figures.EVENTS[c] for c in members(area)]
    births, deaths, net = (round(sum(r[i] for r in rows), 3) for i in range(3))
    return births, deaths, net


def refugees_ims(year: int, area: str | int) -> int | None:
    known = [v for c in members(area) if (v := figures.REFUGEES_IMS_2020[c])]
    if not known:
        return None
    return sum(v * figures.TENTHS["2020"][year] // figures.TENTHS["2020"][2020] for v in known)


def rate(now: float | None, then: float | None, years: int) -> float | None:
    """Annual rate of change, percent (IMS Tables 5 and 6)."""
    if not now or not then:
        return None
    return 100 * math.log(now / then) / years


# ------------------------------------------------------------------ reference files

COUNTRY_CODES_HEADER = [
    "FIFA", "Dial", "ISO3166-1-Alpha-3", "MARC", "is_independent", "ISO3166-1-numeric", "GAUL",
    "FIPS", "WMO", "ISO3166-1-Alpha-2", "ITU", "IOC", "DS", "UNTERM Spanish Formal",
    "Global Code", "Intermediate Region Code", "official_name_fr", "UNTERM French Short",
    "ISO4217-currency_name", "UNTERM Russian Formal", "UNTERM English Short",
    "ISO4217-currency_alphabetic_code", "Small Island Developing States (SIDS)",
    "UNTERM Spanish Short", "ISO4217-currency_numeric_code", "UNTERM Chinese Formal",
    "UNTERM French Formal", "UNTERM Russian Short", "M49", "Sub-region Code", "Region Code",
    "official_name_ar", "ISO4217-currency_minor_unit", "UNTERM Arabic Formal",
    "UNTERM Chinese Short", "Land Locked Developing Countries (LLDC)",
    "Intermediate Region Name", "official_name_es", "UNTERM English Formal",
    "official_name_cn", "official_name_en", "ISO4217-currency_country_name",
    "Least Developed Countries (LDC)", "Region Name", "UNTERM Arabic Short", "Sub-region Name",
    "official_name_ru", "Global Name", "Capital", "Continent", "TLD", "Languages",
    "Geoname ID", "CLDR display name", "EDGAR", "wikidata_id"]


def country_codes(folder: Path) -> Path:
    """datasets/country-codes: one row per country, all 56 columns (the ones the build
    does not read are left empty), sorted by English name as published."""
    path = folder / "country-codes.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(COUNTRY_CODES_HEADER)
        for c in sorted(COUNTRIES, key=lambda c: c.official_en):
            ldc, lldc, sids = ("x" if f else "" for f in c.flags)
            row = dict.fromkeys(COUNTRY_CODES_HEADER, "")
            row.update({
                "Dial": c.dial, "ISO3166-1-Alpha-3": c.iso3, "is_independent": "Yes",
                "ISO3166-1-numeric": f"{c.m49:03d}", "ISO3166-1-Alpha-2": c.iso2,
                "Global Code": "1", "official_name_fr": c.official_fr,
                "UNTERM English Short": c.unterm, "ISO4217-currency_alphabetic_code": c.currency,
                "Small Island Developing States (SIDS)": sids, "M49": str(c.m49),
                "Sub-region Code": str(c.subregion[0]), "Region Code": str(c.region[0]),
                "Intermediate Region Code": str(c.intermediate[0]) if c.intermediate else "",
                "Intermediate Region Name": c.intermediate[1] if c.intermediate else "",
                "Land Locked Developing Countries (LLDC)": lldc,
                "official_name_es": c.official_es, "official_name_en": c.official_en,
                "Least Developed Countries (LDC)": ldc, "Region Name": c.region[1],
                "Sub-region Name": c.subregion[1], "Global Name": "World",
                "Capital": c.capital[0], "Continent": c.continent, "TLD": c.tld,
                "CLDR display name": c.name})
            out.writerow(row.values())
    return path


def filler_m49() -> list[int]:
    """M49-like numbers for filler places: below 900, none of a country or special code."""
    used = {c.m49 for c in COUNTRIES} | {412, 530, 830}
    return [n for n in range(1, 900) if n not in used][:FILLER_MIN - len(COUNTRIES)]


ANNEX_FLAGS = {901: "More developed regions", 902: "Less developed regions",
               941: "Least developed countries",
               934: "Less developed regions, excluding least developed countries",
               948: "Less developed regions, excluding China",
               1636: "Land-Locked Developing Countries (LLDC)",
               1637: "Small Island Developing States (SIDS)",
               1503: "High-income Countries", 1517: "Middle-income Countries",
               1502: "Upper-middle-income Countries", 1501: "Lower-middle-income Countries",
               1500: "Low-income Countries", 1518: "No income group available"}
# Aggregate rows of the annex: (name as published, notes, code, type code, type, parent).
ANNEX_AGGREGATES = [
    ("  Sub-Saharan Africa", None, 947, 12, "SDG region", 1828),
    ("  Europe and Northern America", None, 1829, 12, "SDG region", 1828),
    ("  Eastern and South-Eastern Asia", None, 1832, 12, "SDG region", 1828),
    ("  Oceania (excluding Australia and New Zealand)", None, 1835, 12, "SDG region", 1828),
    ("  Developed regions", "b", 901, 5, "Development group", 1803),
    ("  Less developed regions", "c", 902, 5, "Development group", 1803),
    (" Less developed regions, excluding least developed countries", "e", 934, 5,
     "Development group", 902),
    (" Less developed regions, excluding China", None, 948, 5, "Development group", 1803),
    ("  Least developed countries", "d", 941, 5, "Development group", 902),
    ("  Land-locked Developing Countries (LLDC)", "f", 1636, 5, "Development group", 1803),
    ("  Small island developing States (SIDS)", "g", 1637, 5, "Development group", 1803),
    ("  High-income countries", "h", 1503, 13, "Income group", 1802),
    ("  Middle-income countries", "h", 1517, 13, "Income group", 1802),
    (" Upper-middle-income countries", "h", 1502, 13, "Income group", 1517),
    (" Lower-middle-income countries", "h", 1501, 13, "Income group", 1517),
    ("  Low-income countries", "h", 1500, 13, "Income group", 1802),
]
# Geographic regions, their subregions and countries, in the annex's order.
# (region, note, code, [(subregion or None, its code, its SDG parent, [countries])])
Subregion = tuple[str | None, int | None, int | None, list[str]]
ANNEX_TREE: list[tuple[str, str, int, list[Subregion]]] = [
    (" AFRICA", "j", 903, [("  Eastern Africa", 910, 947, ["ETH"])]),
    (" ASIA", "k", 935, [("  South-Eastern Asia", 920, 1832, ["PHL"])]),
    (" EUROPE", "l", 908, [("  Eastern Europe", 923, 917, ["MDA", "ROU"]),
                           ("  Southern Europe", 925, 917, ["ITA"]),
                           ("  Western Europe", 926, 917, ["DEU"])]),
    (" NORTHERN AMERICA", "n", 905, [(None, None, None, ["USA"])]),
    (" OCEANIA ", "o", 909, [("  Polynesia*", 957, 1835, ["TUV"])]),
]
SUBREGION_NAMES = {910: "Eastern Africa", 920: "South-Eastern Asia", 923: "Eastern Europe",
                   925: "Southern Europe", 926: "Western Europe", 957: "Polynesia"}
SDG_NAMES = {947: "Sub-Saharan Africa", 1829: "Europe and Northern America",
             1832: "Eastern and South-Eastern Asia",
             1835: "Oceania (excluding Australia and New Zealand)"}
GEO_NAMES = {903: "Africa", 935: "Asia", 908: "Europe", 905: "Northern America", 909: "Oceania"}


def _annex_country(c: figures.Country) -> list[Any]:
    a = c.annex
    row: list[Any] = [None] * 30
    row[1], row[3], row[4], row[5], row[6] = f"   {c.un_name}", c.m49, c.iso3, 4, "Country/Area"
    row[7] = a["sub"] or a["sdg_sub"][0]
    row[8] = 900
    if a["sub"]:
        row[9], row[10] = a["sub"], SUBREGION_NAMES[a["sub"]]
    if a["sdg_sub"]:
        row[11], row[12] = a["sdg_sub"]
    row[13], row[14] = a["sdg"], SDG_NAMES[a["sdg"]]
    row[15], row[16] = a["geo"], GEO_NAMES[a["geo"]]
    for code in (*a["dev"], *a["income"]):
        row[17 + list(ANNEX_FLAGS).index(code)] = code
    return row


def un_annex(folder: Path) -> Path:
    """IMS 2020 annex (sheet 'Annex', two header rows 10-11, data from row 12), padded
    with filler places that belong to no group (see the module doc)."""
    book = openpyxl.Workbook()
    sheet = _first_sheet(book, "Annex")
    _annex_header(sheet)
    _write_rows(sheet, _annex_rows(), first=12)
    notes = book.create_sheet("Notes")
    notes.cell(2, 10, "International Migrant Stock 2020")
    notes.cell(3, 10, "Notes")
    notes.cell(11, 2, "Notes")
    notes.cell(12, 1, "*")
    notes.cell(12, 2, "Fixture file: made-up classification notes.")
    path = folder / "aggregates_correspondence_table_2020_1.xlsx"
    book.save(path)
    return path


def _annex_header(sheet: Any) -> None:
    """The annex's titles (rows 2-5) and its two header rows (10-11)."""
    for r, text in enumerate(["International Migrant Stock 2020",
                              ("Annex: Classification of countries and areas by development "
                               "group, region and subregion"), CITATION.format(rev=2020),
                              COPYRIGHT.format(rev=2020)], start=2):
        sheet.cell(r, 6, text)
    for col, text in {5: "Location Type", 7: "Parent Location code", 8: "WORLD",
                      9: "Subregion", 11: "SDG subregion", 13: "SDG region",
                      15: "Geographic region", 17: "UN development groups",
                      24: "World Bank income groups"}.items():
        sheet.cell(10, col + 1, text)
    head = {1: "Region, subregion, country or area*", 2: "Notes", 3: "Location code",
            4: "ISO3 Alpha-code", 5: "Code", 6: "Name", 8: "Code", 9: "Code", 10: "Name",
            11: "Code", 12: "Name", 13: "Code", 14: "Name", 15: "Code", 16: "Name"}
    head |= {17 + i: f"{name}\n{code}" for i, (code, name) in enumerate(ANNEX_FLAGS.items())}
    for col, text in head.items():
        sheet.cell(11, col + 1, text)


def _annex_rows() -> list[list[Any]]:
    """World, the aggregates, the geographic tree with its countries, then the fillers."""
    rows: list[list[Any]] = [[None, "WORLD", None, 900] + [None] * 26]
    for name, note, code, tcode, tname, parent in ANNEX_AGGREGATES:
        rows.append([None, name, note, code, None, tcode, tname, parent] + [None] * 22)
    for name, note, code, subs in ANNEX_TREE:
        rows.append([None, name, note, code, None, 2, "Geographic region", 1840] + [None] * 22)
        for sub, scode, sparent, countries in subs:
            if sub:
                rows.append([None, sub, None, scode, "   ", 3, "Subregion", sparent]
                            + [None] * 22)
            rows += [_annex_country(figures.BY_ISO3[c]) for c in countries]
    rows.extend([None, f"   Fixture filler {i:03d}", None, m49, None, 4, "Country/Area"]
                + [None] * 23 for i, m49 in enumerate(filler_m49(), start=1))
    return rows


def _first_sheet(book: openpyxl.Workbook, title: str) -> Worksheet:
    """The sheet a new workbook opens with, given its title."""
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.title = title
    return sheet


def _write_rows(sheet: Any, rows: list[list[Any]], first: int) -> None:
    """Rows from row `first` on, column A on; None leaves a cell empty."""
    for r, row in enumerate(rows, start=first):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value)


WB_GROUP_NAMES = {"WLD": "World", "ECS": "Europe & Central Asia", "EAS": "East Asia & Pacific",
                  "NAC": "North America", "HIC": "High income", "UMC": "Upper middle income",
                  "LMC": "Lower middle income", "MIC": "Middle income",
                  "LMY": "Low & middle income", "EUU": "European Union", "EMU": "Euro area",
                  "IBD": "IBRD only", "IDX": "IDA only", "IBT": "IDA & IBRD total",
                  "SSF": "Sub-Saharan Africa", "LIC": "Low income"}


def filler_codes(n: int) -> list[str]:
    """Three-character World Bank-style codes for filler economies: F00, F01, ... G00 ..."""
    return [f"{chr(ord('F') + i // 100)}{i % 100:02d}" for i in range(n)]


def wb_class(folder: Path) -> Path:
    """World Bank CLASS: 'List of economies', 'Groups', 'Notes' (headers on row 1),
    padded with filler economies in filler groups ZF1, ZF2, ... (see the module doc)."""
    fillers = filler_codes(FILLER_MIN - len(COUNTRIES))
    economies = [[c.wb_name, c.iso3, c.wb[0], c.wb[1], c.wb[2], c.wb[3]] for c in COUNTRIES]
    economies += [[f"Fixture filler {code}", code, "Fixture filler region",
                   "Fixture filler income", None, None] for code in fillers]
    groups = [[g, WB_GROUP_NAMES[g], c.iso3, c.wb_name] for g in WB_GROUP_NAMES
              for c in COUNTRIES if g in c.wb_groups]
    n_filler_groups = math.ceil((CLASS_MEMBERSHIPS_MIN - len(groups)) / len(fillers))
    groups += [[f"ZF{g}", f"Fixture filler group {g}", code, f"Fixture filler {code}"]
               for g in range(1, n_filler_groups + 1) for code in fillers]
    book = openpyxl.Workbook()
    sheet = _first_sheet(book, "List of economies")
    sheet.append(["Economy", "Code", "Region", "Income group", "Lending category",
                  "Other (EMU or HIPC)"])
    for economy in sorted(economies, key=lambda r: str(r[1])):
        sheet.append(economy)
    sheet = book.create_sheet("Groups")
    sheet.append(["GroupCode", "GroupName", "CountryCode", "CountryName"])
    for group in groups:
        sheet.append(group)
    sheet = book.create_sheet("Notes")
    sheet.append(["Notes"])
    sheet.append(["Fixture file: made-up income classification for the fixture store."])
    path = folder / "CLASS_wb_income_classification.xlsx"
    book.save(path)
    return path


def wup_capitals(folder: Path) -> Path:
    """WUP 2014 File 13 (.xls): title rows 5-14, header on row 17, padded with filler
    capitals of the filler M49 numbers (see the module doc)."""
    rows: list[list[Any]] = [[], [], [], [], ["United Nations"], ["Population Division"],
                             ["Department of Economic and Social Affairs"], [],
                             ["World Urbanization Prospects: The 2014 Revision"],
                             ["File 13: Population of Capital Cities in 2014 (thousands)"], [],
                             ["POP/DB/WUP/Rev.2014/1/F13"],
                             [("June 2014 - Copyright © 2014 by United Nations. All rights "
                               "reserved")],
                             [("Suggested citation: United Nations, Department of Economic and "
                              "Social Affairs, Population Division (2014). World Urbanization "
                              "Prospects: The 2014 Revision, CD-ROM Edition.")], [],
                             [None] * 5 + ["Population of Capital Cities in 2014 (thousands)"],
                             ["Index", "Country or area", "Country code", "Capital City", "Note",
                              "Capital Type", "City code", "Latitude", "Longitude",
                              "Population (thousands)"]]
    places = [(c.un_name.rstrip("*"), c.m49, c.capital[1], c.capital[2], c.capital[3])
              for c in COUNTRIES]
    places += [(f"Fixture filler {i:03d}", m49, f"Fixture filler city {i:03d}", 0.0, 0.0)
               for i, m49 in enumerate(filler_m49(), start=1)]
    for i, (country, m49, city, lat, lon) in enumerate(sorted(places), start=1):
        rows.append([i, country, m49, city, None, "Capital", 20000 + i, lat, lon, 100.0 + i])
    notes = [["Notes"], ["(1) Fixture file: made-up city populations."]]
    return write_xls(folder / "WUP2014-F13-Capital_Cities.xls",
                     [("DATA", rows), ("NOTES", notes)])


# ------------------------------------------------------------------ IMS workbooks

STOCK_BLOCKS = ["International migrant stock at mid-year, both sexes combined",
                "International migrant stock at mid-year, males",
                "International migrant stock at mid-year, females"]
TABLE_TITLES = {
    1: "International migrant stock at mid-year by sex and by region, country or area of "
       "destination, 1990-{rev}",
    2: "Total population at mid-year by sex and by region, country or area of destination, "
       "1990-{rev} (thousands)",
    3: "International migrant stock as a percentage of the total population by sex and by "
       "region, country or area of destination, 1990-{rev}",
    4: "Female migrants as a percentage of the international migrant stock by region, "
       "country or area of destination, 1990-{rev}",
    5: "Annual rate of change of the migrant stock by sex and by region, country or area of "
       "destination, 1990-{rev} (percentage)",
    6: "Estimated refugee stock (including asylum seekers) at mid-year by region, country or "
       "area of destination, 1990-{rev}",
}


def _periods(rev: str) -> list[tuple[int, int]]:
    years = figures.YEARS[rev]
    return list(itertools.pairwise(years))


def _ims_name(rev: str, area: str | int, table: int) -> str:
    """Names as published: 2024 Table 1, 3-5 unindented; 2024 Table 2 and all 2020 tables
    indented by level; 2020 writes the World 'WORLD'."""
    if isinstance(area, int):
        name = figures.AGGREGATES[area][0]
        level = {900: 0, 908: 1, 923: 2}[area]
    else:
        name, level = figures.BY_ISO3[area].un_name, 3
    if rev == "2024" and table != 2:
        return name
    if area == 900:
        return "WORLD" if rev == "2020" else name
    return " " * level + name


def _ids(rev: str, table: int, index: int, area: str | int) -> list[Any]:
    """The identifier cells of a destination row (columns A to the last before the years)."""
    name = _ims_name(rev, area, table)
    if isinstance(area, int):  # an aggregate
        if rev == "2024" and table == 2:
            return [index, name, None if area == 900 else "", None]
        if rev == "2024":
            return [index, name, None, None, area]
        return [index, name, None, area, ""]
    code, dtype = figures.M49[area], figures.DATA_TYPE[rev].get(area)
    if rev == "2024" and table == 2:  # its 'Location code' column holds the data type
        return [index, name, figures.POPULATION_NOTES_2024.get(area, ""), dtype]
    if rev == "2024":
        return [index, name, figures.COVERAGE_2024.get(area), dtype, code]
    return [index, name, None, code, dtype]


def _ims_sheet(book: openpyxl.Workbook, rev: str, table: int, header: list[Any],
               blocks: list[tuple[str, list[str]]], *, rows: list[list[Any]],
               subtitle: str = "Destination") -> None:
    """One IMS table sheet: titles on rows 2-6, block labels on row 8, 'Migrant notes' on
    row 10 (2024 stock tables), header on row 11, data from row 12."""
    sheet = book.create_sheet(f"Table {table}")
    first = len(header) + 1  # first year column (1-based)
    title_col = first if rev == "2024" else first - 1
    for r, text in enumerate([f"International Migrant Stock {rev}: {subtitle}",
                              f"Table {table}: " + TABLE_TITLES[table].format(rev=rev),
                              f"POP/DB/MIG/Stock/Rev.{rev}", CITATION.format(rev=rev),
                              COPYRIGHT.format(rev=rev)], start=2):
        sheet.cell(r, title_col, text)
    if rev == "2024" and "Coverage" in header:
        sheet.cell(10, 3, "Migrant notes")
    col = first
    for label, periods in blocks:
        sheet.cell(8, col, label)
        for p in periods:
            sheet.cell(11, col, int(p) if p.isdigit() else p)
            col += 1
    _write_rows(sheet, [header], first=11)
    _write_rows(sheet, rows, first=12)


def _toc(book: openpyxl.Workbook, rev: str, tables: list[int], subtitle: str) -> None:
    sheet = _first_sheet(book, "Table of contents")
    for r, text in enumerate([f"International Migrant Stock {rev}: {subtitle}",
                              "Table of contents", f"POP/DB/MIG/Stock/Rev.{rev}",
                              CITATION.format(rev=rev), COPYRIGHT.format(rev=rev)], start=2):
        sheet.cell(r, 10, text)
    sheet.cell(11, 2, "Table number")
    sheet.cell(11, 3, "Title")
    for r, t in enumerate(tables, start=12):
        sheet.cell(r, 2, f"   Table {t}")
        sheet.cell(r, 3, TABLE_TITLES[t].format(rev=rev))


def _notes(book: openpyxl.Workbook, rev: str, names: list[str]) -> None:
    for name in names:
        sheet = book.create_sheet(name)
        sheet.cell(2, 10, f"International Migrant Stock {rev}: Destination")
        sheet.cell(3, 10, name)
        sheet.cell(11, 2, "Notes")
        sheet.cell(12, 2, "Fixture file: made-up figures in the official layout.")


def _num(value: float | None, missing: str = "..") -> float | str:
    return missing if value is None else value


def ims_destination(folder: Path, rev: str) -> Path:
    """IMS 'by sex and destination': Table 1 stocks, Table 2 population (thousands),
    Table 3 shares, Table 4 female share, Table 5 annual rates of change, and (2020)
    Table 6 refugees; 2024 with 'Migrant notes'/'Population notes', 2020 with 'Notes'."""
    years = [str(y) for y in figures.YEARS[rev]]
    periods = [f"{a}-{b}" for a, b in _periods(rev)]
    ids_header = ([None, NAME, "Coverage", "Data type", "Location code"] if rev == "2024"
                  else [None, NAME, "Notes", "Location code", "Type of data"])
    pop_header = ([None, NAME, "Population notes", "Location code"] if rev == "2024"
                  else ids_header)
    tables = [1, 2, 3, 4, 5] + ([6] if rev == "2020" else [])
    book = openpyxl.Workbook()
    _toc(book, rev, tables, "Destination")

    def rows(table: int, values: Callable[[str | int], list[Any]]) -> list[list[Any]]:
        return [_ids(rev, table, i, a) + values(a)
                for i, a in enumerate(figures.IMS_ORDER, start=1)]

    def stocks(a: str | int) -> list[Any]:
        return [stock(rev, int(y), a)[s] for s in SEXES for y in years]

    def shares(a: str | int) -> list[Any]:
        return [100 * stock(rev, int(y), a)[s] / (population(a)[s] * 1000)
                for s in SEXES for y in years]

    def female(a: str | int) -> list[Any]:
        return [100 * stock(rev, int(y), a)["female"] / stock(rev, int(y), a)["total"]
                for y in years]

    def rates(a: str | int) -> list[Any]:
        return [_num(rate(stock(rev, b, a)[s], stock(rev, p, a)[s], b - p))
                for s in SEXES for p, b in _periods(rev)]

    blocks3 = ["International migrant stock as a percentage of the total population, " + s
               for s in ("both sexes combined", "males", "females")]
    blocks5 = ["Annual rate of change of the migrant stock, " + s
               for s in ("both sexes combined", "males", "females")]
    pop_blocks = [f"Total population at mid-year, {s} (thousands)"
                  for s in ("both sexes combined", "males", "females")]
    _ims_sheet(book, rev, 1, ids_header, [(b, years) for b in STOCK_BLOCKS],
               rows=rows(1, stocks))
    _ims_sheet(book, rev, 2, pop_header, [(b, years) for b in pop_blocks],
               rows=rows(2, lambda a: _population_values(rev, years, a)))
    _ims_sheet(book, rev, 3, ids_header, [(b, years) for b in blocks3], rows=rows(3, shares))
    _ims_sheet(book, rev, 4, ids_header,
               [("Female migrants as a percentage of the international migrant stock", years)],
               rows=rows(4, female))
    _ims_sheet(book, rev, 5, ids_header, [(b, periods) for b in blocks5], rows=rows(5, rates))
    if rev == "2020":
        _ims_sheet(book, rev, 6, ids_header, [
            ("Refugee and asylum seekers at mid-year, both sexes combined", years),
            ("Refugee and asylum seekers as a percentage of the international migrant stock",
             years),
            ("Annual rate of change of the refugee and asylum seekers, both sexes combined",
             periods)], rows=rows(6, lambda a: _refugee_values(rev, years, a)))
    _notes(book, rev, ["Migrant notes", "Population notes"] if rev == "2024" else ["Notes"])
    path = folder / f"undesa_pd_{rev}_ims_stock_by_sex_and_destination.xlsx"
    book.save(path)
    return path


def _population_values(rev: str, years: list[str], a: str | int) -> list[Any]:
    """Table 2 of an area: population by sex and year (thousands)."""
    out: list[Any] = []
    for s in SEXES:
        for y in years:  # 2020: Tuvalu by sex unknown before 2000, as published
            hidden = rev == "2020" and a == "TUV" and s != "total" and int(y) < 2000
            out.append(".." if hidden else population(a)[s])
    return out


def _refugee_values(rev: str, years: list[str], a: str | int) -> list[Any]:
    """Table 6 of an area (2020): refugees by year, as a share of the migrant stock, and
    their annual rates of change; "~" where not published."""
    values = [refugees_ims(int(y), a) for y in years]
    shares = [None if v is None else 100 * v / stock(rev, int(y), a)["total"]
              for v, y in zip(values, years, strict=True)]
    changes = [rate(refugees_ims(b, a), refugees_ims(p, a), b - p) for p, b in _periods(rev)]
    return [_num(v, "~") for v in values + shares + changes]


def _origins(dest: str | int) -> list[str | int]:
    """Origin rows of a destination in the OD workbook: World total, regions, countries,
    Other (2003); only origins with migrants there."""
    candidates: list[str | int] = [900, 908, 923, *ISO3, 2003]
    return [o for o in candidates if sum(od("2024", 2024, dest, o)) > 0]


def ims_od_2024(folder: Path) -> Path:
    """IMS 2024 'by sex, destination and origin' (official edition), Table 1: each
    destination (World, regions, countries) lists its origins: World, regions, countries
    and Other (2003)."""
    rev, years = "2024", [str(y) for y in figures.YEARS["2024"]]
    header = [None, f"{NAME} of destination", "Coverage", "Data type",
              "Location code of destination", f"{NAME} of origin", "Location code of origin"]
    rows, index = [], 0
    for dest in figures.IMS_ORDER:
        dest_ids = _ids(rev, 1, 0, dest)[1:]
        for origin in _origins(dest):
            index += 1
            name = "Other" if origin == 2003 else _ims_name(rev, origin, 1)
            code = origin if isinstance(origin, int) else figures.M49[origin]
            values = [by_sex(od(rev, int(y), dest, origin))[s] for s in SEXES for y in years]
            rows.append([index, *dest_ids, name, code, *values])
    book = openpyxl.Workbook()
    _toc(book, rev, [1], "Destination and origin")
    _ims_sheet(book, rev, 1, header, [(b, years) for b in STOCK_BLOCKS], rows=rows,
               subtitle="Destination and origin")
    book["Table 1"].cell(3, len(header) + 1,
                         "Table 1: International migrant stock at mid-year by sex and by "
                         "region, country or area of destination and origin, 1990-2024")
    _notes(book, rev, ["Notes"])
    path = folder / "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
    book.save(path)
    return path


def ims_od_2020_csv(folder: Path) -> Path:
    """IMS 2020 origin-destination as the canonical bilateral CSV (gzip): female and
    male rows only, with the destination's data-type flags, sorted by year, destination,
    origin and sex."""
    path = folder / "ims2020_od_by_sex_long.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["year", "orig_iso3", "dest_iso3", "sex", "stock", "type_b", "type_c",
                      "type_r", "type_i"])
        for year in figures.YEARS["2020"]:
            for dest in sorted(figures.OD):
                flags = figures.DATA_TYPE["2020"][dest].split()
                for origin in sorted(figures.OD[dest]):
                    female, male = od("2020", year, dest, origin)
                    for sex, n in (("female", female), ("male", male)):
                        out.writerow([year, origin, dest, sex, n,
                                      *(int(t in flags) for t in "BCRI")])
    return path


# ------------------------------------------------------------------ WPP

WPP_LOCATIONS: list[tuple[int, str, int, str, int, str | None, str | None]] = [
                 (900, "World", 1, "World", 0, None, None),
                 (908, "Europe", 2, "Geographic region", 900, None, None),
                 (923, "Eastern Europe", 3, "Subregion", 908, None, None)]
WPP_LOCATIONS += [(c.m49, c.un_name.rstrip("*"), 4, "Country/Area", 923 if c.iso3 in
                   ("MDA", "ROU") else 908 if c.annex["geo"] == 908 else 900, c.iso3, c.iso2)
                  for c in COUNTRIES]
WPP2024_COLUMNS = [
    "SortOrder", "LocID", "Notes", "ISO3_code", "ISO2_code", "SDMX_code", "LocTypeID",
    "LocTypeName", "ParentID", "Location", "VarID", "Variant", "Time", "TPopulation1Jan",
    "TPopulation1July", "TPopulationMale1July", "TPopulationFemale1July", "PopDensity",
    "PopSexRatio", "MedianAgePop", "NatChange", "NatChangeRT", "PopChange", "PopGrowthRate",
    "DoublingTime", "Births", "Births1519", "CBR", "TFR", "NRR", "MAC", "SRB", "Deaths",
    "DeathsMale", "DeathsFemale", "CDR", "LEx", "LExMale", "LExFemale", "LE15", "LE15Male",
    "LE15Female", "LE65", "LE65Male", "LE65Female", "LE80", "LE80Male", "LE80Female",
    "InfantDeaths", "IMR", "LBsurvivingAge1", "Under5Deaths", "Q5", "Q0040", "Q0040Male",
    "Q0040Female", "Q0060", "Q0060Male", "Q0060Female", "Q1550", "Q1550Male", "Q1550Female",
    "Q1560", "Q1560Male", "Q1560Female", "NetMigrations", "CNMR"]
WPP_YEARS = range(1990, 2031)


def _area(code: int) -> str | int:
    return next((c.iso3 for c in COUNTRIES if c.m49 == code), code)


def wpp2024_csv(folder: Path) -> Path:
    """WPP 2024 Demographic Indicators, medium variant (gzip CSV), 1990-2030: the
    population is constant (births - deaths + net migration = 0)."""
    path = folder / "WPP2024_Demographic_Indicators_Medium.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(WPP2024_COLUMNS)
        for order, (code, name, ltype, lname, parent, iso3, iso2) in enumerate(WPP_LOCATIONS):
            pop = population(_area(code))
            births, deaths, net = events(_area(code))
            for year in WPP_YEARS:
                row: dict[str, object] = dict.fromkeys(WPP2024_COLUMNS, "")
                row.update({
                    "SortOrder": order + 1, "LocID": code, "ISO3_code": iso3 or "",
                    "ISO2_code": iso2 or "", "SDMX_code": code if iso3 else "",
                    "LocTypeID": ltype, "LocTypeName": lname, "ParentID": parent,
                    "Location": name, "VarID": 2, "Variant": "Medium", "Time": year,
                    "TPopulation1Jan": pop["total"], "TPopulation1July": pop["total"],
                    "TPopulationMale1July": pop["male"],
                    "TPopulationFemale1July": pop["female"],
                    "PopSexRatio": round(100 * pop["male"] / pop["female"], 3),
                    "NatChange": round(births - deaths, 3), "PopChange": 0,
                    "PopGrowthRate": 0, "Births": births,
                    "CBR": round(1000 * births / pop["total"], 3), "Deaths": deaths,
                    "CDR": round(1000 * deaths / pop["total"], 3), "NetMigrations": net,
                    "CNMR": round(1000 * net / pop["total"], 3)})
                out.writerow(row.values())
    return path


def wpp2019_csv(folder: Path) -> list[Path]:
    """WPP 2019 TotalPopulationBySex (Medium 1990-2030, and a High variant for the
    projection years, as the official file carries all variants) and Period Indicators
    (medium, 5-year periods 1990-1995 ... 2025-2030: five times the annual events)."""
    total = folder / "WPP2019_TotalPopulationBySex.csv"
    with total.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["LocID", "Location", "VarID", "Variant", "Time", "MidPeriod", "PopMale",
                      "PopFemale", "PopTotal", "PopDensity"])
        for code, name, *_ in WPP_LOCATIONS:
            pop = population(_area(code))
            for variant, var_id, years, factor in (("Medium", 2, WPP_YEARS, 1.0),
                                                   ("High", 3, range(2021, 2031), 1.01)):
                for year in years:
                    out.writerow([code, name, var_id, variant, year, year + 0.5,
                                  round(pop["male"] * factor, 3),
                                  round(pop["female"] * factor, 3),
                                  round(pop["total"] * factor, 3), ""])
    period = folder / "WPP2019_Period_Indicators_Medium.csv"
    with period.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["LocID", "Location", "VarID", "Variant", "Time", "MidPeriod", "TFR",
                      "NRR", "CBR", "Births", "LEx", "LExMale", "LExFemale", "IMR", "Q5",
                      "CDR", "Deaths", "DeathsMale", "DeathsFemale", "CNMR", "NetMigrations",
                      "GrowthRate", "NatIncr", "SRB", "MAC"])
        for code, name, *_ in WPP_LOCATIONS:
            births, deaths, net = events(_area(code))
            for start in range(1990, 2030, 5):
                out.writerow([code, name, 2, "Medium", f"{start}-{start + 5}", start + 2.5,
                              "", "", "", round(5 * births, 3), "", "", "", "", "", "",
                              round(5 * deaths, 3), "", "", "", round(5 * net, 3), 0, "",
                              "", ""])
    return [total, period]


# ------------------------------------------------------------------ R data files

def _r_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """A frame `rdata` can write: text as object columns (pandas 3 infers its own string
    dtype, which rdata 1.1 cannot convert), R row names 1..n."""
    n = len(next(iter(columns.values())))
    index = pd.RangeIndex(1, n + 1)
    out = {}
    for name, values in columns.items():
        if isinstance(values, pd.Series):
            out[name] = values.reset_index(drop=True).set_axis(index)
        elif all(isinstance(v, str) or v is None for v in values):
            out[name] = pd.Series(list(values), index=index, dtype=object)
        else:
            out[name] = pd.Series(np.asarray(values, dtype=float), index=index)
    return pd.DataFrame(out)


UNHCR_CODES = {"UNK": ("UKN", "Unknown"), "XXA": ("STA", "Stateless")}


def unhcr_population(folder: Path) -> Path:
    """refugees R package `population` (bzip2 RDA): year, origin and asylum (name, UNHCR
    code, ISO code), counts as doubles, oip NA before 2023, hst."""
    def who(code: str) -> tuple[str, str]:
        if code in UNHCR_CODES:
            return UNHCR_CODES[code]
        c = figures.BY_ISO3[code]
        return c.unhcr[0], c.unhcr[1]

    rows = []
    for (year, origin, asylum), (ref, asy) in sorted(figures.UNHCR.items()):
        (coo, coo_name), (coa, coa_name) = who(origin), who(asylum)
        rows.append({"year": year, "coo_name": coo_name, "coo": coo, "coo_iso": origin,
                     "coa_name": coa_name, "coa": coa, "coa_iso": asylum, "refugees": ref,
                     "asylum_seekers": asy, "returned_refugees": 0, "idps": 0,
                     "returned_idps": 0,
                     "stateless": figures.UNHCR_STATELESS.get((year, origin, asylum), 0), "ooc": 0,
                     "oip": np.nan if year < 2023 else 0, "hst": 0})
    frame = _r_frame({k: [r[k] for r in rows] for k in rows[0]})
    path = folder / "population.rda"
    rdata.write_rda(path, {"population": frame}, compression="bzip2")
    return path


def _unhcr_who(code: str) -> tuple[str, str]:
    if code in UNHCR_CODES:
        return UNHCR_CODES[code]
    c = figures.BY_ISO3[code]
    return c.unhcr[0], c.unhcr[1]


def _unhcr_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """year, origin and asylum (name, UNHCR code, ISO code) then the row's own columns."""
    out = []
    for r in rows:
        (coo, coo_name), (coa, coa_name) = _unhcr_who(r["origin"]), _unhcr_who(r["asylum"])
        out.append({"year": r["year"], "coo_name": coo_name, "coo": coo, "coo_iso": r["origin"],
                    "coa_name": coa_name, "coa": coa, "coa_iso": r["asylum"],
                    **{k: v for k, v in r.items() if k not in ("year", "origin", "asylum")}})
    return _r_frame({k: [r[k] for r in out] for k in out[0]})


def unhcr_asylum(folder: Path) -> list[Path]:
    """refugees R package asylum_applications, asylum_decisions, solutions and idmc (bzip2
    RDA), with the published columns; NA where the figures say None."""
    apps = [{"year": y, "origin": o, "asylum": a, "procedure_type": "G", "app_type": t,
             "dec_level": "FI" if t == "N" else "JR", "app_pc": pc, "applied": float(n)}
            for (y, o, a, t, pc), n in sorted(figures.ASYLUM_APPLICATIONS.items())]
    decs = [{"year": y, "origin": o, "asylum": a, "procedure_type": "G", "dec_level": lvl,
             "dec_pc": pc, **dict(zip(("dec_recognized", "dec_other", "dec_rejected",
                                       "dec_closed", "dec_total"), map(float, v), strict=True))}
            for (y, o, a, lvl, pc), v in sorted(figures.ASYLUM_DECISIONS.items())]
    sols = [{"year": y, "origin": o, "asylum": a,
             **dict(zip(("returned_refugees", "resettlement", "naturalisation",
                         "returned_idps"), (np.nan if x is None else float(x) for x in v),
                        strict=True))}
            for (y, o, a), v in sorted(figures.SOLUTIONS.items())]
    idmc = [{"year": y, "origin": c, "asylum": c, "total": float(n)}
            for (y, c), n in sorted(figures.IDMC.items())]
    paths = []
    for name, rows in (("asylum_applications", apps), ("asylum_decisions", decs),
                       ("solutions", sols), ("idmc", idmc)):
        path = folder / f"{name}.rda"
        rdata.write_rda(path, {name: _unhcr_frame(rows)}, compression="bzip2")
        paths.append(path)
    return paths


def gdidata_wdi(folder: Path) -> Path:
    """IOM GDI `wdi` (bzip2 RDA): long table geo (ISO3) | var | t (integer) | v, sorted by
    geo, var and year; gdp, pop (persons), remin and remout (current US$)."""
    rows = []
    for c in COUNTRIES:
        series = {"gdp": figures.GDP[c.iso3],
                  "pop": {y: population(c.iso3)["total"] * 1000 for y in range(1990, 2024)},
                  "remin": {y: v[0] for y, v in figures.REMITTANCES[c.iso3].items()},
                  "remout": {y: v[1] for y, v in figures.REMITTANCES[c.iso3].items()}}
        for var in sorted(series):
            rows += [(c.iso3, var, year, value) for year, value in sorted(series[var].items())]
    frame = _r_frame({"geo": [r[0] for r in rows], "var": [r[1] for r in rows],
                      "t": pd.Series([r[2] for r in rows], dtype="Int32"),
                      "v": [float(r[3]) for r in rows]})
    path = folder / "gdidata_wdi.rda"
    rdata.write_rda(path, {"wdi": frame}, compression="bzip2")
    return path


# ------------------------------------------------------------------ World Bank

WDI_YEARS = list(range(1960, 2023))
WDI_AGGREGATES = {"ECS": ("Europe & Central Asia", ["MDA", "ROU", "DEU", "ITA"]),
                  "WLD": ("World", ISO3)}
WDI_INDICATORS = {
    "BX.TRF.PWKR.CD.DT": ("Personal remittances, received (current US$)",
                          ("Personal remittances comprise personal transfers and "
                           "compensation of employees (fixture text)."),
                          "World Bank staff estimates based on IMF balance of payments data."),
    "BM.TRF.PWKR.CD.DT": ("Personal remittances, paid (current US$)",
                          "Personal remittances paid (fixture text).",
                          "World Bank staff estimates based on IMF balance of payments data."),
    "SI.RMT.COST.IB.ZS": (("Average transaction cost of sending remittances to a specific "
                           "country (%)"),
                          "Average cost of sending USD 200 to the country (fixture text).",
                          "World Bank, Remittance Prices Worldwide."),
    "SI.RMT.COST.OB.ZS": (("Average transaction cost of sending remittances from a specific "
                           "country (%)"),
                          "Average cost of sending USD 200 from the country (fixture text).",
                          "World Bank, Remittance Prices Worldwide."),
}


def _wdi(folder: Path, name: str, indicator: str, values: dict[str, dict[int, float]],
         aggregates: bool) -> Path:
    """A WDI API download (.xls): sheet 'Data' (source and update date on rows 1-2, header
    on row 4, one row per economy and aggregate sorted by code, empty cells where no
    data), 'Metadata - Countries' and 'Metadata - Indicators'."""
    title, note, org = WDI_INDICATORS[indicator]
    names = {c.iso3: c.wb_name for c in COUNTRIES}
    series = {code: dict(values.get(code, {})) for code in ISO3}
    if aggregates:
        for code, (agg_name, group) in WDI_AGGREGATES.items():
            names[code] = agg_name
            series[code] = {y: sum(series[m].get(y, 0) for m in group)
                            for y in WDI_YEARS if any(y in series[m] for m in group)}
    rows: list[list[Any]] = [["Data Source", "World Development Indicators"],
                             ["Last Updated Date", dt.date(2023, 5, 10)], [],
                             ["Country Name", "Country Code", "Indicator Name",
                              "Indicator Code", *WDI_YEARS]]
    rows.extend([names[code], code, title, indicator, *(series[code].get(y) for y in WDI_YEARS)]
                for code in sorted(series))
    meta: list[list[str | None]] = [
        ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]]
    for code in sorted(series):
        c = figures.BY_ISO3.get(code)
        meta.append([code, c.wb[0] if c else None, c.wb[1] if c else None,
                     None if c else "Fixture aggregate.", names[code]])
    indicators = [["INDICATOR_CODE", "INDICATOR_NAME", "SOURCE_NOTE", "SOURCE_ORGANIZATION"],
                  [indicator, title, note, org]]
    return write_xls(folder / name, [("Data", rows), ("Metadata - Countries", meta),
                                     ("Metadata - Indicators", indicators)])


def wdi_remittances(folder: Path) -> list[Path]:
    received = {c: {y: v[0] for y, v in s.items()} for c, s in figures.REMITTANCES.items()}
    paid = {c: {y: v[1] for y, v in s.items()} for c, s in figures.REMITTANCES.items()}
    return [_wdi(folder, "wdi_BX.TRF.PWKR.CD.DT_personal-remittances-received.xls",
                 "BX.TRF.PWKR.CD.DT", received, True),
            _wdi(folder, "wdi_BM.TRF.PWKR.CD.DT_personal-remittances-paid.xls",
                 "BM.TRF.PWKR.CD.DT", paid, True)]


def wdi_costs(folder: Path) -> list[Path]:
    to = {c: s["to"] for c, s in figures.COSTS.items() if "to" in s}
    frm = {c: s["from"] for c, s in figures.COSTS.items() if "from" in s}
    return [_wdi(folder, "wdi_SI.RMT.COST.IB.ZS_sending-cost-to-country.xls",
                 "SI.RMT.COST.IB.ZS", to, False),
            _wdi(folder, "wdi_SI.RMT.COST.OB.ZS_sending-cost-from-country.xls",
                 "SI.RMT.COST.OB.ZS", frm, False)]


KNOMAD_YEARS = list(range(2000, 2023))
KNOMAD_NOTES = ["Note: All numbers are in current (nominal) US $.",
                ("For a discussion of the definition of remittances, see the World Bank's "
                 "Global Development Finance 2003 (fixture text)."),
                ("For latest data and analysis on migration and remittances, please visit "
                 "https://www.knomad.org/"),
                "Date: June 2023",
                "When using the data, please cite: World Bank-KNOMAD, June 2023"]


def knomad(folder: Path) -> list[Path]:
    """KNOMAD inflows (header on row 1) and outflows (row 1 blank, header on row 2 with a
    '% of GDP in 2022' column): countries by World Bank name, the low- and middle-income
    aggregate and the World, a blank row, then footnotes."""
    lmy = [c.iso3 for c in COUNTRIES if "LMY" in c.wb_groups]
    paths = []
    for i, (title, sheet_name, name) in enumerate([
            ("Remittance inflows (US$ million)", "Inward remittance flows",
             "knomad_remittance-inflows_june2023.xlsx"),
            ("Remittance outflows (US$ million)", "Outward remittance flows",
             "knomad_remittance-outflows_june2023.xlsx")]):
        def series(codes: list[str], i: int = i) -> list[float | None]:
            out: list[float | None] = []
            for y in KNOMAD_YEARS:
                vals = [figures.KNOMAD[c][y][i] for c in codes if y in figures.KNOMAD[c]]
                out.append(sum(vals) if vals else None)
            return out

        rows: list[list[Any]] = [[] for _ in range(i)]
        extra = ["% of GDP in 2022"] if i == 1 else []
        rows.append([title, *KNOMAD_YEARS, *extra])
        for c in sorted(COUNTRIES, key=lambda c: c.wb_name):
            values = series([c.iso3])
            if i == 1:
                last = values[-1]
                assert last is not None  # every fixture country has a 2022 outflow
                values.append(100 * last * 1e6 / figures.GDP[c.iso3][2022])
            rows.append([c.wb_name, *values])
        rows.append(["Low-and Middle-Income Countries", *series(lmy)])
        rows.append(["World", *series(ISO3)])
        rows += [[], []] + [[n] for n in KNOMAD_NOTES]
        book = openpyxl.Workbook()
        sheet = _first_sheet(book, sheet_name)
        for row in rows:
            sheet.append(row)
        path = folder / name
        book.save(path)
        paths.append(path)
    return paths


def bilateral_2017(folder: Path) -> Path:
    """Bilateral Remittance Matrix 2017 (US$ million): title in A1, 'receiving (across) /
    sending (down)' in A2 with receiving names across, one row per sending country, a
    WORLD column and row of totals, '-' where there is no estimate, notes below."""
    order = sorted(COUNTRIES, key=lambda c: c.wb_name)

    def cell(s: str, r: str) -> float | str:
        if (s, r) not in figures.BILATERAL_2017:
            return 0
        v = figures.BILATERAL_2017[(s, r)]
        return "-" if v is None else v

    def num(v: float | str) -> float:
        return 0 if v == "-" else float(v)

    rows: list[list[Any]] = [
        [("Bilateral Remittance Estimates for 2017 using Migrant Stocks, Host Country Incomes, "
          "and Origin Country Incomes (millions of US$) (April 2018 Version)")],
        ["receiving (across) / sending (down)", *(c.wb_name for c in order), "WORLD"]]
    for s in order:
        values = [cell(s.iso3, r.iso3) for r in order]
        rows.append([s.wb_name, *values, sum(num(v) for v in values)])
    totals = [sum(num(cell(s.iso3, r.iso3)) for s in order) for r in order]
    rows.append(["WORLD", *totals, sum(totals)])
    rows += [[], ["Notes:"],
             [("These estimates are made-up figures in the layout of the World Bank matrix "
               "(fixture file).")],
             ["They are not actual officially reported data."],
             ["These estimates are based on the Bilateral Migration Matrix 2017."]]
    book = openpyxl.Workbook()
    sheet = _first_sheet(book, "Bilateral_Remittances_2017")
    for row in rows:
        sheet.append(row)
    share = book.create_sheet("remshare")
    share.append(["# Income share sent as remittance"])
    share.append([0.04])
    path = folder / "WB_Bilateral_Remittance_Estimates_2017.xlsx"
    book.save(path)
    return path


RPW_PERIODS = ["2011Q1", "2011Q3", "2012Q1", "2012Q3",
               *[f"{y}Q{q}" for y in range(2013, 2021) for q in range(1, 5)][:-1]]
RPW_NAMES = {"USA": "United States of America"}


def rpw(folder: Path) -> Path:
    """Remittance Prices Worldwide DataBank export: UTF-8 with BOM, 'Receiving Countries
    Name/Code' with a double space, one column per period '2011Q1 [YR2011Q1]', '..' for
    no data, then three blank lines and the 'Data from database' / 'Last Updated' trailer."""
    header = ["Sending Countries Name", "Sending Countries Code", "Series Name", "Series Code",
              "Receiving Countries  Name", "Receiving Countries  Code",
              *(f"{p} [YR{p}]" for p in RPW_PERIODS)]
    rows = []
    for (s, r), costs in figures.RPW.items():
        rows.append([RPW_NAMES.get(s, figures.BY_ISO3[s].wb_name), s,
                     "Average Total Cost to remit in corridor", "ATCR.CORR",
                     RPW_NAMES.get(r, figures.BY_ISO3[r].wb_name), r,
                     *(costs.get(p, "..") for p in RPW_PERIODS)])
    rows.sort(key=lambda row: (row[0], row[4]))
    blank = [""] * len(header)
    trailer = [blank, blank, blank,
               ["Data from database: Remittance Prices Worldwide (Corridors)", *blank[1:]],
               ["Last Updated: 12/07/2020", *blank[1:]]]
    path = folder / "rpw_corridors_databank_2011Q1-2020Q3.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows, *trailer])
    return path


# ------------------------------------------------------------------ maps and Eurostat

def _box(lon0: float, lat0: float, lon1: float, lat1: float) -> list[list[float]]:
    return [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]


def natural_earth(folder: Path) -> Path:
    """Natural Earth admin-0 (GeoJSON, one feature per line as published): boxes for the
    countries (the Philippines as two islands), and an area without an ISO code
    ('-99'), which the adapter reports and leaves out."""
    features = []
    for c in COUNTRIES:
        if c.iso3 not in figures.SHAPES:
            continue
        lon0, lat0, lon1, lat1 = figures.SHAPES[c.iso3]
        if c.iso3 == "PHL":
            mid = (lat0 + lat1) / 2
            geometry: dict[str, Any] = {"type": "MultiPolygon",
                        "coordinates": [[_box(lon0, lat0, lon1, mid - 1)],
                                        [_box(lon0, mid + 1, lon1, lat1)]]}
        else:
            geometry = {"type": "Polygon", "coordinates": [_box(lon0, lat0, lon1, lat1)]}
        features.append(({"featurecla": "Admin-0 country", "scalerank": 1, "LABELRANK": 4,
                          "SOVEREIGNT": c.wb_name, "SOV_A3": c.iso3, "ADM0_DIF": 0,
                          "LEVEL": 2, "TYPE": "Sovereign country", "ADMIN": c.wb_name,
                          "ADM0_A3": c.iso3, "NAME": c.wb_name, "NAME_LONG": c.wb_name,
                          "FORMAL_EN": c.official_en, "ISO_A2": c.iso2, "ISO_A2_EH": c.iso2,
                          "ISO_A3": c.iso3, "ISO_A3_EH": c.iso3, "ISO_N3": f"{c.m49:03d}",
                          "ISO_N3_EH": f"{c.m49:03d}", "UN_A3": f"{c.m49:03d}",
                          "WB_A2": c.iso2, "WB_A3": c.iso3, "ADM0_ISO": c.iso3,
                          "CONTINENT": c.region[1], "REGION_UN": c.region[1],
                          "SUBREGION": c.subregion[1], "REGION_WB": c.wb[0],
                          "NAME_EN": c.wb_name}, geometry))
    features.append(({"featurecla": "Admin-0 country", "scalerank": 1, "LABELRANK": 5,
                      "SOVEREIGNT": "Somaliland", "SOV_A3": "SOL", "ADM0_DIF": 0, "LEVEL": 2,
                      "TYPE": "Indeterminate", "ADMIN": "Somaliland", "ADM0_A3": "SOL",
                      "NAME": "Somaliland", "NAME_LONG": "Somaliland",
                      "FORMAL_EN": "Republic of Somaliland", "ISO_A2": "-99",
                      "ISO_A2_EH": "-99", "ISO_A3": "-99", "ISO_A3_EH": "-99",
                      "ISO_N3": "-99", "ISO_N3_EH": "-99", "UN_A3": "-99", "WB_A2": "-99",
                      "WB_A3": "-99", "ADM0_ISO": "SOM", "CONTINENT": "Africa",
                      "REGION_UN": "Africa", "SUBREGION": "Eastern Africa",
                      "REGION_WB": "Sub-Saharan Africa", "NAME_EN": "Somaliland"},
                     {"type": "Polygon", "coordinates": [_box(43.0, 8.0, 48.9, 11.5)]}))
    lines = ['{', '"type": "FeatureCollection",', '"name": "ne_110m_admin_0_countries",',
             ('"crs": { "type": "name", "properties": { "name": '
              '"urn:ogc:def:crs:OGC:1.3:CRS84" } },'), '"features": [']
    body = [json.dumps({"type": "Feature", "properties": p, "geometry": g},
                       ensure_ascii=False) for p, g in features]
    lines.append(",\n".join(body))
    lines += [']', '}']
    path = folder / "ne_110m_admin_0_countries.geojson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def eurostat(folder: Path) -> Path:
    """Eurostat migr_imm5prv extract: partner,geo,year,value (OTHER = non-EU/EFTA)."""
    path = folder / "eurostat_migr_imm5prv_bilateral_total.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["partner", "geo", "year", "value"])
        for (partner, geo, year), value in sorted(figures.EUROSTAT.items()):
            out.writerow([partner, geo, year, float(value)])
    return path


# ------------------------------------------------------------------ all files, and the build

def write_sources(folder: Path) -> list[Path]:
    """Write every fixture file into `folder` (created); returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    return [country_codes(folder), un_annex(folder), wb_class(folder), wup_capitals(folder),
            ims_destination(folder, "2024"), ims_destination(folder, "2020"),
            ims_od_2024(folder), ims_od_2020_csv(folder), wpp2024_csv(folder),
            *wpp2019_csv(folder), unhcr_population(folder), *unhcr_asylum(folder),
            *wdi_remittances(folder),
            *knomad(folder), bilateral_2017(folder), rpw(folder), *wdi_costs(folder),
            natural_earth(folder), eurostat(folder), gdidata_wdi(folder)]


@contextmanager
def _small_country_codes() -> Iterator[None]:
    """Let the country-codes reader accept seven countries: its module's MIN_COUNTRIES
    (a complete edition lists 249; fewer means truncated) is lowered during the build.
    The module is the one the catalog names, so this follows the reader if it moves."""
    from tmo.sources.catalog import load_catalog

    module_name = load_catalog()["countries_iso"].editions[0].reader.partition(":")[0]
    module: Any = importlib.import_module(module_name)  # the reader's, named at run time
    if not hasattr(module, "MIN_COUNTRIES"):
        raise RuntimeError(f"{module_name} has no MIN_COUNTRIES any more: update "
                           "tests/fixture_store/make.py (_small_country_codes)")
    saved = module.MIN_COUNTRIES
    module.MIN_COUNTRIES = len(COUNTRIES)
    try:
        yield
    finally:
        module.MIN_COUNTRIES = saved


def _tmo_build():
    """The function `tmo build` runs: the pipeline (build, then the stored profiles) where
    it exists, else the plain build."""
    try:
        from tmo.pipeline import build_store as build
    except ModuleNotFoundError as exc:
        if exc.name != "tmo.pipeline":
            raise
        from tmo.store.build import build
    return build


def build_store(folder: Path):
    """Write the fixture files under `folder/sources` and build `folder/tmo.duckdb` from
    them as `tmo build --source-dir folder/sources --allow-changed-checksums` does;
    returns its BuildReport."""
    from tmo.config import Settings

    sources = folder / "sources"
    write_sources(sources)
    settings = Settings(home=folder, db_path=folder / "tmo.duckdb", cache_dir=folder / "cache",
                        source_dir=sources)
    with _small_country_codes():
        return _tmo_build()(settings, allow_changed=True)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "fixture-store").resolve()
    report = build_store(target)
    print(f"{report.db_path}: {sum(report.rows.values()):,} rows in {report.seconds:.1f} s")
