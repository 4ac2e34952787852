"""The corpus of corrupted official files: every case ends with one readable line.

Each case damages one real file of ../shared/data (tests/reliability/corrupt.py: a cell
set to inf, 1e30, -1, 'n/a' or text; a country's code set to 999; a column removed; a
header moved; the file truncated, its bytes flipped, emptied, re-encoded, replaced by a
compressed bomb; links, folders and permissions), lays out a source folder of links to
the other real files, and runs the real `tmo build --only <source>` (the click command,
in this process) into a folder holding a good store built once. Every case must end
with exit code 1 and one line starting with "error:" (and at most a "hint:" line), no
traceback, naming the file and the place (cell, line, row, feature, limit), and leave
the previous store byte-identical with no temporary file beside it: no case stores a
wrong figure. Most cases run with --allow-changed-checksums (the damage must be caught
by what reads the file); the `checksums` cases run without it (the checksum refuses
first), and the files without a declared checksum are read in a default build.

The compressed bombs also run as a separate `tmo build` process whose peak memory is
measured (`test_bombs_are_refused_in_little_memory`; figures in docs/reliability.md).

Speed: every build reads the four reference files before its source. What a reference
adapter returns for files of the same bytes (the same sha256, as resolved by the build
itself) is read once for the module and handed out as a deep copy (`reference_reads`);
a case that damages a reference file changes its bytes, so its damaged file is read for
real. This halves the module's time without changing what any case exercises.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from tmo.cli import cli
from tmo.config import Settings
from tmo.sources import snapshot
from tmo.sources.catalog import REFERENCE_SOURCES, load_catalog
from tmo.store import build as build_module
from tmo.store.build import build, read_all, resolve

from . import corrupt as c
from .corrupt import Mirror

pytestmark = pytest.mark.reliability

DEST24 = "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"
DEST20 = "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
OD_CSV = "ims2024_od_by_sex_long.csv.gz"
OD_CSV20 = "ims2020_od_by_sex_long.csv.gz"
OD_XLSX = "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
WPP_CSV = "WPP2024_Demographic_Indicators_Medium.csv.gz"
UNHCR = "population.rda"
APPLICATIONS, DECISIONS = "asylum_applications.rda", "asylum_decisions.rda"
SOLUTIONS, IDMC = "solutions.rda", "idmc.rda"
WDI = "wdi_BX.TRF.PWKR.CD.DT_personal-remittances-received.xls"
WDI_COST = "wdi_SI.RMT.COST.IB.ZS_sending-cost-to-country.xls"
KNOMAD = "knomad_remittance-inflows_june2023.xlsx"
BILATERAL = "WB_Bilateral_Remittance_Estimates_2017.xlsx"
RPW = "rpw_corridors_databank_2011Q1-2020Q3.csv"
EUROSTAT = "eurostat_migr_imm5prv_bilateral_total.csv"
NE = "ne_110m_admin_0_countries.geojson"
CODES = "country-codes.csv"
ANNEX = "aggregates_correspondence_table_2020_1.xlsx"
CLASS = "CLASS_wb_income_classification.xlsx"
WUP = "WUP2014-F13-Capital_Cities.xls"
LIMIT = r"exceeds? the limit of .* \(TMO_MAX_INPUT_(BYTES|ROWS|CELLS)\); refused"
CHECKSUM = r"sha256 .* differs from the .* declared"


@dataclass(frozen=True)
class Case:
    """One corrupted file. `make` damages the mirror and returns the place the message
    must name (a regular expression); `name` is the file the message must name."""

    id: str
    key: str  # the source built (--only)
    name: str
    make: Callable[[Mirror], str]
    allow: bool = True  # --allow-changed-checksums
    patch: Callable[[pytest.MonkeyPatch, Mirror], None] | None = None
    source_dir: Callable[[Mirror], Path] | None = None

    @property
    def kind(self) -> str:
        """The kind of file damaged: its format, or the file system."""
        if self.key == "files":
            return "file system"
        return next(kind for suffix, kind in KINDS if self.name.endswith(suffix))


KINDS = [(".csv.gz", "gzipped CSV"), (".csv", "CSV"), (".txt", "text table"),
         (".xlsx", "xlsx workbook"), (".xls", "xls workbook"), (".rda", "R data"),
         (".geojson", "GeoJSON")]


def put(name: str, data: bytes | Callable[[], bytes], place: str) -> Callable[[Mirror], str]:
    """A damage that replaces the file `name` by `data` (or what `data()` makes)."""
    def make(m: Mirror) -> str:
        m.replace(name, data() if callable(data) else data)
        return place
    return make


def located(name: str, make: Callable[[], tuple[bytes, str]]) -> Callable[[Mirror], str]:
    """A damage whose place is known once the damaged file is made."""
    def run(m: Mirror) -> str:
        data, place = make()
        m.replace(name, data)
        return place
    return run


# ------------------------------------------------------------------ the bilateral CSV

def _od_line(test: Callable[[list[str]], bool], name: str = OD_CSV) -> int:
    return c.line_of(name, test)


def _od_cell(column: int, value: str, name: str = OD_CSV, line: int = 6) -> bytes:
    return c.cell_edit(name, line, column, value)


def _od_damage(data: Callable[[], bytes], place: str, name: str = OD_CSV
               ) -> Callable[[Mirror], str]:
    return put(name, data, place)


def _od_header_moved() -> bytes:
    return c.edit_lines(OD_CSV, lambda ls: ["International migrant stock", "", *ls])


def _od_no_stock() -> bytes:
    return c.edit_lines(OD_CSV, lambda ls: [",".join(f for i, f in enumerate(x.split(","))
                                                     if i != 4) for x in ls])


def _comoros_999_od() -> tuple[bytes, str]:
    line = _od_line(lambda f: f[1] == "COM")
    return c.cell_edit(OD_CSV, line, 1, "999"), rf"line {line}, column orig_iso3: iso3 '999'"


BILATERAL_CSV = [
    Case("stock-1e30", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(4, "1e30"), r"line 6, column stock: '1e30' is outside")),
    Case("stock-inf", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(4, "inf"), r"line 6, column stock: 'inf' is not a finite")),
    Case("stock-negative", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(4, "-1"), r"line 6, column stock: '-1' is a negative")),
    Case("stock-n/a", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(4, "n/a"), r"line 6, column stock: 'n/a' is not a number")),
    Case("stock-empty", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(4, ""), r"line 6, column stock: '' is not a number")),
    Case("stock-thousands-separator", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(4, "1,234"), r"line 6")),
    Case("origin-unknown-code", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(1, "ZZZ"), r"line 6, column orig_iso3: iso3 'ZZZ' matches no")),
    Case("comoros-999", "ims_od_2024", OD_CSV, located(OD_CSV, _comoros_999_od)),
    Case("year-text", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(0, "20x1"), r"line 6, column year: '20x1' is not a year")),
    Case("year-3000", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(0, "3000"), r"line 6, column year: '3000' is outside")),
    Case("sex-unknown", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(3, "everyone"), r"line 6, column sex: 'everyone'")),
    Case("line-repeated", "ims_od_2024", OD_CSV, _od_damage(
        lambda: c.edit_lines(OD_CSV, lambda ls: [*ls[:6], ls[5], *ls[6:]]),
        r"line 7, column orig_iso3: .* repeats .* of line 6")),
    Case("column-removed", "ims_od_2024", OD_CSV, _od_damage(
        _od_no_stock, r"line 1: missing columns \['stock'\]")),
    Case("header-moved", "ims_od_2024", OD_CSV, _od_damage(
        _od_header_moved, r"line 3")),
    Case("truncated", "ims_od_2024", OD_CSV, _od_damage(
        lambda: c.truncated(OD_CSV), r"unreadable CSV")),
    Case("bytes-flipped", "ims_od_2024", OD_CSV, _od_damage(
        lambda: c.flipped(OD_CSV), r"unreadable CSV")),
    Case("empty", "ims_od_2024", OD_CSV, _od_damage(lambda: b"", r"unreadable CSV")),
    Case("utf-16", "ims_od_2024", OD_CSV, _od_damage(
        lambda: c.gz(c.text(OD_CSV), "utf-16"), r"unreadable CSV")),
    Case("not-gzip", "ims_od_2024", OD_CSV, _od_damage(
        lambda: c.text(OD_CSV).encode(), r"unreadable CSV")),
    Case("gzip-bomb", "ims_od_2024", OD_CSV, _od_damage(
        c.gzip_bomb, rf"decompressed, the file {LIMIT}")),
    Case("checksums-on", "ims_od_2024", OD_CSV, _od_damage(
        lambda: _od_cell(4, "1e30"), CHECKSUM), allow=False),
    Case("2020-stock-1e30", "ims_od_2020", OD_CSV20, _od_damage(
        lambda: _od_cell(4, "1e30", OD_CSV20), r"line 6, column stock: '1e30'", OD_CSV20)),
]


# ------------------------------------------------------------------ IMS workbooks

def _comoros(name: str, code_column: str) -> int:
    return c.row_with(name, "Table 1", code_column, "174")


def _ims_cell(name: str, sheet: str, ref: str, value: str, kind: str = "n") -> bytes:
    return c.xlsx_cell(name, sheet, ref, value, kind=kind)


def _ims(sheet: str, column: str, value: str, place: str, *, kind: str = "n",
         name: str = DEST24, code: str = "E") -> Callable[[Mirror], str]:
    """A damage of the cell of Comoros (row found by its code 174) in `column`."""
    def make() -> tuple[bytes, str]:
        row = _comoros(name, code)
        return (_ims_cell(name, sheet, f"{column}{row}", value, kind),
                place.format(cell=f"{column}{row}", row=row))
    return located(name, make)


def _label(old: str, new: str, name: str = DEST24) -> Callable[[], bytes]:
    return lambda: c.shared_string(name, old, new)


IMS = [
    Case("t1-stock-1e30", "ims_destination_2024", DEST24, _ims(
        "Table 1", "F", "1e30", r"sheet 'Table 1', cell {cell}: 1e\+30 is outside the "
        r"plausible range of a migrant stock")),
    Case("t1-stock-inf", "ims_destination_2024", DEST24, _ims(
        "Table 1", "F", "inf", r"sheet 'Table 1', cell {cell}: 'inf' is not a finite number")),
    Case("t1-stock-nan", "ims_destination_2024", DEST24, _ims(
        "Table 1", "H", "NaN", r"sheet 'Table 1', cell {cell}: 'NaN' is not a finite")),
    Case("t1-stock-n/a", "ims_destination_2024", DEST24, _ims(
        "Table 1", "F", "n/a", r"sheet 'Table 1', cell {cell}: 'n/a' is not a number",
        kind="text")),
    Case("t1-stock-negative", "ims_destination_2024", DEST24, _ims(
        "Table 1", "F", "-1", r"sheet 'Table 1', cell {cell}: negative figure -1")),
    Case("t1-comoros-999", "ims_destination_2024", DEST24, _ims(
        "Table 1", "E", "999", r"sheet 'Table 1', row {row}, column E \(Location code\): "
        r"m49 999 matches no country")),
    Case("t1-code-text", "ims_destination_2024", DEST24, _ims(
        "Table 1", "E", "abc", r"sheet 'Table 1', cell {cell}: location code 'abc' is not an "
        r"M49 number", kind="text")),
    Case("t2-population-1e12", "ims_destination_2024", DEST24, _ims(
        "Table 2", "E", "1e12", r"sheet 'Table 2', cell {cell}: 1e\+12 \(x 1,000 = .*\) is "
        r"outside the plausible range of a population")),
    Case("t3-share-500", "ims_destination_2024", DEST24, _ims(
        "Table 3", "F", "500", r"sheet 'Table 3', cell {cell}: 500 is outside the plausible "
        r"range of a share")),
    Case("column-renamed", "ims_destination_2024", DEST24, put(
        DEST24, _label("Location code", "Code"), r"sheet 'Table 1', row 11: expected columns")),
    Case("header-moved", "ims_destination_2024", DEST24, put(
        DEST24, _label("Region, development group, country or area", "Region"),
        r"sheet 'Table 1', row 11: expected the header")),
    Case("block-label", "ims_destination_2024", DEST24, put(
        DEST24, _label("International migrant stock at mid-year, both sexes combined",
                       "International migrant stock at mid-year, adults"),
        r"sheet 'Table 1', row 8: block label .*adults")),
    Case("sheet-renamed", "ims_destination_2024", DEST24, put(
        DEST24, lambda: c.sheet_renamed(DEST24, "Table 1", "Tabla 1"), r"no sheet 'Table 1'")),
    Case("truncated", "ims_destination_2024", DEST24, put(
        DEST24, lambda: c.truncated(DEST24, 0.6), r"not a readable xlsx")),
    Case("bytes-flipped", "ims_destination_2024", DEST24, put(
        DEST24, lambda: c.flipped(DEST24, 0.3, 256), r"not a readable xlsx")),
    Case("empty", "ims_destination_2024", DEST24, put(DEST24, b"", r"not a readable xlsx")),
    Case("html-page", "ims_destination_2024", DEST24, put(
        DEST24, b"<html><body>503 Service Unavailable</body></html>", r"not a readable xlsx")),
    Case("zip-bomb", "ims_destination_2024", DEST24, put(
        DEST24, lambda: c.zip_bomb(DEST24, c.sheet_part(DEST24, "Table 1")),
        rf"its parts \(1,0\d\d MiB decompressed\) {LIMIT}")),
    Case("dimension-bomb", "ims_destination_2024", DEST24, put(
        DEST24, lambda: c.dimension(DEST24, "Table 1", "A1:XFD1048576"),
        rf"sheet 'Table 1': 1,048,576 rows x 16,384 columns = 17,179,869,184 cells {LIMIT}")),
    Case("checksums-on", "ims_destination_2024", DEST24, _ims(
        "Table 1", "F", "1e30", CHECKSUM), allow=False),
    Case("2020-t1-stock-1e30", "ims_destination_2020", DEST20, _ims(
        "Table 1", "F", "1e30", r"sheet 'Table 1', cell {cell}: 1e\+30 is outside",
        name=DEST20, code="D")),
    Case("2020-t1-comoros-999", "ims_destination_2020", DEST20, _ims(
        "Table 1", "D", "999", r"sheet 'Table 2', row {row}: location code 174 differs from "
        r"Table 1's 999", name=DEST20, code="D")),
    Case("2020-t6-share-inf", "ims_destination_2020", DEST20, _ims(
        "Table 6", "F", "inf", r"sheet 'Table 6', cell {cell}: 'inf' is not a finite",
        name=DEST20, code="D")),
    # the official files without a declared checksum, read in a default build
    Case("od-workbook-zip-bomb", "ims_od_2024", OD_XLSX, put(
        OD_XLSX, lambda: c.zip_bomb(DEST24, c.sheet_part(DEST24, "Table 1")),
        rf"its parts \(1,0\d\d MiB decompressed\) {LIMIT}"), allow=False),
    Case("od-workbook-html", "ims_od_2024", OD_XLSX, put(
        OD_XLSX, b"<html>moved</html>", r"not a readable xlsx"), allow=False),
]


# ------------------------------------------------------------------ WPP

def _rda_double(name: str, obj: str, column: str, value: float, place: str,
                where: Callable | None = None) -> Callable[[Mirror], str]:
    def make() -> tuple[bytes, str]:
        data, row = c.rda_double(name, obj, column, value, where)
        return data, place.format(row=row)
    return located(name, make)


def _popm(value: str, place: str, name: str = "popM.txt") -> Callable[[Mirror], str]:
    def make() -> tuple[bytes, str]:
        line = c.line_of(name, lambda f: f[0] == "174", sep="\t")
        return c.cell_edit(name, line, "1950", value, sep="\t"), place.format(line=line)
    return located(name, make)


def _comoros_999_rda() -> tuple[bytes, str]:
    data, row = c.rda_int("misc1dt.rda", "misc1dt", "country_code", 174, 999)
    return data, rf"column 'country_code' row {row}: location code 999 is not in UNlocations"


def _comoros_999_txt() -> tuple[bytes, str]:
    line = c.line_of("popM.txt", lambda f: f[0] == "174", sep="\t")
    return (c.cell_edit("popM.txt", line, "country_code", "999", sep="\t"),
            (rf"column 'country_code' line {line}: location code 999 is not in UNlocations.txt, "
            r"which codes 'Comoros' as 174"))


WPP = [
    Case("births-inf", "wpp2024", "misc1dt.rda", _rda_double(
        "misc1dt.rda", "misc1dt", "births", float("inf"),
        r"object misc1dt: column 'births' row {row}: inf is not a finite number")),
    Case("births-negative", "wpp2024", "misc1dt.rda", _rda_double(
        "misc1dt.rda", "misc1dt", "deaths", -5.0,
        r"object misc1dt: column 'deaths' row {row}: negative count -5")),
    Case("comoros-999", "wpp2024", "misc1dt.rda", located("misc1dt.rda", _comoros_999_rda)),
    Case("population-na", "wpp2024", "popAge5dt.rda", _rda_double(
        "popAge5dt.rda", "popAge5dt", "popF", float("nan"),
        r"object popAge5dt: column 'popF' row {row}: the cell is empty \(no figure\), but a "
        r"figure is required here")),
    Case("population-1e30", "wpp2024", "popAge5dt.rda", _rda_double(
        "popAge5dt.rda", "popAge5dt", "pop", 1e30,
        r"object popAge5dt: column 'pop' row {row}: 1e\+30 is outside")),
    Case("gdidata-population-1e30", "wpp2024", "gdidata_wdi.rda", _rda_double(
        "gdidata_wdi.rda", "wdi", "v", 1e30,
        r"object wdi \(var 'pop'\): column 'v' row {row}: 1e\+30 is outside",
        lambda f: f["var"] == "pop")),
    Case("gdidata-gdp-1e30", "wdi_gdp", "gdidata_wdi.rda", _rda_double(
        "gdidata_wdi.rda", "wdi", "v", 1e30,
        r"object wdi \(var 'gdp'\): column 'v' row {row}: 1e\+30 is outside",
        lambda f: f["var"] == "gdp")),
    Case("rda-truncated", "wpp2024", "misc1dt.rda", put(
        "misc1dt.rda", lambda: c.truncated("misc1dt.rda"), r"not a readable R data file")),
    Case("rda-bomb", "wpp2024", "misc1dt.rda", put(
        "misc1dt.rda", lambda: c.gzip_bomb(prefix=b"RDX2\nX\n"),
        rf"decompressed, the file {LIMIT}")),
    Case("rda-column-renamed", "wpp2024", "misc1dt.rda", put(
        "misc1dt.rda", lambda: c.rda_string("misc1dt.rda", "births", "birthz", -1),
        r"object misc1dt: missing columns \['births'\]")),
    Case("rda-checksums-on", "wpp2024", "misc1dt.rda", _rda_double(
        "misc1dt.rda", "misc1dt", "births", 1e30, CHECKSUM), allow=False),
    Case("official-csv-gzip-bomb", "wpp2024", WPP_CSV, put(
        WPP_CSV, c.gzip_bomb, rf"decompressed, the file {LIMIT}"),
        allow=False),
    Case("official-csv-damaged", "wpp2024", WPP_CSV, put(
        WPP_CSV, b"\x1f\x8b\x08\x00garbage", r"unreadable CSV"), allow=False),
    Case("2019-text-n/a", "wpp2019", "popM.txt", _popm(
        "n/a", r"popM.txt: column '1950' row {line}: 'n/a' is not a number")),
    Case("2019-text-empty", "wpp2019", "popM.txt", _popm(
        "", r"popM.txt: column '1950' row {line}: the cell is empty \(no figure\), but a "
        r"figure is required here")),
    Case("2019-text-inf", "wpp2019", "popM.txt", _popm(
        "inf", r"popM.txt: column '1950' row {line}: inf is not a finite number")),
    Case("2019-comoros-999", "wpp2019", "popM.txt", located("popM.txt", _comoros_999_txt)),
    Case("2019-migration-text", "wpp2019", "migration.txt", put(
        "migration.txt", lambda: c.cell_edit("migration.txt", 3, "1950-1955", "x", sep="\t"),
        r"migration.txt: column '1950-1955' row 3: 'x' is not a number")),
    Case("2019-ddf-negative", "wpp2019", "ddf--datapoints--births--by--country--time--freq.csv",
         put("ddf--datapoints--births--by--country--time--freq.csv",
             lambda: c.cell_edit("ddf--datapoints--births--by--country--time--freq.csv", 2,
                                 "births", "-1"),
             r"column 'births' row 2: negative count -1")),
    Case("2019-column-removed", "wpp2019", "popF.txt", put(
        "popF.txt", lambda: c.edit_lines("popF.txt", lambda ls: [
            "\t".join(f for i, f in enumerate(x.split("\t")) if i != 2) for x in ls]),
        r"popF.txt: missing columns \['age'\]")),
    Case("2019-truncated", "wpp2019", "popM.txt", put(
        "popM.txt", lambda: c.truncated("popM.txt"),
        r"popM.txt: column '\d{4}' row \d+: the cell is empty \(no figure\)")),  # cut line
    Case("2019-utf-16", "wpp2019", "popM.txt", put(
        "popM.txt", lambda: c.text("popM.txt").encode("utf-16"), r"unreadable CSV")),
    Case("2019-checksums-on", "wpp2019", "popM.txt", _popm("n/a", CHECKSUM), allow=False),
]


# ------------------------------------------------------------------ UNHCR

def _unknown_origin() -> tuple[bytes, str]:
    data = c.rda_string(UNHCR, "UNK", "ZZZ")
    return data, (r"population.rda, sheet 'population', row 1, column coo_iso: unhcr 'ZZZ' "
                  r"matches no")


UNHCR_CASES = [
    Case("refugees-1e30", "unhcr", UNHCR, _rda_double(
        UNHCR, "population", "refugees", 1e30,
        r"object population: column 'refugees' row {row}: 1e\+30 is outside")),
    Case("refugees-negative", "unhcr", UNHCR, _rda_double(
        UNHCR, "population", "refugees", -1.0, r"column 'refugees' row {row}: negative")),
    Case("year-3000", "unhcr", UNHCR, put(
        UNHCR, lambda: c.rda_double_at(UNHCR, "population", "year", 7, 3000.0),
        r"column 'year' row 7: 3000 is outside")),
    Case("origin-unknown-code", "unhcr", UNHCR, located(UNHCR, _unknown_origin)),
    Case("object-renamed", "unhcr", UNHCR, put(
        UNHCR, lambda: c.rda_string(UNHCR, "population", "populatioN"),
        r"no data frame 'population'")),
    Case("column-renamed", "unhcr", UNHCR, put(
        UNHCR, lambda: c.rda_string(UNHCR, "refugees", "refugeeZ"),
        r"missing columns \['refugees'\]")),
    Case("truncated", "unhcr", UNHCR, put(
        UNHCR, lambda: c.truncated(UNHCR, 0.7), r"not a readable R data file")),
    Case("bomb", "unhcr", UNHCR, put(
        UNHCR, lambda: c.gzip_bomb(prefix=b"RDX3\nX\n"),
        rf"decompressed, the file {LIMIT}")),
    Case("checksums-on", "unhcr", UNHCR, _rda_double(
        UNHCR, "population", "refugees", 1e30, CHECKSUM), allow=False),
    # the asylum, solutions and IDMC files (one case each: the adapters share the guards)
    Case("idps-negative", "idmc", IDMC, _rda_double(
        IDMC, "idmc", "total", -1.0, r"object idmc: column 'total' row {row}: negative")),
    Case("truncated", "unhcr_solutions", SOLUTIONS, put(
        SOLUTIONS, lambda: c.truncated(SOLUTIONS, 0.7), r"not a readable R data file")),
    Case("truncated", "unhcr_asylum_decisions", DECISIONS, put(
        DECISIONS, lambda: c.truncated(DECISIONS, 0.7), r"not a readable R data file")),
    Case("checksums-on", "unhcr_asylum_applications", APPLICATIONS, put(
        APPLICATIONS, lambda: c.truncated(APPLICATIONS, 0.7), CHECKSUM), allow=False),
]


# ------------------------------------------------------------------ World Bank

def _xls_number(name: str, value: float, place: str, **kw: int) -> Callable[[Mirror], str]:
    def make() -> tuple[bytes, str]:
        data, row, col = c.xls_number(name, value, **kw)
        return data, place.format(row=row, col=col)
    return located(name, make)


def _wdi_text(row: int, col: int, value: str) -> Callable[[], bytes]:
    def edit(book: dict) -> None:
        book["Data"].iat[row, col] = value
    return lambda: c.as_xlsx(WDI, edit)


def _knomad(value: str, place: str, kind: str = "n") -> Callable[[Mirror], str]:
    sheet = "Inward remittance flows"
    return put(KNOMAD, lambda: c.xlsx_cell(KNOMAD, sheet, "B3", value, kind=kind), place)


def _bilateral(value: str, place: str, kind: str = "n") -> Callable[[Mirror], str]:
    sheet = "Bilateral_Remittances_2017"
    return put(BILATERAL, lambda: c.xlsx_cell(BILATERAL, sheet, "C12", value, kind=kind), place)


WORLD_BANK = [
    Case("wdi-1e30", "wdi_remittances", WDI, _xls_number(
        WDI, 1e30, r"sheet Data row {row} column \d{{4}}: 1e\+30 is outside the plausible "
        r"range of an amount of money")),
    Case("wdi-inf", "wdi_remittances", WDI, _xls_number(
        WDI, float("inf"), r"sheet Data row {row} column \d{{4}}: inf is not a finite")),
    Case("wdi-negative", "wdi_remittances", WDI, _xls_number(
        WDI, -5.0, r"sheet Data row {row} column \d{{4}}: -5 is negative")),
    Case("wdi-n/a", "wdi_remittances", WDI, put(
        WDI, _wdi_text(4, 40, "n/a"), r"sheet Data row 5 column 1996: 'n/a' is not a number")),
    Case("wdi-dots", "wdi_remittances", WDI, put(
        WDI, _wdi_text(4, 40, ".."), r"sheet Data row 5 column 1996: '..' is not a number")),
    Case("wdi-unknown-code", "wdi_remittances", WDI, put(
        WDI, _wdi_text(4, 1, "ZZZ"),
        r"sheet 'Data', row 5, column B \(Country Code\): wb 'ZZZ' matches no")),
    Case("wdi-header-moved", "wdi_remittances", WDI, put(
        WDI, _wdi_text(3, 1, "Code"), r"sheet Data: expected header .* on row 4")),
    Case("wdi-truncated", "wdi_remittances", WDI, put(
        WDI, lambda: c.truncated(WDI, 0.5), r"cannot read the workbook")),
    Case("wdi-not-a-workbook", "wdi_remittances", WDI, put(
        WDI, lambda: c.flipped(WDI, 0.0, 512), r"cannot read the workbook")),
    Case("wdi-checksums-on", "wdi_remittances", WDI, _xls_number(WDI, 1e30, CHECKSUM),
         allow=False),
    Case("cost-150", "wdi_remittance_costs", WDI_COST, _xls_number(
        WDI_COST, 150.0, r"sheet Data row {row} column \d{{4}}: 150 is outside the plausible "
        r"range of a cost")),
    Case("knomad-1e30", "knomad_remittances", KNOMAD, _knomad(
        "1e30", r"sheet Inward remittance flows row 3 column 2000: 1e\+30 is outside")),
    Case("knomad-n/a", "knomad_remittances", KNOMAD, _knomad(
        "n/a", r"row 3 column 2000: 'n/a' is not a number", "text")),
    Case("knomad-unknown-name", "knomad_remittances", KNOMAD, put(
        KNOMAD, lambda: c.shared_string(KNOMAD, "Albania", "Atlantis"),
        r"sheet 'Inward remittance flows', row 3, column A \(name\): name 'Atlantis'")),
    Case("knomad-header", "knomad_remittances", KNOMAD, put(
        KNOMAD, lambda: c.shared_string(KNOMAD, "Remittance inflows (US$ million)", "Inflows"),
        r"header cell .* not found in column A of rows 1-5")),
    Case("bilateral-text", "wb_bilateral_remittances_2017", BILATERAL, _bilateral(
        "x", r"row 12 column Albania: 'x' is not a number", "text")),
    Case("bilateral-1e30", "wb_bilateral_remittances_2017", BILATERAL, _bilateral(
        "1e30", r"row 12 column Albania: 1e\+30 is outside")),
]


# ------------------------------------------------------------------ CSV sources

def _rpw(value: str, place: str, column: str = "2013Q2 [YR2013Q2]"
         ) -> Callable[[Mirror], str]:
    def make() -> tuple[bytes, str]:
        line = c.csv_line(RPW, lambda r: r["2013Q2 [YR2013Q2]"] not in ("..", ""))
        return c.csv_cell(RPW, line, column, value), place.format(line=line)
    return located(RPW, make)


def _eurostat(column: str, value: str, place: str) -> Callable[[Mirror], str]:
    return put(EUROSTAT, lambda: c.cell_edit(EUROSTAT, 2, column, value), place)


CSV = [
    Case("rpw-cost-150", "rpw_corridors", RPW, _rpw(
        "150", r"row {line} column 2013Q2 \[YR2013Q2\]: '150' is outside the plausible range "
        r"of a cost")),
    Case("rpw-cost-n/a", "rpw_corridors", RPW, _rpw(
        "n/a", r"row {line} column 2013Q2 \[YR2013Q2\]: 'n/a' is not a number")),
    Case("rpw-cost-inf", "rpw_corridors", RPW, _rpw(
        "inf", r"row {line} column 2013Q2 \[YR2013Q2\]: 'inf' is not a finite")),
    Case("rpw-unknown-sender", "rpw_corridors", RPW, _rpw(
        "ZZZ", r"line {line}, column Sending Countries Code: wb 'ZZZ' matches no",
        "Sending Countries Code")),
    Case("rpw-truncated", "rpw_corridors", RPW, put(
        RPW, lambda: c.truncated(RPW, 0.5), r"trailer line 'Last Updated: ...' not found")),
    Case("rpw-utf-16", "rpw_corridors", RPW, put(
        RPW, lambda: c.text(RPW).encode("utf-16"), r"unreadable CSV")),
    Case("rpw-checksums-on", "rpw_corridors", RPW, _rpw("150", CHECKSUM), allow=False),
    Case("eurostat-inf", "eurostat_immigration", EUROSTAT, _eurostat(
        "value", "inf", r"line 2, column value: 'inf' is not a finite")),
    Case("eurostat-1e30", "eurostat_immigration", EUROSTAT, _eurostat(
        "value", "1e30", r"line 2, column value: '1e30' is outside")),
    Case("eurostat-negative", "eurostat_immigration", EUROSTAT, _eurostat(
        "value", "-4", r"line 2: value '-4' is not a non-negative number")),
    Case("eurostat-unknown-partner", "eurostat_immigration", EUROSTAT, _eurostat(
        "partner", "QQ", r"line 2, column partner: iso2 'QQ' matches no")),
    Case("eurostat-year", "eurostat_immigration", EUROSTAT, _eurostat(
        "year", "20x1", r"line 2: year '20x1' is not a year")),
]


# ------------------------------------------------------------------ GeoJSON and reference

def _geojson(old: str, new: str) -> Callable[[], bytes]:
    return lambda: c.original(NE).replace(old.encode(), new.encode(), 1)


def _codes_m49(value: str) -> Callable[[], bytes]:
    line = c.csv_line(CODES, lambda r: r["ISO3166-1-Alpha-3"] == "COM")
    return lambda: c.csv_cell(CODES, line, "M49", value)


def _annex(value: str, kind: str = "n") -> Callable[[], bytes]:
    return lambda: c.xlsx_cell(ANNEX, "Annex", "D13", value, kind=kind)


OTHER = [
    Case("geojson-1e30", "natural_earth", NE, put(
        NE, _geojson("[ [ [ [ 180.0", "[ [ [ [ 1e30"),
        r"feature 1 \(Fiji\): bad geometry: 1e\+30 is not a longitude")),
    Case("geojson-nan", "natural_earth", NE, put(
        NE, _geojson("[ [ [ [ 180.0", "[ [ [ [ NaN"), r"not valid GeoJSON .*NaN")),
    Case("geojson-truncated", "natural_earth", NE, put(
        NE, lambda: c.truncated(NE), r"not valid GeoJSON")),
    Case("geojson-checksums-on", "natural_earth", NE, put(
        NE, _geojson("[ [ [ [ 180.0", "[ [ [ [ 1e30"), CHECKSUM), allow=False),
    Case("codes-m49-text", "countries_iso", CODES, put(
        CODES, _codes_m49("four"), r"line \d+ column M49: 'four' is not a valid code")),
    Case("codes-truncated", "countries_iso", CODES, put(
        CODES, lambda: c.truncated(CODES, 0.1), r"rows with codes, expected at least 240")),
    Case("codes-utf-16", "countries_iso", CODES, put(
        CODES, lambda: c.text(CODES).encode("utf-16"), r"unreadable CSV")),
    Case("annex-code-inf", "countries_iso", ANNEX, put(
        ANNEX, _annex("inf"), r"sheet 'Annex', cell D13: 'inf' is not a finite")),
    Case("annex-code-1e30", "countries_iso", ANNEX, put(
        ANNEX, _annex("1e30"), r"sheet Annex, row 13: a location or group code is not a "
        r"number")),
    Case("annex-sheet-renamed", "countries_iso", ANNEX, put(
        ANNEX, lambda: c.sheet_renamed(ANNEX, "Annex", "Anexo"), r"no sheet 'Annex'")),
    Case("class-code", "countries_iso", CLASS, put(
        CLASS, lambda: c.shared_string(CLASS, "ABW", "AB!"),
        r"sheet 'List of economies', row \d+, column Code: 'AB!' is not a 3-character code")),
    Case("capitals-latitude-1e30", "countries_iso", WUP, _xls_number(
        WUP, 1e30, r"sheet DATA, row {row}, column 'Latitude': 1e\+30 is outside",
        min_row=17, column=7)),
    Case("capitals-checksums-on", "countries_iso", WUP, _xls_number(
        WUP, 1e30, CHECKSUM, min_row=17, column=7), allow=False),
]


# ------------------------------------------------------------------ the file system

def _link(target: str | Callable[[Path], Path], place: str) -> Callable[[Mirror], str]:
    def make(m: Mirror) -> str:
        path = m.path(RPW)
        path.unlink()
        path.symlink_to(target(path) if callable(target) else target)
        return place
    return make


def _loop(path: Path) -> Path:
    other = path.with_name("loop.csv")
    other.symlink_to(path)
    return other


def _fifo(m: Mirror) -> str:
    path = m.path(RPW)
    path.unlink()
    os.mkfifo(path)
    return r"is not a regular file but a named pipe"


def _folder(m: Mirror) -> str:
    path = m.path(RPW)
    path.unlink()
    path.mkdir()
    return r"not found under .*lacks " + re.escape(RPW)


def _missing(m: Mirror) -> str:
    m.path(RPW).unlink()
    return r"not found under .*lacks " + re.escape(RPW)


def _no_read(monkeypatch: pytest.MonkeyPatch, m: Mirror) -> None:
    """Permission to read the file is denied (root bypasses chmod, so os.access, which
    the build asks, answers no)."""
    denied = os.path.realpath(m.path(RPW))
    real_access = os.access
    monkeypatch.setattr(snapshot.os, "access",
                        lambda p, mode: os.path.realpath(p) != denied and real_access(p, mode))


def _no_list(monkeypatch: pytest.MonkeyPatch, m: Mirror) -> None:
    """A folder of the mirror cannot be listed (as a user without permission sees it)."""
    folder = str(m.path(RPW).parent)
    real_scandir = os.scandir

    def scandir(path: str = ".") -> object:
        if str(path) == folder:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)
    monkeypatch.setattr(os, "scandir", scandir)


def _no_list_root(monkeypatch: pytest.MonkeyPatch, m: Mirror) -> None:
    root = str(m.root)
    real_access = os.access
    monkeypatch.setattr(snapshot.os, "access",
                        lambda p, mode: str(p) != root and real_access(p, mode))


def _as_file(m: Mirror) -> Path:
    path = m.root.parent / "not-a-folder.txt"
    path.write_text("x")
    return path


def _dangling_root(m: Mirror) -> Path:
    path = m.root.parent / "gone"
    path.symlink_to(m.root.parent / "nowhere")
    return path


FILES = [
    Case("missing-file", "files", RPW, _missing),
    Case("dangling-symlink", "files", RPW, _link(
        "/nonexistent/rpw.csv", r"is a symbolic link to '/nonexistent/rpw.csv', which does not "
        r"exist \(a dangling link\)")),
    Case("symlink-loop", "files", RPW, _link(_loop, r"in a loop of links")),
    Case("symlink-to-device", "files", RPW, _link(
        "/dev/zero", r"is not a regular file but a character device")),
    Case("fifo", "files", RPW, _fifo),
    Case("folder-named-like-the-file", "files", RPW, _folder),
    Case("unreadable-file", "files", RPW, lambda m: r"cannot be read: permission denied",
         patch=_no_read),
    Case("unreadable-folder", "files", RPW,
         lambda m: r"lacks .*could not be searched, e.g. .*remittance_prices: cannot be listed",
         patch=_no_list),
    Case("source-dir-missing", "files", "source directory", lambda m: r"does not exist",
         source_dir=lambda m: m.root.parent / "absent"),
    Case("source-dir-is-a-file", "files", "not-a-folder.txt",
         lambda m: r"is a file, not a folder", source_dir=_as_file),
    Case("source-dir-dangling", "files", "gone", lambda m: r"a dangling link",
         source_dir=_dangling_root),
    Case("source-dir-unreadable", "files", "source directory",
         lambda m: r"cannot be listed: permission denied", patch=_no_list_root),
]

CASES = [*BILATERAL_CSV, *IMS, *WPP, *UNHCR_CASES, *WORLD_BANK, *CSV, *OTHER, *FILES]


def _key(case: Case) -> str:
    return "rpw_corridors" if case.key == "files" else case.key


# ------------------------------------------------------------------ running a case

def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module", autouse=True)
def reference_reads() -> Iterator[dict]:
    """Read each reference source's files once per distinct content (see the module's
    docstring); returns the cache, keyed by source and (file, sha256) pairs."""
    read = build_module._read
    cache: dict = {}

    def cached(res):
        if res.spec.key not in REFERENCE_SOURCES:
            return read(res)
        key = (res.spec.key, tuple((s.file, s.sha256) for s in res.snapshots))
        if key not in cache:
            cache[key] = read(res)
        return copy.deepcopy(cache[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(build_module, "_read", cached)
        yield cache


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small good store (the reference and RPW corridors), built once."""
    home = tmp_path_factory.mktemp("good")
    from ..conftest import DATA

    settings = Settings(home=home, db_path=home / "tmo.duckdb", cache_dir=home / "cache",
                        source_dir=DATA)
    return build(settings, keys=["rpw_corridors"]).db_path


@pytest.mark.parametrize("case", CASES, ids=[f"{c.key}-{c.id}" for c in CASES])
def test_corrupted_file(case: Case, good_store: Path, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch) -> None:
    mirror = Mirror(tmp_path / "mirror")
    place = case.make(mirror)
    folder = tmp_path / "store"
    folder.mkdir()
    store = Path(shutil.copy(good_store, folder / "tmo.duckdb"))
    before = digest(store)
    if case.patch is not None:
        case.patch(monkeypatch, mirror)
    source_dir = case.source_dir(mirror) if case.source_dir else mirror.root
    args = ["build", "--source-dir", str(source_dir), "--db", str(store), "--only", _key(case)]
    result = CliRunner().invoke(cli, [*args, *(["--allow-changed-checksums"] * case.allow)],
                                env={"COLUMNS": "200"})
    monkeypatch.undo()
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    assert "Traceback" not in result.output
    assert lines, result.output
    assert lines[0].startswith("error: "), result.output
    assert all(ln.startswith("hint: ") for ln in lines[1:]), result.output
    message = lines[0]
    assert case.name in message, message
    assert re.search(place, message), f"{place!r} not in {message!r}"
    assert digest(store) == before
    assert [p.name for p in folder.iterdir() if ".building-" in p.name] == []


def test_the_corpus_covers_every_source_type() -> None:
    """At least 80 cases, on every kind of file and every source the build reads, with
    the checksums on and off."""
    kinds = Counter(case.kind for case in CASES)
    sources = Counter(case.key for case in CASES)
    assert len(CASES) >= 80
    assert set(kinds) == {kind for _, kind in KINDS} | {"file system"}
    assert min(kinds.values()) >= 4
    assert set(load_catalog()) - set(REFERENCE_SOURCES) <= set(sources)
    assert sum(not case.allow for case in CASES) >= 8  # with the checksums on


def test_the_untouched_mirror_reads(tmp_path: Path) -> None:
    """The control: the same mirror of links, undamaged, is read without an error by
    every adapter (so each case above fails because of its damage)."""
    mirror = Mirror(tmp_path / "mirror")
    settings = Settings(home=tmp_path, db_path=tmp_path / "s.duckdb", cache_dir=tmp_path / "c",
                        source_dir=mirror.root)
    resolved = resolve(settings, sorted({_key(case) for case in CASES}))
    _, tables, findings = read_all(resolved)
    assert {"migrant_stock", "population", "refugees", "remittances"} <= set(tables)
    assert [f for f in findings if f.severity == "error"] == []


# ------------------------------------------------------------------ bombs and memory

BOMBS = {
    "bilateral CSV .csv.gz": ("ims_od_2024", OD_CSV, c.gzip_bomb, True),
    "WPP official .csv.gz (no checksum)": ("wpp2024", WPP_CSV, c.gzip_bomb, False),
    "UNHCR .rda": ("unhcr", UNHCR, lambda: c.gzip_bomb(prefix=b"RDX3\nX\n"), True),
    "IMS .xlsx (zip)": ("ims_od_2024", OD_XLSX,
                        lambda: c.zip_bomb(DEST24, c.sheet_part(DEST24, "Table 1")), False),
}
MEMORY_LIMIT = 1024**3  # bytes of peak memory a refused bomb may cost the process


def peak_memory(cmd: list[str], env: dict[str, str]) -> tuple[int, subprocess.CompletedProcess]:
    """Run `cmd` under a small Python parent and return the child's peak resident memory
    (bytes, from getrusage of the parent's children) and its result."""
    probe = ("import json, resource, subprocess, sys; "
             "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
             "print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
             "r.returncode, r.stdout, r.stderr]))")
    done = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True,
                          env=env, check=True, timeout=300)
    kib, code, out, err = json.loads(done.stdout)
    return kib * 1024, subprocess.CompletedProcess(cmd, code, out, err)


@pytest.mark.parametrize("bomb", list(BOMBS))
def test_bombs_are_refused_in_little_memory(bomb: str, good_store: Path, tmp_path: Path
                                            ) -> None:
    key, name, make, allow = BOMBS[bomb]
    mirror = Mirror(tmp_path / "mirror")
    path = mirror.replace(name, make())
    assert path.stat().st_size < 2 * 1024**2  # about 1 MB (the .xlsx keeps its other parts)
    folder = tmp_path / "store"
    folder.mkdir()
    store = Path(shutil.copy(good_store, folder / "tmo.duckdb"))
    before = digest(store)
    tmo = Path(sys.executable).with_name("tmo")
    cmd = [str(tmo), "build", "--source-dir", str(mirror.root), "--db", str(store), "--only",
           key, *(["--allow-changed-checksums"] * allow)]
    env = dict(os.environ, TMO_HOME=str(tmp_path), COLUMNS="200")
    peak, result = peak_memory(cmd, env)
    print(f"{bomb}: refused, peak memory {peak / 1024**2:,.0f} MiB")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(LIMIT, result.stderr), result.stderr
    assert name in result.stderr
    assert peak < MEMORY_LIMIT
    assert digest(store) == before
