"""ISCO-08 as shipped: the ILO's counts (10 major, 43 sub-major, 130 minor and 436 unit
groups: ISCO-08 Volume 1, 2012), a consistent hierarchy, a cited source, titles that are
never made up (a missing French or Spanish title falls back to English and says so), and
the hierarchy distance matching uses."""

from __future__ import annotations

import csv

import pytest

from tmo.skills import taxonomy

EXPECTED = {1: 10, 2: 43, 3: 130, 4: 436}  # ILO, ISCO-08 Volume 1, Part I, table 1


def raw_rows() -> list[dict[str, str]]:
    """The reference file read with plain csv, independently of taxonomy.isco()."""
    text = taxonomy.ISCO_FILE.read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader([r for r in text if not r.startswith("#")], delimiter="\t"))


def test_the_ilo_counts_at_each_level() -> None:
    rows = raw_rows()
    counts = {n: sum(len(r["code"]) == n for r in rows) for n in EXPECTED}
    assert counts == EXPECTED
    assert len({r["code"] for r in rows}) == len(rows) == sum(EXPECTED.values())
    assert len(taxonomy.units()) == 436


def test_the_hierarchy_is_consistent() -> None:
    groups = taxonomy.isco()
    for code, group in groups.items():
        assert code.isdigit()
        if group.parent is not None:
            assert group.parent in groups, code
    for code in groups:  # every group above the units has children
        if len(code) < 4:
            assert any(c[:-1] == code for c in groups), code
    assert [c for c in groups if len(c) == 1] == [str(d) for d in range(10)]


def test_the_file_cites_the_ilo_and_every_group_has_an_english_title() -> None:
    head = taxonomy.ISCO_FILE.read_text(encoding="utf-8")[:600]
    assert "International Labour Office" in head
    assert "2012" in head
    assert all(g.titles.get("en") for g in taxonomy.isco().values())
    assert taxonomy.title("2512").text == "Software developers"
    assert taxonomy.title("0").text == "Armed forces occupations"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_title_missing_in_a_language_falls_back_visibly(lang: str) -> None:
    rows = {r["code"]: r for r in raw_rows()}
    title = taxonomy.title("2512", lang)
    if rows["2512"][lang]:
        assert title == taxonomy.Title(rows["2512"][lang], lang, False)
    else:
        assert title == taxonomy.Title("Software developers", "en", True)
    with pytest.raises(KeyError):
        taxonomy.title("9999", lang)


@pytest.mark.parametrize(("a", "b", "steps"), [
    ("2512", "2512", 0), ("2512", "251", 0), ("25", "2512", 0), ("2512", "2511", 1),
    ("2512", "2521", 2), ("2512", "2111", 3), ("2512", "7212", 4), ("251", "252", 2)])
def test_distance_up_the_hierarchy(a: str, b: str, steps: int) -> None:
    assert taxonomy.distance(a, b) == steps == taxonomy.distance(b, a)


def test_cefr_and_isced_codes() -> None:
    assert [taxonomy.cefr_rank(x) for x in ("A1", "A2", "B1", "B2", "C1", "C2")] == \
        [1, 2, 3, 4, 5, 6]
    assert taxonomy.cefr_rank(None) == taxonomy.cefr_rank("native") == 0
    assert list(taxonomy.ISCED_F) == [f"{n:02d}" for n in range(11)]


def test_esco_identifies_every_isco_group() -> None:
    """ESCO's URI of an ISCO-08 group is its own identifier of that group (prefix and code);
    no URI for a code that is not a group."""
    assert taxonomy.esco_uri("2512") == "http://data.europa.eu/esco/isco/C2512"
    assert taxonomy.esco_uri("0") == "http://data.europa.eu/esco/isco/C0"
    assert len({taxonomy.esco_uri(c) for c in taxonomy.isco()}) == 10 + 43 + 130 + 436
    with pytest.raises(KeyError):
        taxonomy.esco_uri("9999")
