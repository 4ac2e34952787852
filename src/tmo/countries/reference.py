"""Assemble the reference tables (`countries`, `country_groups`) and the registry."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tmo.countries.registry import SPECIAL_M49, CountryRegistry

# Places that are not ISO 3166 countries but appear in the sources.
SPECIAL = pd.DataFrame([
    {"iso3": "OOO", "name": "Other / unknown origin", "m49": 2003,
     "note": "origin not reported by the destination (UN DESA 'Other', UNHCR 'UNK')"},
    {"iso3": "XCX", "name": "Channel Islands", "m49": 830,
     "note": "Guernsey and Jersey, reported together by UN DESA and WPP"},
    {"iso3": "XKX", "name": "Kosovo", "m49": 412,
     "note": "World Bank and UNHCR code, WPP location 412 (under UNSC resolution 1244); "
             "UN DESA migrant stocks include Kosovo in Serbia"},
    {"iso3": "XXA", "name": "Stateless", "m49": None,
     "note": "UNHCR origin code for stateless persons (ICAO/ISO user-assigned)"},
    {"iso3": "TIB", "name": "Tibetan", "m49": None,
     "note": "UNHCR origin group code, reported apart from any country"},
    {"iso3": "ANT", "name": "Netherlands Antilles (former)", "m49": 530,
     "note": "dissolved in 2010; still used by some World Bank corridor series"},
])
UN_GROUP_TYPES = {"World": "world", "Subregion": "un_subregion", "SDG region": "sdg_region",
                  "Geographic region": "un_region", "Development group": "development_group",
                  "Income group": "income_group_un"}
CAPITAL_ORDER = ["Capital", "Constitutional Capital", "Legislative Capital",
                 "Administrative Capital", "Seat of Government", "Judiciary Capital",
                 "Economic Capital", "Others"]


@dataclass(frozen=True)
class Reference:
    registry: CountryRegistry
    countries: pd.DataFrame
    country_groups: pd.DataFrame
    rows_by_file: dict[str, int]  # rows of the two tables each reference file fed


def _capitals(wup: pd.DataFrame) -> pd.DataFrame:
    rank = {t: i for i, t in enumerate(CAPITAL_ORDER)}
    wup = wup.assign(rank=wup["capital_type"].map(rank).fillna(len(rank)))
    return wup.sort_values(["m49", "rank"]).drop_duplicates("m49")[
        ["m49", "capital", "capital_type", "capital_lat", "capital_lon"]]


def _countries(iso: pd.DataFrame, un: pd.DataFrame, wb: pd.DataFrame,
               wup: pd.DataFrame) -> pd.DataFrame:
    base = iso.assign(kind="country", note=None)
    special = SPECIAL.assign(kind="special", src_file="tmo.countries.reference",
                             src_sheet="SPECIAL", src_row=[str(i + 1) for i in range(len(SPECIAL))])
    frame = pd.concat([base[~base["iso3"].isin(SPECIAL["iso3"])], special], ignore_index=True)
    sdg = un.loc[un["location_type"] == "Country/Area", ["m49", "sdg_region"]]
    economies = wb.loc[wb["record"] == "economy", ["iso3", "wb_name", "wb_region", "wb_income"]]
    frame = (frame.merge(sdg, on="m49", how="left")
             .merge(economies, on="iso3", how="left")
             .merge(_capitals(wup), on="m49", how="left"))
    frame["capital"] = frame["capital"].fillna(frame["capital_name"])
    frame["m49"] = frame["m49"].astype("Int64")
    cols = ["iso3", "iso2", "m49", "name", "official_name", "name_fr", "name_es", "unterm_name",
            "wb_name", "region", "subregion", "intermediate_region", "sdg_region", "wb_region",
            "wb_income", "ldc", "lldc", "sids", "capital", "capital_type", "capital_lat",
            "capital_lon", "kind", "note", "src_file", "src_sheet", "src_row"]
    return frame[cols]


def _groups(un: pd.DataFrame, wb: pd.DataFrame, m49_to_iso3: dict[int, str]) -> pd.DataFrame:
    names = dict(zip(un["m49"], un["name"], strict=False))
    kinds = dict(zip(un["m49"], un["location_type"], strict=False))
    rows = []
    for r in un[un["location_type"] == "Country/Area"].itertuples():
        member = m49_to_iso3.get(r.m49)
        for code in r.groups:
            if member and code in names:
                rows.append({"group_code": f"UN:{code}", "group_name": names[code],
                             "group_type": UN_GROUP_TYPES.get(kinds[code], kinds[code]),
                             "member": member, "src_file": r.src_file, "src_sheet": "",
                             "src_row": r.src_row})
    memb = wb[wb["record"] == "group"]
    wb_rows = pd.DataFrame({"group_code": "WB:" + memb["group_code"],
                            "group_name": memb["group_name"], "group_type": "wb_group",
                            "member": memb["iso3"].replace({"KSV": "XKX"}),
                            "src_file": memb["src_file"], "src_sheet": memb["src_sheet"],
                            "src_row": memb["src_row"]})
    return pd.concat([pd.DataFrame(rows), wb_rows], ignore_index=True)


def build_reference(frames: dict[str, pd.DataFrame]) -> Reference:
    """From the raw frames of countries_iso, un_aggregates_2020, wb_income, wup_capitals."""
    iso, un = frames["countries_iso"], frames["un_aggregates_2020"]
    wb, wup = frames["wb_income"], frames["wup_capitals"]
    countries = _countries(iso, un, wb, wup)
    m49_to_iso3 = {int(m): c for m, c in zip(countries["m49"], countries["iso3"], strict=True)
                   if pd.notna(m)}
    m49_to_iso3.update(SPECIAL_M49)
    groups = _groups(un, wb, m49_to_iso3)
    fed = {
        iso["src_file"].iloc[0]: int((countries["kind"] == "country").sum()),
        un["src_file"].iloc[0]: int(countries["sdg_region"].notna().sum()
                                    + groups["group_code"].str.startswith("UN:").sum()),
        wb["src_file"].iloc[0]: int(countries["wb_income"].notna().sum()
                                    + groups["group_code"].str.startswith("WB:").sum()),
        wup["src_file"].iloc[0]: int(countries["capital_lat"].notna().sum()),
    }
    return Reference(CountryRegistry(countries, groups), countries, groups, fed)
