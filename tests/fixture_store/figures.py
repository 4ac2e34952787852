"""The made-up figures of the fixture store: eight countries, the World and two UN regions.

Nothing here comes from the official files: numbers are invented so that totals can be
checked by hand, and are only written in the publishers' layouts by `make.py`. Codes,
names, regions and capitals are the public reference facts the adapters need to match
places (coordinates rounded). Every UN group of the annex needs a member (see make.py),
so the fixture annex classifies Ethiopia as low income (1500), Moldova as upper-middle
income (1502, as in the fixture's World Bank CLASS) and, made up, Tuvalu as "No income
group available" (1518).

Migrant stocks (IMS). `OD` holds each destination's immigrants by origin in the 2024
revision for 2024, as (female, male); total = female + male. Every other year and the
2020 revision are `OD` scaled by a number of tenths (`TENTHS`), so every published
figure is an exact integer. Destination totals, the World (900), EUROPE (908) and
Eastern Europe (923) are sums of these rows, so origin-destination sums equal the
published destination totals. "OOO" is the IMS "Other" origin (M49 2003).

Hand-computed (2024 revision, 2024):
- immigrants in MDA: 3000+2000 (ROU) + 400+600 (DEU) + 1000+1000 (Other) = 8,000
  (female 4,400, male 3,600); in 1990: 8,000 x 5/10 = 4,000 (so +100 % since 1990).
- emigrants from MDA: 10,000 (DEU) + 50,000 (ITA) + 20,000 (ROU) + 10,000 (USA) = 90,000
  (female 51,000, male 39,000); net position 8,000 - 90,000 = -82,000.
- immigrants in DEU: 10,000 + 50,000 + 30,000 + 5,000 + 5,000 + 10,000 = 110,000.
- corridor MDA -> ITA: 30,000 + 20,000 = 50,000 (2020 revision, 2020: 50,000 x 8/10 = 40,000).
- World: 8,000 + 25,000 + 110,000 + 150,000 + 25,000 + 100 + 300,000 + 1,000 (ETH)
  = 619,100;
  EUROPE 293,000; Eastern Europe 33,000.
- population of MDA (IMS Table 2): 1,300 + 1,200 thousand = 2,500,000 persons, every year;
  immigrant share 8,000 / 2,500,000 = 0.32 %.
Refugees (UNHCR, end of 2023): hosted by DEU 1,000 (unknown origin) + 300 (MDA) = 1,300;
from MDA abroad 300 (DEU) + 200 (ITA) = 500; hosted by MDA 40 + 10 = 50.
Remittances (WDI): received by MDA in 2022 US$ 2,000,000,000; GDP of MDA in 2022
US$ 16,000,000,000, so 12.5 % of GDP. Bilateral matrix 2017: ITA -> MDA US$ 300 million.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    m49: int
    name: str  # CLDR display name (country-codes.csv)
    official_en: str
    official_fr: str
    official_es: str
    unterm: str  # UNTERM English Short
    un_name: str  # UN DESA name (IMS workbooks, annex), footnote asterisk included
    wb_name: str  # World Bank name (CLASS, WDI, KNOMAD, bilateral matrix, RPW)
    unhcr: tuple[str, str]  # UNHCR own code and name
    region: tuple[int, str]  # UN M49 region (country-codes.csv)
    subregion: tuple[int, str]
    intermediate: tuple[int, str] | None  # UN M49 intermediate region, if any
    capital: tuple[str, str, float, float]  # country-codes name, WUP name, lat, lon
    annex: dict  # IMS 2020 annex group codes (see ANNEX_GROUPS)
    wb: tuple[str, str, str | None, str | None]  # region, income group, lending, other
    wb_groups: tuple[str, ...]  # CLASS group memberships
    dial: str
    currency: str
    tld: str
    continent: str
    flags: tuple[bool, bool, bool]  # LDC, LLDC, SIDS


COUNTRIES = [
    Country("MDA", "MD", 498, "Moldova", "Republic of Moldova", "République de Moldova",
            "República de Moldova", "Republic of Moldova (the)", "Republic of Moldova*",
            "Moldova", ("MDA", "Rep. of Moldova"), (150, "Europe"), (151, "Eastern Europe"), None,
            ("Chisinau", "Chişinău", 47.01, 28.86),
            {"sub": 923, "sdg_sub": (917, "Europe"), "sdg": 1829, "geo": 908,
             "dev": (901, 1636), "income": (1517, 1502)},
            ("Europe & Central Asia", "Upper middle income", "IBRD", None),
            ("WLD", "ECS", "UMC", "MIC", "LMY", "IBD", "IBT"), "373", "MDL", ".md", "EU",
            (False, True, False)),
    Country("ROU", "RO", 642, "Romania", "Romania", "Roumanie", "Rumania", "Romania",
            "Romania", "Romania", ("ROM", "Romania"), (150, "Europe"),
            (151, "Eastern Europe"), None,
            ("Bucharest", "Bucureşti (Bucharest)", 44.43, 26.10),
            {"sub": 923, "sdg_sub": (917, "Europe"), "sdg": 1829, "geo": 908,
             "dev": (901,), "income": (1503,)},
            ("Europe & Central Asia", "High income", None, None),
            ("WLD", "ECS", "HIC", "EUU"), "40", "RON", ".ro", "EU", (False, False, False)),
    Country("DEU", "DE", 276, "Germany", "Germany", "Allemagne", "Alemania", "Germany",
            "Germany", "Germany", ("GFR", "Germany"), (150, "Europe"),
            (155, "Western Europe"), None,
            ("Berlin", "Berlin", 52.52, 13.40),
            {"sub": 926, "sdg_sub": (917, "Europe"), "sdg": 1829, "geo": 908,
             "dev": (901,), "income": (1503,)},
            ("Europe & Central Asia", "High income", None, "EMU"),
            ("WLD", "ECS", "HIC", "EUU", "EMU"), "49", "EUR", ".de", "EU",
            (False, False, False)),
    Country("ITA", "IT", 380, "Italy", "Italy", "Italie", "Italia", "Italy", "Italy", "Italy",
            ("ITA", "Italy"), (150, "Europe"), (39, "Southern Europe"), None,
            ("Rome", "Roma (Rome)", 41.89, 12.48),
            {"sub": 925, "sdg_sub": (917, "Europe"), "sdg": 1829, "geo": 908,
             "dev": (901,), "income": (1503,)},
            ("Europe & Central Asia", "High income", None, "EMU"),
            ("WLD", "ECS", "HIC", "EUU", "EMU"), "39", "EUR", ".it", "EU",
            (False, False, False)),
    Country("PHL", "PH", 608, "Philippines", "Philippines", "Philippines", "Filipinas",
            "Philippines (the)", "Philippines", "Philippines", ("PHI", "Philippines"),
            (142, "Asia"), (35, "South-eastern Asia"), None, ("Manila", "Manila", 14.60, 120.98),
            {"sub": 920, "sdg_sub": None, "sdg": 1832, "geo": 935,
             "dev": (902, 934, 948), "income": (1517, 1501)},
            ("East Asia & Pacific", "Lower middle income", "IBRD", None),
            ("WLD", "EAS", "LMC", "MIC", "LMY", "IBD", "IBT"), "63", "PHP", ".ph", "AS",
            (False, False, False)),
    Country("TUV", "TV", 798, "Tuvalu", "Tuvalu", "Tuvalu", "Tuvalu", "Tuvalu", "Tuvalu",
            "Tuvalu", ("TUV", "Tuvalu"), (9, "Oceania"), (61, "Polynesia"), None,
            ("Funafuti", "Funafuti", -8.52, 179.20),
            {"sub": 957, "sdg_sub": None, "sdg": 1835, "geo": 909,
             "dev": (902, 941, 948, 1637), "income": (1518,)},  # made up, see above
            ("East Asia & Pacific", "Upper middle income", "IDA", None),
            ("WLD", "EAS", "UMC", "MIC", "LMY", "IDX", "IBT"), "688", "AUD", ".tv", "OC",
            (True, False, True)),
    Country("USA", "US", 840, "United States", "United States of America",
            "États-Unis d'Amérique", "Estados Unidos de América",
            "United States of America (the)", "United States of America*", "United States",
            ("USA", "United States of America"), (19, "Americas"), (21, "Northern America"), None,
            ("Washington", "Washington, D.C.", 38.90, -77.04),
            {"sub": None, "sdg_sub": (918, "Northern America"), "sdg": 1829, "geo": 905,
             "dev": (901,), "income": (1503,)},
            ("North America", "High income", None, None),
            ("WLD", "NAC", "HIC"), "1", "USD", ".us", "NA", (False, False, False)),
    Country("ETH", "ET", 231, "Ethiopia", "Ethiopia", "Éthiopie", "Etiopía", "Ethiopia",
            "Ethiopia", "Ethiopia", ("ETH", "Ethiopia"), (2, "Africa"),
            (202, "Sub-Saharan Africa"), (14, "Eastern Africa"),
            ("Addis Ababa", "Addis Ababa", 9.03, 38.74),
            {"sub": 910, "sdg_sub": None, "sdg": 947, "geo": 903,
             "dev": (902, 941, 948, 1636), "income": (1500,)},
            ("Sub-Saharan Africa", "Low income", "IDA", "HIPC"),
            ("WLD", "SSF", "LIC", "LMY", "IDX", "IBT"), "251", "ETB", ".et", "AF",
            (True, True, False)),
]
BY_ISO3 = {c.iso3: c for c in COUNTRIES}
M49 = {c.iso3: c.m49 for c in COUNTRIES} | {"OOO": 2003}

# Immigrants by destination and origin, 2024 revision, 2024: (female, male).
OD: dict[str, dict[str, tuple[int, int]]] = {
    "MDA": {"ROU": (3000, 2000), "DEU": (400, 600), "OOO": (1000, 1000)},
    "ROU": {"MDA": (10000, 10000), "ITA": (1000, 1000), "DEU": (1000, 1000),
            "OOO": (500, 500)},
    "DEU": {"MDA": (6000, 4000), "ROU": (20000, 30000), "ITA": (10000, 20000),
            "PHL": (3000, 2000), "USA": (2000, 3000), "OOO": (5000, 5000)},
    "ITA": {"MDA": (30000, 20000), "ROU": (40000, 30000), "DEU": (5000, 5000),
            "PHL": (10000, 5000), "ETH": (2500, 2500)},
    "PHL": {"USA": (10000, 10000), "DEU": (1000, 1000), "OOO": (1500, 1500)},
    "TUV": {"PHL": (10, 10), "USA": (10, 10), "OOO": (30, 30)},
    "USA": {"PHL": (100000, 80000), "DEU": (20000, 20000), "ITA": (10000, 10000),
            "MDA": (5000, 5000), "ROU": (5000, 5000), "TUV": (100, 100),
            "OOO": (19900, 19900)},
    "ETH": {"OOO": (400, 600)},
}
YEARS = {"2024": [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024],
         "2020": [1990, 1995, 2000, 2005, 2010, 2015, 2020]}
# Each year's stock = the 2024 figure x tenths / 10 (all figures are multiples of 10).
TENTHS = {"2024": {1990: 5, 1995: 6, 2000: 6, 2005: 7, 2010: 7, 2015: 8, 2020: 9, 2024: 10},
          "2020": {1990: 4, 1995: 5, 2000: 5, 2005: 6, 2010: 6, 2015: 7, 2020: 8}}
# IMS data type of each destination ("Data type" 2024, "Type of data" 2020, which may
# carry a trailing space as in the official file) and the 2024 coverage footnote.
DATA_TYPE = {"2024": {"MDA": "B R", "ROU": "B R", "DEU": "B R", "ITA": "B R", "PHL": "C R",
                      "TUV": "C", "USA": "B", "ETH": "B R"},
             "2020": {"MDA": "B", "ROU": "B", "DEU": "B", "ITA": "B", "PHL": "C R ",
                      "TUV": "C", "USA": "B", "ETH": "B R"}}
COVERAGE_2024 = {"USA": 36}
POPULATION_NOTES_2024 = {"MDA": "B14", "USA": "B32"}

# UN aggregates written in the IMS destination workbooks: code -> (name, members).
AGGREGATES = {900: ("World", [c.iso3 for c in COUNTRIES]),
              908: ("EUROPE", ["MDA", "ROU", "DEU", "ITA"]),
              923: ("Eastern Europe", ["MDA", "ROU"])}
# Order of the destination rows: World, then the region, its subregion and countries.
IMS_ORDER: list[str | int] = [900, 908, 923, "MDA", "ROU", "DEU", "ITA", "PHL", "TUV", "USA", "ETH"]

# Mid-year population (IMS Table 2 and WPP, THOUSANDS), the same every year: (female, male).
POPULATION = {"MDA": (1300, 1200), "ROU": (10300, 9700), "DEU": (40500, 39500),
              "ITA": (30500, 29500), "PHL": (55000, 55000), "TUV": (5, 5),
              "USA": (171000, 169000), "ETH": (60000, 60000)}
# WPP events per year (thousands): births, deaths, net migration; births - deaths + net
# = 0, so the population stays constant, and net migration sums to 0 over the World.
EVENTS = {"MDA": (40, 30, -10), "ROU": (200, 160, -40), "DEU": (700, 1000, 300),
          "ITA": (400, 650, 250), "PHL": (2000, 900, -1100), "TUV": (0.2, 0.2, 0),
          "USA": (3000, 3800, 800), "ETH": (1000, 800, -200)}
# IMS 2020 Table 6: refugees and asylum seekers at mid-year in 2020 (scaled by TENTHS
# like the stocks); None is published as "~" (fewer than five). Each is a part of its
# migrant stock, as in IMS, so its share stays within 100 % (the number policy refuses
# more): Ethiopia's 80 of 800.
REFUGEES_IMS_2020 = {"MDA": None, "ROU": 2000, "DEU": 20000, "ITA": 10000, "PHL": 1000,
                     "TUV": None, "USA": 30000, "ETH": 80}

# UNHCR end-year stocks: (year, origin, asylum) -> (refugees, asylum seekers); origins
# "UNK" (unknown) and "XXA" (stateless) are UNHCR's own codes.
UNHCR = {
    (2022, "UNK", "DEU"): (900, 150), (2022, "MDA", "DEU"): (250, 80),
    (2022, "MDA", "ITA"): (150, 40), (2022, "UNK", "MDA"): (30, 5),
    (2022, "PHL", "USA"): (450, 90),
    (2023, "UNK", "DEU"): (1000, 200), (2023, "MDA", "DEU"): (300, 100),
    (2023, "MDA", "ITA"): (200, 50), (2023, "UNK", "MDA"): (40, 10),
    (2023, "ROU", "MDA"): (10, 0), (2023, "ROU", "ITA"): (0, 10),
    (2023, "PHL", "USA"): (500, 100), (2023, "XXA", "DEU"): (0, 0),
    (2023, "ETH", "ITA"): (100, 20),
}
UNHCR_STATELESS = {(2023, "XXA", "DEU"): 20}

# UNHCR asylum applications: (year, origin, asylum, app_type, unit) -> applied (persons
# "P" or cases "C"; the USA reports cases, as in the real file).
ASYLUM_APPLICATIONS = {
    (2022, "MDA", "DEU", "N", "P"): 120, (2023, "MDA", "DEU", "N", "P"): 150,
    (2023, "MDA", "DEU", "A", "P"): 30, (2023, "ETH", "ITA", "N", "P"): 60,
    (2023, "PHL", "USA", "N", "C"): 40, (2023, "MDA", "ITA", "N", "P"): 20,
}
# UNHCR asylum decisions: (year, origin, asylum, dec_level, unit) -> (recognised,
# complementary, rejected, closed, total as published).
ASYLUM_DECISIONS = {
    (2023, "MDA", "DEU", "FI", "P"): (20, 10, 90, 30, 150),
    (2023, "MDA", "DEU", "JR", "P"): (5, 0, 15, 0, 20),
    (2023, "ETH", "ITA", "FI", "P"): (30, 6, 4, 0, 40),
    (2023, "PHL", "USA", "IN", "C"): (10, 0, 10, 5, 25),
}
# UNHCR durable solutions: (year, origin, asylum) -> (returned refugees, resettlement,
# naturalisation, returned IDPs); None = NA in the file (nothing reported).
SOLUTIONS = {
    (2023, "MDA", "DEU"): (40, None, 12, None), (2023, "ETH", "USA"): (None, 70, None, None),
    (2023, "ETH", "ETH"): (None, None, None, 500),
}
# IDMC internally displaced persons by conflict, end of year: (year, country) -> persons.
IDMC = {(2022, "ETH"): 3000, (2023, "ETH"): 2500, (2023, "UNK"): 100}

# WDI personal remittances (current US$): country -> {year: (received, paid)}.
REMITTANCES = {
    "MDA": {2019: (1.6e9, 1.5e8), 2020: (1.8e9, 1.6e8), 2021: (1.9e9, 1.8e8),
            2022: (2.0e9, 2.0e8)},
    "ROU": {2021: (9.0e9, 1.0e9), 2022: (1.0e10, 1.0e9)},
    "DEU": {2021: (1.9e10, 2.4e10), 2022: (2.0e10, 2.5e10)},
    "ITA": {2021: (9.5e9, 1.1e10), 2022: (1.0e10, 1.2e10)},
    "PHL": {2021: (3.6e10, 2.5e8), 2022: (3.8e10, 2.0e8)},
    "TUV": {2022: (5.0e6, 1.0e6)},
    "USA": {2021: (7.5e9, 7.5e10), 2022: (8.0e9, 8.0e10)},
    "ETH": {2022: (4.0e8, 1.0e7)},
}
GDP = {"MDA": {2021: 1.4e10, 2022: 1.6e10, 2023: 1.7e10},
       "ROU": {2022: 3.0e11}, "DEU": {2022: 4.0e12}, "ITA": {2022: 2.0e12},
       "PHL": {2022: 4.0e11}, "TUV": {2022: 6.0e7}, "USA": {2022: 2.5e13},
       "ETH": {2022: 1.2e11}}
# WDI average cost of sending USD 200 to ('to') and from ('from') a country, percent.
COSTS = {"MDA": {"to": {2019: 6.0, 2020: 5.8, 2021: 5.5}},
         "PHL": {"to": {2020: 4.0, 2021: 3.5}},
         "DEU": {"from": {2020: 7.0, 2021: 6.5}},
         "ITA": {"from": {2021: 5.0}}, "USA": {"from": {2021: 5.0}}}
# Remittance Prices Worldwide: (sender, receiver) -> {period: cost %}.
RPW = {("DEU", "MDA"): {"2019Q4": 6.0, "2020Q1": 5.5, "2020Q2": 5.0, "2020Q3": 4.5},
       ("ITA", "MDA"): {"2020Q1": 4.0, "2020Q2": 4.0, "2020Q3": 4.0},
       ("USA", "PHL"): {"2011Q1": 5.0, "2020Q3": 3.0},
       ("DEU", "ROU"): {"2020Q3": 3.5}}
# World Bank bilateral remittance matrix 2017 (US$ million): (sender, receiver) -> value;
# None is published as "-" (no estimate).
BILATERAL_2017 = {("DEU", "MDA"): 50, ("ITA", "MDA"): 300, ("ROU", "MDA"): 100,
                  ("USA", "MDA"): 40, ("USA", "PHL"): 10000, ("DEU", "PHL"): 150,
                  ("DEU", "ROU"): 800, ("ITA", "ROU"): 1500, ("USA", "TUV"): None,
                  ("ITA", "ETH"): 20}
# KNOMAD annual remittances (US$ million): country -> {year: (inflow, outflow)}.
KNOMAD = {"MDA": {2021: (1900, 180), 2022: (2000, 200)},
          "ROU": {2022: (10000, 1000)}, "DEU": {2022: (20000, 25000)},
          "ITA": {2022: (10000, 12000)}, "PHL": {2021: (0, 0), 2022: (38000, 200)},
          "TUV": {2022: (5, 1)}, "USA": {2022: (8000, 80000)},
          "ETH": {2022: (400, 10)}}
# Eurostat migr_imm5prv: (partner = previous residence, geo = reporter, year) -> persons.
EUROSTAT = {("RO", "DE", 2021): 190000, ("RO", "DE", 2022): 200000,
            ("IT", "DE", 2022): 30000, ("DE", "IT", 2022): 10000,
            ("RO", "IT", 2022): 50000, ("OTHER", "DE", 2022): 400000}
# Natural Earth outlines as lon/lat boxes (Tuvalu is too small for the 1:110m file).
SHAPES = {"MDA": (26.6, 45.5, 30.1, 48.5), "ROU": (20.3, 43.6, 29.7, 48.3),
          "DEU": (5.9, 47.3, 15.0, 55.1), "ITA": (6.6, 36.6, 18.5, 47.1),
          "PHL": (117.2, 5.6, 126.6, 18.5), "USA": (-124.7, 24.5, -66.9, 49.4),
          "ETH": (33.0, 3.4, 48.0, 14.9)}
