"""The number policy (`tmo.sources.numbers`) and where the adapters apply it."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from tmo.countries import Reference, build_reference, harmonize
from tmo.errors import SchemaError
from tmo.sources import numbers
from tmo.sources.catalog import REFERENCE_SOURCES, load_catalog, reader, source
from tmo.sources.numbers import COST, DOTS, POPULATION, SHARE, STOCK, Measure
from tmo.sources.remittance_prices import read_wdi_costs
from tmo.sources.snapshot import MirrorIndex, locate
from tmo.sources.wpp import read_wpp2019_rpackage

from ..conftest import DATA, shared_file


def where(label: object) -> str:
    return f"f.csv line {label}"


@pytest.mark.parametrize(("cells", "problem"), [
    (["1", "n/a"], "line 1: 'n/a' is not a number"),
    (["1", "NA"], "line 1: 'NA' is not a number"),
    (["1", "nan"], "line 1: 'nan' is not a number"),
    (["1", "12,5"], "line 1: '12,5' is not a number"),
    (["inf", "1"], "line 0: 'inf' is not a finite number"),
    (["-inf", "1"], "line 0: '-inf' is not a finite number"),
    (["1e400", "1"], "line 0: '1e400' is not a finite number"),
    ([True, 1], "line 0: True is not a number"),
    (["1e30", "1"], ("line 0: '1e30' is outside the plausible range of a migrant stock (0 to "
                     "10,000,000,000 persons, at most the world population)")),
    (["-1", "1"], "line 0: '-1' is negative: a migrant stock cannot be below 0"),
])
def test_refused_cells_name_the_cell_and_the_value(cells: list, problem: str) -> None:
    with pytest.raises(SchemaError) as err:
        numbers.check(pd.Series(cells, dtype=object), STOCK, where)
    assert str(err.value) == f"f.csv {problem}"
    assert "\n" not in str(err.value)


def test_missing_markers_are_the_publishers_only() -> None:
    cells = pd.Series(["1", "", " ", None, ".."], dtype=object)
    assert numbers.check(cells, STOCK, where, missing=DOTS).isna().tolist() == [
        False, True, True, True, True]
    with pytest.raises(SchemaError, match=r"line 4: '\.\.' is not a number"):
        numbers.check(cells, STOCK, where)  # '..' is no marker of this source
    with pytest.raises(SchemaError, match=r"line 1: the cell is empty \(no figure\), but a "
                                          r"figure is required here"):
        numbers.check(pd.Series(["1", ""]), STOCK, where, required=True)


def test_numeric_columns_and_counts_of_more_cells() -> None:
    values = pd.Series([1.0, math.inf, math.nan, -math.inf], index=[10, 11, 12, 13])
    num, refused = numbers.parse(values)
    assert refused is not None
    assert refused.label == 11
    assert refused.count == 2
    assert num.isna().tolist() == [False, False, True, False]
    with pytest.raises(SchemaError, match=r"line 11: inf is not a finite number \(1 more such "
                                          r"cells\)"):
        numbers.check(values, None, where)


def test_bounds_scale_and_units() -> None:
    thousands = POPULATION.per(1000, "thousand persons")
    assert thousands.high == 10_000_000
    assert numbers.bound(pd.Series([9_999_999.0]), thousands) is None
    refused = numbers.bound(pd.Series([1e8]), POPULATION, scale=1000)
    assert refused is not None
    assert "(x 1,000 = 100,000,000,000)" in refused.problem
    assert numbers.bound(pd.Series([100.0048]), SHARE) is None  # IMS 2020: Holy See
    assert numbers.bound(pd.Series([-11.36]), COST) is None  # RPW: kept as a finding
    assert numbers.bound(pd.Series([150.0]), COST) is not None
    assert str(Measure("a thing", 0, 1.5, "units")) == "a thing (0 to 1.5 units)"


def test_every_bound_fits_in_a_64_bit_integer() -> None:
    measures = [v for v in vars(numbers).values() if isinstance(v, Measure)]
    assert len(measures) >= 14
    assert max(abs(m.high) for m in measures) <= 1e15 < 2**63
    assert all(m.low < m.high for m in measures)


def test_wdi_negative_costs_stay_a_finding(tmp_path: Path) -> None:
    """The documented exception: a negative cost of sending money is kept, and reported."""
    from ..reliability.corrupt import xls_number

    name = "wdi_SI.RMT.COST.IB.ZS_sending-cost-to-country.xls"
    data, row, _ = xls_number(name, -3.25)
    files = {}
    for other in ("wdi_SI.RMT.COST.IB.ZS_sending-cost-to-country.xls",
                  "wdi_SI.RMT.COST.OB.ZS_sending-cost-from-country.xls"):
        files[other] = tmp_path / other
        files[other].write_bytes(data if other == name else shared_file(
            f"remittance_prices/{other}").read_bytes())
    out = read_wdi_costs(files, source("wdi_remittance_costs"))
    (finding,) = [f for f in out.findings if f.check == "negative_cost"]
    assert finding.severity == "warning"
    assert f"row {row}" in finding.message
    assert (out.tables["remittance_cost_country"]["cost_pct"] == -3.25).sum() == 1


def test_wpp2019_heading_rows_are_left_out_and_reported() -> None:
    """migration.txt carries two group headings UNlocations.txt does not list (1802 World
    Bank income groups, 1840 Geographic regions): reported, not stored as aggregates."""
    names = ["popM.txt", "popF.txt", "migration.txt", "UNlocations.txt",
             "ddf--datapoints--births--by--country--time--freq.csv",
             "ddf--datapoints--deaths--by--country--time--freq.csv"]
    out = read_wpp2019_rpackage({n: shared_file(f"wpp2019/{n}") for n in names},
                                source("wpp2019"))
    (heading,) = [f for f in out.findings if f.check == "heading_rows"]
    assert "1802 World Bank income groups" in heading.message
    assert "1840 Geographic regions" in heading.message
    assert not {"1802", "1840"} & set(out.tables["vital_events"]["country"])
    assert {900, 947, 1503} <= out.aggregates


@pytest.fixture(scope="module")
def reference() -> Reference:
    index = MirrorIndex(DATA)
    frames = {}
    for key in REFERENCE_SOURCES:
        res = locate(load_catalog()[key], index)
        frames.update(reader(res.edition)(res.files, res.spec).reference)
    return build_reference(frames)


def test_m49_aggregates_come_from_the_reference_and_the_file(reference: Reference) -> None:
    reg = reference.registry
    assert reg.known_area_for_m49(174) == "COM"
    assert reg.known_area_for_m49(900) == "UN:900"  # in the UN annex
    assert reg.known_area_for_m49(999) is None  # from 900 up, yet no aggregate
    assert reg.known_area_for_m49(5503) is None
    assert reg.known_area_for_m49(5503, {5503}) == "UN:5503"  # the file lists it
    codes, findings = harmonize(pd.Series([174, 999, 5503]), "m49", reg, source="s",
                                aggregates={5503},
                                locate=lambda mask: f"f.xlsx, row {list(mask).index(True)}")
    assert codes.tolist()[0] == "COM"
    assert codes.tolist()[2] == "UN:5503"
    (finding,) = findings
    assert finding.where == "f.xlsx, row 1"
    assert "m49 999 matches no country" in finding.message
