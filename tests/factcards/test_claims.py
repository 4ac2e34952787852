"""The claim checker. A corpus of claims in each language is written here from the
fixture store's hand-made figures (tests/fixture_store/figures.py): each published figure
times a factor, in several phrasings, so the expected verdict follows from the factor and
the published scale alone (d = |factor - 1|: accurate <= 5 %, about right <= 15 %,
misleading <= 50 %, wrong beyond), plus claims it must refuse to judge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tmo.factcards.claims import check, verdict
from tmo.factcards.places import Places
from tmo.store.evidence import ViewCache
from tmo.store.query import connect

from ..conftest import shared_file

# measure -> (place code, published value) in the fixture store (figures.py)
FACTS = [
    ("stock", "MDA", 8000), ("stock", "DEU", 110000), ("stock", "UN:900", 619100),
    ("emigrants", "MDA", 90000), ("refugees", "DEU", 1300), ("refugees", "MDA", 50),
    ("remittances", "MDA", 2e9), ("share", "MDA", 0.32), ("female", "MDA", 55.0),
    ("rate", "MDA", 3.6),
]
PLACES = {"MDA": {"en": "Moldova", "fr": "Moldavie", "es": "Moldavia"},
          "DEU": {"en": "Germany", "fr": "Allemagne", "es": "Alemania"},
          "UN:900": {"en": "the world", "fr": "le monde", "es": "el mundo"}}
TEMPLATES = {
    "en": {"stock": ["There are {n} immigrants in {p}.", ("{P} is home to {n} international "
                     "migrants."), "{n} people living in {p} were born abroad."],
           "emigrants": ["{n} people from {p} live abroad.", ("The diaspora of {p} numbers {n} "
                         "people.")],
           "refugees": ["{P} hosts {n} refugees."],
           "remittances": ["{P} received {n} dollars in remittances in 2022."],
           "share": ["{x} % of the population of {p} are immigrants."],
           "female": ["{x} % of the migrants in {p} are women."],
           "rate": ["{x} % of the people of {p} live abroad."]},
    "fr": {"stock": ["Il y a {n} immigrés en {p}.", ("{P} compte {n} migrants "
                     "internationaux."), "{n} personnes nées à l'étranger vivent en {p}."],
           "emigrants": ["{n} émigrés de {p} vivent à l'étranger.", ("La diaspora de {p} "
                         "compte {n} personnes.")],
           "refugees": ["{P} accueille {n} réfugiés."],
           "remittances": ["{P} a reçu {n} dollars d'envois de fonds en 2022."],
           "share": ["Les immigrés représentent {x} % de la population de {p}."],
           "female": ["{x} % des migrants de {p} sont des femmes."],
           "rate": ["{x} % des habitants de {p} vivent à l'étranger."]},
    "es": {"stock": ["Hay {n} inmigrantes en {p}.", ("{P} tiene {n} migrantes "
                     "internacionales."), ("En {p} viven {n} personas nacidas en el "
                     "extranjero.")],
           "emigrants": ["{n} emigrantes de {p} viven en el extranjero.", ("La diáspora de {p} "
                         "suma {n} personas.")],
           "refugees": ["{P} acoge a {n} refugiados."],
           "remittances": ["{P} recibió {n} dólares en remesas en 2022."],
           "share": ["Los inmigrantes son el {x} % de la población de {p}."],
           "female": ["El {x} % de los migrantes de {p} son mujeres."],
           "rate": ["El {x} % de la población de {p} vive en el extranjero."]},
}
MORE = {"en": "more than ", "fr": "plus de ", "es": "más de "}
LESS = {"en": "less than ", "fr": "moins de ", "es": "menos de "}
# (factor, comparison, expected verdict): d = |factor - 1| unless the comparison holds
FACTORS = [(1.0, "", "accurate"), (1.03, "", "accurate"), (0.9, "", "about_right"),
           (1.12, "", "about_right"), (0.7, "", "misleading"), (1.4, "", "misleading"),
           (2.0, "", "wrong"), (0.3, "", "wrong"), (0.8, "more", "accurate"),
           (1.2, "less", "accurate"), (1.3, "more", "misleading"), (0.8, "less", "misleading")]
UNCHECKED = {
    "en": ["Migrants are stealing our jobs.", "Immigration is out of control in Moldova.",
           "5,000 people from Romania live in Moldova.", ("There are 2 million migrants in "
           "Atlantis."), "Half of the refugees in Germany are children.",
           "Most people think there are too many migrants.", "Germany hosts many refugees.",
           "In 1970 there were 3 million migrants in Germany.",
           "Moldova's migrants have increased since 1993 by 20 %.",
           "Migration is a human right."],
    "fr": ["Les migrants volent nos emplois.", "L'immigration explose en Moldavie.",
           "5 000 Roumains vivent en Allemagne et en Moldavie.", ("Il y a 2 millions de "
           "migrants en Atlantide."), "La moitié des réfugiés en Allemagne sont des enfants.",
           "Trop de migrants arrivent chaque année.", ("L'Allemagne accueille beaucoup de "
           "réfugiés."), "En 1970 il y avait 3 millions de migrants en Allemagne.",
           "La migration est un droit.", "Les immigrés coûtent cher."],
    "es": ["Los migrantes roban empleos.", ("La inmigración está fuera de control en "
           "Moldavia."), "5.000 personas de Rumania viven en Moldavia.", ("Hay 2 millones de "
           "migrantes en la Atlántida."), "La mitad de los refugiados en Alemania son niños.",
           "Llegan demasiados migrantes.", "Alemania acoge a muchos refugiados.",
           "En 1970 había 3 millones de migrantes en Alemania.",
           "La migración es un derecho.", "Los inmigrantes cuestan caro."],
}


def _number(value: float, lang: str) -> str:
    thousands, decimal = {"en": (",", "."), "fr": ("\u202f", ","), "es": (".", ",")}[lang]
    if value >= 1e9:
        text = f"{value / 1e9:.3g}".replace(".", decimal)
        return text + {"en": " billion", "fr": " milliards de", "es": " mil millones de"}[lang]
    return f"{round(value):,}".replace(",", thousands)


def _share(value: float, lang: str) -> str:
    text = f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return text if lang == "en" else text.replace(".", ",")


def corpus(lang: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for measure, place, value in FACTS:
        for template in TEMPLATES[lang][measure]:
            for factor, comparison, expected in FACTORS:
                claimed = value * factor
                prefix = {"more": MORE, "less": LESS}.get(comparison, {}).get(lang, "")
                name = PLACES[place][lang]
                sentence = template.format(n=prefix + _number(claimed, lang),
                                           x=prefix + _share(claimed, lang), p=name,
                                           P=name[0].upper() + name[1:])
                out.append((sentence, expected))
    out += [(s, None) for s in UNCHECKED[lang]]
    return out


@pytest.fixture(scope="module")
def con(fixture_store: Path) -> Any:
    c = connect(fixture_store)
    yield c
    c.close()


@pytest.fixture(scope="module")
def places(con: Any) -> Places:
    return Places.load(con)


@pytest.fixture(scope="module")
def ev(con: Any) -> ViewCache:
    return ViewCache(con)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_corpus_gets_its_verdicts(con: Any, places: Places, ev: ViewCache,
                                      lang: str) -> None:
    claims = corpus(lang)
    assert len(claims) >= 100
    wrong = []
    for sentence, expected in claims:
        answer = check(con, sentence, lang, places=places, evidence=ev)
        if answer["verdict"] != expected:
            wrong.append((sentence, expected, answer["verdict"], answer["reading"]))
    accuracy = 1 - len(wrong) / len(claims)
    print(f"{lang}: {len(claims)} claims, accuracy {accuracy:.3f}")
    assert wrong == []


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_never_a_verdict_on_a_claim_it_did_not_read(con: Any, places: Places,
                                                    lang: str) -> None:
    for sentence in UNCHECKED[lang]:
        answer = check(con, sentence, lang, places=places)
        assert answer["status"] == "unchecked", sentence
        assert answer["verdict"] is None
        assert answer["reading"]["problem"], sentence


def test_the_language_is_guessed(con: Any, places: Places) -> None:
    for sentence, lang in (("There are 8,000 immigrants in Moldova.", "en"),
                           ("Il y a 8 000 immigrés en Moldavie.", "fr"),
                           ("Hay 8.000 inmigrantes en Moldavia.", "es")):
        answer = check(con, sentence, places=places)
        assert (answer["reading"]["lang"], answer["verdict"]) == (lang, "accurate")


def test_an_answer_has_figure_source_reading_and_claim_review(con: Any) -> None:
    answer = check(con, "More than half of the migrants in Moldova are women.")
    assert answer["verdict"] == "accurate"  # 55 % > 50 %
    assert answer["figure"]["value"] == pytest.approx(55.0)
    assert answer["reading"]["comparator"] == "more"
    assert answer["source"]
    review = answer["claim_review"]
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["ratingValue"] == 4
    changed = check(con, "The number of migrants in Moldova has doubled since 1990.")
    assert (changed["verdict"], changed["figure"]["value"]) == ("accurate", 100.0)
    assert len(changed["source_rows"]) == 2  # the rows of 2024 and of 1990


def test_a_year_between_estimates_is_said(con: Any) -> None:
    answer = check(con, "In 2012 there were 8,000 immigrants in Moldova.")
    assert answer["figure"]["year"] == 2010
    assert any("2010" in n for n in answer["reading"]["notes"])


def test_verdict_scale_edges() -> None:
    assert verdict(105, 100) == ("accurate", pytest.approx(0.05))
    assert verdict(115, 100)[0] == "about_right"
    assert verdict(150, 100)[0] == "misleading"
    assert verdict(151, 100)[0] == "wrong"
    assert verdict(10, 100, "less")[0] == "wrong"
    assert verdict(10, 100, "more")[0] == "accurate"
    assert verdict(-50, 50)[0] == "wrong"  # a fall claimed, a rise published


def test_real_claims_from_the_issue(store: Path) -> None:
    """On the real store; the figures are summed here from the published matrix."""
    import pandas as pd

    od = pd.read_csv(shared_file("undesa_ims/od_gdidata/ims2024_od_by_sex_long.csv.gz"))
    od = od[od.year == 2024]
    germany = od[od.dest_iso3 == "DEU"]["stock"].sum()
    c = connect(store)
    try:
        claim = f"There are {germany / 1e6:.1f} million migrants in Germany."
        answer = check(c, claim)
        assert answer["verdict"] == "accurate"
        assert answer["figure"]["value"] == germany
        assert check(c, "A third of Germany's population are immigrants.")["verdict"] == "wrong"
        assert check(c, "plus de 10 millions d'immigrés en France")["status"] == "checked"
    finally:
        c.close()


def test_of_several_numbers_the_one_next_to_the_measure(con: Any) -> None:
    for sentence in ("Moldova, with 2.5 million people, has 8,000 immigrants.",
                     "Moldova has 8,000 immigrants out of 2.5 million people."):
        answer = check(con, sentence)
        assert (answer["reading"]["value"], answer["verdict"]) == (8000, "accurate")
        assert any("several numbers" in n for n in answer["reading"]["notes"])


def test_arrivals_and_disagreeing_sources_are_said(con: Any) -> None:
    for sentence in ("Germany welcomed 110,000 immigrants in 2024.",
                     "110 000 immigrés sont arrivés en Allemagne chaque année.",
                     "Llegaron 110.000 inmigrantes a Alemania."):
        answer = check(con, sentence)
        assert (answer["status"], answer["reading"]["problem_key"][0]) == ("unchecked",
                                                                           "flow"), sentence


def test_remittance_sources_that_disagree_are_both_stated(con: Any) -> None:
    """The fixture's KNOMAD gives 0 for the Philippines in 2021, WDI 36 billion."""
    answer = check(con, "The Philippines received 36 billion dollars in remittances in 2021.")
    assert (answer["verdict"], answer["figure"]["value"]) == ("accurate", 36e9)
    assert any("KNOMAD" in n and "wrong" in n for n in answer["reading"]["notes"])
    agree = check(con, "The Philippines received 38 billion dollars in remittances in 2022.")
    assert not any("KNOMAD" in n for n in agree["reading"]["notes"])


def test_rankings_among_the_worlds_countries(con: Any) -> None:
    """Immigrants by hand (figures.py): 300,000, 150,000, then Germany's 110,000, ...,
    Moldova's 8,000 sixth."""
    third = check(con, "Germany has the third largest number of immigrants in the world.")
    assert (third["verdict"], third["figure"]["value"]) == ("accurate", 3)
    first = check(con, "Germany has the largest number of immigrants in the world.")
    assert (first["verdict"], first["difference"]) == ("misleading", 2)
    moldova = check(con, "La Moldavie a le plus grand nombre d'immigrés au monde.")
    assert (moldova["verdict"], moldova["figure"]["value"]) == ("wrong", 6)
    # "plus de" is a comparison, not a ranking
    more = check(con, "Plus de 5 000 immigrés vivent en Moldavie.")
    assert (more["reading"]["measure"], more["verdict"]) == ("immigrant_stock", "accurate")
    region = check(con, "Germany has the most immigrants in Europe.")
    assert region["status"] == "unchecked"
