"""The words of the "What's new" page and feed in English, French and Spanish: every
label, and the sentences of builds, alerts and revisions with their placeholders."""

from __future__ import annotations

LANGUAGES = ("en", "fr", "es")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "language": "English",
        "site": "Transnational Migration Observatory",
        "colon": ":",
        "unknown_origin": "Unknown country of birth",
        "no_revision": "No figure was revised.",
        "title": "What's new",
        "intro": "What changed in the data: each build of the store and the source files it "
                 "read, the alerts of the per-country rules, and what each new revision of "
                 "the UN series changed against the previous one.",
        "skip": "Skip to content",
        "nav_label": "Main",
        "nav_map": "Map", "nav_corridors": "Corridors", "nav_flows": "Flows",
        "nav_practices": "Good practices", "nav_voting": "Voting abroad",
        "nav_remittances": "Remittance costs",
        "nav_news": "What's new", "nav_api": "API (OpenAPI)",
        "languages": "Languages",
        "feed": "Atom feed", "json": "Data (JSON)",
        "builds": "Builds",
        "build": "Build {n}", "finished": "finished {when}",
        "first_build": "The first build of this store: nothing to compare with.",
        "nothing_changed": "No source file changed since the previous build.",
        "sources_changed": "{n} source file(s) changed.",
        "same_rows": "The changed files gave the same rows in every view.",
        "source": "source", "file": "file", "status": "status", "view": "view",
        "added": "added", "removed": "removed", "changed": "changed",
        "st_same": "same", "st_changed": "changed (new checksum)", "st_added": "new",
        "st_removed": "no longer read", "st_first": "first",
        "alerts": "Alerts",
        "no_alerts": "No rule raised an alert. Rules are set per country in the alerts "
                     "file (docs/monitoring.md).",
        "alert_corridor_change": "{partner} to {area}: {previous} then {value} in {year} "
                                 "({pct}; rule: more than {threshold} % between estimate "
                                 "years, IMS {revision})",
        "alert_revision_change": "{what}, {year}: {previous} before, {value} in IMS "
                                 "{revision} ({pct}; rule: revised by more than "
                                 "{threshold} %)",
        "alert_share_crossing": "{what} crossed {threshold} %: {previous} then {value} "
                                "in {year} (IMS {revision})",
        "rule": "rule", "from": "from", "w_row": "row", "w_rows": "rows", "w_and": "and",
        "revisions": "Revisions",
        "pair": "{dataset} {old} against {new}",
        "common_years": "Common years: {years}.",
        "world": "World, {year}",
        "measure": "measure", "old": "old", "new": "new", "change": "change",
        "relative": "relative",
        "concentration": "Where the revisions concentrate ({year}): the countries whose "
                         "figure changed most, and their share of all revisions",
        "country": "country", "share": "share of the sum",
        "events": "Events",
        "ev_origin_rank": "ranks among origins changed",
        "ev_destination_rank": "ranks among destinations changed",
        "ev_trend_reversed": "trends reversed", "ev_corridor_appeared": "corridors appeared",
        "ev_corridor_vanished": "corridors vanished",
        "ev_unknown_origin_grew": "destinations whose immigrants of unknown origin rose "
                                  "(vanished corridors may be counted there)",
        "m_immigrants": "Immigrants", "m_emigrants": "Emigrants",
        "m_immigrant_share": "Immigrants, % of population",
        "m_emigrant_rate": "Emigrants, % of population",
        "m_immigrant_female_share": "Women among immigrants, %",
        "m_emigrant_female_share": "Women among emigrants, %",
        "m_stock": "Migrants", "m_population": "Population",
        "m_net_migration": "Net migration (five years from 1 July)",
        "what_of": "{measure} of {area}",
        "sources_note": "Figures from the files named in each build; every row of a "
                        "comparison is in the store's revision_changes view "
                        "(docs/store.md).",
        "feed_title": "Transnational Migration Observatory: what's new",
        "feed_build": "Build {n}: {what}",
        "feed_alert": "Alert ({rule}, build {n}): {sentence}",
    },
    "fr": {
        "language": "Français",
        "site": "Observatoire des migrations transnationales",
        "colon": "\u00a0:",
        "unknown_origin": "Pays de naissance inconnu",
        "no_revision": "Aucun chiffre n'a été révisé.",
        "title": "Quoi de neuf",
        "intro": "Ce qui a changé dans les données : chaque construction de la base et les "
                 "fichiers sources lus, les alertes des règles par pays, et ce que chaque "
                 "nouvelle révision des séries des Nations Unies a changé par rapport à la "
                 "précédente.",
        "skip": "Aller au contenu",
        "nav_label": "Navigation principale",
        "nav_map": "Carte", "nav_corridors": "Corridors", "nav_flows": "Flux",
        "nav_practices": "Bonnes pratiques", "nav_voting": "Vote à l'étranger",
        "nav_remittances": "Coût des envois de fonds",
        "nav_news": "Quoi de neuf", "nav_api": "API (OpenAPI)",
        "languages": "Langues",
        "feed": "Flux Atom", "json": "Données (JSON)",
        "builds": "Constructions de la base",
        "build": "Construction {n}", "finished": "terminée le {when}",
        "first_build": "Première construction de cette base : rien à comparer.",
        "nothing_changed": "Aucun fichier source n'a changé depuis la construction "
                           "précédente.",
        "sources_changed": "{n} fichier(s) source(s) modifié(s).",
        "same_rows": "Les fichiers modifiés donnent les mêmes lignes dans chaque vue.",
        "source": "source", "file": "fichier", "status": "état", "view": "vue",
        "added": "ajoutées", "removed": "retirées", "changed": "modifiées",
        "st_same": "identique", "st_changed": "modifié (nouvelle somme de contrôle)",
        "st_added": "nouveau", "st_removed": "plus lu", "st_first": "première",
        "alerts": "Alertes",
        "no_alerts": "Aucune règle n'a déclenché d'alerte. Les règles se fixent par pays "
                     "dans le fichier des alertes (docs/monitoring.md).",
        "alert_corridor_change": "{partner} vers {area} : {previous} puis {value} en {year} "
                                 "({pct} ; règle : plus de {threshold} % entre deux années "
                                 "d'estimation, IMS {revision})",
        "alert_revision_change": "{what}, {year} : {previous} avant, {value} dans IMS "
                                 "{revision} ({pct} ; règle : révision de plus de "
                                 "{threshold} %)",
        "alert_share_crossing": "{what} a franchi {threshold} % : {previous} puis {value} "
                                "en {year} (IMS {revision})",
        "rule": "règle", "from": "source", "w_row": "ligne", "w_rows": "lignes",
        "w_and": "et",
        "revisions": "Révisions",
        "pair": "{dataset} {old} comparée à {new}",
        "common_years": "Années communes : {years}.",
        "world": "Monde, {year}",
        "measure": "mesure", "old": "ancienne", "new": "nouvelle", "change": "écart",
        "relative": "relatif",
        "concentration": "Où se concentrent les révisions ({year}) : les pays dont le "
                         "chiffre a le plus changé, et leur part de l'ensemble des révisions",
        "country": "pays", "share": "part du total",
        "events": "Événements",
        "ev_origin_rank": "rangs parmi les origines modifiés",
        "ev_destination_rank": "rangs parmi les destinations modifiés",
        "ev_trend_reversed": "tendances inversées", "ev_corridor_appeared": "corridors apparus",
        "ev_corridor_vanished": "corridors disparus",
        "ev_unknown_origin_grew": "destinations où les immigrés d'origine inconnue ont "
                                  "augmenté (les corridors disparus peuvent y être comptés)",
        "m_immigrants": "Immigrés", "m_emigrants": "Émigrés",
        "m_immigrant_share": "Immigrés, % de la population",
        "m_emigrant_rate": "Émigrés, % de la population",
        "m_immigrant_female_share": "Femmes parmi les immigrés, %",
        "m_emigrant_female_share": "Femmes parmi les émigrés, %",
        "m_stock": "Migrants", "m_population": "Population",
        "m_net_migration": "Solde migratoire (cinq ans à partir du 1er juillet)",
        "what_of": "{measure} : {area}",
        "sources_note": "Chiffres tirés des fichiers nommés pour chaque construction ; "
                        "chaque ligne d'une comparaison figure dans la vue revision_changes "
                        "de la base (docs/store.md).",
        "feed_title": "Observatoire des migrations transnationales : quoi de neuf",
        "feed_build": "Construction {n} : {what}",
        "feed_alert": "Alerte ({rule}, construction {n}) : {sentence}",
    },
    "es": {
        "language": "Español",
        "site": "Observatorio de Migraciones Transnacionales",
        "colon": ":",
        "unknown_origin": "País de nacimiento desconocido",
        "no_revision": "Ninguna cifra fue revisada.",
        "title": "Novedades",
        "intro": "Lo que cambió en los datos: cada construcción de la base y los archivos "
                 "fuente que leyó, las alertas de las reglas por país y lo que cada nueva "
                 "revisión de las series de las Naciones Unidas cambió respecto de la "
                 "anterior.",
        "skip": "Ir al contenido",
        "nav_label": "Navegación principal",
        "nav_map": "Mapa", "nav_corridors": "Corredores", "nav_flows": "Flujos",
        "nav_practices": "Buenas prácticas", "nav_voting": "Voto en el exterior",
        "nav_remittances": "Costo de las remesas",
        "nav_news": "Novedades", "nav_api": "API (OpenAPI)",
        "languages": "Idiomas",
        "feed": "Canal Atom", "json": "Datos (JSON)",
        "builds": "Construcciones de la base",
        "build": "Construcción {n}", "finished": "terminada el {when}",
        "first_build": "Primera construcción de esta base: nada con qué comparar.",
        "nothing_changed": "Ningún archivo fuente cambió desde la construcción anterior.",
        "sources_changed": "{n} archivo(s) fuente modificado(s).",
        "same_rows": "Los archivos modificados dan las mismas filas en cada vista.",
        "source": "fuente", "file": "archivo", "status": "estado", "view": "vista",
        "added": "añadidas", "removed": "quitadas", "changed": "modificadas",
        "st_same": "igual", "st_changed": "modificado (nueva suma de control)",
        "st_added": "nuevo", "st_removed": "ya no se lee", "st_first": "primera",
        "alerts": "Alertas",
        "no_alerts": "Ninguna regla generó una alerta. Las reglas se fijan por país en el "
                     "archivo de alertas (docs/monitoring.md).",
        "alert_corridor_change": "{partner} hacia {area}: {previous} y luego {value} en "
                                 "{year} ({pct}; regla: más de {threshold} % entre años de "
                                 "estimación, IMS {revision})",
        "alert_revision_change": "{what}, {year}: {previous} antes, {value} en IMS "
                                 "{revision} ({pct}; regla: revisión de más de "
                                 "{threshold} %)",
        "alert_share_crossing": "{what} cruzó {threshold} %: {previous} y luego {value} "
                                "en {year} (IMS {revision})",
        "rule": "regla", "from": "fuente", "w_row": "fila", "w_rows": "filas", "w_and": "y",
        "revisions": "Revisiones",
        "pair": "{dataset} {old} frente a {new}",
        "common_years": "Años comunes: {years}.",
        "world": "Mundo, {year}",
        "measure": "medida", "old": "anterior", "new": "nueva", "change": "diferencia",
        "relative": "relativa",
        "concentration": "Dónde se concentran las revisiones ({year}): los países cuya "
                         "cifra más cambió y su parte del total de revisiones",
        "country": "país", "share": "parte del total",
        "events": "Eventos",
        "ev_origin_rank": "puestos entre los orígenes modificados",
        "ev_destination_rank": "puestos entre los destinos modificados",
        "ev_trend_reversed": "tendencias invertidas",
        "ev_corridor_appeared": "corredores aparecidos",
        "ev_corridor_vanished": "corredores desaparecidos",
        "ev_unknown_origin_grew": "destinos cuyos inmigrantes de origen desconocido "
                                  "aumentaron (los corredores desaparecidos pueden contarse "
                                  "allí)",
        "m_immigrants": "Inmigrantes", "m_emigrants": "Emigrantes",
        "m_immigrant_share": "Inmigrantes, % de la población",
        "m_emigrant_rate": "Emigrantes, % de la población",
        "m_immigrant_female_share": "Mujeres entre los inmigrantes, %",
        "m_emigrant_female_share": "Mujeres entre los emigrantes, %",
        "m_stock": "Migrantes", "m_population": "Población",
        "m_net_migration": "Migración neta (cinco años desde el 1 de julio)",
        "what_of": "{measure}: {area}",
        "sources_note": "Cifras de los archivos nombrados en cada construcción; cada fila de "
                        "una comparación está en la vista revision_changes de la base "
                        "(docs/store.md).",
        "feed_title": "Observatorio de Migraciones Transnacionales: novedades",
        "feed_build": "Construcción {n}: {what}",
        "feed_alert": "Alerta ({rule}, construcción {n}): {sentence}",
    },
}


def t(lang: str, key: str, **values: object) -> str:
    """The text of `key` in `lang`, placeholders filled."""
    text = WORDS[lang][key]
    return text.format(**values) if values else text
