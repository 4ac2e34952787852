"""Area profiles (`tmo.profiles.area`) as HTML, PDF and Markdown in English, French and
Spanish. Like `tmo.profiles.render`, nothing is computed here: every number is in the
document; this module writes it in the reader's language, says beside each figure whether
it is the publisher's own row of the area or the product's sum of its members (and which
members have no figure), and leaves out what does not apply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import partial
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.profiles import charts
from tmo.profiles.caveat_text import money
from tmo.profiles.demography import view as demography_view
from tmo.profiles.i18n import Locale, catalogue
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import TEMPLATES
from tmo.store.evidence import Source
from tmo.vocabulary import WORLD

_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                   trim_blocks=True, lstrip_blocks=True)

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Migration profile: {area}", "world_in": "the World",
        "subtitle": "International Migrant Stock {revision}, figures for {year}",
        "world": "The World", "un_region": "UN geographic region (M49)",
        "un_subregion": "UN geographic subregion (M49)",
        "sdg_region": "Sustainable Development Goals (SDG) region",
        "members": "{n} member countries and areas",
        "members_title": "Members",
        "published": "Published figure: the publisher's own row for {area}.",
        "summed": "Sum of the members' figures by tmo, not a published figure.",
        "missing": "No figure for {n} members: {names}.",
        "missing_none": "Every member has a figure.",
        "key_messages": "Key messages", "key_figures": "Key figures",
        "immigration": "Immigrants", "emigration": "Emigrants",
        "corridors": "Main corridors", "refugees": "Refugees", "remittances": "Remittances",
        "sources": "Sources actually used",
        "immigrants": "International migrants living in {area}",
        "share": "Share of the population", "female": "Women among them",
        "since_1990": "Change since 1990", "last_period": "Change since {base}",
        "members_sum": "Sum of the members' rows by origin",
        "sum_vs_published": "The members' origin-destination rows add up to {sum}; the "
                            "published total is {published}.",
        "unknown": "Origin not reported (other or unknown): {n}.",
        "intra": "Born in another member of {area}",
        "emigrants": "People born in {area} living in another country",
        "outside": "Living outside {area}",
        "emi_female": "Women among them",
        "no_emigration": "The World has no emigrants: every international migrant lives "
                         "in it, so this section is left out.",
        "top_origins": "Main countries of birth of the immigrants in {area}, {year} "
                       "(sum of the members' rows)",
        "top_destinations": "Main countries of residence outside {area} of people born "
                            "in it, {year} (sum of the members' rows)",
        "imm_trend": "International migrants living in {area}, {first}–{last} (published)",
        "emi_trend": "People born in {area} living in another country, {first}–{last} "
                     "(sum of the members' rows)",
        "into": "Largest corridors into {area}", "out_of": "Largest corridors out of {area}",
        "largest": "Largest corridors in the world",
        "from": "Country of birth", "to": "Country of residence", "persons": "Persons",
        "hosted": "Refugees hosted by the members",
        "abroad": "Refugees born in a member, abroad",
        "asylum_seekers": "Asylum seekers hosted",
        "ref_trend": "Refugees hosted in {area} (sum of the members' rows)",
        "received": "Remittances received", "paid": "Remittances paid",
        "indicator": "Indicator", "value": "Value", "year": "Year", "source": "Source",
        "basis": "Basis", "file": "File", "licence": "Licence", "checksum": "Checksum",
        "not_available": "no data",
        "msg_immigrants": "In {year}, {n} international migrants lived in {area}, "
                          "{share} of its population.",
        "msg_change_up": "Their number has grown by {pct} since 1990.",
        "msg_change_down": "Their number has fallen by {pct} since 1990.",
        "msg_intra": "{pct} of them were born in another member of {area}.",
        "msg_emigrants": "{n} people born in {area} lived in another country, {pct} of them "
                         "outside {area} (sum of the members' rows).",
        "msg_refugees": "At the end of {year}, the members of {area} hosted {n} refugees "
                        "(sum of UNHCR's figures for the members).",
        "msg_remittances_published": "Remittances received worldwide: {money} in {year} "
                                     "(World Bank, World total).",
        "msg_remittances_sum": "Remittances received by the members of {area}: {money} in "
                               "{year} (sum of the World Bank's figures; {missing} members "
                               "without a figure).",
        "apart": "Money paid and money received are the same transfers seen from both ends, "
                 "yet the two totals for {year} are far apart ({received} received, {paid} "
                 "paid): {n_received} members report what they receive, {n_paid} what they "
                 "pay.",
        "wpp_published": "Published figures: the World Population Prospects' own rows for "
                         "{area}, not sums of its members.",
        "index_title": "Regional and world profiles",
        "region_of": "Region",
    },
    "fr": {
        "title": "Profil migratoire : {area}", "world_in": "Monde",
        "subtitle": "Stock international de migrants {revision}, chiffres de {year}",
        "world": "Le Monde", "un_region": "Région géographique de l'ONU (M49)",
        "un_subregion": "Sous-région géographique de l'ONU (M49)",
        "sdg_region": "Région des objectifs de développement durable (ODD)",
        "members": "{n} pays et territoires membres",
        "members_title": "Membres",
        "published": "Chiffre publié : la ligne propre à « {area} » chez l'éditeur.",
        "summed": "Somme des chiffres des membres calculée par tmo, non publiée comme telle.",
        "missing": "Aucun chiffre pour {n} membres : {names}.",
        "missing_none": "Chaque membre a un chiffre.",
        "key_messages": "Messages clés", "key_figures": "Chiffres clés",
        "immigration": "Immigrés", "emigration": "Émigrés",
        "corridors": "Principaux corridors", "refugees": "Réfugiés",
        "remittances": "Envois de fonds",
        "sources": "Sources effectivement utilisées",
        "immigrants": "Migrants internationaux résidant dans « {area} »",
        "share": "Part de la population", "female": "Part des femmes",
        "since_1990": "Évolution depuis 1990", "last_period": "Évolution depuis {base}",
        "members_sum": "Somme des lignes des membres par lieu de naissance",
        "sum_vs_published": "Les lignes origine-destination des membres totalisent {sum} ; "
                            "le total publié est de {published}.",
        "unknown": "Lieu de naissance non déclaré (autre ou inconnu) : {n}.",
        "intra": "Nés dans un autre membre de « {area} »",
        "emigrants": "Personnes nées dans « {area} » résidant dans un autre pays",
        "outside": "Résidant hors de « {area} »",
        "emi_female": "Part des femmes",
        "no_emigration": "Le Monde n'a pas d'émigrés : tout migrant international y réside ; "
                         "cette section est donc omise.",
        "top_origins": "Principaux pays de naissance des immigrés dans « {area} », {year} "
                       "(somme des lignes des membres)",
        "top_destinations": "Principaux pays de résidence hors de « {area} » des personnes "
                            "qui y sont nées, {year} (somme des lignes des membres)",
        "imm_trend": "Migrants internationaux résidant dans « {area} », {first}–{last} "
                     "(chiffres publiés)",
        "emi_trend": "Personnes nées dans « {area} » résidant dans un autre pays, "
                     "{first}–{last} (somme des lignes des membres)",
        "into": "Principaux corridors vers « {area} »",
        "out_of": "Principaux corridors au départ de « {area} »",
        "largest": "Principaux corridors au monde",
        "from": "Pays de naissance", "to": "Pays de résidence", "persons": "Personnes",
        "hosted": "Réfugiés accueillis par les membres",
        "abroad": "Réfugiés nés dans un membre, à l'étranger",
        "asylum_seekers": "Demandeurs d'asile accueillis",
        "ref_trend": "Réfugiés accueillis dans « {area} » (somme des lignes des membres)",
        "received": "Envois de fonds reçus", "paid": "Envois de fonds versés",
        "indicator": "Indicateur", "value": "Valeur", "year": "Année", "source": "Source",
        "basis": "Nature", "file": "Fichier", "licence": "Licence",
        "checksum": "Somme de contrôle",
        "not_available": "pas de données",
        "msg_immigrants": "En {year}, {n} migrants internationaux résidaient dans « {area} », "
                          "soit {share} de la population.",
        "msg_change_up": "Leur nombre a augmenté de {pct} depuis 1990.",
        "msg_change_down": "Leur nombre a diminué de {pct} depuis 1990.",
        "msg_intra": "{pct} d'entre eux sont nés dans un autre membre de « {area} ».",
        "msg_emigrants": "{n} personnes nées dans « {area} » résidaient dans un autre pays, "
                         "dont {pct} hors de « {area} » (somme des lignes des membres).",
        "msg_refugees": "Fin {year}, les membres de « {area} » accueillaient {n} réfugiés "
                        "(somme des chiffres du HCR pour les membres).",
        "msg_remittances_published": "Envois de fonds reçus dans le monde : {money} en {year} "
                                     "(Banque mondiale, total mondial).",
        "msg_remittances_sum": "Envois de fonds reçus par les membres de « {area} » : {money} "
                               "en {year} (somme des chiffres de la Banque mondiale ; "
                               "{missing} membres sans chiffre).",
        "apart": "Les fonds versés et les fonds reçus sont les mêmes transferts vus des deux "
                 "côtés ; pourtant les deux totaux de {year} sont très éloignés ({received} "
                 "reçus, {paid} versés) : {n_received} membres déclarent ce qu'ils reçoivent, "
                 "{n_paid} ce qu'ils versent.",
        "wpp_published": "Chiffres publiés : les lignes propres à « {area} » des Perspectives "
                         "de la population mondiale, non des sommes de ses membres.",
        "index_title": "Profils régionaux et mondial",
        "region_of": "Région",
    },
    "es": {
        "title": "Perfil migratorio: {area}", "world_in": "Mundo",
        "subtitle": "Stock internacional de migrantes {revision}, cifras de {year}",
        "world": "El Mundo", "un_region": "Región geográfica de las Naciones Unidas (M49)",
        "un_subregion": "Subregión geográfica de las Naciones Unidas (M49)",
        "sdg_region": "Región de los Objetivos de Desarrollo Sostenible (ODS)",
        "members": "{n} países y territorios miembros",
        "members_title": "Miembros",
        "published": "Cifra publicada: la fila propia de «{area}» en la fuente.",
        "summed": "Suma de las cifras de los miembros calculada por tmo, no publicada como tal.",
        "missing": "Sin cifra para {n} miembros: {names}.",
        "missing_none": "Todos los miembros tienen cifra.",
        "key_messages": "Mensajes clave", "key_figures": "Cifras clave",
        "immigration": "Inmigrantes", "emigration": "Emigrantes",
        "corridors": "Corredores principales", "refugees": "Refugiados",
        "remittances": "Remesas",
        "sources": "Fuentes efectivamente utilizadas",
        "immigrants": "Migrantes internacionales residentes en «{area}»",
        "share": "Proporción de la población", "female": "Proporción de mujeres",
        "since_1990": "Variación desde 1990", "last_period": "Variación desde {base}",
        "members_sum": "Suma de las filas de los miembros por lugar de nacimiento",
        "sum_vs_published": "Las filas origen-destino de los miembros suman {sum}; el total "
                            "publicado es {published}.",
        "unknown": "Lugar de nacimiento no declarado (otro o desconocido): {n}.",
        "intra": "Nacidos en otro miembro de «{area}»",
        "emigrants": "Personas nacidas en «{area}» residentes en otro país",
        "outside": "Residentes fuera de «{area}»",
        "emi_female": "Proporción de mujeres",
        "no_emigration": "El Mundo no tiene emigrantes: todo migrante internacional reside "
                         "en él; por eso se omite esta sección.",
        "top_origins": "Principales países de nacimiento de los inmigrantes en «{area}», "
                       "{year} (suma de las filas de los miembros)",
        "top_destinations": "Principales países de residencia fuera de «{area}» de las "
                            "personas nacidas en ella, {year} (suma de las filas de los "
                            "miembros)",
        "imm_trend": "Migrantes internacionales residentes en «{area}», {first}–{last} "
                     "(cifras publicadas)",
        "emi_trend": "Personas nacidas en «{area}» residentes en otro país, {first}–{last} "
                     "(suma de las filas de los miembros)",
        "into": "Principales corredores hacia «{area}»",
        "out_of": "Principales corredores desde «{area}»",
        "largest": "Principales corredores del mundo",
        "from": "País de nacimiento", "to": "País de residencia", "persons": "Personas",
        "hosted": "Refugiados acogidos por los miembros",
        "abroad": "Refugiados nacidos en un miembro, en el extranjero",
        "asylum_seekers": "Solicitantes de asilo acogidos",
        "ref_trend": "Refugiados acogidos en «{area}» (suma de las filas de los miembros)",
        "received": "Remesas recibidas", "paid": "Remesas enviadas",
        "indicator": "Indicador", "value": "Valor", "year": "Año", "source": "Fuente",
        "basis": "Naturaleza", "file": "Archivo", "licence": "Licencia",
        "checksum": "Suma de control",
        "not_available": "sin datos",
        "msg_immigrants": "En {year}, {n} migrantes internacionales residían en «{area}», "
                          "es decir, {share} de la población.",
        "msg_change_up": "Su número ha aumentado un {pct} desde 1990.",
        "msg_change_down": "Su número ha disminuido un {pct} desde 1990.",
        "msg_intra": "El {pct} nació en otro miembro de «{area}».",
        "msg_emigrants": "{n} personas nacidas en «{area}» residían en otro país; el {pct} "
                         "fuera de «{area}» (suma de las filas de los miembros).",
        "msg_refugees": "A fines de {year}, los miembros de «{area}» acogían a {n} refugiados "
                        "(suma de las cifras del ACNUR para los miembros).",
        "msg_remittances_published": "Remesas recibidas en el mundo: {money} en {year} "
                                     "(Banco Mundial, total mundial).",
        "msg_remittances_sum": "Remesas recibidas por los miembros de «{area}»: {money} en "
                               "{year} (suma de las cifras del Banco Mundial; {missing} "
                               "miembros sin cifra).",
        "apart": "Las remesas enviadas y recibidas son las mismas transferencias vistas desde "
                 "ambos extremos; sin embargo, los dos totales de {year} distan mucho "
                 "({received} recibidas, {paid} enviadas): {n_received} miembros declaran lo "
                 "que reciben, {n_paid} lo que envían.",
        "wpp_published": "Cifras publicadas: las filas propias de «{area}» en las "
                         "Perspectivas de la Población Mundial, no sumas de sus miembros.",
        "index_title": "Perfiles regionales y mundial",
        "region_of": "Región",
    },
}

_IN_LIST = re.compile(r" IN \(('[A-Z0-9:]+'(, )?){6,}\)")


def words(lang: str) -> dict[str, str]:
    return WORDS.get(lang) or WORDS["en"]


class AreaView:
    """Formats one area profile for one language."""

    def __init__(self, doc: dict[str, Any], lexicon: Lexicon, lang: str) -> None:
        self.d, self.lang, self.loc = doc, lang, Locale(lang)
        self.w = words(lang)
        self.names = lexicon.names_in(lang)
        # the World in a sentence: "the World" in English (the IMS name is "World")
        self.area = self.w["world_in"] if doc["area"]["code"] == WORLD \
            else self.name(doc["area"]["code"])

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    def t(self, key: str, **values: Any) -> str:
        return self.w[key].format(area=self.area, **values)

    def cite(self, fig: dict[str, Any]) -> str:
        """The figure's sources; a long list of members' codes in a filter is named as the
        members of the area's group (the JSON keeps the full filter)."""
        group = self.d["area"]["members_from"]
        return " | ".join(_IN_LIST.sub(f" IN (members of {group})", Source.from_dict(s).cite())
                          for s in fig.get("sources", []))

    def value(self, fig: dict[str, Any]) -> str:
        v, unit = fig.get("value"), fig.get("unit")
        if v is None:
            return self.w["not_available"]
        if unit == "percent":
            return self.loc.percent(v)
        if unit == "current US$":
            return money(self.loc, v)
        return self.loc.number(v)

    def basis(self, fig: dict[str, Any]) -> list[str]:
        """What a figure is, and the members it lacks, in words."""
        detail = fig.get("detail") or {}
        if detail.get("basis") == "published":
            return [self.t("published")]
        missing = detail.get("members_missing") or []
        return [self.t("summed"),
                self.t("missing", n=len(missing), names=", ".join(self.name(c) for c in missing))
                if missing else self.t("missing_none")]

    def row(self, label: str, fig: dict[str, Any]) -> dict[str, Any]:
        return {"label": label, "value": self.value(fig), "year": str(fig.get("year") or ""),
                "source": self.cite(fig), "basis": self.basis(fig)}


def _bars(v: AreaView, ranking: list[dict[str, Any]], title: str, color: str) -> str:
    return charts.bar_chart([(v.name(r["area"]), r["stock"],
                              f"({v.loc.percent(r['share_pct'])})") for r in ranking],
                            title=title, fmt=v.loc.number, color=color)


def _corridor_rows(v: AreaView, rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"from": v.name(r["origin"]), "to": v.name(r["destination"]),
             "stock": v.loc.number(r["stock"])} for r in rows]


def _immigration(v: AreaView) -> tuple[dict[str, Any], dict[str, str]]:
    """The immigration section (published rows, and the members' sum beside them) and its
    card."""
    t, loc, d = v.t, v.loc, v.d
    first, last, year = d["years"][0], d["years"][-1], d["year"]
    imm = d["immigration"]
    f = imm["figures"]
    last_base = (f["immigrant_change_last_period"].get("detail") or {}).get("base_year")
    rows = [v.row(t("immigrants"), f["immigrant_stock"]), v.row(t("share"), f["immigrant_share"]),
            v.row(t("female"), f["immigrant_female_share"]),
            v.row(t("since_1990"), f["immigrant_change_since_1990"])]
    if last_base:
        rows.append(v.row(t("last_period", base=last_base), f["immigrant_change_last_period"]))
    if "intra_share" in f:
        rows.append(v.row(t("intra"), f["intra_share"]))
    summed = f["members_sum"]
    title = t("imm_trend", first=first, last=last)
    section = {
        "rows": rows, "trend_title": title,
        "trend": charts.line_chart(
            [(t("immigrants"), [(r["year"], r["total"]) for r in imm["trend"]]),
             (loc.t("women"), [(r["year"], r["female"]) for r in imm["trend"]])],
            title=title, fmt=loc.compact),
        "top": _bars(v, f["top_origins"]["detail"]["ranking"], t("top_origins", year=year),
                     charts.PALETTE[0]),
        "top_title": t("top_origins", year=year),
        "sum_line": t("sum_vs_published", sum=loc.number(summed["value"]),
                      published=v.value(f["immigrant_stock"])),
        "unknown": t("unknown", n=loc.number(f["top_origins"]["detail"]["unknown"])),
        "sum_basis": v.basis(summed), "sum_source": v.cite(summed)}
    card = {"label": t("immigrants"), "value": v.value(f["immigrant_stock"]),
            "sub": f"{v.value(f['immigrant_share'])} · {t('share')}"}
    return section, card


def _emigration(v: AreaView) -> tuple[dict[str, Any], dict[str, str]] | None:
    t, loc, d = v.t, v.loc, v.d
    emi = d.get("emigration")
    if not emi:
        return None
    first, last, year = d["years"][0], d["years"][-1], d["year"]
    e = emi["figures"]
    title = t("emi_trend", first=first, last=last)
    section = {
        "rows": [v.row(t("emigrants"), e["emigrant_stock"]),
                 v.row(t("emi_female"), e["emigrant_female_share"]),
                 v.row(t("outside"), e["outside_share"])],
        "trend": charts.line_chart([(t("emigrants"), [(r["year"], r["total"])
                                                       for r in emi["trend"]])],
                                   title=title, fmt=loc.compact),
        "trend_title": title,
        "top": _bars(v, e["top_destinations"]["detail"]["ranking"],
                     t("top_destinations", year=year), charts.PALETTE[2]),
        "top_title": t("top_destinations", year=year)}
    card = {"label": t("emigrants"), "value": v.value(e["emigrant_stock"]),
            "sub": f"{v.value(e['outside_share'])} · {t('outside')}"}
    return section, card


def _corridors(v: AreaView) -> list[dict[str, Any]]:
    imm, emi = v.d["immigration"], v.d.get("emigration")
    into = {"rows": _corridor_rows(v, imm["into"]),
            "source": v.cite({"sources": [imm["into_source"]]})}
    if v.d["area"]["code"] == WORLD:
        return [{"title": v.t("largest"), **into}]
    out = [{"title": v.t("into"), **into}]
    if emi:
        out.append({"title": v.t("out_of"), "rows": _corridor_rows(v, emi["out_of"]),
                    "source": v.cite({"sources": [emi["out_of_source"]]})})
    return out


def _refugees(v: AreaView) -> tuple[dict[str, Any], dict[str, str]] | None:
    t, loc = v.t, v.loc
    ref = v.d.get("refugees") or {}
    if not ref:
        return None
    rf = ref["figures"]
    hosted = rf["refugees_hosted"]
    rows = [v.row(t("hosted"), hosted),
            {**v.row(t("asylum_seekers"), hosted),
             "value": loc.number(hosted["detail"]["asylum_seekers"])}]
    if "refugees_abroad" in rf:
        rows.append(v.row(t("abroad"), rf["refugees_abroad"]))
    section = {"rows": rows, "trend_title": t("ref_trend"), "trend": charts.line_chart(
        [(t("hosted"), [(r["year"], r["hosted"]) for r in ref["trend"]])],
        title=t("ref_trend"), fmt=loc.compact)}
    return section, {"label": t("hosted"), "value": v.value(hosted), "sub": str(ref["year"])}


def _remittances(v: AreaView) -> tuple[dict[str, Any], dict[str, str]] | None:
    rem = v.d.get("remittances") or {}
    if not rem:
        return None
    received, paid = rem["figures"]["remittances_received"], rem["figures"]["remittances_paid"]
    rows = [v.row(v.t("received"), received), v.row(v.t("paid"), paid)]
    apart = v.t("apart", year=rem["year"], received=rows[0]["value"], paid=rows[1]["value"],
                n_received=received["detail"]["reporting"],
                n_paid=paid["detail"]["reporting"]) if rem.get("paid_received_apart") else ""
    return {"rows": rows, "apart": apart}, {"label": v.t("received"), "value": rows[0]["value"],
                            "sub": str(rem["year"])}


def _messages(v: AreaView) -> list[dict[str, str]]:
    loc, out = v.loc, []
    for m in v.d.get("key_messages") or []:
        val = m["values"]
        text = v.w[f"msg_{m['key']}"].format(
            area=v.area, year=val.get("year"), n=loc.number(val.get("n")),
            share=loc.percent(val.get("share")), pct=loc.percent(val.get("pct"), 0),
            money=money(loc, val.get("usd")), missing=loc.number(val.get("missing")))
        files = sorted({f for s in m["sources"] for f in s.get("files", [])})
        out.append({"text": text, "files": ", ".join(files)})
    return out


def context(doc: dict[str, Any], lexicon: Lexicon, lang: str,
            lang_links: list[tuple[str, str, str]] | None = None,
            country_link: Callable[[str], str] | None = None) -> dict[str, Any]:
    """Everything the area templates show, formatted; a section that does not apply to
    the area is absent."""
    v = AreaView(doc, lexicon, lang)
    loc, d = v.loc, doc
    immigration, card = _immigration(v)
    sections: dict[str, Any] = {"immigration": immigration}
    cards = [card]
    for key, build in (("emigration", _emigration), ("refugees", _refugees),
                       ("remittances", _remittances)):
        found = build(v)
        if found is not None:
            sections[key], card = found
            cards.append(card)
    members = sorted(({"code": c, "name": v.name(c),
                       "href": country_link(c) if country_link else None}
                      for c in d["area"]["members"]), key=lambda m: m["name"])
    demo = d.get("demography") or {}
    toc = [("key-messages", v.w["key_messages"]), ("key-figures", v.w["key_figures"])]
    if demo:
        toc.append(("demography", loc.t("demography")))
    toc += [(k, v.w[k]) for k in ("immigration", "emigration", "corridors", "refugees",
                                  "remittances") if k in sections or k == "corridors"]
    toc += [("members", v.w["members_title"]), ("sources", v.w["sources"])]
    return {
        "lang": lang, "w": v.w, "t": catalogue(lang) | {k: loc.t(k) for k in catalogue("en")},
        "title": v.t("title"), "subtitle": v.t("subtitle", revision=d["revision"],
                                               year=d["year"]),
        "kind": v.w[d["area"]["kind"]], "members_line": v.t("members",
                                                            n=len(d["area"]["members"])),
        "messages": _messages(v), "cards": cards, "sections": sections,
        "corridors": _corridors(v), "corridor_head": (v.w["from"], v.w["to"], v.w["persons"]),
        "no_emigration": v.t("no_emigration") if d["area"]["code"] == WORLD else "",
        "demography": demography_view(demo, loc, v.area) if demo else {},
        "demography_basis": v.t("wpp_published") if demo else "",
        "members": members, "sources": d["sources"], "toc": toc,
        "lang_links": lang_links, "code": d["area"]["code"],
    }


def render_area_html(doc: dict[str, Any], lexicon: Lexicon, lang: str = "en", *,
                     lang_links: list[tuple[str, str, str]] | None = None,
                     downloads: list[tuple[str, str]] | None = None,
                     country_link: Callable[[str], str] | None = None) -> str:
    ctx = context(doc, lexicon, lang, lang_links, country_link)
    ctx["downloads"] = downloads or []
    css = _env.get_template("profile.css").render(
        page_label=ctx["t"]["page"], footer_label=ctx["title"].replace('"', "'"))
    return _env.get_template("area.html").render(css=css, **ctx)


def render_area_pdf(doc: dict[str, Any], lexicon: Lexicon, lang: str = "en") -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only PDF output needs it

    return HTML(string=render_area_html(doc, lexicon, lang)).write_pdf()


def render_area_markdown(doc: dict[str, Any], lexicon: Lexicon, lang: str = "en") -> str:
    return _env.get_template("area.md").render(**context(doc, lexicon, lang))


def render_area(doc: dict[str, Any], lexicon: Lexicon, fmt: str, lang: str) -> str | bytes:
    """One area profile in one format (json, html, pdf, md) and language."""
    if fmt == "json":
        return json.dumps(doc, ensure_ascii=False, indent=1)
    if fmt == "md":
        return render_area_markdown(doc, lexicon, lang)
    if fmt == "html":
        return render_area_html(doc, lexicon, lang)
    return render_area_pdf(doc, lexicon, lang)


def _page(lang: str, iso3: str) -> str:
    """The file of a country's profile beside the area's (`tmo profiles --all`)."""
    return f"../{iso3}.{lang}.html"


def write_areas(con: Any, out: Any, *, year: int | None, revision: str | None,
                langs: tuple[str, ...]) -> list[tuple[str, str, list[Any]]]:
    """Every area's HTML profile in each language under `out`/areas (`UN900.en.html`,
    ...), its members linked to their profiles in `out`: (file stem, English name with
    its kind, paths) per area, in the order of `tmo.profiles.area.areas`."""
    from tmo.profiles.area import areas, build_area_profile_from  # noqa: PLC0415

    known = areas(con, revision)
    lexicon = Lexicon.from_store(con)
    folder = out / "areas"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for area in known:
        doc = build_area_profile_from(con, area.code, year, revision, known=known)
        stem = area.code.replace(":", "")
        links = [(lg, Locale(lg).t("language"), f"{stem}.{lg}.html") for lg in langs]
        paths = []
        for lang in langs:
            path = folder / f"{stem}.{lang}.html"
            path.write_text(render_area_html(doc, lexicon, lang,
                                             lang_links=links if len(langs) > 1 else None,
                                             country_link=partial(_page, lang)),
                            encoding="utf-8")
            paths.append(path)
        name = area.name if area.kind == "world" else f"{area.name} ({WORDS['en'][area.kind]})"
        written.append((stem, name, paths))  # the kind tells apart a UN and an SDG region
    return written
