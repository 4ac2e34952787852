"""What the practice repository covers, said in English, French or Spanish: the "no
close match" answer of a search, and the names of the themes for pages in those
languages.

The counts (records, themes, countries) are read from the catalog the search holds, so
the sentence stays true when submissions are published; the documents are those of
`documents.DOCUMENTS` (IOM's International Dialogue on Migration 2010).
"""

from __future__ import annotations

from tmo.practices.catalog import Catalog
from tmo.practices.record import THEMES

LANGUAGES = ("en", "fr", "es")

THEME_NAMES: dict[str, dict[str, str]] = {
    "evidence base": {"fr": "données et connaissances", "es": "datos y conocimiento"},
    "political participation": {"fr": "participation politique", "es": "participación política"},
    "portability of benefits": {"fr": "portabilité des prestations",
                                "es": "portabilidad de las prestaciones"},
    "remittances": {"fr": "envois de fonds", "es": "remesas"},
    "perceptions and media": {"fr": "perceptions et médias", "es": "percepciones y medios"},
    "social participation and dialogue": {"fr": "participation sociale et dialogue",
                                          "es": "participación social y diálogo"},
    "family support": {"fr": "soutien aux familles", "es": "apoyo a las familias"},
    "children and youth": {"fr": "enfants et jeunes", "es": "niñez y juventud"},
    "second generation": {"fr": "deuxième génération", "es": "segunda generación"},
    "return and reintegration": {"fr": "retour et réintégration",
                                 "es": "retorno y reintegración"},
    "health": {"fr": "santé", "es": "salud"},
    "language": {"fr": "langue", "es": "idioma"},
    "cooperation and partnerships": {"fr": "coopération et partenariats",
                                     "es": "cooperación y alianzas"},
    "diaspora engagement": {"fr": "mobilisation de la diaspora",
                            "es": "vinculación con la diáspora"},
    "anti-discrimination": {"fr": "lutte contre les discriminations",
                            "es": "lucha contra la discriminación"},
    "information and orientation": {"fr": "information et orientation",
                                    "es": "información y orientación"},
    "legal status and rights": {"fr": "statut juridique et droits",
                                "es": "situación jurídica y derechos"},
    "labour mobility": {"fr": "mobilité de la main-d'œuvre", "es": "movilidad laboral"},
    "education": {"fr": "éducation", "es": "educación"},
    "older migrants": {"fr": "migrants âgés", "es": "migrantes mayores"},
    "communication technology": {"fr": "technologies de la communication",
                                 "es": "tecnologías de la comunicación"},
}

_NO_MATCH = {
    "en": "No close match for {query!r}. The repository holds {records} good practices "
          "named in the documents of IOM's International Dialogue on Migration 2010 "
          "(\"Migration and Social Change\"), from {countries} countries, on these "
          "themes: {themes}. Try other words, or browse the themes.",
    "fr": "Aucune pratique proche de « {query} ». Le répertoire contient {records} bonnes "
          "pratiques citées dans les documents du Dialogue international sur la migration "
          "2010 de l'OIM, consacré à la migration et au changement social, de "
          "{countries} pays, sur ces thèmes : {themes}. Essayez d'autres mots, ou "
          "parcourez les thèmes.",
    "es": "Ninguna práctica se acerca a «{query}». El repositorio reúne {records} buenas "
          "prácticas citadas en los documentos del Diálogo Internacional sobre la Migración "
          "2010 de la OIM, dedicado a la migración y el cambio social, de "
          "{countries} países, sobre estos temas: {themes}. Pruebe con otras palabras o "
          "recorra los temas.",
}


def theme_name(theme: str, lang: str) -> str:
    """A theme in the page's language (the record vocabulary itself in English; a theme
    without a translation stays as the records write it)."""
    return theme if lang == "en" else THEME_NAMES.get(theme, {}).get(lang, theme)


def no_match(query: str, catalog: Catalog, lang: str = "en") -> str:
    """The answer when no practice passes the relevance floor: says so and states what
    the repository covers (documents, number of records and countries, themes)."""
    if lang not in LANGUAGES:
        lang = "en"
    themes = [t for t in THEMES if any(t in r.themes for r in catalog.records)]
    countries = {c for r in catalog.records for c in r.countries}
    return _NO_MATCH[lang].format(
        query=query.strip(), records=len(catalog.records), countries=len(countries),
        themes=", ".join(theme_name(t, lang) for t in themes),
    )
