"""The words of the web app's own pages (the site header, the home page, the countries
index, corridors, flows, the indicator explorer, errors) in English, French and Spanish.
Every key has the three languages (`tests/web/test_languages.py`); the profile's words are
in `tmo/profiles/locales`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

LANGUAGES = ("en", "fr", "es")
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}
LANG_PATTERN = "^(en|fr|es)$"

WORDS: dict[str, dict[str, str]] = {
    # the site header
    "site": {"en": "Transnational Migration Observatory",
             "fr": "Observatoire des migrations transnationales",
             "es": "Observatorio de las Migraciones Transnacionales"},
    "skip": {"en": "Skip to content", "fr": "Aller au contenu", "es": "Ir al contenido"},
    "nav_main": {"en": "Main", "fr": "Principal", "es": "Principal"},
    "nav_map": {"en": "Map", "fr": "Carte", "es": "Mapa"},
    "nav_countries": {"en": "Countries", "fr": "Pays", "es": "Países"},
    "nav_explore": {"en": "Indicators", "fr": "Indicateurs", "es": "Indicadores"},
    "nav_corridors": {"en": "Corridors", "fr": "Corridors", "es": "Corredores"},
    "nav_flows": {"en": "Flows", "fr": "Flux", "es": "Flujos"},
    "nav_practices": {"en": "Good practices", "fr": "Bonnes pratiques",
                      "es": "Buenas prácticas"},
    "nav_voting": {"en": "Voting abroad", "fr": "Voter de l'étranger",
                   "es": "Votar desde el exterior"},
    "nav_remittances": {"en": "Remittance costs", "fr": "Coût des envois de fonds",
                        "es": "Costo de las remesas"},
    "nav_whats_new": {"en": "What's new", "fr": "Nouveautés", "es": "Novedades"},
    "nav_api": {"en": "API (OpenAPI)", "fr": "API (OpenAPI)", "es": "API (OpenAPI)"},
    "nav_languages": {"en": "Language", "fr": "Langue", "es": "Idioma"},
    "breadcrumb": {"en": "You are here", "fr": "Vous êtes ici", "es": "Usted está aquí"},
    "home": {"en": "Home", "fr": "Accueil", "es": "Inicio"},
    "country": {"en": "Country", "fr": "Pays", "es": "País"},
    "country_example": {"en": "e.g. Moldova, Türkiye, MEX", "fr": "p. ex. Moldavie, Maroc, MEX",
                        "es": "p. ej. Moldavia, Marruecos, MEX"},
    "open_profile": {"en": "Open profile", "fr": "Ouvrir le profil", "es": "Abrir el perfil"},
    "cite": {"en": "Cite as:", "fr": "Citer ainsi :", "es": "Citar así:"},
    # home
    "home_title": {"en": "Migration from both sides of every border",
                   "fr": "Les migrations des deux côtés de chaque frontière",
                   "es": "La migración a ambos lados de cada frontera"},
    "home_map": {"en": "World map", "fr": "Carte du monde", "es": "Mapa mundial"},
    "home_map_heading": {"en": "{year}: immigrants and emigrants as a share of the population",
                         "fr": "{year} : immigrés et émigrés rapportés à la population",
                         "es": "{year}: inmigrantes y emigrantes en proporción de la población"},
    "home_imm": {"en": "Immigrants (% of residents)", "fr": "Immigrés (% des résidents)",
                 "es": "Inmigrantes (% de los residentes)"},
    "home_emi": {"en": "Emigrants (% of the population of origin)",
                 "fr": "Émigrés (% de la population d'origine)",
                 "es": "Emigrantes (% de la población de origen)"},
    "home_note": {"en": "UN DESA International Migrant Stock {revision}; shares computed with "
                        "the population published in the same revision.",
                  "fr": "DAES de l'ONU, International Migrant Stock {revision} ; parts calculées "
                        "avec la population publiée dans la même révision.",
                  "es": "DAES de la ONU, International Migrant Stock {revision}; proporciones "
                        "calculadas con la población publicada en la misma revisión."},
    "home_more": {"en": "Every indicator on the map, over time and for several countries: ",
                  "fr": "Chaque indicateur sur la carte, dans le temps et pour plusieurs pays : ",
                  "es": "Cada indicador en el mapa, en el tiempo y para varios países: "},
    "download": {"en": "Download:", "fr": "Télécharger :", "es": "Descargar:"},
    "imm_json": {"en": "immigrants (JSON)", "fr": "immigrés (JSON)", "es": "inmigrantes (JSON)"},
    "emi_json": {"en": "emigrants (JSON)", "fr": "émigrés (JSON)", "es": "emigrantes (JSON)"},
    "imm_csv": {"en": "immigrants (CSV)", "fr": "immigrés (CSV)", "es": "inmigrantes (CSV)"},
    "emi_csv": {"en": "emigrants (CSV)", "fr": "émigrés (CSV)", "es": "emigrantes (CSV)"},
    # the countries index
    "countries_title": {"en": "Countries and areas", "fr": "Pays et territoires",
                        "es": "Países y territorios"},
    "countries_note": {"en": "{n} areas with a Migration Profile, by UN region. An area the "
                             "International Migrant Stock does not publish has a partial "
                             "profile where other sources publish its figures, else none.",
                       "fr": "{n} territoires dotés d'un profil migratoire, par région de "
                             "l'ONU. Un territoire que le Stock international de migrants ne "
                             "publie pas a un profil partiel si d'autres sources publient ses "
                             "chiffres, sinon aucun.",
                       "es": "{n} territorios con un perfil migratorio, por región de la ONU. "
                             "Un territorio que el Stock Internacional de Migrantes no publica "
                             "tiene un perfil parcial si otras fuentes publican sus cifras; si "
                             "no, ninguno."},
    "other_region": {"en": "Other areas", "fr": "Autres territoires", "es": "Otros territorios"},
    "region_cards": {"en": "the region's fact cards", "fr": "les fiches de la région",
                     "es": "las fichas de la región"},
    "no_profile": {"en": "no profile", "fr": "pas de profil", "es": "sin perfil"},
    "region_profile": {"en": "the region's migration profile",
                       "fr": "le profil migratoire de la région",
                       "es": "el perfil migratorio de la región"},
    "world_profile": {"en": "The World's migration profile", "fr": "Profil migratoire du Monde",
                      "es": "Perfil migratorio del Mundo"},
    # corridors
    "corridors_title": {"en": "Corridors: two countries, both directions",
                        "fr": "Corridors : deux pays, dans les deux sens",
                        "es": "Corredores: dos países, en ambos sentidos"},
    "between": {"en": "Between", "fr": "Entre", "es": "Entre"},
    "and": {"en": "and", "fr": "et", "es": "y"},
    "open_corridor": {"en": "Open corridor", "fr": "Ouvrir le corridor",
                      "es": "Abrir el corredor"},
    "largest": {"en": "The 20 largest corridors, {year}",
                "fr": "Les 20 plus grands corridors, {year}",
                "es": "Los 20 corredores más grandes, {year}"},
    "born_in": {"en": "Born in", "fr": "Pays de naissance", "es": "País de nacimiento"},
    "living_in": {"en": "Living in", "fr": "Pays de résidence", "es": "País de residencia"},
    "migrants": {"en": "Migrants", "fr": "Migrants", "es": "Migrantes"},
    "both_directions": {"en": "Both directions", "fr": "Dans les deux sens",
                        "es": "En ambos sentidos"},
    "source": {"en": "Source", "fr": "Source", "es": "Fuente"},
    "sources": {"en": "Sources", "fr": "Sources", "es": "Fuentes"},
    "row": {"en": "row", "fr": "ligne", "es": "fila"},
    "corridors_note": {"en": "UN DESA International Migrant Stock {revision}, country of birth "
                             "(or citizenship where the destination counts migrants by "
                             "citizenship).",
                       "fr": "DAES de l'ONU, International Migrant Stock {revision}, pays de "
                             "naissance (ou nationalité là où la destination compte les migrants "
                             "par nationalité).",
                       "es": "DAES de la ONU, International Migrant Stock {revision}, país de "
                             "nacimiento (o nacionalidad donde el destino cuenta a los migrantes "
                             "por nacionalidad)."},
    "pair": {"en": "{a} and {b}", "fr": "{a} et {b}", "es": "{a} y {b}"},
    "born_living": {"en": "born in {a}, living in {b}", "fr": "de {a} vers {b}",
                    "es": "de {a} hacia {b}"},
    "both_caption": {"en": "Migrants in both directions, IMS {revision}",
                     "fr": "Migrants dans les deux sens, IMS {revision}",
                     "es": "Migrantes en ambos sentidos, IMS {revision}"},
    "estimated_flows": {"en": "Estimated flows", "fr": "Flux estimés", "es": "Flujos estimados"},
    "method": {"en": "Method", "fr": "Méthode", "es": "Método"},
    "show": {"en": "Show", "fr": "Afficher", "es": "Mostrar"},
    "flow_caption": {"en": "Estimated flows per period, {method}, IMS {revision}",
                     "fr": "Flux estimés par période, {method}, IMS {revision}",
                     "es": "Flujos estimados por período, {method}, IMS {revision}"},
    "flow_points": {"en": "each point is the flow over the five years (four for 2020-2024) "
                          "ending that year",
                    "fr": "chaque point est le flux des cinq années (quatre pour 2020-2024) "
                          "qui finissent cette année-là",
                    "es": "cada punto es el flujo de los cinco años (cuatro para 2020-2024) "
                          "que terminan ese año"},
    "flow_range": {"en": "Range across the {n} stored methods",
                   "fr": "Écart entre les {n} méthodes enregistrées",
                   "es": "Rango entre los {n} métodos almacenados"},
    "period": {"en": "Period", "fr": "Période", "es": "Período"},
    "from": {"en": "From", "fr": "De", "es": "De"},
    "to": {"en": "To", "fr": "Vers", "es": "Hacia"},
    "flow": {"en": "Flow", "fr": "Flux", "es": "Flujo"},
    "lowest": {"en": "lowest", "fr": "minimum", "es": "mínimo"},
    "highest": {"en": "highest", "fr": "maximum", "es": "máximo"},
    "no_flows": {"en": "No flows are stored for this method.",
                 "fr": "Aucun flux n'est enregistré pour cette méthode.",
                 "es": "No hay flujos almacenados para este método."},
    "no_flows_at_all": {"en": "No estimated flows are stored yet.",
                        "fr": "Aucun flux estimé n'est encore enregistré.",
                        "es": "Todavía no hay flujos estimados almacenados."},
    "migrants_csv": {"en": "migrants (CSV)", "fr": "migrants (CSV)", "es": "migrantes (CSV)"},
    "all_flows_csv": {"en": "all flows of {name} (CSV)", "fr": "tous les flux de {name} (CSV)",
                      "es": "todos los flujos de {name} (CSV)"},
    "profiles": {"en": "profiles", "fr": "profils", "es": "perfiles"},
    "methods_doc": {"en": "the methods: docs/flows.md", "fr": "les méthodes : docs/flows.md",
                    "es": "los métodos: docs/flows.md"},
    "scroll_hint": {"en": "The diagram scrolls sideways; the table below lists the same flows.",
                    "fr": "Le diagramme défile latéralement ; le tableau ci-dessous donne les "
                          "mêmes flux.",
                    "es": "El diagrama se desplaza lateralmente; la tabla de abajo da los "
                          "mismos flujos."},
    "flows_title": {"en": "Largest estimated flows", "fr": "Les plus grands flux estimés",
                    "es": "Los mayores flujos estimados"},
    "flows_caption": {"en": "The 25 largest flows {start}-{end}, {method}, IMS {revision}",
                      "fr": "Les 25 plus grands flux {start}-{end}, {method}, IMS {revision}",
                      "es": "Los 25 mayores flujos {start}-{end}, {method}, IMS {revision}"},
    # the indicator explorer
    "explore_title": {"en": "Indicator explorer", "fr": "Explorateur d'indicateurs",
                      "es": "Explorador de indicadores"},
    "explore_heading": {"en": "Indicator explorer: {title}",
                        "fr": "Explorateur d'indicateurs : {title}",
                        "es": "Explorador de indicadores: {title}"},
    "indicator": {"en": "Indicator", "fr": "Indicateur", "es": "Indicador"},
    "year": {"en": "Year", "fr": "Année", "es": "Año"},
    "play": {"en": "Play the years", "fr": "Faire défiler les années",
             "es": "Recorrer los años"},
    "stop": {"en": "Stop", "fr": "Arrêter", "es": "Detener"},
    "compare": {"en": "Countries to compare", "fr": "Pays à comparer",
                "es": "Países para comparar"},
    "country_n": {"en": "Country {n}", "fr": "Pays {n}", "es": "País {n}"},
    "none": {"en": "(none)", "fr": "(aucun)", "es": "(ninguno)"},
    "scale": {"en": "Scale", "fr": "Échelle", "es": "Escala"},
    "absolute": {"en": "values", "fr": "valeurs", "es": "valores"},
    "relative": {"en": "index, first year = 100", "fr": "indice, première année = 100",
                 "es": "índice, primer año = 100"},
    "apply": {"en": "Apply", "fr": "Appliquer", "es": "Aplicar"},
    "views": {"en": "Views", "fr": "Vues", "es": "Vistas"},
    "tab_map": {"en": "Map", "fr": "Carte", "es": "Mapa"},
    "tab_chart": {"en": "Chart", "fr": "Graphique", "es": "Gráfico"},
    "tab_table": {"en": "Table", "fr": "Tableau", "es": "Tabla"},
    "tab_sources": {"en": "Sources and processing", "fr": "Sources et traitements",
                    "es": "Fuentes y tratamiento"},
    "no_data": {"en": "no data", "fr": "pas de données", "es": "sin datos"},
    "map_title": {"en": "{indicator}, {year}", "fr": "{indicator}, {year}",
                  "es": "{indicator}, {year}"},
    "chart_title": {"en": "{indicator}, {first}-{last}", "fr": "{indicator}, {first}-{last}",
                    "es": "{indicator}, {first}-{last}"},
    "chart_title_rel": {"en": "{indicator}, {first}-{last} (index, first year = 100)",
                        "fr": "{indicator}, {first}-{last} (indice, première année = 100)",
                        "es": "{indicator}, {first}-{last} (índice, primer año = 100)"},
    "chart_default": {"en": "No country chosen: the five highest values of {year} are shown.",
                      "fr": "Aucun pays choisi : les cinq valeurs les plus élevées de {year} "
                            "sont affichées.",
                      "es": "Ningún país elegido: se muestran los cinco valores más altos de "
                            "{year}."},
    "rank": {"en": "Rank", "fr": "Rang", "es": "Puesto"},
    "value": {"en": "Value", "fr": "Valeur", "es": "Valor"},
    "computed_from": {"en": "Computed from", "fr": "Calculé à partir de",
                      "es": "Calculado a partir de"},
    "definition": {"en": "Definition", "fr": "Définition", "es": "Definición"},
    "formula": {"en": "Formula", "fr": "Formule", "es": "Fórmula"},
    "views_read": {"en": "Views of the store", "fr": "Vues de la base",
                   "es": "Vistas de la base"},
    "files": {"en": "Published files", "fr": "Fichiers publiés", "es": "Archivos publicados"},
    "caveats": {"en": "Caveats", "fr": "Mises en garde", "es": "Advertencias"},
    "processing": {"en": "Each value is computed with the formula of the country profiles from "
                         "the published rows that the queries below return (IMS {revision} for "
                         "migrant stocks and population; for each "
                         "country and year, the CSV download gives the query of its rows). "
                         "Areas without a published figure are shown as \u201cno data\u201d, "
                         "never as 0. Classes of the map: quintiles of the year's values, "
                         "rounded to two significant digits.",
                   "fr": "Chaque valeur est calculée avec la formule des profils de pays à "
                         "partir des lignes publiées que renvoient les requêtes ci-dessous "
                         "(l'IMS {revision} pour les stocks de migrants et la population ; "
                         "pour chaque pays et chaque année, le téléchargement CSV "
                         "donne la requête de ses lignes). Les territoires sans chiffre publié "
                         "sont marqués \u00ab pas de données \u00bb, jamais 0. Classes de la "
                         "carte : quintiles des valeurs de l'année, arrondis à deux chiffres "
                         "significatifs.",
                   "es": "Cada valor se calcula con la fórmula de los perfiles de país a "
                         "partir de las filas publicadas que devuelven las consultas de abajo "
                         "(el IMS {revision} para los stocks de migrantes y la población; "
                         "para cada país y año, la descarga CSV da la consulta de sus "
                         "filas). Los territorios sin cifra publicada figuran como \u00absin "
                         "datos\u00bb, nunca como 0. Clases del mapa: quintiles de los valores "
                         "del año, redondeados a dos cifras significativas."},
    "share": {"en": "Share and reuse", "fr": "Partager et réutiliser",
              "es": "Compartir y reutilizar"},
    "permalink": {"en": "Permalink (this view, as it is)", "fr": "Lien permanent (cette vue, "
                  "telle quelle)", "es": "Enlace permanente (esta vista, tal cual)"},
    "copy_link": {"en": "Copy", "fr": "Copier", "es": "Copiar"},
    "copied": {"en": "Copied", "fr": "Copié", "es": "Copiado"},
    "embed": {"en": "Embed (iframe)", "fr": "Intégrer (iframe)", "es": "Insertar (iframe)"},
    "open_full": {"en": "Open in the Observatory", "fr": "Ouvrir dans l'Observatoire",
                  "es": "Abrir en el Observatorio"},
    "citation": {"en": "Transnational Migration Observatory (tmo {version}), \u201c{title}\u201d, "
                       "from UN DESA International Migrant Stock {revision}: {url}",
                 "fr": "Observatoire des migrations transnationales (tmo {version}), "
                       "\u00ab {title} \u00bb, d'après DAES de l'ONU, International Migrant "
                       "Stock {revision} : {url}",
                 "es": "Observatorio de las Migraciones Transnacionales (tmo {version}), "
                       "\u00ab{title}\u00bb, a partir de DAES de la ONU, International "
                       "Migrant Stock {revision}: {url}"},
    # the voting index (/voting)
    "voting_title": {"en": "Voting from abroad", "fr": "Voter de l'étranger",
                     "es": "Votar desde el exterior"},
    "voting_intro": {"en": "Plans of polling stations for a country's citizens abroad: how many "
                           "stations in each country and city of residence and where, from UN "
                           "DESA migrant stocks and a rules file whose every value cites its "
                           "source; and, from each plan, pages for the voters: the nearest "
                           "station, how and until when to pre-register, what to bring "
                           "(docs/voting.md).",
                     "fr": "Plans des bureaux de vote pour les citoyens d'un pays vivant à "
                           "l'étranger : combien de bureaux dans chaque pays et ville de "
                           "résidence, et où, d'après les stocks de migrants du DAES de l'ONU "
                           "et un fichier de règles dont chaque valeur cite sa source ; et, "
                           "pour chaque plan, des pages pour les électeurs : le bureau le plus "
                           "proche, comment et jusqu'à quand s'inscrire, quoi apporter "
                           "(docs/voting.md).",
                     "es": "Planes de mesas de votación para los ciudadanos de un país que "
                           "viven en el exterior: cuántas mesas en cada país y ciudad de "
                           "residencia, y dónde, a partir de los stocks de migrantes del DAES de "
                           "la ONU y de un archivo de reglas en el que cada valor cita su "
                           "fuente; y, para cada plan, páginas para los votantes: la mesa más "
                           "cercana, cómo y hasta cuándo inscribirse, qué llevar "
                           "(docs/voting.md)."},
    "voting_plan": {"en": "Stations plan from UN DESA stocks",
                    "fr": "Plan des bureaux d'après les stocks du DAES de l'ONU",
                    "es": "Plan de mesas a partir de los stocks del DAES de la ONU"},
    "voting_capitals": {"en": "(voters placed at each country's capital)",
                        "fr": "(électeurs placés dans la capitale de chaque pays)",
                        "es": "(votantes ubicados en la capital de cada país)"},
    "voting_example": {"en": "Stations plan with the synthetic pre-registrations",
                       "fr": "Plan des bureaux avec les préinscriptions synthétiques",
                       "es": "Plan de mesas con las preinscripciones sintéticas"},
    "voting_synthetic": {"en": "(synthetic: made-up counts by city, an example of the method)",
                         "fr": "(synthétiques : effectifs inventés par ville, un exemple de la "
                               "méthode)",
                         "es": "(sintéticas: cifras inventadas por ciudad, un ejemplo del "
                               "método)"},
    "voting_info": {"en": "Information for voters abroad", "fr": "Informations pour les "
                    "électeurs à l'étranger", "es": "Información para los votantes en el "
                    "exterior"},
    "voting_info_example": {"en": ", from the plan with the synthetic pre-registrations",
                            "fr": ", d'après le plan avec les préinscriptions synthétiques",
                            "es": ", a partir del plan con las preinscripciones sintéticas"},
    "voting_data": {"en": "Data", "fr": "Données", "es": "Datos"},
    "voting_plan_json": {"en": "plan (JSON)", "fr": "plan (JSON)", "es": "plan (JSON)"},
    "voting_plan_csv": {"en": "plan (CSV)", "fr": "plan (CSV)", "es": "plan (CSV)"},
    "voting_rules_json": {"en": "rules and their sources (JSON)",
                          "fr": "règles et leurs sources (JSON)",
                          "es": "reglas y sus fuentes (JSON)"},
    "voting_seats": {"en": "Seats for citizens abroad:", "fr": "Sièges pour les citoyens à "
                     "l'étranger :", "es": "Escaños para los ciudadanos en el exterior:"},
    "voting_methods": {"en": "(D'Hondt, Sainte-Laguë, largest remainder, Huntington-Hill)",
                       "fr": "(D'Hondt, Sainte-Laguë, plus forts restes, Huntington-Hill)",
                       "es": "(D'Hondt, Sainte-Laguë, restos mayores, Huntington-Hill)"},
    # errors
    "error": {"en": "Error {code}", "fr": "Erreur {code}", "es": "Error {code}"},
    "not_found": {"en": "Not found", "fr": "Introuvable", "es": "No encontrado"},
    "bad_request": {"en": "That request cannot be answered",
                    "fr": "Cette demande ne peut pas recevoir de réponse",
                    "es": "No se puede responder a esta solicitud"},
    "went_wrong": {"en": "Something went wrong", "fr": "Une erreur s'est produite",
                   "es": "Algo salió mal"},
    "too_many": {"en": "Too many requests", "fr": "Trop de requêtes",
                 "es": "Demasiadas solicitudes"},
    "did_you_mean": {"en": "Did you mean:", "fr": "Vouliez-vous dire :", "es": "¿Quiso decir:"},
    "back_map": {"en": "Back to the world map", "fr": "Retour à la carte du monde",
                 "es": "Volver al mapa mundial"},
    "country_not_found": {"en": "Country not found", "fr": "Pays introuvable",
                          "es": "País no encontrado"},
    "no_country_matches": {"en": "No country matches {q}.",
                           "fr": "Aucun pays ne correspond à {q}.",
                           "es": "Ningún país corresponde a {q}."},
    # a practice
    "countries": {"en": "Countries", "fr": "Pays", "es": "Países"},
    "level": {"en": "Level", "fr": "Niveau", "es": "Nivel"},
    "themes": {"en": "Themes", "fr": "Thèmes", "es": "Temas"},
    "who_acts": {"en": "Who acts", "fr": "Qui agit", "es": "Quién actúa"},
    "for_whom": {"en": "For whom", "fr": "Pour qui", "es": "Para quién"},
    "years": {"en": "Years", "fr": "Années", "es": "Años"},
    "figures_reported": {"en": "Figures reported", "fr": "Chiffres rapportés",
                         "es": "Cifras reportadas"},
    "related": {"en": "Related practices", "fr": "Pratiques apparentées",
                "es": "Prácticas relacionadas"},
    "records_note": {"en": "", "fr": "Les fiches des pratiques sont rédigées en anglais.",
                     "es": "Las fichas de las prácticas están redactadas en inglés."},
}

# the map indicators (tmo.indicators.maps.MAP_INDICATORS): titles in each language
INDICATOR_NAMES: dict[str, dict[str, str]] = {
    "immigrant_stock": {"en": "Immigrants (international migrant stock)",
                        "fr": "Immigrés (stock de migrants internationaux)",
                        "es": "Inmigrantes (stock de migrantes internacionales)"},
    "immigrant_share": {"en": "Immigrants as a share of the population",
                        "fr": "Immigrés rapportés à la population",
                        "es": "Inmigrantes en proporción de la población"},
    "immigrant_female_share": {"en": "Women among immigrants",
                               "fr": "Part des femmes parmi les immigrés",
                               "es": "Mujeres entre los inmigrantes"},
    "immigrant_change_since_1990": {"en": "Change in immigrants since 1990",
                                    "fr": "Évolution des immigrés depuis 1990",
                                    "es": "Variación de los inmigrantes desde 1990"},
    "emigrant_stock": {"en": "Emigrants (diaspora abroad)",
                       "fr": "Émigrés (diaspora à l'étranger)",
                       "es": "Emigrantes (diáspora en el exterior)"},
    "emigrant_rate": {"en": "Emigrants as a share of the population",
                      "fr": "Émigrés rapportés à la population",
                      "es": "Emigrantes en proporción de la población"},
    "emigrant_female_share": {"en": "Women among emigrants",
                              "fr": "Part des femmes parmi les émigrés",
                              "es": "Mujeres entre los emigrantes"},
    "emigrant_change_since_1990": {"en": "Change in emigrants since 1990",
                                   "fr": "Évolution des émigrés depuis 1990",
                                   "es": "Variación de los emigrantes desde 1990"},
    "refugees_hosted_per_1000": {"en": "Refugees hosted per 1,000 residents",
                                 "fr": "Réfugiés accueillis pour 1 000 habitants",
                                 "es": "Refugiados acogidos por cada 1.000 habitantes"},
    "refugees_abroad_per_1000": {"en": "Refugees from the country abroad per 1,000 residents",
                                 "fr": "Réfugiés du pays à l'étranger pour 1 000 habitants",
                                 "es": "Refugiados del país en el exterior por cada 1.000 "
                                       "habitantes"},
    "remittances_gdp_share": {"en": "Remittances received as a share of GDP",
                              "fr": "Envois de fonds reçus en part du PIB",
                              "es": "Remesas recibidas en proporción del PIB"},
    "remittances_paid_gdp_share": {"en": "Remittances paid as a share of GDP",
                                   "fr": "Envois de fonds émis en part du PIB",
                                   "es": "Remesas enviadas en proporción del PIB"},
    "remittances_received": {"en": "Remittances received (current US$)",
                             "fr": "Envois de fonds reçus (dollars courants)",
                             "es": "Remesas recibidas (dólares corrientes)"},
    "remittances_paid": {"en": "Remittances paid (current US$)",
                         "fr": "Envois de fonds émis (dollars courants)",
                         "es": "Remesas enviadas (dólares corrientes)"},
    "net_migration_rate": {"en": "Net migration rate (WPP, per 1,000 residents)",
                           "fr": "Taux de migration nette (PPM, pour 1 000 habitants)",
                           "es": "Tasa de migración neta (PPM, por cada 1.000 habitantes)"},
}

# the UN regions of the `countries` view (its `region` column, in English)
REGION_NAMES: dict[str, dict[str, str]] = {
    "Africa": {"en": "Africa", "fr": "Afrique", "es": "África"},
    "Americas": {"en": "Americas", "fr": "Amériques", "es": "Américas"},
    "Asia": {"en": "Asia", "fr": "Asie", "es": "Asia"},
    "Europe": {"en": "Europe", "fr": "Europe", "es": "Europa"},
    "Oceania": {"en": "Oceania", "fr": "Océanie", "es": "Oceanía"},
}

# the flow methods (tmo.flows.METHODS) in plain words, for pickers (docs/flows.md)
METHOD_NAMES: dict[str, dict[str, str]] = {
    "sd_drop_neg": {"en": "Stock differences, negatives dropped",
                    "fr": "Différences de stocks, négatives écartées",
                    "es": "Diferencias de stocks, negativas descartadas"},
    "sd_rev_neg": {"en": "Stock differences, negatives reversed",
                   "fr": "Différences de stocks, négatives inversées",
                   "es": "Diferencias de stocks, negativas invertidas"},
    "mig_rate": {"en": "Migration rates (Dennett)", "fr": "Taux de migration (Dennett)",
                 "es": "Tasas de migración (Dennett)"},
    "da_min_open": {"en": "Demographic accounting, fewest moves, open world",
                    "fr": "Comptabilité démographique, minimum de migrations, monde ouvert",
                    "es": "Contabilidad demográfica, mínimo de migraciones, mundo abierto"},
    "da_min_closed": {"en": "Demographic accounting, fewest moves",
                      "fr": "Comptabilité démographique, minimum de migrations",
                      "es": "Contabilidad demográfica, mínimo de migraciones"},
    "da_ind_closed": {"en": "Demographic accounting, independence fit",
                      "fr": "Comptabilité démographique, ajustement d'indépendance",
                      "es": "Contabilidad demográfica, ajuste de independencia"},
    "da_pb_closed": {"en": "Demographic accounting, pseudo-Bayes (default)",
                     "fr": "Comptabilité démographique, pseudo-bayésienne (par défaut)",
                     "es": "Contabilidad demográfica, pseudobayesiana (por defecto)"},
}


def method_name(method: str, lang: str) -> str:
    """A flow method's plain name in `lang` (its code where it has none)."""
    return METHOD_NAMES.get(method, {}).get(lang, method)


def words(lang: str) -> dict[str, str]:
    """The page words in `lang` (an unknown language falls back to English)."""
    lang = lang if lang in LANGUAGES else "en"
    return {key: text[lang] for key, text in WORDS.items()}


def language_links(path: str, query: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(code, name, address) of the same page in each language: `query` without its
    `lang`, then `lang=`."""
    kept = [(k, v) for k, v in query if k != "lang"]
    return [(code, LANGUAGE_NAMES[code], f"{path}?{urlencode([*kept, ('lang', code)])}")
            for code in LANGUAGES]


def install(env: Any) -> None:
    """Give a Jinja environment whose templates extend the web app's `base.html` what its
    site header needs (`site_words(lang)`, `site_langs(lang)`)."""
    env.globals["site_words"] = words
    env.globals["site_langs"] = site_langs


def site_langs(given: Any) -> list[tuple[str, str, str]]:
    """The header's language links: the page's own (code, name, address) where it gives
    them, else links to the same address with `?lang=`."""
    if given and all(isinstance(g, tuple | list) and len(g) == 3 for g in given):
        return [tuple(g) for g in given]
    return language_links("", [])
