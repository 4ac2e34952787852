"""Catalog: location of the records, filters, facets, links for country profiles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tmo.errors import CountryNotFound, InputError, NotFound
from tmo.practices import practices_for_countries
from tmo.practices.catalog import Catalog, load_catalog, practices_dir, resolve_theme


def test_records_dir_from_env(tmp_path: Path, monkeypatch) -> None:
    source = practices_dir()
    for name in ("mda-out-of-country-voting.md", "ecu-out-of-country-voting.md",
                 "ecu-diaspora-assembly-seats.md"):
        shutil.copy(source / name, tmp_path / name)
    monkeypatch.setenv("TMO_PRACTICES_DIR", str(tmp_path))
    assert practices_dir() == tmp_path
    # related links to records outside the folder are reported
    with pytest.raises(InputError, match="related practice"):
        load_catalog()
    monkeypatch.setenv("TMO_PRACTICES_DIR", str(tmp_path / "absent"))
    with pytest.raises(NotFound, match="good-practice folder not found") as err:
        practices_dir()
    assert "TMO_PRACTICES_DIR" in (err.value.hint or "")


def test_bad_file_is_named(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "broken.md").write_text("---\nid: broken\n---\nshort", encoding="utf-8")
    (tmp_path / "misnamed.md").write_text(
        (practices_dir() / "iom-migration-profiles.md").read_text(encoding="utf-8")
        .replace("related: [zmb-diaspora-stocktaking-tool, mex-repatriated-youth-research]",
                 "related: []"),
        encoding="utf-8",
    )
    monkeypatch.setenv("TMO_PRACTICES_DIR", str(tmp_path))
    with pytest.raises(InputError) as err:
        load_catalog()
    message = str(err.value)
    assert "2 invalid practice file(s)" in message
    assert "broken.md: invalid practice record" in message
    assert "id 'iom-migration-profiles' differs from the file name 'misnamed'" in message


def test_duplicate_ids_are_refused(catalog) -> None:
    with pytest.raises(InputError, match="duplicate practice id"):
        Catalog(catalog.records + catalog.records[:1])


def test_filters(catalog) -> None:
    assert {r.id for r in catalog.filter(country="MDA")} == {"mda-out-of-country-voting"}
    assert catalog.filter(country="morocco") == catalog.filter(country="MAR")
    assert len(catalog.filter(country="MAR")) == 3
    remittances = catalog.filter(theme="remittances")
    assert {r.id for r in remittances} >= {"ury-postal-remittances"}
    assert all(r.level == "bilateral" for r in catalog.filter(level="Bilateral"))
    both = catalog.filter(country="ECU", theme="political participation", level="national")
    assert {r.id for r in both} == {"ecu-out-of-country-voting", "ecu-diaspora-assembly-seats"}
    with pytest.raises(CountryNotFound, match="closest matches: MAR"):
        catalog.filter(country="Marocco")
    with pytest.raises(InputError, match="unknown level"):
        catalog.filter(level="city")


def test_theme_prefix_resolution() -> None:
    assert resolve_theme("Remittances") == "remittances"
    assert resolve_theme("portability") == "portability of benefits"
    with pytest.raises(InputError, match="did you mean"):
        resolve_theme("participation")  # ambiguous: political / social


def test_facets_count_every_record(catalog) -> None:
    facets = catalog.facets()
    assert set(facets) == {"theme", "country", "level", "actor_type"}
    assert sum(facets["level"].values()) == len(catalog)
    assert facets["country"]["ESP"] == len(catalog.filter(country="ESP"))
    assert facets["theme"]["political participation"] == len(
        catalog.filter(theme="political participation")
    )
    counts = list(facets["theme"].values())
    assert counts == sorted(counts, reverse=True)


def test_get_and_suggestions(catalog) -> None:
    assert catalog.get("ury-departamento-20").title.startswith("Uruguay")
    with pytest.raises(NotFound, match="closest: ury-departamento-20"):
        catalog.get("ury-departamento-21")


def test_practices_for_countries(catalog) -> None:
    links = practices_for_countries(["URY", "mda", "NZL"], catalog=catalog)
    assert list(links) == ["URY", "MDA", "NZL"]
    assert {r.id for r in links["URY"]} == {
        "ury-postal-remittances", "ury-skilled-diaspora-database",
        "ury-antel-migrant-rates", "ury-departamento-20",
    }
    assert [r.id for r in links["MDA"]] == ["mda-out-of-country-voting"]
    assert links["NZL"] == []
    # default: the curated catalog
    assert {r.id for r in practices_for_countries(["CHL"])["CHL"]} == {"ury-postal-remittances"}
    # the store's special codes (Channel Islands) name no practice and are not an error
    assert practices_for_countries(["XCX"], catalog=catalog) == {"XCX": []}
