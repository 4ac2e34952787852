"""Error messages in the visitor's language: the code raises its errors in English (the
API, the command line and the logs keep them so); an error page in French or Spanish
shows each known message and hint translated, its variable parts (names, codes, years,
lists) kept as they are. A message no pattern knows is shown as raised, marked as
English (`translate` answers None)."""

from __future__ import annotations

import re

# (pattern of the English text, its French and Spanish wording with the pattern's groups)
PATTERNS: list[tuple[str, dict[str, str]]] = [
    ((r"no Migration Profile for (?P<name>.+) \((?P<iso3>\w+)\): the International Migrant "
     r"Stock (?P<rev>\S+) publishes no figures for it"),
     {"fr": "Pas de profil migratoire pour {name} ({iso3}) : l'International Migrant Stock "
            "{rev} ne publie aucun chiffre pour ce territoire",
      "es": "No hay perfil migratorio para {name} ({iso3}): el International Migrant Stock "
            "{rev} no publica cifras para este territorio"}),
    ((r"some territories are published within a larger area; `tmo profiles --all` writes "
     r"every country that has a profile"),
     {"fr": "certains territoires sont publiés au sein d'un ensemble plus large ; la "
            "liste des pays donne ceux qui ont un profil",
      "es": "algunos territorios se publican dentro de un área más amplia; la lista de "
            "países da los que tienen perfil"}),
    (r"unknown country '(?P<code>.*)'(; closest matches: (?P<close>.*))?",
     {"fr": "Aucun pays ne correspond à « {code} »", "es": "Ningún país corresponde a "
                                                          "«{code}»"}),
    (r"closest: (?P<close>.*)", {"fr": "les plus proches : {close}",
                                 "es": "los más cercanos: {close}"}),
    (r"search by name: /search\?q=", {"fr": "chercher par nom : /search?q=",
                                      "es": "buscar por nombre: /search?q="}),
    (r"use ISO3 codes, e\.g\. MDA", {"fr": "utilisez les codes ISO3, par exemple MDA",
                                     "es": "use los códigos ISO3, por ejemplo MDA"}),
    (r"GET /api/v1/countries lists them", {"fr": "GET /api/v1/countries en donne la liste",
                                           "es": "GET /api/v1/countries da la lista"}),
    (r"use an ISO 3166 alpha-3 code or a name listed by `tmo sql`",
     {"fr": "utilisez un code ISO 3166 alpha-3 ou le nom d'un pays de la liste des pays",
      "es": "use un código ISO 3166 alfa-3 o el nombre de un país de la lista de países"}),
    (r"(?P<iso3>\w+) is not a country or area of the store",
     {"fr": "{iso3} n'est pas un pays ou territoire des données",
      "es": "{iso3} no es un país o territorio de los datos"}),
    (r"no estimate for (?P<year>\d+) in IMS (?P<rev>\S+)",
     {"fr": "Pas d'estimation pour {year} dans l'IMS {rev}",
      "es": "No hay estimación para {year} en el IMS {rev}"}),
    ((r"year (?P<year>\d+) is not an estimate year of IMS (?P<rev>\S+); available: "
     r"(?P<years>.*)"),
     {"fr": "{year} n'est pas une année d'estimation de l'IMS {rev} ; années disponibles : "
            "{years}",
      "es": "{year} no es un año de estimación del IMS {rev}; años disponibles: {years}"}),
    (r"years: (?P<years>.*)", {"fr": "années : {years}", "es": "años: {years}"}),
    (r"revision '(?P<rev>.*)' is not in the store; available: (?P<revs>.*)",
     {"fr": "La révision « {rev} » n'est pas dans les données ; disponibles : {revs}",
      "es": "La revisión «{rev}» no está en los datos; disponibles: {revs}"}),
    (r"unknown method '(?P<method>.*)'", {"fr": "Méthode inconnue : « {method} »",
                                          "es": "Método desconocido: «{method}»"}),
    (r"no flows are stored for the method '(?P<method>.*?)'( in IMS (?P<rev>\S+))?",
     {"fr": "Aucun flux n'est enregistré pour la méthode « {method} »",
      "es": "No hay flujos guardados para el método «{method}»"}),
    (r"no flows are stored yet", {"fr": "aucun flux n'est encore enregistré",
                                  "es": "todavía no hay flujos guardados"}),
    (r"stored: (?P<methods>.*)", {"fr": "enregistrées : {methods}",
                                  "es": "guardados: {methods}"}),
    (r"no period starts in (?P<year>\d+) in IMS (?P<rev>\S+)",
     {"fr": "Aucune période ne commence en {year} dans l'IMS {rev}",
      "es": "Ningún período empieza en {year} en el IMS {rev}"}),
    (r"a corridor needs two different countries",
     {"fr": "Un corridor relie deux pays différents",
      "es": "Un corredor une dos países diferentes"}),
    (r"no data for (?P<indicator>\w+) in this store",
     {"fr": "Pas de données pour l'indicateur {indicator}",
      "es": "No hay datos para el indicador {indicator}"}),
    (r"indicators: (?P<list>.*)", {"fr": "indicateurs : {list}",
                                   "es": "indicadores: {list}"}),
    (r"countries are ISO3 codes", {"fr": "Les pays s'indiquent par leur code ISO3",
                                   "es": "Los países se indican con su código ISO3"}),
    (r"e\.g\. countries=MDA&countries=ROU", {"fr": "par exemple countries=MDA&countries=ROU",
                                             "es": "por ejemplo countries=MDA&countries=ROU"}),
    (r"unknown sex '(?P<sex>.*)'; choose one of (?P<list>.*)",
     {"fr": "Sexe inconnu : « {sex} » ; au choix : {list}",
      "es": "Sexo desconocido: «{sex}»; a elegir: {list}"}),
    (r"the store holds no projections.*",
     {"fr": "Les données ne contiennent pas de projections",
      "es": "Los datos no contienen proyecciones"}),
    (r"invalid parameter (?P<where>\S+): Input should be (?P<allowed>'.*)",
     {"fr": "Paramètre {where} invalide ; valeurs admises : {allowed}",
      "es": "Parámetro {where} no válido; valores admitidos: {allowed}"}),
    (r"invalid parameter (?P<where>\S+): Input should be a valid integer.*",
     {"fr": "Paramètre {where} invalide : un nombre entier est attendu",
      "es": "Parámetro {where} no válido: se espera un número entero"}),
    ((r"invalid parameter (?P<where>\S+): Input should be greater than or equal to "
     r"(?P<n>\S+)"), {"fr": "Paramètre {where} invalide : au moins {n}",
                     "es": "Parámetro {where} no válido: como mínimo {n}"}),
    (r"invalid parameter (?P<where>\S+): Input should be less than or equal to (?P<n>\S+)",
     {"fr": "Paramètre {where} invalide : au plus {n}",
      "es": "Parámetro {where} no válido: como máximo {n}"}),
    (r"invalid parameter (?P<where>\S+): Field required",
     {"fr": "Paramètre {where} manquant", "es": "Falta el parámetro {where}"}),
    (r"invalid parameter (?P<where>\S+): .*",
     {"fr": "Paramètre {where} invalide", "es": "Parámetro {where} no válido"}),
    # the rate limits (tmo.web.limits: 429)
    (r"too many pdf requests from this address; try again in (?P<wait>\d+) s",
     {"fr": "Trop de demandes de PDF depuis cette adresse ; réessayez dans {wait} s",
      "es": "Demasiadas solicitudes de PDF desde esta dirección; vuelva a intentarlo "
            "dentro de {wait} s"}),
    (r"too many search requests from this address; try again in (?P<wait>\d+) s",
     {"fr": "Trop de recherches depuis cette adresse ; réessayez dans {wait} s",
      "es": "Demasiadas búsquedas desde esta dirección; vuelva a intentarlo dentro de "
            "{wait} s"}),
    (r"too many write requests from this address; try again in (?P<wait>\d+) s",
     {"fr": "Trop d'envois depuis cette adresse ; réessayez dans {wait} s",
      "es": "Demasiados envíos desde esta dirección; vuelva a intentarlo dentro de "
            "{wait} s"}),
    # the diaspora registry's refusals (tmo.registry, tmo.skills: 401, 403, 429, 503)
    (r"too many failed sign-ins for this account in the last hour",
     {"fr": "Trop de connexions échouées pour ce compte depuis une heure",
      "es": "Demasiados inicios de sesión fallidos para esta cuenta en la última hora"}),
    (r"too many registrations from this address in the last hour",
     {"fr": "Trop d'inscriptions depuis cette adresse depuis une heure",
      "es": "Demasiadas inscripciones desde esta dirección en la última hora"}),
    (r"too many sign-in links from this address in the last hour",
     {"fr": "Trop de liens de connexion demandés depuis cette adresse depuis une heure",
      "es": "Demasiados enlaces de inicio de sesión pedidos desde esta dirección en la "
            "última hora"}),
    (r"try again in an hour", {"fr": "réessayez dans une heure",
                               "es": "vuelva a intentarlo dentro de una hora"}),
    (r"wrong e-mail or password", {"fr": "Adresse électronique ou mot de passe incorrect",
                                   "es": "Correo electrónico o contraseña incorrectos"}),
    (r"this e-mail is not verified yet",
     {"fr": "Cette adresse électronique n'est pas encore vérifiée",
      "es": "Este correo electrónico aún no está verificado"}),
    (r"open the link we sent to it", {"fr": "ouvrez le lien que nous lui avons envoyé",
                                      "es": "abra el enlace que le enviamos"}),
    (r"this link is invalid, used or expired",
     {"fr": "Ce lien est invalide, déjà utilisé ou expiré",
      "es": "Este enlace no es válido, ya se usó o ha caducado"}),
    (r"not signed in", {"fr": "Vous n'êtes pas connecté", "es": "No ha iniciado sesión"}),
    (r"your session has expired", {"fr": "Votre session a expiré",
                                   "es": "Su sesión ha caducado"}),
    (r"an? \w+ may not do this", {"fr": "Ce compte n'a pas le droit de faire cela",
                                  "es": "Esta cuenta no tiene permiso para hacer esto"}),
    (r"this request comes from another site", {"fr": "Cette demande vient d'un autre site",
                                               "es": "Esta solicitud viene de otro sitio"}),
    (r"the form's security token is missing or stale",
     {"fr": "Le jeton de sécurité du formulaire manque ou a expiré",
      "es": "Falta el token de seguridad del formulario o ha caducado"}),
    (r"this account acts for no institution",
     {"fr": "Ce compte n'agit pour aucune institution",
      "es": "Esta cuenta no actúa en nombre de ninguna institución"}),
    (r"the institution is \w+, not verified",
     {"fr": "L'institution n'est pas encore vérifiée",
      "es": "La institución aún no está verificada"}),
    (r"the registry's database is busy or unreachable",
     {"fr": "La base de données du registre est occupée ou injoignable",
      "es": "La base de datos del registro está ocupada o no responde"}),
    (r"Not Found", {"fr": "Cette page n'existe pas", "es": "Esta página no existe"}),
    (r"internal error", {"fr": "Erreur interne", "es": "Error interno"}),
    (r"the server log has the details", {"fr": "le journal du serveur en donne le détail",
                                         "es": "el registro del servidor da los detalles"}),
]

_COMPILED = [(re.compile(p, re.DOTALL), words) for p, words in PATTERNS]


def translate(text: str, lang: str) -> str | None:
    """`text` in `lang` (its English when `lang` is "en"); None when no pattern knows it."""
    if lang == "en":
        return text
    for pattern, words in _COMPILED:
        found = pattern.fullmatch(text)
        if found is not None and lang in words:
            return words[lang].format(**{k: v or "" for k, v in found.groupdict().items()})
    return None
