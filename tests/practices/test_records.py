"""The curated records: count, schema, provenance, own-words summaries, completeness."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SEEDS
from tests.practices.conftest import submission_text
from tmo.errors import InputError
from tmo.practices.catalog import load_curated, practices_dir
from tmo.practices.places import default_places
from tmo.practices.record import (
    LEVELS,
    MAX_RECORD_BYTES,
    THEMES,
    parse_practice,
    problems,
    split_front_matter,
)

EXPECTED_COUNT = 66
SEED_DOCUMENTS = {
    "000_1fb4bd01747371e4.txt",
    "001_53b5d978e395c1d4.txt",
    "002_4fef76185f2ada1b.txt",
    "003_dccb40292c78ccfa.txt",
    "004_811a4fe321dedeee.txt",
}

# Every practice, programme, law or initiative the documents name as an example:
# a distinctive name from the seed text -> the record that must carry it.
NAMED_IN_SEEDS = {
    "postal services in Chile, Spain and Uruguay": "ury-postal-remittances",
    "database of highly skilled Uruguayan professionals": "ury-skilled-diaspora-database",
    "expatriate relocation programme": "pg-expatriate-relocation",
    "Caribbean Community (CARICOM)": "caricom-single-market-mobility",
    "Zambia's proposed diaspora engagement policy": "zmb-diaspora-stocktaking-tool",
    "Migration Profiles": "iom-migration-profiles",
    "Move, Don’t Lose": "caricom-move-dont-lose",
    "dual nationality was established in 1995": "ecu-out-of-country-voting",
    "National Assembly": "ecu-diaspora-assembly-seats",
    "In Moldova": "mda-out-of-country-voting",
    "Commission on Integration and Cohesion": "gbr-commission-integration-cohesion",
    "local citizenry": "fra-montreuil-local-citizenry",
    "United Cities and Local Governments": "che-geneva-uclg",
    "bilingual public schools": "jpn-bilingual-schools-proposal",
    "studies indicate that the 1.5": "jpn-japanese-brazilian-youth-studies",
    "Greek citizenship bill": "grc-citizenship-second-generation",
    "Pluriels": "che-pluriels-psychosocial-support",
    "For families of intra-corporate transferees": "pg-transferee-family-support",
    "Forum of European Roma Young People": "feryp-roma-youth-inclusion",
    "Turkish language": "tur-language-teachers-abroad",
    "ANTEL": "ury-antel-migrant-rates",
    "The Disappeared": "jpn-ethnic-newspapers-disappeared",
    "National Institute for Children and the Family": "ecu-adolescents-parental-migration-study",
    "Fundación Crecer": "col-fundacion-crecer-accompaniment",
    "Temporary and Circular Labour Migration project": "iom-col-esp-circular-labour-migration",
    "Departamento 20": "ury-departamento-20",
    "twinning between Montreuil and the Yelimané": "fra-mli-montreuil-yelimane-twinning",
    "Spanish Observatory on Racism and Xenophobia": "esp-oberaxe-observatory",
    "Living Together": "eu-living-together-against-racism",
    "Guide to Build and Apply Local Plans": "esp-oberaxe-local-awareness-plans",
    "Argentinean National Institute against Discrimination": "arg-inadi-discrimination-map",
    "Metro Éireann": "irl-metro-eireann",
    "published in several African languages": "zaf-multilingual-community-newspaper",
    "Communicating Migration": "gbr-ippr-communicating-migration",
    "media liaison structures": "zaf-nmf-media-liaison",
    "Commission for Filipinos Overseas": "phl-cfo-migrant-awards",
    "Cité nationale de l'histoire de l'immigration": "fra-cite-histoire-immigration",
    "National Migrants Day": "mar-national-migrants-day",
    "Australian Multicultural Advisory Council": "aus-multicultural-advisory-bodies",
    "working committees of the legislature": "phl-migrant-representation-legislature",
    "Equalities, Diversity and Human Rights Scheme": "gbr-edinburgh-equalities-scheme",
    "Rwandan Diaspora General Directorate": "rwa-diaspora-general-directorate",
    "women leaders of diaspora organizations": "iom-women-diaspora-leaders-workshop",
    "network of embassies and consulates": "rwa-embassy-diaspora-communication",
    "With over 150 embassies": "mar-consular-network-services",
    "YM+": "eyf-ym-plus",
    "Integration: Building Inclusive Societies": "unaoc-iom-online-community",
    "Intercultural Cities": "coe-intercultural-cities",
    "community conversations": "zaf-nmf-community-conversations",
    "West Midlands": "gbr-ippr-community-dialogues",
    "Harmony Day": "aus-harmony-day-social-cohesion",
    "training courses for public school teachers": "ita-coreis-teacher-training",
    "Charter of Values of Citizenship and Integration": "ita-charter-values-citizenship",
    "inter-cultural street mediators": "ita-turin-street-mediators",
    "Norwegian Cultural Orientation Programme": "nor-cultural-orientation-programme",
    "National Reintegration Center for Overseas Filipino Workers": "phl-reintegration-center-ofw",
    "summer camps": "mar-summer-camps-second-generation",
    "failure to reintegrate": "mex-repatriated-youth-research",
    "Penelope Syndrome": "mex-penelope-syndrome-research",
    "Today and Tomorrow": "gbr-edinburgh-today-and-tomorrow",
    "law No. 25871": "arg-migration-law-25871",
    "regularization programmes": "arg-regularisation-programmes",
    "working group on health": "ita-coreis-milan-health-group",
    "Adult Migrant English Programme": "aus-adult-migrant-english-program",
    "Associação de Melhoramentos e Recreativo do Talude": "prt-talude-childcare-education",
    "Upwardly Global": "usa-upwardly-global",
}


@pytest.fixture(scope="module")
def records():
    return load_curated()


@pytest.fixture(scope="module")
def seed_text() -> str:
    return "\n".join((SEEDS / name).read_text(encoding="utf-8") for name in sorted(SEED_DOCUMENTS))


def test_count_and_every_record_validates(records) -> None:
    assert len(records) == EXPECTED_COUNT
    assert len(list(practices_dir().glob("*.md"))) == EXPECTED_COUNT


def test_every_named_example_has_its_record(records, seed_text) -> None:
    ids = {r.id for r in records}
    flat_seed = " ".join(seed_text.split())
    for name, practice_id in NAMED_IN_SEEDS.items():
        assert name in flat_seed, f"{name!r} is not in the seed documents"
        assert practice_id in ids, f"{name!r} has no record {practice_id}"
    assert set(NAMED_IN_SEEDS.values()) == ids, "every record is traced to a named example"


def test_provenance_points_at_a_seed_section(records, seed_text) -> None:
    for r in records:
        assert r.source.document in SEED_DOCUMENTS, r.id
        lesson = re.match(r"Lesson (\d)", r.source.section)
        assert lesson, f"{r.id}: section should start with the lesson number"
        assert r.provenance == "curated"


def test_related_links_and_vocabularies(records) -> None:
    ids = {r.id for r in records}
    for r in records:
        assert set(r.related) <= ids
        assert r.level in LEVELS
        assert set(r.themes) <= set(THEMES)
        assert set(r.countries) <= default_places().codes
    # a bilateral practice with two named countries, a regional one, a global one
    assert {r.level for r in records} == set(LEVELS)


def test_bodies_say_what_for_whom_and_result(records) -> None:
    for r in records:
        assert "For whom:" in r.body, r.id
        assert "Result:" in r.body, r.id
        assert 20 <= len(r.summary.split()) <= 120, r.id


def _unquoted_words(text: str) -> list[str]:
    text = re.sub(r"\"[^\"]*\"|“[^”]*”", " ", text)
    return re.findall(r"[a-z0-9]+", text.lower())


def test_summaries_are_in_our_own_words(records, seed_text) -> None:
    """No run of 9 words outside quotation marks is copied from the seed documents."""
    n = 9
    seed_words = re.findall(r"[a-z0-9]+", seed_text.lower())
    seed_grams = {tuple(seed_words[i : i + n]) for i in range(len(seed_words) - n + 1)}
    copied = []
    for r in records:
        words = _unquoted_words(r.body)
        for i in range(len(words) - n + 1):
            if tuple(words[i : i + n]) in seed_grams:
                copied.append(f"{r.id}: {' '.join(words[i:i + n])}")
                break
    assert not copied, "copied passages:\n" + "\n".join(copied)


def test_figures_carry_units(records) -> None:
    figures = [f for r in records for f in r.figures]
    assert len(figures) >= 20
    assert all(f.unit and f.what for f in figures)
    postal = next(r for r in records if r.id == "ury-postal-remittances")
    assert (postal.figures[0].value, postal.figures[0].unit) == (40, "per cent")


# -- schema violations are reported precisely ---------------------------------------


def _meta(**changes):
    meta, body = split_front_matter(submission_text())
    meta.update(changes)
    return meta, body


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"countries": ["URU"]}, "countries[0]: 'URU' is not an ISO 3166 alpha-3 code"),
        ({"countries": ["ury"]}, "countries[0]: 'ury'"),
        ({"themes": ["remittance"]}, "themes[0]: 'remittance' is not one of"),
        ({"themes": []}, "themes: must be a non-empty list"),
        ({"level": "city"}, "level: 'city' is not one of"),
        ({"years": [10]}, "years[0]: 10 is not a year"),
        ({"figures": [{"value": "3", "unit": "x", "what": "y"}]}, "figures[0].value"),
        ({"figures": [{"value": 3, "what": "y"}]}, "figures[0].unit"),
        ({"id": "Bad Id"}, "id: 'Bad Id' must be lower-case"),
        ({"actors": [{"name": "X", "type": "church"}]}, "actors[0].type: 'church'"),
        ({"source": {"document": "x"}}, "source.section"),
        ({"related": ["prt-lisbon-welcome-desks"]}, "cannot be related to itself"),
        ({"extra": 1}, "unknown field(s): extra"),
        ({"countries": [], "places": []}, "needs a country or a place"),
    ],
)
def test_problems_name_the_field(changes, expected) -> None:
    meta, body = _meta(**changes)
    found = problems(meta, body)
    assert any(expected in p for p in found), found


def test_missing_fields_and_short_body() -> None:
    meta, _ = _meta()
    del meta["themes"], meta["source"]
    found = problems(meta, "too short")
    assert "missing field(s): themes, source" in found
    assert any(p.startswith("body: the summary has 2 word(s)") for p in found)


def test_parse_errors_are_input_errors_with_origin() -> None:
    with pytest.raises(InputError, match=r"sub\.md: no YAML front matter"):
        parse_practice("just text", "sub.md")
    with pytest.raises(InputError, match="not valid YAML"):
        parse_practice("---\nid: [unclosed\n---\nbody", "sub.md")
    with pytest.raises(InputError, match="larger than 64 KiB"):
        parse_practice("x" * (MAX_RECORD_BYTES + 1), "sub.md")
    with pytest.raises(InputError, match=r"(?s)invalid practice record.*countries\[0\]"):
        parse_practice(submission_text().replace("[PRT]", "[XXX]"), "sub.md")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_either_parses_or_raises_input_error(text: str) -> None:
    for candidate in (text, "---\n" + text + "\n---\nbody"):
        with contextlib.suppress(InputError):
            parse_practice(candidate, "fuzz.md")
