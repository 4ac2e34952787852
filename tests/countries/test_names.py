"""Name matching: variants that must match, and names that must not match a country."""

from __future__ import annotations

import pytest

from tmo.countries import CountryRegistry, Reference
from tmo.countries.names import normalise
from tmo.errors import CountryNotFound

MUST_MATCH = [  # (published name, vocabulary, area)
    ("Türkiye", "undesa", "TUR"), ("Turkey", "undesa", "TUR"), ("Turkiye", None, "TUR"),
    ("Türkiye, Rep. of", "worldbank", "TUR"), ("France*", None, "FRA"),
    ("   France*", None, "FRA"), ("United Kingdom*", None, "GBR"),
    ("Côte d'Ivoire", None, "CIV"), ("Cote d'Ivoire", "worldbank", "CIV"),
    ("Côte d’Ivoire", None, "CIV"), ("China, Hong Kong SAR", "undesa", "HKG"),
    ("China, Macao SAR", "undesa", "MAC"), ("Hong Kong SAR, China", "worldbank", "HKG"),
    ("Republic of Moldova", "undesa", "MDA"), ("Moldova", None, "MDA"),
    ("Bolivia (Plurinational State of)", "undesa", "BOL"),
    ("Venezuela (Bolivarian Republic of)", "undesa", "VEN"), ("Venezuela, RB", "worldbank", "VEN"),
    ("Iran (Islamic Republic of)", "undesa", "IRN"), ("Iran, Islamic Rep.", "worldbank", "IRN"),
    ("Egypt, Arab Rep.", "worldbank", "EGY"), ("Egypt", None, "EGY"),
    ("Korea, Rep.", "worldbank", "KOR"), ("Republic of Korea", "undesa", "KOR"),
    ("Korea, Dem. Rep.", "worldbank", "PRK"),
    ("Dem. People's Republic of Korea", "undesa", "PRK"),
    ("Gambia, The", "worldbank", "GMB"), ("Gambia", None, "GMB"),
    ("Congo, Dem. Rep.", "worldbank", "COD"), ("Democratic Republic of the Congo", None, "COD"),
    ("Congo, Rep.", "worldbank", "COG"), ("Yemen, Rep.", "worldbank", "YEM"),
    ("Micronesia, Fed. Sts.", "worldbank", "FSM"),
    ("Micronesia (Fed. States of)", "undesa", "FSM"), ("Kosovo", "worldbank", "XKX"),
    ("Channel Islands", "worldbank", "XCX"), ("Channel Islands*", "undesa", "XCX"),
    ("United States", "worldbank", "USA"), ("United States of America*", None, "USA"),
    ("Russian Federation", "undesa", "RUS"), ("Viet Nam", "undesa", "VNM"),
    ("Vietnam", None, "VNM"), ("Czechia", "undesa", "CZE"), ("Czech Republic", None, "CZE"),
    ("Lao People's Democratic Republic", "undesa", "LAO"), ("Lao PDR", "worldbank", "LAO"),
    ("State of Palestine", "undesa", "PSE"), ("West Bank and Gaza", "worldbank", "PSE"),
    ("Syrian Arab Republic", "undesa", "SYR"), ("United Republic of Tanzania", "undesa", "TZA"),
    ("Tanzania", None, "TZA"), ("St. Lucia", "worldbank", "LCA"), ("Saint Lucia", None, "LCA"),
    ("St. Kitts and Nevis", "worldbank", "KNA"), ("Bosnia & Herzegovina", None, "BIH"),
    ("Curaçao", None, "CUW"), ("Curacao", "worldbank", "CUW"),
    ("Faeroe Islands", "worldbank", "FRO"),
    ("Macedonia, FYR", "worldbank", "MKD"), ("North Macedonia", None, "MKD"),
    ("Swaziland", "worldbank", "SWZ"), ("Eswatini", None, "SWZ"), ("Cabo Verde", None, "CPV"),
    ("Guinea", None, "GIN"), ("Niger", None, "NER"), ("Dominica", None, "DMA"),
    ("Sudan", None, "SDN"), ("South Sudan", None, "SSD"), ("Nigeria", None, "NGA"),
    ("Guinea-Bissau", None, "GNB"), ("Equatorial Guinea", None, "GNQ"),
    ("Dominican Republic", None, "DOM"), ("Namibia", None, "NAM"),
    # the vocabulary rule for "Congo": UN M49, ISO 3166 and UN DESA call the Republic
    # of the Congo "Congo"; the other Congo is always qualified
    ("Congo", None, "COG"), ("Congo", "undesa", "COG"), ("Congo, Rep.", "worldbank", "COG"),
    ("Dem. Rep. of the Congo", "unhcr", "COD"), ("Bahamas, The", "worldbank", "BHS"),
    ("Egypt", None, "EGY"), ("Korea, Dem. People's Rep.", "worldbank", "PRK"),
    ("Rep. of Korea", "unhcr", "KOR"), ("Kyrgyz Republic", "worldbank", "KGZ"),
    ("Slovak Republic", "worldbank", "SVK"), ("Taiwan, China", "worldbank", "TWN"),
    ("China, Taiwan Province of China", "undesa", "TWN"), ("Macao SAR, China", "worldbank", "MAC"),
    ("Kosovo (under UNSC res. 1244)", "undesa", "XKX"), ("Other", "undesa", "OOO"),
    ("Unknown", "unhcr", "OOO"), ("Stateless", "unhcr", "XXA"),
    ("Serbia and Kosovo: S/RES/1244 (1999)", "unhcr", "SRB"), ("Palestinian", "unhcr", "PSE"),
    ("Netherlands (Kingdom of the)", "unhcr", "NLD"), ("Netherlands-Antilles", "worldbank", "ANT"),
    ("West Bank/Gaza Strip", "worldbank", "PSE"), ("Falkland Islands (Malvinas)*", "undesa", "FLK"),
    ("Sint Maarten (Dutch part)", "worldbank", "SXM"),
    ("St. Martin (French part)", "worldbank", "MAF"),
    ("Bonaire, Sint Eustatius and Saba", "undesa", "BES"), ("Holy See", "undesa", "VAT"),
    ("Réunion", None, "REU"), ("Saint Helena", "undesa", "SHN"),
    ("Wallis and Futuna Islands", "undesa", "WLF"), ("   Mauritius*", "undesa", "MUS"),
    ("China*", "undesa", "CHN"), ("Virgin Islands (U.S.)", "worldbank", "VIR"),
    ("British Virgin Islands", "worldbank", "VGB"), ("Timor-Leste", None, "TLS"),
    ("Myanmar", None, "MMR"), ("Sao Tome and Principe", "worldbank", "STP"),
    ("São Tomé and Príncipe", None, "STP"), ("St. Vincent and the Grenadines", "worldbank", "VCT"),
    ("Libya", None, "LBY"), ("Brunei Darussalam", "undesa", "BRN"),
    ("Micronesia", None, "FSM"),  # the country, except in UN DESA tables (the subregion)
]

# Aggregate rows of each publisher, resolved to the publisher's aggregate codes.
MUST_MATCH_AGGREGATE = [
    ("World", "worldbank", "WB:WLD"), ("WORLD", "undesa", "UN:900"), ("World", None, "UN:900"),
    ("Sub-Saharan Africa", "worldbank", "WB:SSF"), ("Low income", "worldbank", "WB:LIC"),
    ("Low and middle income", "worldbank", "WB:LMY"), ("Middle income", "worldbank", "WB:MIC"),
    ("East Asia and Pacific", "worldbank", "WB:EAS"),
    ("East Asia & Pacific", "worldbank", "WB:EAS"),
    ("Europe and Central Asia", "worldbank", "WB:ECS"), ("High income", "worldbank", "WB:HIC"),
    ("Latin America and the Caribbean", "worldbank", "WB:LCN"), ("Not classified", "worldbank",
                                                                  "WB:INX"),
    ("Latin America and the Caribbean", "undesa", "UN:1830"), ("  Micronesia", "undesa", "UN:954"),
    ("More developed regions", "undesa", "UN:901"), ("High-income countries", "undesa", "UN:1503"),
    ("No income group available", "undesa", "UN:1518"), ("  Western Europe", "undesa", "UN:926"),
    ("Least developed countries", "undesa", "UN:941"),
]

MUST_NOT_MATCH_A_COUNTRY = [
    "World", "WORLD", "Sub-Saharan Africa", "High-income countries", "Low income",
    "Latin America and the Caribbean", "Europe and Northern America", "Western Asia",
    "More developed regions", "Least developed countries", "Small Island Developing States (SIDS)",
    "East Asia & Pacific", "Europe & Central Asia", "Upper middle income", "Euro area",
    "Arab World", "Middle East & North Africa", "IDA total",
    "Fragile and conflict affected situations",
    "Note: data for 2022 are estimates", "Source: KNOMAD", "Total", "", "Atlantis",
    "Republic", "Islands", "Guinea Bissau Equatorial", "Northern Africa and Western Asia",
    # ambiguous or partial: never resolved by guessing
    "Korea", "Virgin Islands", "Guinea Equatorial", "New Guinea", "Niger Delta", "Dominican",
    "South", "Democratic Republic", "Saint", "Sudan South", "Congo Democratic", "Samoa American",
    "Other North America", "Unknown country", "Not classified", "Melanesia",
]


@pytest.mark.parametrize(("name", "vocabulary", "area"), MUST_MATCH)
def test_must_match(reference: Reference, name: str, vocabulary: str | None, area: str) -> None:
    assert reference.registry.match_name(name, vocabulary) == area


@pytest.mark.parametrize("name", MUST_NOT_MATCH_A_COUNTRY)
def test_must_not_match_a_country(reference: Reference, name: str) -> None:
    for vocabulary in (None, "undesa", "worldbank", "unhcr"):
        found = reference.registry.match_name(name, vocabulary)
        assert found is None or reference.registry.is_aggregate(found), (name, found)


@pytest.mark.parametrize(("name", "vocabulary", "area"), MUST_MATCH_AGGREGATE)
def test_aggregate_names(reference: Reference, name: str, vocabulary: str | None,
                         area: str) -> None:
    assert reference.registry.match_name(name, vocabulary) == area


def test_lists_are_long_enough() -> None:
    assert len(MUST_MATCH) >= 60
    assert len(MUST_NOT_MATCH_A_COUNTRY) >= 25


@pytest.mark.parametrize(("name", "not_area"), [
    ("Guinea", "GNQ"), ("Guinea", "GNB"), ("Niger", "NGA"), ("Dominica", "DOM"),
    ("Sudan", "SSD"), ("Congo", "COD"), ("Samoa", "ASM"), ("Ireland", "GBR"),
    ("Virgin Islands (U.S.)", "VGB"), ("Macao SAR, China", "CHN"), ("Oman", "ROU"),
])
def test_similar_names_stay_apart(reference: Reference, name: str, not_area: str) -> None:
    for vocabulary in (None, "undesa", "worldbank", "unhcr"):
        assert reference.registry.match_name(name, vocabulary) != not_area


def test_aggregate_names_resolve_to_aggregates(reference: Reference) -> None:
    reg = reference.registry
    assert reg.match_name("Sub-Saharan Africa", "worldbank") == "WB:SSF"
    assert reg.match_name("Low-and Middle-Income Countries", "worldbank") == "WB:LMY"
    assert reg.area_for_m49(900) == "UN:900"
    assert reg.area_for_m49(1834) == "UN:1834"


def test_normalise() -> None:
    assert normalise("   Côte d'Ivoire*") == "cote d ivoire"
    assert normalise("St. Lucia") == "saint lucia"
    assert normalise("Bosnia & Herzegovina") == "bosnia and herzegovina"
    assert normalise("The Gambia") == "gambia"
    assert normalise("United States of America (the)") == "united states of america"
    assert normalise("Gambia, The") == "gambia"
    assert normalise("Dem. Rep. of the Congo") == "democratic republic of the congo"
    assert normalise("Guinea-Bissau") == "guinea bissau"
    assert normalise("France (1)") == "france"


def test_lookup_by_code_name_and_number(reference: Reference) -> None:
    reg = reference.registry
    assert reg.lookup("mda").iso3 == "MDA"
    assert reg.lookup("MD").iso3 == "MDA"
    assert reg.lookup("498").iso3 == "MDA"
    assert reg.lookup("Moldova").iso3 == "MDA"
    assert reg.lookup("NA").iso3 == "NAM"  # Namibia's ISO2 is not a missing value
    assert reg.lookup("Republic of Moldova").iso3 == "MDA"


def test_unknown_country_suggests_close_names(reference: Reference) -> None:
    with pytest.raises(CountryNotFound) as err:
        reference.registry.lookup("Moldavia")
    assert "Moldova (MDA)" in err.value.suggestions
    assert "closest matches" in str(err.value)
    with pytest.raises(CountryNotFound) as err:
        reference.registry.lookup("Korea")  # ambiguous: both Koreas are suggested
    assert {"North Korea (PRK)", "South Korea (KOR)"} <= set(err.value.suggestions)
    with pytest.raises(CountryNotFound) as err:
        reference.registry.lookup("Atlantis")
    assert err.value.query == "Atlantis"


def test_lookup_is_for_countries_not_aggregates(reference: Reference) -> None:
    with pytest.raises(CountryNotFound):
        reference.registry.lookup("Sub-Saharan Africa")
    assert reference.registry.lookup("XKX").kind == "special"
    assert reference.registry.lookup("Kosovo").iso3 == "XKX"


def test_registry_round_trips_through_the_store_tables(reference: Reference) -> None:
    again = CountryRegistry.from_frames(reference.countries, reference.country_groups)
    assert again.lookup("Türkiye").iso3 == "TUR"
    assert again.area_for_m49(2003) == "OOO"
    assert again.area_for_m49(830) == "XCX"


def test_registry_from_a_duckdb_round_trip(reference: Reference) -> None:
    import duckdb

    con = duckdb.connect()
    con.register("c", reference.countries)
    con.register("g", reference.country_groups)
    again = CountryRegistry.from_frames(con.execute("SELECT * FROM c").df(),
                                        con.execute("SELECT * FROM g").df())
    assert again.lookup("NA").iso3 == "NAM"
    assert again.lookup("516").iso3 == "NAM"
    assert again.match_name("Korea, Rep.", "worldbank") == "KOR"
    assert again.match_name("Sub-Saharan Africa", "worldbank") == "WB:SSF"
    assert again.by_m49(276).sdg_region == "Europe and Northern America"  # type: ignore[union-attr]
    assert again.members("UN:926")
    assert "DEU" in again.members("UN:926")
    assert again.group_type("WB:HIC") == "wb_income"
    assert [c.iso3 for c in again.countries()] == [c.iso3 for c in reference.registry.countries()]
