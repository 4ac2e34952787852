"""Reading one sheet of an IMS workbook: header, blocks, location codes and figures.

Every IMS table sheet has title rows 1-6, a super-header on row 8 naming each block of
year columns (both sexes / males / females, or a measure in Tables 3-6) in the block's
first column, and the header on row 11 (Index | name | ... | Location code | years).
Columns are found by their header labels, never by position, so the 2020 and 2024
column orders are both read; the labels a layout must have are checked, and a moved
header, a missing column or an unknown block label is a SchemaError naming the cell.

Numbers (tmo.sources.numbers): '..', '-', '~', '…' and blank cells are no estimate
(`MISSING`); any other text, a non-finite value or a figure outside the plausible range
of its measure (`bounded`) is refused naming the cell. Location codes are whole M49
numbers; the rows without a data type are the workbook's own list of aggregates
(`aggregates`), which the build accepts beside those of the UN annex.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from tmo.errors import SchemaError, SourceError
from tmo.findings import Finding
from tmo.sources import numbers
from tmo.sources.base import Ingested
from tmo.sources.io import XLSX_ERRORS, first_label, require_sheet, unreadable
from tmo.sources.numbers import M49, Measure

HEADER_ROW = 11
BLOCK_ROW = 8
MISSING = frozenset({"", "..", "-", "~", "\u2026"})  # '~': under five, withheld (2020 Table 6)
PERIOD = re.compile(r"^\d{4}(-\d{4})?$")
TITLE = re.compile(r"International Migrant Stock (\d{4})|Stock/Rev\.(\d{4})")
AGGREGATE_FROM = 900  # M49: countries and areas below, World (900) and groups above
OTHER_ORIGIN = 2003  # "Other" / "Others": origin not specified, kept as a country

# Role of a header label (lower case, stripped), first match wins.
ROLES: list[tuple[str, str]] = [
    ("region, development group, country or area of origin", "origin_name"),
    ("region, development group, country or area", "name"),
    ("location code of origin", "origin_code"),
    ("location code", "code"),
    ("coverage", "coverage"),
    ("data type", "data_type"),
    ("type of data", "data_type"),
    ("notes", "notes"),
    ("population notes", "notes"),
    ("migrant notes", "notes"),
]
LABELS = {"name": "Region, development group, country or area", "code": "Location code",
          "coverage": "Coverage", "data_type": "Data type / Type of data", "notes": "Notes",
          "origin_name": "Region, development group, country or area of origin",
          "origin_code": "Location code of origin"}


def sheet_rows(book: openpyxl.Workbook, sheet: str, name: str) -> list[tuple[Any, ...]]:
    require_sheet(book.sheetnames, sheet, name)
    with unreadable(f"{name}, sheet {sheet!r}", "unreadable", XLSX_ERRORS):
        return list(book[sheet].iter_rows(values_only=True))


def label(value: Any) -> str:
    """A cell as stripped text: '' for blank cells, '12' for the number 12.0."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# words an English title keeps in lower case ('Latin America and the Caribbean')
_MINOR = frozenset({"and", "the", "of", "in", "by", "for"})


def clean_name(value: Any) -> str:
    """A published name without indentation, footnote asterisks, or capitals ('WORLD',
    'LATIN AMERICA AND THE CARIBBEAN' -> 'Latin America and the Caribbean')."""
    text = label(value).rstrip("*").strip()
    if not text.isupper():
        return text
    words = text.title().split(" ")
    return " ".join([words[0], *(w.lower() if w.lower() in _MINOR else w for w in words[1:])])


def cell(col: int, row: int) -> str:
    return f"{get_column_letter(col + 1)}{row}"


def sex_of(block: str) -> str | None:
    low = block.lower()
    for words, sex in (("both sexes", "total"), ("females", "female"), ("males", "male")):
        if words in low:
            return sex
    return None


@dataclass(frozen=True)
class Layout:
    """Column roles of one sheet: role -> 0-based column, and the year columns as
    (column, period label, block label)."""

    file: str
    sheet: str
    roles: dict[str, int]
    years: list[tuple[int, str, str]]
    width: int

    def where(self, row: int | None = None) -> str:
        at = f", row {row}" if row is not None else ""
        return f"{self.file}, sheet {self.sheet!r}{at}"


def layout(rows: list[tuple[Any, ...]], name: str, sheet: str, required: tuple[str, ...],
           ) -> Layout:
    """Find the header on row 11 and the blocks on row 8; check the required roles."""
    def is_header(row: tuple[Any, ...]) -> bool:
        return any(label(v).lower().startswith(ROLES[1][0]) for v in row)

    if len(rows) < HEADER_ROW or not is_header(rows[HEADER_ROW - 1]):
        found = next((i + 1 for i, r in enumerate(rows[:60]) if is_header(r)), None)
        where = f"found on row {found}" if found else "not found in the first 60 rows"
        raise SchemaError(f"{name}, sheet {sheet!r}, row {HEADER_ROW}: expected the header "
                          f"'{LABELS['name']}' ({where}); the layout has changed")
    header = [label(v) for v in rows[HEADER_ROW - 1]]
    while header and header[-1] == "":
        header.pop()
    blocks = [label(v) for v in rows[BLOCK_ROW - 1]] + [""] * len(header)
    roles: dict[str, int] = {}
    years: list[tuple[int, str, str]] = []
    current = ""
    for i, h in enumerate(header):
        if PERIOD.match(h):
            current = blocks[i] or current
            if not current:
                raise SchemaError(f"{name}, sheet {sheet!r}, cell {cell(i, BLOCK_ROW)}: "
                                  f"expected a block label above the first year column {h}")
            years.append((i, h, current))
            continue
        low = h.lower()
        role = next((r for words, r in ROLES if low.startswith(words)), None)
        if role is not None and role not in roles:
            roles[role] = i
    missing = [LABELS[r] for r in required if r not in roles]
    if missing or not years:
        what = f"columns {missing}" if missing else "year columns"
        labels = [h for h in header if h and not PERIOD.match(h)]
        raise SchemaError(f"{name}, sheet {sheet!r}, row {HEADER_ROW}: expected {what}; "
                          f"the header reads {labels} and {len(years)} year columns")
    seen = [(p, b) for _, p, b in years]
    if len(set(seen)) != len(seen):
        raise SchemaError(f"{name}, sheet {sheet!r}, row {HEADER_ROW}: a year repeats "
                          f"within one block of row {BLOCK_ROW}")
    return Layout(name, sheet, roles, years, len(header))


def revision_in(rows: list[tuple[Any, ...]], lay: Layout) -> str:
    """The revision a sheet says it belongs to: its title ('International Migrant Stock
    2024', 'POP/DB/MIG/Stock/Rev.2024'), else the last year of its header."""
    for row in rows[:HEADER_ROW - 1]:
        for v in row:
            match = TITLE.search(label(v))
            if match:
                return match.group(1) or match.group(2)
    return max(p[-4:] for _, p, _ in lay.years)


def check_revision(found: str, expected: str, name: str, key: str) -> str:
    if expected and found != expected:
        raise SchemaError(f"{name}: the workbook is the IMS {found} revision but the source "
                          f"{key!r} is declared as revision {expected}",
                          hint="check which file was downloaded for which source")
    return found


def body(rows: list[tuple[Any, ...]], lay: Layout) -> pd.DataFrame:
    """The rows under the header as a frame of raw values, columns 0..width-1,
    index = spreadsheet row number."""
    data = rows[HEADER_ROW:]
    frame = pd.DataFrame.from_records(data) if data else pd.DataFrame()
    frame = frame.reindex(columns=range(lay.width)).astype(object)
    frame.index = pd.RangeIndex(HEADER_ROW + 1, HEADER_ROW + 1 + len(frame))
    return frame


def codes(frame: pd.DataFrame, col: int, lay: Layout, what: str) -> pd.Series:
    """Location codes of a column as floats; blank cells (notes, empty rows) are NaN,
    anything else that is not a whole M49 number (1 to 99,999) is a SchemaError."""
    raw = frame[col]
    num = pd.to_numeric(raw, errors="coerce")
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    with np.errstate(invalid="ignore"):
        wrong = ~np.isfinite(num) | (num % 1 != 0) | (num < M49.low) | (num > M49.high)
    bad = (num.isna() & ~blank) | (num.notna() & wrong)
    if bad.any():
        row = first_label(bad)
        raise SchemaError(f"{lay.where()}, cell {cell(col, row)}: {what} {raw[row]!r} is not "
                          "an M49 number")
    return num


def aggregates(frame: pd.DataFrame, area: pd.Series, lay: Layout) -> set[int]:
    """The workbook's own list of aggregates: the codes of the rows that have a location
    code but no data type (World, regions, development and income groups; a country
    always has one, except the few without any estimate, which the reference knows)."""
    if "data_type" not in lay.roles:
        return set()
    kind = frame[lay.roles["data_type"]].map(label)
    listed = area.notna() & (kind == "")
    return {int(a) for a in area[listed]}


def figures(frame: pd.DataFrame, area: pd.Series, lay: Layout, *, non_negative: bool,
            ) -> pd.DataFrame:
    """One record per published figure of the rows whose `area` is known: columns
    pos (row label in `frame`), area, period, block, value. '..', '~' and blank cells
    are no estimate and give no record; text is a SchemaError, a negative figure
    (where `non_negative`) a SourceError naming its cell."""
    cols = [c for c, _, _ in lay.years]
    keep = area.notna().to_numpy()
    raw = frame.loc[keep, cols]
    num = raw.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    text = np.isnan(num) & raw.notna().to_numpy()
    if text.any():
        ri, ci = np.nonzero(text)
        vals = pd.Series(raw.to_numpy()[ri, ci]).astype(str).str.strip()
        wrong = np.flatnonzero(~vals.isin(MISSING).to_numpy())
        if len(wrong):
            k = wrong[0]
            raise SchemaError(f"{lay.where()}, cell {cell(cols[ci[k]], raw.index[ri[k]])}: "
                              f"{raw.iat[ri[k], ci[k]]!r} is not a number")
    infinite = np.isinf(num)
    if infinite.any():
        ri, ci = np.nonzero(infinite)
        raise SchemaError(f"{lay.where()}, cell {cell(cols[ci[0]], raw.index[ri[0]])}: "
                          f"{raw.iat[ri[0], ci[0]]!r} is not a finite number")
    ri, ci = np.nonzero(~np.isnan(num))
    out = pd.DataFrame({
        "pos": raw.index.to_numpy()[ri],
        "area": area.to_numpy()[keep][ri].astype("int64"),
        "period": np.array([p for _, p, _ in lay.years], dtype=object)[ci],
        "block": np.array([b for _, _, b in lay.years], dtype=object)[ci],
        "col": np.array(cols)[ci],
        "value": num[ri, ci]})
    if non_negative and (out["value"] < 0).any():
        first = out[out["value"] < 0].iloc[0]
        raise SourceError(f"{lay.where()}, cell {cell(int(first['col']), int(first['pos']))}: "
                          f"negative figure {first['value']:g} for location {first['area']}, "
                          f"{first['period']}")
    return out


def bounded(fig: pd.DataFrame, measure: Measure | pd.Series, lay: Layout, *,
            scale: float = 1.0) -> pd.DataFrame:
    """`fig` unchanged, or a SchemaError naming the first cell whose value (times
    `scale`) lies outside the plausible range of its measure (one for all figures, or
    one per figure)."""
    measures = measure if isinstance(measure, pd.Series) else pd.Series(measure, index=fig.index)
    for m in dict.fromkeys(measures):
        mine = measures == m
        refused = numbers.bound(fig.loc[mine, "value"], m, scale=scale)
        if refused is not None:
            at = fig.loc[refused.label]
            ref = cell(int(at["col"]), int(at["pos"]))
            where = f"{lay.where()}, cell {ref}"
            raise numbers.refuse(refused, lambda _: where)  # noqa: B023 - raised at once
    return fig


def sexes(fig: pd.DataFrame, lay: Layout) -> pd.Series:
    """Sex of each figure from its block label; an unknown label is a SchemaError."""
    sex = fig["block"].map(sex_of)
    if sex.isna().any():
        col = int(fig.loc[sex.isna(), "col"].iloc[0])
        block = next(b for c, _, b in lay.years if c == col)
        raise SchemaError(f"{lay.where(BLOCK_ROW)}: block label {block!r} names no sex "
                          "(expected 'both sexes', 'males' or 'females')")
    return sex


def repeated_rows(fig: pd.DataFrame, key: list[str], lay: Layout, out: Ingested
                  ) -> pd.DataFrame:
    """A location listed twice (2020: Australia and New Zealand, 927, is both an SDG
    region and a subregion) keeps its first row when the figures agree; differing
    figures are a SchemaError."""
    dup = fig.duplicated(key, keep=False)
    if not dup.any():
        return fig
    clash = fig[dup].groupby(key)["value"].nunique()
    if (clash > 1).any():
        first = dict(zip(key, clash[clash > 1].index[0], strict=True))
        raise SchemaError(f"{lay.where()}: {first} appears twice with different figures")
    rows = sorted(int(r) for r in fig.loc[dup, "pos"].unique())
    areas = sorted(int(a) for a in fig.loc[dup, "area"].unique())
    out.findings.append(Finding("repeated_row", "info", lay.file, f"{lay.sheet} rows {rows}",
                                f"location(s) {areas} listed twice with equal figures: "
                                "first row kept"))
    return fig.drop_duplicates(key)


def column_label(lay: Layout, role: str) -> str:
    """A column as a user sees it: its letter and header, e.g. "E (Location code)"."""
    return f"{get_column_letter(lay.roles[role] + 1)} ({LABELS[role]})"


def provenance(fig: pd.DataFrame, lay: Layout) -> dict[str, Any]:
    return {"src_file": lay.file, "src_sheet": lay.sheet, "src_row": fig["pos"].astype(str)}
