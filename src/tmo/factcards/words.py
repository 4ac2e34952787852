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
