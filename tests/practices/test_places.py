"""Countries of the practices: one resolver (the country registry), the store's names
when a store is built, the committed ISO 3166 table otherwise."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.conftest import shared_file
from tests.practices.conftest import submission_text
from tmo.errors import CountryNotFound, InputError
from tmo.practices.catalog import Catalog, load_catalog
from tmo.practices.index import FullTextIndex
from tmo.practices.places import ISO_TABLE, Places, committed_places, default_places
from tmo.practices.record import parse_practice
from tmo.store import facts
from tmo.store.query import connect

# A tiny store: the three reference views `tmo.store.facts` reads for places, with the
# UN DESA name of Moldova differing from its short name, as in the IMS workbooks.
COUNTRIES = pd.DataFrame([
    {"iso3": "MDA", "iso2": "MD", "m49": 498, "name": "Moldova", "kind": "country",
     "official_name": "Republic of Moldova", "un_name": "Republic of Moldova"},
    {"iso3": "MAR", "iso2": "MA", "m49": 504, "name": "Morocco", "kind": "country",
     "official_name": "Kingdom of Morocco", "un_name": "Morocco"},
    {"iso3": "TUR", "iso2": "TR", "m49": 792, "name": "Türkiye", "kind": "country",
     "official_name": "Republic of Türkiye", "un_name": "Türkiye"},
    {"iso3": "XKX", "iso2": None, "m49": 412, "name": "Kosovo", "kind": "special",
     "official_name": None, "un_name": None},
    {"iso3": "OOO", "iso2": None, "m49": 2003, "name": "Other / unknown origin",
     "kind": "special", "official_name": None, "un_name": None},
])
GROUPS = pd.DataFrame([{"group_code": "UN:900", "group_name": "World", "group_type": "world",
                        "member": "MDA"}])
AREA_NAMES = pd.DataFrame([
    {"source": "IMS 2020", "area": "MDA", "name": "Republic of Moldova*"},
    {"source": "IMS 2024", "area": "MDA", "name": "Republic of Moldova"},
    {"source": "IMS 2024", "area": "UN:900", "name": "WORLD"},
])


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    path = tmp_path / "tmo.duckdb"
    with duckdb.connect(str(path)) as con:
        for name, frame in (("countries", COUNTRIES), ("country_groups", GROUPS),
                            ("area_names", AREA_NAMES)):
            con.register("incoming", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")
            con.unregister("incoming")
    return path


@pytest.fixture
def store_places(store_file: Path) -> Places:
    with duckdb.connect(str(store_file), read_only=True) as con:
        return Places.from_store(con, str(store_file))


def test_committed_table_has_the_iso_codes_of_the_reference_file() -> None:
    """The fallback table and the store's `countries` (built from country-codes.csv)
    accept the same codes, so a record's validity does not depend on a store."""
    reference = pd.read_csv(shared_file("metadata/country-codes.csv"), dtype=str,
                            keep_default_na=False)
    reference = reference[reference["ISO3166-1-Alpha-3"] != ""]
    places = committed_places()
    assert places.codes == set(reference["ISO3166-1-Alpha-3"]) | {"XKX"}
    m49 = {c.iso3: c.m49 for c in places.registry.countries()}
    assert {iso3: int(code) for iso3, code in
            zip(reference["ISO3166-1-Alpha-3"], reference["M49"], strict=True)} == {
        iso3: n for iso3, n in m49.items() if iso3 != "XKX"}
    assert ISO_TABLE.read_text(encoding="utf-8").startswith("# ISO 3166-1")


def test_a_built_store_gives_the_profiles_names_and_the_same_codes(store: Path) -> None:
    with connect(store) as con:
        places = Places.from_store(con, str(store))
        profile_names = facts.names_by_lang(con)["en"]
    assert places.codes == committed_places().codes
    for code in ("MDA", "BOL", "COD", "KOR", "USA"):
        assert places.name(code) == profile_names[code]
    assert places.name("MDA") == "Republic of Moldova"
    assert places.resolve("Moldova") == places.resolve("Republic of Moldova") == "MDA"


@pytest.mark.parametrize(
    ("query", "iso3"),
    [("MAR", "MAR"), ("mar", "MAR"), ("morocco", "MAR"), ("Moldova", "MDA"),
     ("Moldova, Republic of", "MDA"), ("Republic of Moldova", "MDA"), ("Viet Nam", "VNM"),
     ("Vietnam", "VNM"), ("Côte d'Ivoire", "CIV"), ("Niger", "NER"), ("Nigeria", "NGA"),
     ("Guinea", "GIN"), ("Equatorial Guinea", "GNQ"), ("Kosovo", "XKX"), ("498", "MDA")],
)
def test_committed_places_resolve_codes_and_names(query: str, iso3: str) -> None:
    assert committed_places().resolve(query) == iso3


def test_never_fuzzy_but_suggests() -> None:
    with pytest.raises(CountryNotFound, match=r"closest matches: MAR \(Morocco\)"):
        committed_places().resolve("Marocco")
    with pytest.raises(CountryNotFound) as err:
        committed_places().resolve("Atlantis")
    assert err.value.query == "Atlantis"


def test_store_places_use_the_statistics_names(store_places: Places) -> None:
    assert store_places.name("MDA") == "Republic of Moldova"  # IMS 2024, not 'Moldova'
    assert store_places.name("MAR") == "Morocco"
    assert store_places.resolve("Republic of Moldova") == "MDA"
    assert store_places.resolve("moldova") == "MDA"
    # practices name countries and Kosovo, never the store's other special codes
    assert store_places.codes == {"MDA", "MAR", "TUR", "XKX"}
    assert not store_places.is_practice_country("OOO")
    assert not store_places.is_practice_country("mda")


def test_search_place_text_uses_the_store_names(store_places: Places) -> None:
    record = parse_practice(submission_text().replace("[PRT]", "[MDA]"), places=store_places)
    index = FullTextIndex([record], store_places)
    assert [m.id for m in index.search("Republic of Moldova")] == [record.id]
    fallback = FullTextIndex([record], committed_places())
    assert [m.id for m in fallback.search("Moldova")] == [record.id]


def test_default_places_follow_the_store_setting(store_file: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMO_DB", str(tmp_path / "absent.duckdb"))
    assert default_places() is committed_places()
    monkeypatch.setenv("TMO_DB", str(store_file))
    assert default_places().name("MDA") == "Republic of Moldova"
    assert default_places() is default_places()  # read once per version of the store
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database")
    monkeypatch.setenv("TMO_DB", str(broken))
    assert default_places() is committed_places()


def test_catalog_resolves_through_the_places_it_was_given(
    catalog, store_places: Places, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_store = Catalog(catalog.records, store_places)
    assert [r.id for r in in_store.filter(country="Republic of Moldova")] == [
        "mda-out-of-country-voting"]
    with pytest.raises(CountryNotFound):  # the tiny store knows four countries
        in_store.filter(country="Uruguay")
    monkeypatch.setenv("TMO_DB", str(tmp_path / "absent.duckdb"))
    assert load_catalog().places is committed_places()  # no store built


def test_record_codes_are_checked_against_the_registry(store_places: Places) -> None:
    text = submission_text().replace("[PRT]", "[URU]")
    with pytest.raises(InputError, match=r"countries\[0\]: 'URU' is not an ISO 3166 alpha-3 "
                                         r"code of the country registry \(did you mean: .*URY "
                                         r"\(Uruguay\)"):
        parse_practice(text, "sub.md", places=committed_places())
    assert parse_practice(submission_text().replace("[PRT]", "[XKX]")).countries == ("XKX",)
    with pytest.raises(InputError, match="'PRT' is not an ISO 3166 alpha-3 code"):
        parse_practice(submission_text(), "sub.md", places=store_places)
