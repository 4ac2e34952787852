"""World Bank country and lending groups (`CLASS.xlsx`): sheets "List of economies"
(one row per economy, then aggregates, which have no region) and "Groups" (one row
per group membership). Both have their header on row 1. Codes as published: XKX
Kosovo, CHI Channel Islands.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import first_label, read_workbook, require_columns, select_sheet, single
from tmo.sources.reference import HINT

ECONOMIES = "List of economies"
GROUPS = "Groups"


def read_wb_class(files: dict[str, Path], source: SourceSpec) -> Ingested:
    """CLASS -> reference frame "wb_class": economies (`record` "economy": iso3 as
    published, wb_name, wb_region, wb_income, wb_lending) and group memberships
    (`record` "group": group_code, group_name, iso3)."""
    name, path = single(files)
    book = read_workbook(path, name)
    _, economies = select_sheet(book, ECONOMIES, name, hint=HINT)
    _, groups = select_sheet(book, GROUPS, name, hint=HINT)
    require_columns(economies, ["Economy", "Code", "Region", "Income group", "Lending category"],
                    f"{name}, sheet {ECONOMIES!r} (header expected on row 1)", hint=HINT)
    require_columns(groups, ["GroupCode", "GroupName", "CountryCode"],
                    f"{name}, sheet {GROUPS!r} (header expected on row 1)", hint=HINT)
    economies = economies[economies["Region"].notna()]  # aggregates have no region
    if len(economies) < 200 or len(groups) < 1000:
        raise SchemaError(f"{name}: {len(economies)} economies and {len(groups)} group "
                          "memberships, expected at least 200 and 1000; truncated", hint=HINT)
    for label, frame, col in ((ECONOMIES, economies, "Code"), (GROUPS, groups, "CountryCode"),
                              (GROUPS, groups, "GroupCode")):
        bad = ~frame[col].astype(str).str.fullmatch(r"[A-Z0-9]{3}")
        if bad.any():
            i = first_label(bad)
            raise SchemaError(f"{name}, sheet {label!r}, row {i + 2}, column {col}: "
                              f"{frame.at[i, col]!r} is not a 3-character code", hint=HINT)
    out = pd.DataFrame({
        "record": "economy", "iso3": economies["Code"], "wb_name": economies["Economy"],
        "wb_region": economies["Region"], "wb_income": economies["Income group"],
        "wb_lending": economies["Lending category"],
        "src_sheet": ECONOMIES, "src_row": (economies.index + 2).astype(str)})
    memb = pd.DataFrame({
        "record": "group", "group_code": groups["GroupCode"], "group_name": groups["GroupName"],
        "iso3": groups["CountryCode"], "src_sheet": GROUPS,
        "src_row": (groups.index + 2).astype(str)})
    frame = pd.concat([out, memb], ignore_index=True).assign(src_file=name)
    return Ingested(reference={"wb_class": frame})
