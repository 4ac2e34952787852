"""The words and layout of a partial profile (`tmo.profiles.partial`): the country
profile's formatted context (`tmo.profiles.render.context`) with the IMS-based sections
replaced by one statement of why they are absent, in English, French and Spanish.
"""

from __future__ import annotations

from typing import Any

from tmo.profiles.i18n import Locale
from tmo.store.evidence import Source

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Partial Migration Profile: {country}",
        "subtitle": "Figures from sources other than the International Migrant Stock, "
                    "as of {year}",
        "absent_title": "Immigrants and emigrants",
        "absent": "The International Migrant Stock publishes no figure for {country} "
                  "(revisions {revisions}). This profile therefore has no immigrants, "
                  "emigrants, corridors, regional comparison, projections or revisions; "
                  "it shows only the figures other sources publish for {country}.",
        "no_note": "The store holds no note of the International Migrant Stock on "
                   "{country} (its notes sheets are not read), so this profile does not "
                   "say in which area {country} may be counted.",
        "within": "Its figures are published within {area}:",
        "index": "Places without International Migrant Stock figures (partial profiles)",
    },
    "fr": {
        "title": "Profil migratoire partiel\u00a0: {country}",
        "subtitle": "Chiffres de sources autres que le Stock international de migrants, "
                    "à l'année {year}",
        "absent_title": "Immigrés et émigrés",
        "absent": "Le Stock international de migrants ne publie aucun chiffre pour "
                  "{country} (révisions {revisions}). Ce profil ne comprend donc ni "
                  "immigrés, ni émigrés, ni corridors, ni comparaison régionale, ni "
                  "projections, ni révisions\u00a0; il montre seulement les chiffres que "
                  "d'autres sources publient pour {country}.",
        "no_note": "La base ne contient aucune note du Stock international de migrants "
                   "sur {country} (ses feuilles de notes ne sont pas lues)\u00a0: ce profil "
                   "n'indique donc pas dans quelle zone {country} serait compté.",
        "within": "Ses chiffres sont publiés au sein de {area}\u00a0:",
        "index": "Lieux sans chiffres du Stock international de migrants (profils partiels)",
    },
    "es": {
        "title": "Perfil migratorio parcial: {country}",
        "subtitle": "Cifras de fuentes distintas del Stock Internacional de Migrantes, "
                    "al año {year}",
        "absent_title": "Inmigrantes y emigrantes",
        "absent": "El Stock Internacional de Migrantes no publica ninguna cifra para "
                  "{country} (revisiones {revisions}). Por ello este perfil no tiene "
                  "inmigrantes, emigrantes, corredores, comparación regional, proyecciones "
                  "ni revisiones; solo muestra las cifras que otras fuentes publican para "
                  "{country}.",
        "no_note": "La base no contiene ninguna nota del Stock Internacional de Migrantes "
                   "sobre {country} (sus hojas de notas no se leen): este perfil no indica, "
                   "por tanto, en qué zona se contaría {country}.",
        "within": "Sus cifras se publican dentro de {area}:",
        "index": "Lugares sin cifras del Stock Internacional de Migrantes (perfiles "
                 "parciales)",
    },
}
# the sections of a partial profile, in the country profile's order (render.TOC ids)
TOC = ["key-figures", "ims-absent", "demography", "country-flows", "refugees", "asylum",
       "remittances", "data-gaps", "sources"]


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang) or WORDS["en"]


def statement(profile: dict[str, Any], country: str, lang: str,
              name: dict[str, str]) -> dict[str, Any]:
    """The statement that replaces the IMS-based sections, with its sources."""
    w = words(lang)
    absent = profile["ims_absent"]
    # the revisions that publish nothing for it (a partial profile is of one of them)
    revisions = ", ".join(r["revision"] for r in absent["revisions"] if not r["rows"])
    within = absent.get("within")
    return {
        "text": w["absent"].format(country=country, revisions=revisions),
        "note": absent.get("note") or w["no_note"].format(country=country),
        "within": w["within"].format(area=name.get(within, within)) if within else "",
        "within_code": within or "",
        "sources": " | ".join(Source.from_dict(s).cite() for r in absent["revisions"]
                              for s in r["sources"]),
    }


def adapt(ctx: dict[str, Any], profile: dict[str, Any], names: dict[str, str],
          lang: str) -> dict[str, Any]:
    """The country profile's context `ctx` for a partial profile: its own title,
    subtitle, table of contents and statement, and only the key figures other sources
    give (refugees, remittances)."""
    w, t = words(lang), Locale(lang).t
    iso3 = profile["country"]["iso3"]
    country = names.get(iso3, profile["country"]["name"])
    headings = dict(ctx["toc"]) | {"ims-absent": w["absent_title"]}
    kept = (t("refugees"), t("remittances"))
    return ctx | {
        "title": w["title"].format(country=country),
        "subtitle": w["subtitle"].format(year=profile["year"]),
        "toc": [(i, headings.get(i, i)) for i in TOC],
        "cards": [c for c in ctx["cards"] if c["label"].startswith(kept)],
        "absent": statement(profile, country, lang, names),
        "absent_title": w["absent_title"],
        # UNHCR may hold no row under the place's code: no empty chart then
        "refugee_trend": any(r.get(k) is not None for r in profile["refugees"].get("trend", [])
                             for k in ("hosted", "abroad")),
    }
