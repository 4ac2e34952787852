"""World Bank remittance adapters: WDI xls, KNOMAD xlsx, bilateral matrix 2017."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import shared_file
from tmo.errors import SchemaError, SourceError
from tmo.frame import validate
from tmo.sources.catalog import source
from tmo.sources.worldbank import (
    read_bilateral_remittances,
    read_knomad_remittances,
    read_wdi_remittances,
)


def _files(key: str) -> dict[str, Path]:
    return {f.name: shared_file(f"remittances/{f.name}") for f in source(key).editions[0].files}


def _one(frame: pd.DataFrame, col: str, **key: object):
    mask = pd.Series(True, index=frame.index)
    for k, v in key.items():
        mask &= frame[k] == v
    assert mask.sum() == 1, key
    return frame.loc[mask, col].iloc[0]


@pytest.mark.filterwarnings("ignore:The xlrd engine")
def test_wdi_remittances():
    out = read_wdi_remittances(_files("wdi_remittances"), source("wdi_remittances"))
    frame = validate("remittances", out.tables["remittances"], source="wdi")
    assert out.geo == {"remittances": {"country": "wb"}}
    assert set(frame["direction"]) == {"received", "paid"}
    raw = pd.read_excel(shared_file(
        "remittances/wdi_BX.TRF.PWKR.CD.DT_personal-remittances-received.xls"),
        sheet_name="Data", header=3)
    raw.columns = [str(c).removesuffix(".0") for c in raw.columns]
    ind = raw.set_index("Country Code").loc["IND"]
    assert _one(frame, "usd", country="IND", year=2022, direction="received") == ind["2022"]
    row = int(_one(frame, "src_row", country="IND", year=2022, direction="received"))
    assert row == raw.index[raw["Country Code"] == "IND"][0] + 5  # header is row 4
    assert "WLD" in set(frame["country"])  # aggregates kept, harmonised later
    assert frame["usd"].notna().all()
    assert frame["year"].between(1960, 2022).all()


def test_knomad_remittances():
    out = read_knomad_remittances(_files("knomad_remittances"), source("knomad_remittances"))
    frame = validate("remittances", out.tables["remittances"], source="knomad")
    assert out.geo == {"remittances": {"country": "name"}}
    assert out.name_vocabulary == "worldbank"
    assert _one(frame, "usd", country="Albania", year=2000, direction="received") == \
        pytest.approx(597.8e6)
    assert _one(frame, "src_row", country="Albania", year=2000, direction="received") == "3"
    names = set(frame["country"])
    assert "World" in names
    assert not any(n.startswith(("Note", "Date", "When using"))
                                        for n in names)
    assert "Virgin Islands (U.S.)" not in set(frame[frame.direction == "paid"]["country"])
    assert (frame["usd"] == 0).any()  # zeros kept as published
    assert {f.check for f in out.findings} == {"zero_as_missing"}
    assert frame["year"].between(2000, 2022).all()


def test_bilateral_matrix():
    out = read_bilateral_remittances(_files("wb_bilateral_remittances_2017"),
                                     source("wb_bilateral_remittances_2017"))
    frame = validate("remittance_corridors", out.tables["remittance_corridors"], source="wb")
    assert "WORLD" not in set(frame["sender"]) | set(frame["receiver"])
    assert frame["sender"].nunique() == 214
    assert frame["receiver"].nunique() == 214
    assert len(frame) == 214 * 214 - 4  # four '-' corridors (India/Pakistan, Israel/Lebanon)
    assert [f.check for f in out.findings] == ["no_estimate"]
    raw = pd.read_excel(shared_file("remittances/WB_Bilateral_Remittance_Estimates_2017.xlsx"),
                        header=1, index_col=0)
    assert _one(frame, "usd", sender="United States", receiver="Mexico") == \
        pytest.approx(raw["Mexico"].loc["United States"] * 1e6)
    world = raw["Mexico"].loc["WORLD"] * 1e6
    assert frame[frame.receiver == "Mexico"]["usd"].sum() == pytest.approx(world, rel=1e-6)


# ------------------------------------------------------------------ broken inputs

def _wdi_book(path: Path, header_row: int = 4, value: object = 1.5e9,
              code: str = "BX.TRF.PWKR.CD.DT") -> None:
    rows = [["Data Source", "World Development Indicators", None, None, None, None],
            ["Last Updated Date", "2023-05-10", None, None, None, None],
            [None] * 6]
    header = ["Country Name", "Country Code", "Indicator Name", "Indicator Code", 2021.0,
              2022.0]
    data = [["Aruba", "ABW", "Personal remittances", code, None, value]]
    body = [*rows[:header_row - 1], header, *data]
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(body).to_excel(writer, sheet_name="Data", header=False, index=False)


def _wdi_files(tmp_path: Path, *, header_row: int = 4, value: object = 1.5e9
               ) -> dict[str, Path]:
    files = {}
    for name in source("wdi_remittances").editions[0].files:
        path = tmp_path / (name.name + "x")  # written as xlsx; read by content
        code = "BX.TRF.PWKR.CD.DT" if "BX" in name.name else "BM.TRF.PWKR.CD.DT"
        _wdi_book(path, header_row, value, code=code)
        files[name.name] = path
    return files


def test_wdi_hand_made(tmp_path):
    out = read_wdi_remittances(_wdi_files(tmp_path), source("wdi_remittances"))
    frame = out.tables["remittances"]
    assert len(frame) == 2  # empty 2021 -> no row
    assert (frame["src_row"] == "5").all()


def test_wdi_header_moved(tmp_path):
    with pytest.raises(SchemaError, match=r"header .* on row 4"):
        read_wdi_remittances(_wdi_files(tmp_path, header_row=3), source("wdi_remittances"))


def test_wdi_non_numeric_and_negative(tmp_path):
    with pytest.raises(SchemaError, match=r"row 5 column 2022: 'abc'"):
        read_wdi_remittances(_wdi_files(tmp_path, value="abc"), source("wdi_remittances"))
    with pytest.raises(SchemaError, match="negative"):
        read_wdi_remittances(_wdi_files(tmp_path, value=-3), source("wdi_remittances"))


def test_wdi_truncated(tmp_path):
    files = _files("wdi_remittances")
    name = next(iter(files))
    cut = tmp_path / name
    cut.write_bytes(files[name].read_bytes()[:5000])
    with pytest.raises(SourceError, match=name):
        read_wdi_remittances({**files, name: cut}, source("wdi_remittances"))


def _knomad(path: Path, title: str, notes: bool = True, value: object = 12.5) -> None:
    rows = [[title, 2021, 2022], ["Albania", 10.0, value], ["World", 100.0, 120.0],
            [None, None, None]]
    if notes:
        rows += [["Note: All numbers are in current (nominal) US $.", None, None],
                 ["Date: June 2023", None, None]]
    pd.DataFrame(rows).to_excel(path, header=False, index=False)


def test_knomad_broken(tmp_path):
    spec = source("knomad_remittances")
    names = [f.name for f in spec.editions[0].files]
    files = {n: tmp_path / n for n in names}
    _knomad(files[names[0]], "Remittance inflows (US$ million)")
    _knomad(files[names[1]], "Remittance outflows (US$ million)")
    out = read_knomad_remittances(files, spec)
    assert len(out.tables["remittances"]) == 8
    _knomad(files[names[1]], "Remittance outflows (US$ million)", notes=False)
    with pytest.raises(SchemaError, match="footnotes"):
        read_knomad_remittances(files, spec)
    _knomad(files[names[1]], "Remittance outflows (US$ thousand)")
    with pytest.raises(SchemaError, match="header cell"):
        read_knomad_remittances(files, spec)
    _knomad(files[names[1]], "Remittance outflows (US$ million)", value="n.a.")
    with pytest.raises(SchemaError, match=r"row 2 column 2022: 'n.a.'"):
        read_knomad_remittances(files, spec)


def test_bilateral_truncated_matrix(tmp_path):
    path = tmp_path / "WB_Bilateral_Remittance_Estimates_2017.xlsx"
    rows = [["title", None, None], ["receiving (across) / sending (down)", "A", "B"],
            ["A", 0, 1.5], ["B", 2.0, 0]]
    pd.DataFrame(rows).to_excel(path, sheet_name="Bilateral_Remittances_2017", header=False,
                                index=False)
    with pytest.raises(SchemaError, match="WORLD"):
        read_bilateral_remittances({path.name: path}, source("wb_bilateral_remittances_2017"))
