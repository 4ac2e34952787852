"""Assemble the reference tables (`countries`, `country_groups`) and the registry.

`countries`: one row per ISO 3166 country or area (kind "country") and per special
code (kind "special"). `country_groups`: one row per (aggregate, member country) for
the UN aggregates of the IMS 2020 annex (`UN:<m49>`) and the World Bank groups of
CLASS (`WB:<code>`); an aggregate with no member in those files is listed once with
an empty member ('').
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from tmo.countries.names import normalise
from tmo.countries.registry import CountryRegistry

HERE = "tmo.countries.reference"

# Places that are not ISO 3166 countries but appear in the sources.
SPECIAL = pd.DataFrame([
    {"iso3": "OOO", "name": "Other / unknown origin", "m49": 2003,
     "note": "origin not reported by the destination (UN DESA 'Other', UNHCR 'UNK')"},
    {"iso3": "XCX", "name": "Channel Islands", "m49": 830,
     "note": "Guernsey and Jersey, reported together by UN DESA, WPP and the World Bank (CHI)"},
    {"iso3": "XKX", "name": "Kosovo", "m49": 412,
     "note": "World Bank code, WPP location 412 (under UNSC resolution 1244); the "
             "International Migrant Stock publishes no figure for it (IMS 2024, Population "
             "notes B24 on Serbia: 'the data for Serbia do not include Kosovo')"},
    {"iso3": "XXA", "name": "Stateless", "m49": None,
     "note": "UNHCR origin code for stateless persons (ICAO/ISO user-assigned)"},
    {"iso3": "TIB", "name": "Tibetan", "m49": None,
     "note": "UNHCR origin group code, reported apart from any country"},
    {"iso3": "ANT", "name": "Netherlands Antilles (former)", "m49": 530,
     "note": "dissolved in 2010; still used by some World Bank corridor series"},
    {"iso3": "AB9", "name": "Abyei Area", "m49": None,
     "note": "area claimed by Sudan and South Sudan; IDMC reports its internally displaced "
             "apart (code AB9 in UNHCR's refugees package)"},
])
# World Bank codes of places the reference knows under a special code.
WB_CODES = {"CHI": "XCX", "KSV": "XKX"}
# World Bank aggregates used in WDI downloads but absent from CLASS.
WB_EXTRA = {"INX": "Not classified"}
WB_INCOME_AGGREGATES = {"LMY", "MIC"}  # income aggregates beyond the four groups
WB_LENDING = {"IBD", "IBT", "IDA", "IDB", "IDX"}

UN_GROUP_TYPES = {"World": "world", "Subregion": "un_subregion", "SDG region": "sdg_region",
                  "Geographic region": "un_region", "Development group": "development_group",
                  "Income group": "income_group_un"}
# Official capital first: where WUP lists several cities for one country, the first
# type in this order is `capital` (e.g. Porto-Novo for Benin, Sucre for Bolivia,
# Pretoria for South Africa, Amsterdam for the Netherlands).
CAPITAL_ORDER = ["Capital", "Constitutional Capital", "Administrative Capital",
                 "Legislative Capital", "Seat of Government", "Judiciary Capital",
                 "Economic Capital", "Others"]
COLUMNS = ["iso3", "iso2", "m49", "name", "official_name", "name_fr", "name_es",
           "unterm_name", "un_name", "wb_name", "region", "subregion", "intermediate_region",
           "sdg_region", "wb_region", "wb_income", "wb_lending", "ldc", "lldc", "sids",
           "capital", "capital_type", "capital_lat", "capital_lon", "kind", "note",
           "src_file", "src_sheet", "src_row"]
GROUP_COLUMNS = ["group_code", "group_name", "group_type", "member",
                 "src_file", "src_sheet", "src_row"]


@dataclass(frozen=True)
class Reference:
    registry: CountryRegistry
    countries: pd.DataFrame
    country_groups: pd.DataFrame
    rows_by_file: dict[str, int]  # rows of the two tables each reference file fed


def _capitals(wup: pd.DataFrame) -> pd.DataFrame:
    """One capital per M49 code: the official one (CAPITAL_ORDER, then file order)."""
    rank = {t: i for i, t in enumerate(CAPITAL_ORDER)}
    wup = wup.assign(rank=wup["capital_type"].map(rank).fillna(len(rank)),
                     order=range(len(wup)))
    return wup.sort_values(["m49", "rank", "order"]).drop_duplicates("m49")[
        ["m49", "capital", "capital_type", "capital_lat", "capital_lon"]]


def _fill_capitals(frame: pd.DataFrame, wup: pd.DataFrame) -> pd.DataFrame:
    """Countries WUP does not list (Guernsey, Jersey ...) keep the capital named by
    country-codes.csv, with WUP's coordinates when WUP lists that city elsewhere."""
    cities = {normalise(c): (lat, lon) for c, lat, lon
              in zip(wup["capital"], wup["capital_lat"], wup["capital_lon"], strict=True)}
    missing = frame["capital"].isna() & frame["capital_name"].fillna("").ne("")
    frame.loc[missing, "capital"] = frame.loc[missing, "capital_name"]
    for i in frame.index[missing]:
        found = cities.get(normalise(frame.at[i, "capital"]))
        if found:
            frame.loc[i, ["capital_lat", "capital_lon"]] = found
            frame.at[i, "capital_type"] = "Capital"
    return frame


def _countries(iso: pd.DataFrame, un: pd.DataFrame, wb: pd.DataFrame,
               wup: pd.DataFrame) -> pd.DataFrame:
    base = iso.assign(kind="country", note=None)
    special = SPECIAL.assign(kind="special", src_file=HERE, src_sheet="SPECIAL",
                             src_row=[str(i + 1) for i in range(len(SPECIAL))])
    frame = pd.concat([base[~base["iso3"].isin(SPECIAL["iso3"])], special], ignore_index=True)
    places = un[(un["record"] == "location") & (un["location_type"] == "Country/Area")]
    annex = places[["m49", "name", "sdg_region"]].rename(columns={"name": "un_name"})
    economies = wb.loc[wb["record"] == "economy",
                       ["iso3", "wb_name", "wb_region", "wb_income", "wb_lending"]]
    economies = economies.assign(iso3=economies["iso3"].replace(WB_CODES))
    frame = (frame.merge(annex, on="m49", how="left")
             .merge(economies, on="iso3", how="left")
             .merge(_capitals(wup), on="m49", how="left"))
    frame = _fill_capitals(frame, wup)
    frame["m49"] = frame["m49"].astype("Int64")
    for flag in ("ldc", "lldc", "sids"):
        frame[flag] = frame[flag].astype("boolean")
    return frame[COLUMNS]


def _display(name: str) -> str:
    """IMS writes World and the geographic regions in capitals: 'LATIN AMERICA AND THE
    CARIBBEAN' -> 'Latin America and the Caribbean'."""
    if not name.isupper():
        return name
    small = {"and", "the", "of"}
    return " ".join(w if w in small else w.capitalize() for w in name.lower().split())


def _un_groups(un: pd.DataFrame, m49_to_area: dict[int, str]) -> pd.DataFrame:
    named = un[un["location_type"] != "Country/Area"].sort_values(
        "record", key=lambda s: s.ne("location"), kind="stable").drop_duplicates("m49")
    named_rows = named.to_dict("records")
    groups = {int(r["m49"]): (_display(r["name"]),
                              UN_GROUP_TYPES.get(r["location_type"], r["location_type"]))
              for r in named_rows}
    rows, seen = [], set()
    places = un[(un["record"] == "location") & (un["location_type"] == "Country/Area")]
    for r in places.to_dict("records"):
        member = m49_to_area.get(int(r["m49"]))
        for code in r["groups"]:
            if member and code in groups:
                seen.add(code)
                rows.append((f"UN:{code}", *groups[code], member, r["src_file"], r["src_sheet"],
                             r["src_row"]))
    rows.extend((f"UN:{r['m49']}", *groups[int(r["m49"])], "", r["src_file"], r["src_sheet"],
                 r["src_row"]) for r in named_rows if int(r["m49"]) not in seen)
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def _wb_type(code: str, name: str, regions: set[str], incomes: set[str]) -> str:
    if name in regions:
        return "wb_region"
    if name in incomes or code in WB_INCOME_AGGREGATES:
        return "wb_income"
    return "wb_lending" if code in WB_LENDING else "wb_other"


def _wb_groups(wb: pd.DataFrame) -> pd.DataFrame:
    economies = wb[wb["record"] == "economy"]
    regions, incomes = set(economies["wb_region"].dropna()), set(economies["wb_income"].dropna())
    memb = wb[wb["record"] == "group"]
    types = {c: _wb_type(c, n, regions, incomes)
             for c, n in zip(memb["group_code"], memb["group_name"], strict=True)}
    out = pd.DataFrame({
        "group_code": "WB:" + memb["group_code"], "group_name": memb["group_name"],
        "group_type": memb["group_code"].map(types),
        "member": memb["iso3"].replace(WB_CODES), "src_file": memb["src_file"],
        "src_sheet": memb["src_sheet"], "src_row": memb["src_row"]})
    # the CLASS "Groups" sheet lists the OECD members twice (two blocks of rows): the
    # first row of each (group, member) pair is kept
    out = out.drop_duplicates(["group_code", "member"], keep="first")
    # a group that the World Bank names but that has no member: listed with an empty member
    extra = pd.DataFrame([(f"WB:{c}", n, "wb_other", "", HERE, "WB_EXTRA", str(i + 1))
                          for i, (c, n) in enumerate(WB_EXTRA.items())], columns=GROUP_COLUMNS)
    return pd.concat([out, extra], ignore_index=True)


def build_reference(frames: dict[str, pd.DataFrame]) -> Reference:
    """From the frames of the reference files, as their adapters read them
    (`tmo.sources.reference`, `Ingested.reference`): "country_codes" (country-codes.csv),
    "un_aggregates" (IMS 2020 annex), "wb_class" (World Bank CLASS), "wup_capitals"
    (WUP 2014 File 13)."""
    iso, un = frames["country_codes"], frames["un_aggregates"]
    wb, wup = frames["wb_class"], frames["wup_capitals"]
    countries = _countries(iso, un, wb, wup)
    m49_to_area = {int(m): c for m, c in zip(countries["m49"], countries["iso3"], strict=True)
                   if pd.notna(m)}
    groups = pd.concat([_un_groups(un, m49_to_area), _wb_groups(wb)], ignore_index=True)
    un_rows = groups["group_code"].str.startswith("UN:") & groups["member"].fillna("").ne("")
    wb_rows = groups["group_code"].str.startswith("WB:") & groups["src_file"].ne(HERE)
    fed = {
        iso["src_file"].iloc[0]: int((countries["kind"] == "country").sum()),
        un["src_file"].iloc[0]: int(countries["sdg_region"].notna().sum() + un_rows.sum()),
        wb["src_file"].iloc[0]: int(countries["wb_income"].notna().sum() + wb_rows.sum()),
        wup["src_file"].iloc[0]: int(countries["capital_lat"].notna().sum()),
    }
    registry = CountryRegistry.from_frames(countries, groups)
    return Reference(registry, countries, groups, fed)
