"""WPP adapters on the real R-package files, on hand-made official-layout CSVs, and on
broken inputs."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import shared_file
from tmo.errors import SchemaError, SourceError
from tmo.frame import validate
from tmo.sources.catalog import source
from tmo.sources.wpp import read_wpp2019_rpackage, read_wpp2024_rpackage, read_wpp_csv


def _files(key: str, folder: str) -> dict[str, Path]:
    edition = next(e for e in source(key).editions if e.name == "r-package")
    return {f.name: shared_file(f"{folder}/{f.name}") for f in edition.files}


@pytest.fixture(scope="module")
def wpp2024():
    return read_wpp2024_rpackage(_files("wpp2024", "wpp2024"), source("wpp2024"))


@pytest.fixture(scope="module")
def wpp2019():
    return read_wpp2019_rpackage(_files("wpp2019", "wpp2019"), source("wpp2019"))


def _value(frame: pd.DataFrame, col: str, **key: object) -> float:
    mask = pd.Series(True, index=frame.index)
    for k, v in key.items():
        mask &= frame[k] == v
    assert mask.sum() == 1, key
    return frame.loc[mask, col].iloc[0]


def test_wpp2024_tables_validate(wpp2024):
    for name, frame in wpp2024.tables.items():
        validate(name, frame, source="wpp2024")
    expected = {t: {"country": "m49"} for t in wpp2024.tables}
    expected["population"] = {"country": "m49|iso3"}  # annual gdidata part uses ISO3
    assert wpp2024.geo == expected


def test_wpp2024_published_figures(wpp2024):
    pop, ev = wpp2024.tables["population"], wpp2024.tables["vital_events"]
    assert _value(ev, "births", year=1990, country="900") == 143_461_425
    assert _value(ev, "net_migration", year=2015, country="276") == 1_175_283
    assert _value(pop, "population", year=1990, country="900", sex="total") == 5_327_803_114
    assert _value(pop, "population", year=2020, country="276", sex="total") == 83_628_708
    # years between the 5-yearly ones come from gdidata, coded ISO3
    assert _value(pop, "population", year=2023, country="DEU", sex="total") == 84_548_235
    assert _value(pop, "src_file", year=2021, country="DEU", sex="total") == "gdidata_wdi.rda"


def test_wpp2024_gdidata_raw_value():
    from tmo.sources.io import read_rda

    wdi = read_rda(shared_file("wpp2024/gdidata_wdi.rda"), "wdi", ["geo", "var", "t", "v"])
    row = wdi[(wdi["geo"] == "DEU") & (wdi["var"] == "pop") & (wdi["t"] == 1990)]
    assert row["v"].round().tolist() == [79_707_964]


def test_wpp2024_invariants(wpp2024):
    pop = wpp2024.tables["population"]
    wide = pop.pivot_table(index=["year", "country"], columns="sex", values="population")
    full = wide.dropna()
    assert len(full) > 4000
    assert (full["male"] + full["female"] == full["total"]).all()
    assert set(pop["year"]) == set(range(1950, 2024))
    ev = wpp2024.tables["vital_events"]
    assert ev["year"].min() == 1950
    assert ev["year"].max() == 2100
    assert (ev["period_years"] == 1).all()
    assert (ev[["births", "deaths"]] >= 0).all().all()
    proj = wpp2024.tables["population_projection"]
    assert set(proj["variant"]) == {"medium", "low", "high", "80l", "80u", "95l", "95u"}
    assert (proj["date"] == "12-31").all()
    world = proj[(proj.country == "900") & (proj.year == 2024) & (proj.variant == "medium")]
    assert world.set_index("sex")["population"]["total"] == 8_196_980_849


def test_wpp2024_each_year_has_one_population_source(wpp2024):
    parts = [p.frame for p in wpp2024.parts if p.table == "population"]
    five_yearly, annual = (set(f["year"]) for f in parts)
    assert five_yearly == set(range(1950, 2021, 5))
    assert annual == set(range(1950, 2024)) - five_yearly
    assert all(f.severity != "error" for f in wpp2024.findings)


def test_wpp2019_published_figures(wpp2019):
    for name, frame in wpp2019.tables.items():
        validate(name, frame, source="wpp2019")
    ev, pop = wpp2019.tables["vital_events"], wpp2019.tables["population"]
    assert _value(ev, "births", year=1950, country="108") == 605_461
    assert (ev["period_years"] == 5).all()
    pm = pd.read_csv(shared_file("wpp2019/popM.txt"), sep="\t")
    world_m = pm[pm.country_code == 900]
    assert world_m.loc[world_m.age == "0-4", "1950"].iloc[0] == pytest.approx(172_419.832)
    expected = round(world_m["1950"].sum() * 1000)
    assert _value(pop, "population", year=1950, country="900", sex="male") == expected
    wide = pop.pivot_table(index=["year", "country"], columns="sex", values="population")
    assert (wide["male"] + wide["female"] == wide["total"]).all()


# ------------------------------------------------------------- official CSV layouts

COLS_2024 = ["SortOrder", "LocID", "Notes", "ISO3_code", "ISO2_code", "SDMX_code", "LocTypeID",
             "LocTypeName", "ParentID", "Location", "VarID", "Variant", "Time",
             "TPopulation1Jan", "TPopulation1July", "TPopulationMale1July",
             "TPopulationFemale1July", "PopDensity", "Births", "Deaths", "NetMigrations", "CNMR"]


def _row2024(loc: int, year: int, jan: float, july: float, m: float, births: float) -> list:
    return [1, loc, "", "DEU", "DE", "276", 4, "Country/Area", 926, "Germany", 2, "Medium",
            year, jan, july, m, round(july - m, 3), 240.0, births, 900.5, 300.25, 3.6]


def _write_2024(tmp_path: Path, rows: list[list]) -> dict[str, Path]:
    path = tmp_path / "WPP2024_Demographic_Indicators_Medium.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        pd.DataFrame(rows, columns=COLS_2024).to_csv(fh, index=False)
    return {path.name: path}


def test_wpp_csv_2024(tmp_path):
    files = _write_2024(tmp_path, [
        _row2024(276, 2023, 84_000.0, 84_548.235, 41_000.5, 700.1),
        _row2024(276, 2024, 84_600.0, 84_700.0, 41_100.0, 690.0),
        _row2024(276, 2025, 84_800.0, 84_900.0, 41_200.0, 680.0)])
    out = read_wpp_csv(files, source("wpp2024"))
    for name, frame in out.tables.items():
        validate(name, frame, source="csv")
    pop = out.tables["population"]
    assert _value(pop, "population", year=2023, country="276", sex="total") == 84_548_235
    assert set(pop["year"]) == {2023}
    proj = out.tables["population_projection"]
    assert _value(proj, "population", year=2024, date="12-31", sex="total") == 84_800_000
    assert _value(proj, "population", year=2024, date="07-01", sex="male") == 41_100_000
    ev = out.tables["vital_events"]
    assert _value(ev, "births", year=2023) == 700_100
    assert (ev["period_years"] == 1).all()
    assert _value(ev, "src_row", year=2024) == "3"


def test_wpp_csv_2019(tmp_path):
    period = tmp_path / "WPP2019_Period_Indicators_Medium.csv"
    pd.DataFrame({"LocID": [108, 108], "Location": "Burundi", "VarID": 2, "Variant": "Medium",
                  "Time": ["1950-1955", "2020-2025"], "MidPeriod": [1953, 2023],
                  "Births": [605.461, 2500.0], "Deaths": [307.285, 400.0],
                  "DeathsMale": 1.0, "DeathsFemale": 1.0,
                  "NetMigrations": [-69.947, -10.0]}).to_csv(period, index=False)
    total = tmp_path / "WPP2019_TotalPopulationBySex.csv"
    pd.DataFrame({"LocID": 108, "Location": "Burundi", "VarID": [2, 2, 3],
                  "Variant": ["Medium", "Medium", "High"], "Time": [1950, 2025, 2025],
                  "MidPeriod": 1950.5, "PopMale": [1.25, 2.0, 9.0], "PopFemale": [1.5, 2.5, 9.0],
                  "PopTotal": [2.75, 4.5, 18.0], "PopDensity": 1.0}).to_csv(total, index=False)
    out = read_wpp_csv({period.name: period, total.name: total}, source("wpp2019"))
    ev = out.tables["vital_events"]
    assert _value(ev, "births", year=1950) == 605_461
    assert (ev["period_years"] == 5).all()
    assert _value(out.tables["population"], "population", year=1950, sex="total") == 2750
    proj = out.tables["population_projection"]
    assert len(proj) == 3
    assert set(proj["variant"]) == {"medium"}


def test_wpp_csv_missing_column(tmp_path):
    rows = [_row2024(276, 2023, 1.0, 2.0, 1.0, 3.0)]
    files = _write_2024(tmp_path, rows)
    frame = pd.read_csv(next(iter(files.values()))).drop(columns=["Births"])
    with gzip.open(next(iter(files.values())), "wt") as fh:
        frame.to_csv(fh, index=False)
    with pytest.raises(SchemaError, match="Births"):
        read_wpp_csv(files, source("wpp2024"))


def test_wpp_csv_non_numeric_and_negative(tmp_path):
    bad = _row2024(276, 2023, 1.0, 2.0, 1.0, 3.0)
    bad[COLS_2024.index("Births")] = "12,5"
    with pytest.raises(SchemaError, match=r"Births.*row 2.*'12,5'"):
        read_wpp_csv(_write_2024(tmp_path, [bad]), source("wpp2024"))
    bad[COLS_2024.index("Births")] = -5
    with pytest.raises(SchemaError, match="negative"):
        read_wpp_csv(_write_2024(tmp_path, [bad]), source("wpp2024"))


def test_wpp_csv_truncated_gzip(tmp_path):
    files = _write_2024(tmp_path, [_row2024(276, y, 1, 2, 1, 3) for y in range(1950, 2000)])
    path = next(iter(files.values()))
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(SourceError):
        read_wpp_csv(files, source("wpp2024"))


def test_wpp2019_broken_text_files(tmp_path):
    files = _files("wpp2019", "wpp2019")
    text = files["popM.txt"].read_text().splitlines()
    moved = tmp_path / "popM.txt"
    moved.write_text("\n".join(["WPP 2019 male population", *text[:50]]))
    with pytest.raises(SchemaError, match=r"popM\.txt"):
        read_wpp2019_rpackage({**files, "popM.txt": moved}, source("wpp2019"))
    neg = tmp_path / "popF.txt"
    lines = [*text[:1], text[1].replace("172419.832", "-1")]
    neg.write_text("\n".join(lines))
    with pytest.raises(SchemaError, match="negative"):
        read_wpp2019_rpackage({**files, "popF.txt": neg}, source("wpp2019"))


def test_wpp2024_truncated_rda(tmp_path):
    files = _files("wpp2024", "wpp2024")
    cut = tmp_path / "mig1dt.rda"
    cut.write_bytes(files["mig1dt.rda"].read_bytes()[:20_000])
    with pytest.raises(SourceError, match=r"mig1dt\.rda"):
        read_wpp2024_rpackage({**files, "mig1dt.rda": cut}, source("wpp2024"))


def test_wpp2024_wrong_object(tmp_path):
    files = _files("wpp2024", "wpp2024")
    with pytest.raises(SchemaError, match="no data frame 'mig1dt'"):
        read_wpp2024_rpackage({**files, "mig1dt.rda": files["misc1dt.rda"]}, source("wpp2024"))


# ---------------------------------------------------------------- population by age (#13)
# Read independently with pyreadr (not the project's own R reader) and plain pandas.
AGE_FILE = "wpp2024/popAge5dt.rda"
IMS_2024 = "undesa_ims/official/undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"
AGE_PLACES = {900: "World", 498: "Republic of Moldova", 276: "Germany", 608: "Philippines"}


@pytest.fixture(scope="module")
def pop_age5() -> pd.DataFrame:
    pyreadr = pytest.importorskip("pyreadr")
    return pyreadr.read_r(str(shared_file(AGE_FILE)))["popAge5dt"]


def test_wpp2024_population_by_age_equals_the_file(wpp2024, pop_age5):
    stored = wpp2024.tables["population_by_age"]
    assert len(stored) == 3 * len(pop_age5)  # every row of the file, once per sex
    mine = stored[stored["country"].isin([str(c) for c in AGE_PLACES])
                  & stored["year"].isin([1990, 2020])]
    file = pop_age5[pop_age5["country_code"].isin(list(AGE_PLACES))
                    & pop_age5["year"].isin([1990, 2020])]
    assert len(mine) == 3 * len(file) == 3 * 4 * 2 * 21
    file = file.assign(country=file["country_code"].astype(str), year=file["year"].astype(int),
                       row=(file.index + 1).astype(str))  # the frame's row, 1-based
    for sex, col in (("male", "popM"), ("female", "popF"), ("total", "pop")):
        both = file.merge(mine[mine["sex"] == sex], on=["country", "year", "age"],
                          validate="one_to_one")
        assert len(both) == len(file)
        assert (both["population"] == (both[col] * 1000).round()).all(), sex
        assert (both["src_row"] == both["row"]).all()
        assert (both["src_file"] == "popAge5dt.rda").all()
        starts = both["age"].str.rstrip("+").str.split("-").str[0].astype(int)
        assert (both["age_start"] == starts).all()


def test_wpp2024_ages_sum_to_the_ims_table2_population(wpp2024, pop_age5):
    """The sum over the 21 age groups equals the both-sexes population of the same
    year published in Table 2 of the IMS 2024 destination workbook (thousands with three
    decimals, so each of the 21 rounded groups may be off by half a person-thousandth)."""
    table2 = pd.read_excel(shared_file(IMS_2024), sheet_name="Table 2", header=10)
    names = table2.iloc[:, 1].astype(str).str.strip().str.rstrip("*")
    stored = wpp2024.tables["population_by_age"]
    for code, name in AGE_PLACES.items():
        published = table2[names == name]
        assert len(published) == 1, name
        for year in (1990, 2020):
            file_sum = pop_age5.loc[(pop_age5["country_code"] == code)
                                    & (pop_age5["year"] == year), "pop"].sum()
            store_sum = stored.loc[(stored["country"] == str(code)) & (stored["year"] == year)
                                   & (stored["sex"] == "total"), "population"].sum()
            assert abs(file_sum - published[year].iloc[0]) <= 21 * 0.0005 + 1e-9, (name, year)
            assert abs(store_sum / 1000 - published[year].iloc[0]) <= 21 * 0.0005 + 1e-9


def test_wpp2024_bad_age_label_is_one_line(tmp_path, pop_age5):
    pyreadr = pytest.importorskip("pyreadr")
    files = _files("wpp2024", "wpp2024")
    bad = pop_age5[pop_age5["country_code"].isin([900, 498])].reset_index(drop=True)
    bad.loc[30, "age"] = "30 to 34"
    path = tmp_path / "popAge5dt.rda"
    pyreadr.write_rdata(str(path), bad, df_name="popAge5dt", compress="gzip")
    with pytest.raises(SchemaError, match=r"^popAge5dt\.rda, object popAge5dt: column 'age' "
                       r"row 31: '30 to 34' is not an age group like '0-4' or '100\+'$"):
        read_wpp2024_rpackage({**files, "popAge5dt.rda": path}, source("wpp2024"))
