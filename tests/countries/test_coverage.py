"""Every country and aggregate name or code the real source files use resolves.

The files are read here with their layout's simplest rules (the name column, down to
the row that ends the table), independently of the source adapters: footnote rows
below the table, which the adapters drop, are left out. Where a file also gives
codes, the name must resolve to the same area as the code.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd
import pytest

from tmo.countries import Reference, harmonize
from tmo.countries.harmonize import resolve

from ..conftest import shared_file

KNOMAD = ["remittances/knomad_remittance-inflows_june2023.xlsx",
          "remittances/knomad_remittance-outflows_june2023.xlsx"]
BILATERAL = {
    "remittances/WB_Bilateral_Remittance_Estimates_2017.xlsx": "Bilateral_Remittances_2017",
    "remittances/WB_Bilateral_Estimates_Migrant_Stocks_2017.xlsx": "Bilateral_Migration_2017",
}
WDI = ["remittances/wdi_BX.TRF.PWKR.CD.DT_personal-remittances-received.xls",
       "remittances/wdi_BM.TRF.PWKR.CD.DT_personal-remittances-paid.xls",
       "remittance_prices/wdi_SI.RMT.COST.OB.ZS_sending-cost-from-country.xls",
       "remittance_prices/wdi_SI.RMT.COST.IB.ZS_sending-cost-to-country.xls"]
RPW = "remittance_prices/rpw_corridors_databank_2011Q1-2020Q3.csv"
IMS = ["undesa_ims/official/undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
       "undesa_ims/official/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"]
UNLOCATIONS = ["wpp2024/UNlocations.txt", "wpp2019/UNlocations.txt"]
EUROSTAT = "reported_flows/eurostat_migr_imm5prv_bilateral_total.csv"


def _excel(rel: str, **kw: Any) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.read_excel(shared_file(rel), header=None, **kw)


def _knomad_names(rel: str) -> list[str]:
    raw = _excel(rel)
    head = next(i for i in range(5) if str(raw.iat[i, 0]).startswith("Remittance"))
    body = raw.iloc[head + 1:]
    blank = body.isna().all(axis=1).to_numpy()
    return body[0].iloc[: blank.argmax()].fillna("").astype(str).str.strip().tolist()


def _bilateral_names(rel: str, sheet: str) -> list[str]:
    raw = _excel(rel, sheet_name=sheet)
    down = raw.iloc[2:, 0].fillna("").astype(str).str.strip().tolist()
    down = down[: [d.upper() for d in down].index("WORLD") + 1]
    across = raw.iloc[1, 1:].dropna().astype(str).str.strip().tolist()
    return down + across


def _unmatched(reference: Reference, names: list[str], vocabulary: str) -> list[str]:
    return sorted({n for n in names if reference.registry.match_name(n, vocabulary) is None})


@pytest.mark.parametrize("rel", KNOMAD)
def test_knomad_names(reference: Reference, rel: str) -> None:
    names = _knomad_names(rel)
    assert len(names) > 200
    assert "Zimbabwe" in names
    assert _unmatched(reference, names, "worldbank") == []
    areas = {reference.registry.match_name(n, "worldbank") for n in names}
    if "World" in names:  # the inflows table ends with two aggregate rows
        assert {"WB:WLD", "WB:LMY"} <= areas


@pytest.mark.parametrize(("rel", "sheet"), BILATERAL.items())
def test_bilateral_matrix_names(reference: Reference, rel: str, sheet: str) -> None:
    names = _bilateral_names(rel, sheet)
    assert len(names) > 400
    assert _unmatched(reference, names, "worldbank") == []
    senders = [reference.registry.match_name(n, "worldbank") for n in names[: len(names) // 2]]
    places = [s for s in senders if s != "OOO"]  # "Other North", "Other South"
    assert len(set(places)) == len(places)  # no two rows name the same place


@pytest.mark.parametrize("rel", WDI)
def test_wdi_names_and_codes(reference: Reference, rel: str) -> None:
    raw = _excel(rel, sheet_name="Data")
    table = pd.DataFrame(raw.iloc[4:, :2].to_numpy(), columns=["name", "code"])
    codes, findings = harmonize(table["code"], "wb", reference.registry, source=rel)
    assert findings == []
    names = table["name"].map(lambda n: reference.registry.match_name(n, "worldbank"))
    mismatched = table[names.to_numpy() != codes.to_numpy()]
    assert mismatched.empty, mismatched.to_dict("records")


def test_rpw_names_and_codes(reference: Reference) -> None:
    raw = pd.read_csv(shared_file(RPW), encoding="utf-8-sig", dtype=str)
    for side in ("Sending Countries ", "Receiving Countries  "):
        table = raw[[side + "Name", side + "Code"]].dropna().drop_duplicates()
        table.columns = ["name", "code"]
        assert len(table) > 30
        codes, findings = harmonize(table["code"], "wb", reference.registry, source=RPW)
        assert findings == []
        names = table["name"].map(lambda n: reference.registry.match_name(n, "worldbank"))
        mismatched = table[names.to_numpy() != codes.to_numpy()]
        assert mismatched.empty, mismatched.to_dict("records")


@pytest.mark.parametrize("rel", IMS)
def test_ims_destination_names_and_codes(reference: Reference, rel: str) -> None:
    reg = reference.registry
    raw = _excel(rel, sheet_name="Table 1")
    header = [str(v).strip() for v in raw.iloc[10]]
    code_col = header.index("Location code")
    body = raw.iloc[11:]
    body = body[body[code_col].notna()]
    assert len(body) > 280
    codes, findings = harmonize(body[code_col], "m49", reg, source=rel)
    assert findings == []
    assert codes.str.startswith("UN:").sum() > 40
    wrong = []
    for name, area in zip(body[1].astype(str), codes, strict=True):
        found = reg.match_name(name, "undesa")
        if reg.is_aggregate(area):
            # aggregate codes vary by revision (Sub-Saharan Africa: 947, then 1834)
            ok = found is not None and reg.is_aggregate(found)
        else:
            ok = found == area
        if not ok:
            wrong.append((name, area, found))
    assert wrong == []


@pytest.mark.parametrize("rel", UNLOCATIONS)
def test_un_locations(reference: Reference, rel: str) -> None:
    reg = reference.registry
    locations = pd.read_csv(shared_file(rel), sep="\t")
    codes, findings = harmonize(locations["country_code"], "m49", reg, source=rel)
    assert findings == []
    countries = locations["location_type"] == 4
    assert countries.sum() > 200
    assert not codes[countries].str.startswith("UN:").any()
    names = locations.loc[countries, "name"].map(lambda n: reg.match_name(n, "undesa"))
    wrong = locations.loc[countries][names.to_numpy() != codes[countries].to_numpy()]
    assert wrong.empty, wrong[["name", "country_code"]].to_dict("records")


def test_unhcr_codes_and_names(reference: Reference) -> None:
    from tmo.sources.io import read_rda

    reg = reference.registry
    columns = ["coo_iso", "coo_name", "coo", "coa_iso", "coa_name", "coa"]
    frame = read_rda(shared_file("unhcr/population.rda"), "population", columns)
    for side in ("coo", "coa"):
        table = frame[[f"{side}_iso", f"{side}_name"]].drop_duplicates()
        table.columns = ["code", "name"]
        codes, findings = harmonize(table["code"], "unhcr", reg, source="population.rda")
        assert findings == []
        names = table["name"].map(lambda n: reg.match_name(n, "unhcr"))
        wrong = table[names.to_numpy() != codes.to_numpy()]
        assert wrong.empty, wrong.to_dict("records")
    origins = set(frame["coo_iso"])
    assert {resolve(c, "unhcr", reg) for c in ("UNK", "XXA", "TIB")} == {"OOO", "XXA", "TIB"}
    assert {"UNK", "XXA", "TIB"} <= origins


def test_eurostat_codes(reference: Reference) -> None:
    frame = pd.read_csv(shared_file(EUROSTAT), dtype=str, keep_default_na=False)
    codes = pd.Series(sorted((set(frame["partner"]) | set(frame["geo"])) - {"OTHER"}))
    areas, findings = harmonize(codes, "iso2", reference.registry, source=EUROSTAT)
    assert findings == []
    found = dict(zip(codes, areas, strict=True))
    assert (found["UK"], found["GR"], found["CH"]) == ("GBR", "GRC", "CHE")
    assert all((c := reference.registry.by_iso3(a)) and c.kind == "country" for a in areas)
