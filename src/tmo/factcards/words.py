"""The cards' words and number formats in English, French and Spanish (no English left on
a French or Spanish card: tests/factcards/test_words.py)."""

from __future__ import annotations

from tmo.errors import InputError
from tmo.factcards import rounding

LANGUAGES = ("en", "fr", "es")
# thousands separator, decimal mark: as the profiles write them (fr: narrow no-break space;
# es: point, as the UN does)
SEPARATORS = {"en": (",", "."), "fr": ("\u202f", ","), "es": (".", ",")}
PERCENT = {"en": " %", "fr": "\u202f%", "es": " %"}
SCALES = {  # (singular below 2, plural)
    "million": {"en": ("million", "million"), "fr": ("million", "millions"),
                "es": ("millón", "millones")},
    "billion": {"en": ("billion", "billion"), "fr": ("milliard", "milliards"),
                "es": ("mil millones", "mil millones")},
}

WORDS: dict[str, dict[str, str]] = {
    "title": {"en": "Migration facts: {place}", "fr": "Faits sur la migration : {place}",
              "es": "Datos sobre la migración: {place}"},
    "immigrants": {
        "en": "{n} international migrants lived in {place} in {year}, {share} of its "
              "population.",
        "fr": "{place} : {n} migrants internationaux y vivaient en {year}, soit {share} de "
              "la population.",
        "es": "{n} migrantes internacionales vivían en {place} en {year}, {share} de su "
              "población."},
    "immigrants_no_share": {
        "en": "{n} international migrants lived in {place} in {year}.",
        "fr": "{place} : {n} migrants internationaux y vivaient en {year}.",
        "es": "{n} migrantes internacionales vivían en {place} en {year}."},
    "change_up": {
        "en": "That is {pct} more than in {base} ({then}).",
        "fr": "C’est {pct} de plus qu’en {base} ({then}).",
        "es": "Son un {pct} más que en {base} ({then})."},
    "change_down": {
        "en": "That is {pct} fewer than in {base} ({then}).",
        "fr": "C’est {pct} de moins qu’en {base} ({then}).",
        "es": "Son un {pct} menos que en {base} ({then})."},
    "change_same": {
        "en": "About as many as in {base} ({then}).",
        "fr": "Presque autant qu’en {base} ({then}).",
        "es": "Casi tantos como en {base} ({then})."},
    "origin": {
        "en": "The largest group was born in (or is a citizen of) {origin}: {n}, {share} of "
              "all international migrants there.",
        "fr": "Origine la plus fréquente (pays de naissance ou de nationalité) : {origin}, "
              "{n}, soit {share} des migrants internationaux du pays.",
        "es": "El grupo más numeroso nació en {origin} (o tiene su nacionalidad): {n}, "
              "{share} de los migrantes internacionales del país."},
    "diaspora": {
        "en": "{n} international migrants from {place} lived in other countries in {year}; "
              "the most in {dest} ({dn}).",
        "fr": "{place} : {n} migrants internationaux qui en sont originaires vivaient dans "
              "d’autres pays en {year} ; le pays qui en comptait le plus : {dest} ({dn}).",
        "es": "{n} migrantes internacionales de {place} vivían en otros países en {year}; "
              "la mayoría en {dest} ({dn})."},
    "refugees": {
        "en": "{place} hosted {n} refugees at the end of {year}.",
        "fr": "{place} : {n} réfugiés accueillis à la fin de {year}.",
        "es": "{place} acogía a {n} personas refugiadas a finales de {year}."},
    "remittances": {
        "en": "{place} received {n} in remittances in {year}{gdp}.",
        "fr": "{place} : {n} d’envois de fonds des migrants reçus en {year}{gdp}.",
        "es": "{place} recibió {n} en remesas en {year}{gdp}."},
    "gdp": {"en": ", {share} of its GDP", "fr": ", soit {share} du PIB",
            "es": ", {share} de su PIB"},
    "usd": {"en": "US$ {n}", "fr": "{n} dollars des États-Unis", "es": "{n} dólares"},
    "less_than": {"en": "less than {x}", "fr": "moins de {x}", "es": "menos del {x}"},
    # caveats
    "cav_citizens": {
        "en": "{place} counts foreign citizens, not everyone born abroad: its figure leaves "
              "out naturalised migrants and counts children born there to foreign parents.",
        "fr": "{place} : le pays compte les personnes de nationalité étrangère, et non toutes "
              "les personnes nées à l’étranger : les migrants naturalisés n’y figurent pas, les "
              "enfants de parents étrangers nés sur place y figurent.",
        "es": "{place} cuenta a las personas de nacionalidad extranjera, no a todas las "
              "nacidas en el extranjero: quedan fuera los migrantes naturalizados y se cuentan "
              "los hijos de extranjeros nacidos en el país."},
    "cav_refugees_added": {
        "en": "UN DESA added refugees reported by UNHCR to the count.",
        "fr": "Le DAES de l’ONU a ajouté au total les réfugiés recensés par le HCR.",
        "es": "El DAES de las Naciones Unidas sumó al total las personas refugiadas que "
              "registra el ACNUR."},
    "cav_imputed": {
        "en": "No count was available: UN DESA imputed this figure.",
        "fr": "Faute de recensement, le DAES de l’ONU a estimé ce chiffre par imputation.",
        "es": "No había recuento: el DAES de las Naciones Unidas imputó esta cifra."},
    "cav_unknown_origin": {
        "en": "{share} of international migrants there have no known origin.",
        "fr": "L’origine de {share} des migrants internationaux du pays est inconnue.",
        "es": "Se desconoce el origen de {share} de los migrantes internacionales del "
              "país."},
    "cav_diaspora": {
        "en": "Counted by the countries of residence, each by its own definition (born there "
              "or citizen of {place}); countries that publish no origin are missing.",
        "fr": "Compté par les pays de résidence, chacun selon sa définition (lieu de naissance "
              "ou nationalité) ; les pays qui ne publient pas l’origine manquent.",
        "es": "Contado por los países de residencia, cada uno según su definición (lugar de "
              "nacimiento o nacionalidad); faltan los países que no publican el origen."},
    "cav_refugee_date": {
        "en": "UNHCR counts refugees at the end of the year, a different date and source from "
              "the migrant stock ({year}).",
        "fr": "Le HCR compte les réfugiés en fin d’année, à une autre date et d’une autre "
              "source que le nombre de migrants ({year}).",
        "es": "El ACNUR cuenta a las personas refugiadas a final de año, con otra fecha y otra "
              "fuente que el número de migrantes ({year})."},
    "cav_remittances": {
        "en": "Recorded in balance-of-payments statistics; money sent through informal "
              "channels is not counted. Current US dollars.",
        "fr": "Enregistré dans la balance des paiements ; l’argent envoyé par des voies "
              "informelles n’est pas compté. Dollars courants.",
        "es": "Registrado en la balanza de pagos; no cuenta el dinero enviado por vías "
              "informales. Dólares corrientes."},
    "cav_disagree": {
        "en": "Sources disagree: KNOMAD (World Bank) gives {n} for {year} ({file}, row {row}).",
        "fr": "Les sources divergent : KNOMAD (Banque mondiale) donne {n} pour {year} ({file}, "
              "ligne {row}).",
        "es": "Las fuentes no coinciden: KNOMAD (Banco Mundial) da {n} para {year} ({file}, "
              "fila {row})."},
    "cav_year": {
        "en": "Latest year reported up to {year}.",
        "fr": "Dernière année publiée jusqu’à {year}.",
        "es": "Último año publicado hasta {year}."},
    # labels of the snippet and the page
    "source": {"en": "Source", "fr": "Source", "es": "Fuente"},
    "revision": {"en": "revision", "fr": "révision", "es": "revisión"},
    "caveat": {"en": "Note", "fr": "Remarque", "es": "Nota"},
    "rows": {"en": "rows", "fr": "lignes", "es": "filas"},
    "made_by": {"en": "Transnational Migration Observatory",
                "fr": "Observatoire des migrations transnationales",
                "es": "Observatorio de las Migraciones Transnacionales"},
    "world": {"en": "the world", "fr": "le monde", "es": "el mundo"},
    "rank_text": {"en": "rank {rank} among the world's countries",
                  "fr": "rang {rank} parmi les pays du monde",
                  "es": "puesto {rank} entre los países del mundo"},
    # the web page (/debate)
    "page_title": {"en": "Facts for a public debate", "fr": "Des faits pour le débat public",
                   "es": "Datos para el debate público"},
    "page_intro": {
        "en": "Sourced fact cards, a checker of numeric claims about migrants and a checker "
              "of the words used for people, from the official figures of the store.",
        "fr": "Des fiches de faits sourcées, un vérificateur des affirmations chiffrées sur "
              "les migrants et un vérificateur des mots employés pour désigner les personnes, "
              "à partir des chiffres officiels.",
        "es": "Fichas de datos con sus fuentes, un verificador de afirmaciones numéricas "
              "sobre migrantes y un verificador de las palabras usadas para las personas, a "
              "partir de las cifras oficiales."},
    "languages": {"en": "Language:", "fr": "Langue :", "es": "Idioma:"},
    "nav_debate": {"en": "Facts", "fr": "Faits", "es": "Datos"},
    "cards_heading": {"en": "Fact cards", "fr": "Fiches de faits", "es": "Fichas de datos"},
    "place_label": {"en": "Country, UN region or world (code or name)",
                    "fr": "Pays, région de l’ONU ou monde (code ou nom)",
                    "es": "País, región de las Naciones Unidas o mundo (código o nombre)"},
    "show": {"en": "Show", "fr": "Afficher", "es": "Mostrar"},
    "unknown_place": {"en": "No country, UN region or world is named “{place}”: give an ISO3 "
                            "code (DEU), a name, a UN region (Europe) or “world”.",
                      "fr": "Aucun pays, aucune région de l’ONU ni le monde ne s’appelle "
                            "« {place} » : donnez un code ISO3 (DEU), un nom, une région de "
                            "l’ONU (Europe) ou « monde ».",
                      "es": "Ningún país, región de las Naciones Unidas ni el mundo se llama "
                            "«{place}»: indique un código ISO3 (DEU), un nombre, una región "
                            "(Europa) o «mundo»."},
    "embed": {"en": "Embed or download:", "fr": "Intégrer ou télécharger :",
              "es": "Insertar o descargar:"},
    "embed_iframe": {"en": "Embed on another site (iframe)",
                     "fr": "Intégrer sur un autre site (iframe)",
                     "es": "Insertar en otro sitio (iframe)"},
    "rounding": {
        "en": "Counts are rounded to three significant figures, shares to one decimal, "
              "changes to whole per cent; the exact figures are in the JSON.",
        "fr": "Les effectifs sont arrondis à trois chiffres significatifs, les parts à une "
              "décimale, les variations au pour cent entier ; les chiffres exacts sont dans le "
              "JSON.",
        "es": "Las cifras se redondean a tres cifras significativas, las proporciones a un "
              "decimal y las variaciones al porcentaje entero; las cifras exactas están en el "
              "JSON."},
    "claim_heading": {"en": "Check a claim", "fr": "Vérifier une affirmation",
                      "es": "Verificar una afirmación"},
    "claim_label": {"en": "A sentence with a number about migrants, refugees or remittances",
                    "fr": "Une phrase chiffrée sur les migrants, les réfugiés ou les envois "
                          "de fonds",
                    "es": "Una frase con una cifra sobre migrantes, personas refugiadas o "
                          "remesas"},
    "check": {"en": "Check", "fr": "Vérifier", "es": "Verificar"},
    "verdict": {"en": "Verdict", "fr": "Verdict", "es": "Veredicto"},
    "published": {"en": "Published figure", "fr": "Chiffre publié", "es": "Cifra publicada"},
    "difference": {"en": "Difference from the claim", "fr": "Écart avec l’affirmation",
                   "es": "Diferencia con la afirmación"},
    "reading": {"en": "How the claim was read", "fr": "Lecture de l’affirmation",
                "es": "Cómo se leyó la afirmación"},
    "why_unchecked": {"en": "Why it cannot be checked", "fr": "Pourquoi c’est invérifiable",
                      "es": "Por qué no se puede verificar"},
    "scale": {
        "en": "Scale: accurate within 5 %, about right within 15 %, misleading within 50 %, "
              "wrong beyond (difference relative to the published figure; a “more than” or "
              "“less than” claim that holds is accurate).",
        "fr": "Échelle : exact à 5 % près, à peu près juste à 15 % près, trompeur à 50 % "
              "près, faux au-delà (écart rapporté au chiffre publié ; une affirmation « plus "
              "de » ou « moins de » vérifiée est exacte).",
        "es": "Escala: exacto hasta un 5 %, aproximado hasta un 15 %, engañoso hasta un 50 %, "
              "falso más allá (diferencia respecto de la cifra publicada; una afirmación «más "
              "de» o «menos de» que se cumple es exacta)."},
    "terms_heading": {"en": "Check the words", "fr": "Vérifier les mots",
                      "es": "Verificar las palabras"},
    "terms_label": {"en": "Text to check", "fr": "Texte à vérifier",
                    "es": "Texto que verificar"},
    "text_lang": {"en": "Language of the text", "fr": "Langue du texte",
                  "es": "Idioma del texto"},
    "profile": {"en": "Style profile", "fr": "Profil de style", "es": "Perfil de estilo"},
    "no_flags": {"en": "No term flagged.", "fr": "Aucun terme signalé.",
                 "es": "Ningún término señalado."},
    "flags": {"en": "{n} term(s) flagged:", "fr": "{n} terme(s) signalé(s) :",
              "es": "{n} término(s) señalado(s):"},
    "quote": {"en": "\u201c{x}\u201d", "fr": "\u00ab\u00a0{x}\u00a0\u00bb",
              "es": "\u00ab{x}\u00bb"},
    "suggest": {"en": "Suggested", "fr": "Suggestion", "es": "Sugerencia"},
    "why": {"en": "Why", "fr": "Pourquoi", "es": "Por qué"},
    "cites": {"en": "Sources", "fr": "Sources", "es": "Fuentes"},
    "lang_en": {"en": "English", "fr": "anglais", "es": "inglés"},
    "lang_fr": {"en": "French", "fr": "français", "es": "francés"},
    "lang_es": {"en": "Spanish", "fr": "espagnol", "es": "español"},
}


def label(key: str, lang: str) -> str:
    """A label followed by its colon (French puts a space before it)."""
    return word(key, lang) + (" :" if lang == "fr" else ":")


def check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; available: {', '.join(LANGUAGES)}",
                         hint="use --lang en, fr or es")
    return lang


def word(key: str, lang: str, **values: object) -> str:
    text = WORDS[key][check_lang(lang)]
    return text.format(**values) if values else text


def number(value: float, digits: int, lang: str) -> str:
    """`value` with `digits` decimals in the language's marks."""
    text = f"{value:,.{digits}f}"
    thousands, decimal = SEPARATORS[lang]
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def people(value: float, lang: str, of: bool = False) -> str:
    """A count or amount rounded for a sentence (rounding.count): '16.8 million',
    '16,8 millions', '16,8 millones', '25,300'; with `of`, French and Spanish put 'de'
    after a scale word ('16,8 millions de migrants')."""
    r = rounding.count(value)
    if r.scale is None:
        return number(r.scaled, 0, lang)
    singular, plural = SCALES[r.scale][lang]
    text = f"{number(r.scaled, r.digits, lang)} {singular if abs(r.scaled) < 2 else plural}"
    return text + " de" if of and lang in ("fr", "es") else text


def usd(value: float, lang: str) -> str:
    return word("usd", lang, n=people(value, lang, of=True))


def percent(value: float, lang: str, article: bool = False) -> str:
    """A share rounded for a sentence (rounding.share); with `article`, Spanish puts 'el'
    before it ('el 18,8 %', but 'menos del 0,1 %')."""
    shown, below = rounding.share(value)
    text = number(shown, rounding.SHARE_DIGITS, lang) + PERCENT[lang]
    if below:
        return word("less_than", lang, x=text)
    return f"el {text}" if article and lang == "es" else text


def whole_percent(value: float, lang: str) -> str:
    return number(abs(rounding.change(value)), 0, lang) + PERCENT[lang]


# what the claim checker says about its reading (tmo.factcards.claimtext, claims)
NOTES: dict[str, dict[str, str]] = {
    "no_measure": {
        "en": "no measure the store holds (immigrants, emigrants, refugees, remittances)",
        "fr": "aucune mesure que la base contient (immigrés, émigrés, réfugiés, envois de "
              "fonds)",
        "es": "ninguna medida que contenga la base (inmigrantes, emigrantes, personas "
              "refugiadas, remesas)"},
    "corridor": {
        "en": "names several places ({places}): a claim about a corridor is not checked",
        "fr": "nomme plusieurs lieux ({places}) : une affirmation sur un corridor n’est pas "
              "vérifiée",
        "es": "nombra varios lugares ({places}): no se verifican afirmaciones sobre un "
              "corredor"},
    "several": {"en": "names several places: {places}", "fr": "nomme plusieurs lieux : {places}",
                "es": "nombra varios lugares: {places}"},
    "no_place": {"en": "no place named (a country, a UN region or the world)",
                 "fr": "aucun lieu nommé (un pays, une région de l’ONU ou le monde)",
                 "es": "no nombra ningún lugar (un país, una región de las Naciones Unidas o "
                       "el mundo)"},
    "no_number": {"en": "no number found", "fr": "aucun nombre trouvé",
                  "es": "no se encontró ninguna cifra"},
    "share_refugees": {"en": "a share of refugees is not checked",
                       "fr": "une part de réfugiés n’est pas vérifiée",
                       "es": "no se verifican proporciones de personas refugiadas"},
    "share_remittances": {"en": "a share of remittances is not checked",
                          "fr": "une part des envois de fonds n’est pas vérifiée",
                          "es": "no se verifican proporciones de remesas"},
    "change_no_number": {"en": "a change without a number or a multiple",
                         "fr": "une variation sans nombre ni multiple",
                         "es": "una variación sin cifra ni múltiplo"},
    "foreigners": {
        "en": "read “foreigners” as international migrants (UN DESA counts people born "
              "abroad where the country reports it, else foreign citizens)",
        "fr": "« étrangers » lu comme migrants internationaux (le DAES compte les personnes "
              "nées à l’étranger quand le pays les publie, sinon les étrangers)",
        "es": "«extranjeros» leído como migrantes internacionales (el DAES cuenta a las "
              "personas nacidas en el extranjero cuando el país lo publica, si no a los "
              "extranjeros)"},
    "share_population": {"en": "read the share as a share of the population",
                         "fr": "part lue comme part de la population",
                         "es": "proporción leída como proporción de la población"},
    "emigrant_rate": {"en": "read the share as emigrants per 100 residents of the country",
                      "fr": "part lue comme émigrés pour 100 habitants du pays",
                      "es": "proporción leída como emigrantes por cada 100 habitantes del "
                            "país"},
    "immigration": {
        "en": "read “immigration” as the number of international migrants living in the "
              "country",
        "fr": "« immigration » lu comme le nombre de migrants internationaux vivant dans le "
              "pays",
        "es": "«inmigración» leído como el número de migrantes internacionales que viven en "
              "el país"},
    "multiple": {"en": "read “{word}” as a change of {value} %",
                 "fr": "« {word} » lu comme une variation de {value} %",
                 "es": "«{word}» leído como una variación del {value} %"},
    "nearest": {"en": "the sentence has several numbers: read {n}, the one nearest the "
                      "measure",
                "fr": "la phrase contient plusieurs nombres : lu {n}, le plus proche de la "
                      "mesure",
                "es": "la frase tiene varias cifras: se leyó {n}, la más cercana a la "
                      "medida"},
    "rank_place": {"en": "a ranking is checked for one country among the world's countries",
                   "fr": "un classement n’est vérifié que pour un pays parmi les pays du "
                         "monde",
                   "es": "una clasificación solo se verifica para un país entre los países "
                         "del mundo"},
    "rank": {"en": "read as rank {rank} among the world's countries",
             "fr": "lu comme le rang {rank} parmi les pays du monde",
             "es": "leído como el puesto {rank} entre los países del mundo"},
    "disagree": {"en": "sources disagree: KNOMAD (World Bank) gives {n} for {year}; against "
                       "it the claim is {verdict}",
                 "fr": "les sources divergent : KNOMAD (Banque mondiale) donne {n} pour "
                       "{year} ; au regard de ce chiffre, l’affirmation est : {verdict}",
                 "es": "las fuentes no coinciden: KNOMAD (Banco Mundial) da {n} para {year}; "
                       "frente a esa cifra, la afirmación es: {verdict}"},
    "flow": {"en": "arrivals in a period are flows; the store publishes how many migrants live "
                   "in a country",
             "fr": "les arrivées sur une période sont des flux ; la base publie combien de "
                   "migrants vivent dans un pays",
             "es": "las llegadas en un periodo son flujos; la base publica cuántos migrantes "
                   "viven en un país"},
    "money_usd": {"en": "read the amount as US dollars",
                  "fr": "montant lu en dollars des États-Unis",
                  "es": "importe leído en dólares estadounidenses"},
    "before_first": {
        "en": "{year} is before the first estimate year of IMS {revision} ({first})",
        "fr": "{year} précède la première année d’estimation de l’IMS {revision} ({first})",
        "es": "{year} es anterior al primer año de estimación del IMS {revision} ({first})"},
    "year_nearest": {
        "en": "IMS {revision} has no estimate for {year}: compared with {used}, the latest "
              "estimate year before it",
        "fr": "l’IMS {revision} n’a pas d’estimation pour {year} : comparé avec {used}, la "
              "dernière année d’estimation antérieure",
        "es": "el IMS {revision} no tiene estimación para {year}: se compara con {used}, el "
              "último año de estimación anterior"},
    "countries_only": {"en": "this measure is checked for countries only",
                       "fr": "cette mesure n’est vérifiée que pour les pays",
                       "es": "esta medida solo se verifica para países"},
    "unhcr_year": {"en": "UNHCR has no count for the end of {year} in the store: compared "
                         "with {used}",
                   "fr": "la base n’a pas de chiffre du HCR pour la fin de {year} : comparé "
                         "avec {used}",
                   "es": "la base no tiene cifra del ACNUR para finales de {year}: se compara "
                         "con {used}"},
    "wb_year": {"en": "the World Bank has no figure for {year} in the store: compared with "
                      "{used}",
                "fr": "la base n’a pas de chiffre de la Banque mondiale pour {year} : "
                      "comparé avec {used}",
                "es": "la base no tiene cifra del Banco Mundial para {year}: se compara con "
                      "{used}"},
    "not_estimate_year": {
        "en": "{year} is not an estimate year of IMS {revision} ({years})",
        "fr": "{year} n’est pas une année d’estimation de l’IMS {revision} ({years})",
        "es": "{year} no es un año de estimación del IMS {revision} ({years})"},
    "no_figure": {"en": "the store has no such figure for {place}",
                  "fr": "la base n’a pas ce chiffre pour {place}",
                  "es": "la base no tiene esa cifra para {place}"},
}


def note(key: str, lang: str, **values: object) -> str:
    return NOTES[key][check_lang(lang)].format(**values)
