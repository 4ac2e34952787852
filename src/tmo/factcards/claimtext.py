"""Reading a numeric claim about migrants in English, French or Spanish (deterministic,
no model): the place, the measure, the number with its comparison, the year. A sentence
it cannot read completely gives a `Reading` with `problem` set, never a guess."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tmo.factcards import words as w
from tmo.factcards.places import Places, fold

MEASURES = ("immigrant_stock", "immigrant_share", "immigrant_female_share", "emigrant_stock",
            "emigrant_rate", "refugees_hosted", "remittances_received",
            "immigrant_change_since", "rank_immigrant_stock", "rank_immigrant_share",
            "rank_emigrant_stock")
ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "2nd": 2, "3rd": 3, "4th": 4,
            "5th": 5, "deuxieme": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5,
            "2e": 2, "3e": 3, "4e": 4, "5e": 5, "segundo": 2, "segunda": 2, "tercer": 3,
            "tercero": 3, "tercera": 3, "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5}
_ORD = "|".join(sorted(ORDINALS, key=len, reverse=True))
# "the (second) largest number of immigrants", "le (deuxième) plus grand nombre d'immigrés",
# "el (segundo) mayor número de inmigrantes", "the most immigrants", "the highest share"
RANK = re.compile(
    rf"\b(?:the|le|la|el)\s+(?:({_ORD})[ -])?(?:largest|biggest|highest|most|"
    rf"plus grand(?:e)?|plus forte|"
    rf"plus (?:de|d')|mayor|mas)\b(?!\s*(?:de\s+|d')?\d)"
    rf"(?:\s+(share|proportion|part|proporcion|porcentaje))?")
SMALL = {  # number words up to twenty in the three languages (folded)
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "a": 1, "an": 1,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "vingt": 20, "uno": 1, "una": 1,
    "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
    "nueve": 9, "diez": 10, "once": 11, "doce": 12, "veinte": 20,
}
FRACTIONS = [  # (pattern on folded text, per cent)
    (r"\b(?:two|deux|dos)[ -](?:thirds|tiers|tercios)\b", 200 / 3),
    (r"\b(?:three|trois|tres)[ -](?:quarters|quarts|cuartos)\b", 75.0),
    (r"\b(?:half|moitie|mitad)\b", 50.0),
    (r"\b(?:a|one|un|une|un)[ -](?:third|tiers|tercio)\b|\bla tercera parte\b", 100 / 3),
    (r"\b(?:a|one|un|une)[ -](?:quarter|quart|cuarto)\b|\bla cuarta parte\b", 25.0),
    (r"\b(?:a|one|un|une|un)[ -](?:fifth|cinquieme|quinto)\b|\bla quinta parte\b", 20.0),
    (r"\b(?:a|one|un|une|un)[ -](?:tenth|dixieme|decimo)\b|\bla decima parte\b", 10.0),
]
NUM = r"\d+(?:[.,]\d+)?|" + "|".join(sorted(SMALL, key=len, reverse=True))
ONE_IN = re.compile(
    rf"\b({NUM})\s+(?:\w+\s+){{0,3}}?(?:in|out of|of every|sur|de cada)\s+({NUM})\b")
PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|per ?cent\b|percent\b|pour ?cent\b|"
                     r"por ?ciento\b)")
SCALE = {"thousand": 1e3, "mille": 1e3, "mil": 1e3, "million": 1e6, "millions": 1e6,
         "millon": 1e6, "millones": 1e6, "billion": 1e9, "billions": 1e9, "milliard": 1e9,
         "milliards": 1e9, "mil millones": 1e9, "bn": 1e9, "m": 1e6}
COUNT = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:(?:[ ,.]|\u202f)\d{3})+|\d+(?:[.,]\d+)?|"
    + "|".join(k for k in SMALL if len(k) > 2) + r")"
    r"(?:\s*(mil millones|millions|millones|milliards|milliard|billions|billion|million|"
    r"millon|thousand|mille|mil|bn|m)\b)?")
LARGEST = 1e14  # above any count of people or any amount of remittances
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
SINCE = re.compile(r"\b(?:since|depuis|desde)\s+(?:l'an\s+|el ano\s+)?(19[5-9]\d|20[0-4]\d)\b")
MORE = re.compile(r"\b(?:more than|over|above|at least|upwards of|in excess of|plus de|"
                  r"au moins|plus d'|mas de|al menos|por encima de|superior a)\s*$")
LESS = re.compile(r"\b(?:less than|fewer than|under|below|at most|no more than|moins de|"
                  r"moins d'|au plus|menos de|por debajo de|como mucho)\s*$")
KEYWORDS = [  # (measure family, pattern on folded text), first match wins
    ("remittances", r"\b(?:remittances?|transferts? de fonds|envois? de fonds|remesas?)\b"),
    ("refugees", r"\b(?:refugees?|refugie(?:e)?s?|refugiad[oa]s?)\b"),
    ("emigrants", (r"\b(?:emigrants?|emigre(?:e)?s?|emigrantes?|emigrad[oa]s?|diaspora|"
                  r"(?:live|living|lived|lives) abroad|vivent a l'etranger|"
                  r"vivaient a l'etranger|viven? en el extranjero|vivian en el extranjero|"
                  r"(?:nationals|citizens|ressortissants|ciudadanos) (?:abroad|a l'etranger|"
                  r"en el extranjero))\b")),
    ("immigrants", (r"\b(?:immigrants?|migrants?|foreign[- ]born|born abroad|"
                   r"born (?:in another country|outside)|immigre(?:e)?s?|"
                   r"ne(?:e)?s a l'etranger|inmigrantes?|migrantes?|"
                   r"(?:nacid[oa]s?|naci(?:o|eron)) (?:en el extranjero|fuera)|"
                   r"ne(?:e)?s? a l'etranger|foreigners|etrangers|"
                   r"extranjeros|immigration|inmigracion|immigrant population|"
                   r"population immigree|poblacion inmigrante)\b")),
]
# arrivals in a period are flows, not the stock the store publishes per country
FLOW = re.compile(r"\b(?:arrived|arrivals?|arriving|welcomed|admitted|came|entered|"
                  r"crossed|every year|each year|per year|a year|arrivent|arrives|arrivees|"
                  r"sont arrives|sont entres|chaque annee|par an|llegaron|llegan|llegadas?|"
                  r"ingresaron|entraron|cada ano|al ano|por ano)\b")
FOREIGNERS = re.compile(r"\b(?:foreigners|etrangers|extranjeros)\b")
WOMEN = re.compile(r"\b(?:women|female|femmes|mujeres)\b")
POPULATION = re.compile(r"\b(?:population|poblacion|people|persons?|residents?|"
                        r"inhabitants?|habitants?|personnes?|gens|personas?|habitantes?|"
                        r"residentes?|everyone|anyone)\b")
MONEY = re.compile(r"\$|\b(?:dollars?|dolares|usd|us\$)\b")
MULTIPLE = re.compile(r"\b(?:doubled|double|a double|ont double|se ha duplicado|duplicado|"
                      r"tripled|triple|a triple|triplicado|halved|divise par deux|"
                      r"reducido a la mitad)\b")
LANG_HINTS = {
    "en": r"\b(?:the|of|are|is|in|people|were|there|than|one|more|million|migrants|"
          r"immigrants|population|has|have|lived|live|born|abroad|world)\b",
    "fr": r"\b(?:les|des|est|sont|un|une|plus|il y a|du|millions|immigres|immigrees|"
          r"habitants|monde|vivent|vivaient|nes|moitie|tiers|sur|au|aux|d'|l')\b",
    "es": r"\b(?:los|las|del|son|es|una|mas|hay|personas|millones|inmigrantes|mundo|"
          r"tiene|viven|vivian|nacidos|mitad|cada|poblacion|el|al)\b",
}


@dataclass
class Reading:
    """What the checker read in a sentence. `problem` says why it cannot be checked."""

    text: str
    lang: str
    place: str | None = None
    place_words: str | None = None
    measure: str | None = None
    value: float | None = None
    comparator: str = "about"  # about | more | less
    year: int | None = None
    base_year: int | None = None
    notes: list[str] = field(default_factory=list)  # in English
    problem: str | None = None  # in English
    keys: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    problem_key: tuple[str, dict[str, object]] | None = None

    def note(self, key: str, **values: object) -> None:
        """A note on the reading (tmo.factcards.words.NOTES), kept to be translated."""
        self.notes.append(w.note(key, "en", **values))
        self.keys.append((key, values))

    def fail(self, key: str, **values: object) -> None:
        """Why the claim cannot be checked (tmo.factcards.words.NOTES)."""
        self.problem = w.note(key, "en", **values)
        self.problem_key = (key, values)

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in ("lang", "place", "place_words", "measure",
                                              "value", "comparator", "year", "base_year",
                                              "notes", "problem")} | {
            "note_keys": [[k, v] for k, v in self.keys],
            "problem_key": list(self.problem_key) if self.problem_key else None}


def guess_lang(text: str) -> str:
    folded = fold(text)
    scores = {lang: len(re.findall(p, folded)) for lang, p in LANG_HINTS.items()}
    return max(("en", "fr", "es"), key=lambda lang: scores[lang])


def _number(token: str, lang: str, scaled: bool) -> float:
    """A number as written: '13,000,000', '13 000 000', '13.000.000', '1.5', '1,5', 'ten'."""
    if token in SMALL:
        return float(SMALL[token])
    token = token.replace("\u202f", " ")
    if not scaled and re.fullmatch(r"\d{1,3}(?:[ ,.]\d{3})+", token):
        return float(re.sub(r"[ ,.]", "", token))
    if lang == "en":
        return float(token.replace(" ", "").replace(",", ""))
    return float(token.replace(" ", "").replace(".", "").replace(",", "."))


def _comparator(folded: str, start: int) -> str:
    before = folded[max(0, start - 30):start]
    if MORE.search(before):
        return "more"
    if LESS.search(before):
        return "less"
    return "about"


def _nearest(found: list[tuple[int, float]], anchor: int) -> tuple[float, int] | None:
    """The candidate (position, value) nearest the measure's word, as (value, position)."""
    if not found:
        return None
    start, value = min(found, key=lambda c: (abs(c[0] - anchor), c[0]))
    return value, start


def _share(folded: str, lang: str, anchor: int) -> tuple[float, int] | None:
    """(per cent, position) of the share written as a percentage, a fraction or 'one in
    N' nearest the measure's word."""
    found: list[tuple[int, float]] = [
        (m.start(), _number(m.group(1), lang, False)) for m in PERCENT.finditer(folded)
        if _number(m.group(1), lang, False) <= 100]
    for m in ONE_IN.finditer(folded):
        k, n = _number(m.group(1), lang, False), _number(m.group(2), lang, False)
        if 0 < k < n <= 100:
            found.append((m.start(), 100 * k / n))
    for pattern, pct in FRACTIONS:
        found += [(m.start(), pct) for m in re.finditer(pattern, folded)]
    return _nearest(found, anchor)


def _counts(folded: str, lang: str, year_spans: list[tuple[int, int]]
            ) -> list[tuple[int, float]]:
    found = []
    for m in COUNT.finditer(folded):
        if any(s <= m.start(1) < e for s, e in year_spans) and not m.group(2):
            continue
        word = m.group(1)
        if word in SMALL and not m.group(2):
            continue  # "one" alone is no count
        scale = SCALE.get(m.group(2) or "", 1.0)
        value = _number(word, lang, bool(m.group(2))) * scale
        if value > LARGEST:
            continue  # no count of people or dollars is that large: an identifier, a code
        found.append((m.start(), value))
    return found


def _count(r: Reading, folded: str, year_spans: list[tuple[int, int]], anchor: int
           ) -> tuple[float, int] | None:
    """The count nearest the measure's word; a note when the sentence has several."""
    found = _counts(folded, r.lang, year_spans)
    chosen = _nearest(found, anchor)
    if chosen is not None and len(found) > 1:
        r.note("nearest", n=f"{chosen[0]:,.0f}")
    return chosen


def _family(folded: str) -> tuple[str, int] | None:
    """The measure family and where its word is."""
    for family, pattern in KEYWORDS:
        m = re.search(pattern, folded)
        if m:
            return family, m.start()
    return None


def read(text: str, places: Places, lang: str | None = None) -> Reading:
    """The reading of one sentence."""
    folded = fold(text)
    r = Reading(text, lang or guess_lang(text))
    found = _family(folded)
    if found is None:
        r.fail("no_measure")
        return r
    family, anchor = found
    if family == "immigrants" and FLOW.search(folded):
        r.fail("flow")
        return r
    rank = RANK.search(folded) if family in ("immigrants", "emigrants") else None
    if rank:
        _rank(r, text, places, family, rank)
        return r
    _place(r, text, places, family)
    if re.search(r"\b(?:immigration|inmigracion)\b", folded):
        r.note("immigration")
    since = SINCE.search(folded)
    years = [m for m in YEAR.finditer(folded) if not since or m.start() != since.start(1)]
    year_spans = [m.span() for m in YEAR.finditer(folded)]
    if years:
        r.year = int(years[-1].group(1))
    if since:
        r.base_year = int(since.group(1))
        _change(r, folded)
    elif family in ("immigrants", "emigrants"):
        _stock_or_share(r, folded, family, year_spans, anchor)
    elif family == "refugees":
        _amount(r, folded, "refugees_hosted", year_spans, anchor=anchor)
    else:
        _amount(r, folded, "remittances_received", year_spans, anchor=anchor, money=True)
    if r.problem is None and r.place is None:
        r.fail("no_place")
    return r


def _rank(r: Reading, text: str, places: Places, family: str, m: re.Match[str]) -> None:
    """A ranking among the world's countries ("the second largest number of immigrants in
    the world"): the world named is the scope, not the place."""
    found = [(c, w) for c, w in places.find(text) if places.kinds.get(c) != "world"]
    if len(found) != 1 or places.kinds.get(found[0][0]) != "country":
        r.fail("rank_place")
        return
    r.place, r.place_words = found[0]
    r.value = float(ORDINALS.get(m.group(1) or "", 1))
    share = bool(m.group(2))
    if family == "emigrants" and share:
        r.fail("rank_place")
        return
    r.measure = ("rank_immigrant_share" if share else "rank_immigrant_stock") \
        if family == "immigrants" else "rank_emigrant_stock"
    years = list(YEAR.finditer(fold(text)))
    if years:
        r.year = int(years[-1].group(1))
    r.note("rank", rank=int(r.value))


def _place(r: Reading, text: str, places: Places, family: str) -> None:
    found = places.find(text)
    if len(found) > 1 and family in ("immigrants", "emigrants"):
        r.fail("corridor", places=", ".join(words for _c, words in found))
        return
    if len(found) > 1:
        r.fail("several", places=", ".join(words for _c, words in found))
        return
    if found:
        r.place, r.place_words = found[0]


def _stock_or_share(r: Reading, folded: str, family: str,
                    year_spans: list[tuple[int, int]], anchor: int) -> None:
    share = _share(folded, r.lang, anchor)
    if FOREIGNERS.search(folded):
        r.note("foreigners")
    if share is not None:
        pct, start = share
        r.value, r.comparator = pct, _comparator(folded, start)
        if family == "immigrants" and WOMEN.search(folded):
            r.measure = "immigrant_female_share"
        elif family == "immigrants":
            r.measure = "immigrant_share"
            if not POPULATION.search(folded):
                r.note("share_population")
        else:
            r.measure = "emigrant_rate"
            r.note("emigrant_rate")
        return
    count = _count(r, folded, year_spans, anchor)
    if count is None:
        r.fail("no_number")
        return
    r.value, r.comparator = count[0], _comparator(folded, count[1])
    r.measure = "immigrant_stock" if family == "immigrants" else "emigrant_stock"


def _amount(r: Reading, folded: str, measure: str, year_spans: list[tuple[int, int]], *,
            anchor: int, money: bool = False) -> None:
    if PERCENT.search(folded):
        r.fail("share_" + ("refugees" if measure == "refugees_hosted" else "remittances"))
        return
    count = _count(r, folded, year_spans, anchor)
    if count is None:
        r.fail("no_number")
        return
    if money and not MONEY.search(folded):
        r.note("money_usd")
    r.value, r.comparator, r.measure = count[0], _comparator(folded, count[1]), measure


def _change(r: Reading, folded: str) -> None:
    m = MULTIPLE.search(folded)
    share = PERCENT.search(folded)
    if m:
        word = m.group(0)
        r.value = 200.0 if "tripl" in word else -50.0 if any(
            x in word for x in ("halved", "divise", "mitad")) else 100.0
        r.note("multiple", word=word, value=f"{r.value:+.0f}")
    elif share:
        r.value = _number(share.group(1), r.lang, False)
        if re.search(r"\b(?:fell|fallen|dropped|decreased|declined|baisse|diminue|"
                     r"disminuido|bajado|caido)\b", folded):
            r.value = -r.value
    else:
        r.fail("change_no_number")
        return
    r.measure = "immigrant_change_since"
    r.comparator = _comparator(folded, share.start() if share and not m else 0) \
        if share and not m else "about"
