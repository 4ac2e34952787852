"""Places a card or a claim can be about: countries and areas of the store, the UN regions
and the world, by code or by name in English, French or Spanish (accents and case
ignored; never fuzzy)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from tmo.errors import NotFound
from tmo.store import facts

WORLD = "UN:900"
# the UN regions and the world in the three languages (UN M49 names; the store has English)
REGIONS: dict[str, dict[str, str]] = {
    "UN:900": {"en": "the world", "fr": "le monde", "es": "el mundo"},
    "UN:903": {"en": "Africa", "fr": "l’Afrique", "es": "África"},
    "UN:904": {"en": "Latin America and the Caribbean", "fr": "l’Amérique latine et les Caraïbes",
               "es": "América Latina y el Caribe"},
    "UN:905": {"en": "Northern America", "fr": "l’Amérique septentrionale",
               "es": "América septentrional"},
    "UN:908": {"en": "Europe", "fr": "l’Europe", "es": "Europa"},
    "UN:909": {"en": "Oceania", "fr": "l’Océanie", "es": "Oceanía"},
    "UN:935": {"en": "Asia", "fr": "l’Asie", "es": "Asia"},
}
# words that name the world or a region in a sentence, besides the names above
REGION_WORDS = {
    "UN:900": ("world", "worldwide", "globally", "global", "monde", "mondial", "mundo",
               "mundial", "planet", "planete", "planeta"),
    "UN:903": ("afrique",), "UN:904": ("amerique latine",), "UN:905": ("north america",),
}
# everyday short names the reference tables do not hold (the reference has the official ones)
SHORT_NAMES = {
    "USA": ("united states", "the us", "u.s.", "america", "etats-unis", "estados unidos",
            "ee. uu.", "eeuu", "ee.uu."),
    "GBR": ("uk", "britain", "great britain", "royaume-uni", "grande-bretagne", "reino unido",
            "gran bretana"),
    "RUS": ("russia", "russie", "rusia"),
    "KOR": ("south korea", "coree du sud", "corea del sur"),
    "IRN": ("iran",), "SYR": ("syria", "syrie", "siria"), "VEN": ("venezuela",),
    "BOL": ("bolivia", "bolivie"), "TZA": ("tanzania", "tanzanie"), "VNM": ("vietnam",),
    "MDA": ("moldova", "moldavie", "moldavia"), "NLD": ("netherlands", "pays-bas",
                                                          "paises bajos", "holland"),
    "CZE": ("czech republic", "czechia", "tchequie", "republica checa"),
    "TUR": ("turkey", "turquie", "turquia"), "COD": ("dr congo", "rd congo", "rdc"),
}
# demonyms that name a country in a claim ("the French population", "Moldovans live abroad")
DEMONYMS = {
    "FRA": "french francaise francais francaises frances francesa franceses",
    "DEU": "german germans allemand allemande allemands allemandes aleman alemana alemanes",
    "ESP": "spanish espagnol espagnole espagnols espagnoles espanol espanola espanoles",
    "ITA": "italian italians italien italienne italiens italiennes italiano italiana italianos",
    "GBR": "british britannique britanniques britanico britanica britanicos",
    "USA": "american americans americain americaine americains estadounidense "
           "estadounidenses",
    "CAN": "canadian canadians canadien canadienne canadiens canadiense canadienses",
    "MEX": "mexican mexicans mexicain mexicaine mexicains mexicano mexicana mexicanos",
    "MDA": "moldovan moldovans moldave moldaves moldavo moldava moldavos",
    "IND": "indian indians indien indienne indiens indio india indios hindues",
    "CHE": "swiss suisse suisses suizo suiza suizos",
    "BEL": "belgian belgians belge belges belga belgas",
    "NLD": "dutch neerlandais neerlandaise neerlandes neerlandesa",
    "POL": "polish poles polonais polonaise polaco polaca polacos",
    "PHL": "filipino filipinos philippin philippins philippine",
    "SWE": "swedish suedois suedoise sueco sueca suecos",
    "AUS": "australian australians australien australienne australiano australiana",
    "ARG": "argentine argentinian argentin argentins argentino argentina argentinos",
    "COL": "colombian colombians colombien colombiens colombiano colombianos",
    "MAR": "moroccan moroccans marocain marocains marroqui marroquies",
}
NAME_COLUMNS = ("name", "name_fr", "name_es")


def fold(text: str) -> str:
    """Lower case without accents, apostrophes straightened, spaces single."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("\u202f", " ").replace("\xa0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _variants(name: str) -> set[str]:
    key = fold(name).rstrip("*").strip()
    out = {key}
    for prefix in ("the ", "le ", "la ", "les ", "l'", "el ", "los ", "las "):
        if key.startswith(prefix):
            out.add(key[len(prefix):])
    if " (" in key:
        out.add(key.split(" (")[0])
    return {v for v in out if len(v) >= 3 or v in {"uk"}}


@dataclass(frozen=True)
class Places:
    names: dict[str, dict[str, str]]  # code -> lang -> display name
    index: dict[str, str]  # folded name -> code
    kinds: dict[str, str]  # code -> 'country' | 'area' | 'region' | 'world'
    pattern: re.Pattern[str]  # every name of the index, longest first

    @classmethod
    def load(cls, con: Any) -> Places:
        by_lang = facts.names_by_lang(con)
        names: dict[str, dict[str, str]] = {}
        kinds: dict[str, str] = {}
        found: dict[str, set[str]] = {}

        def add(code: str, words: Any) -> None:
            for word in words:
                found.setdefault(word, set()).add(code)

        for row in facts.countries_table(con):
            iso3 = row["iso3"]
            if row["kind"] == "special":
                continue
            names[iso3] = {lang: by_lang[lang].get(iso3, iso3) for lang in ("en", "fr", "es")}
            kinds[iso3] = "country" if row["kind"] == "country" else "area"
            values = [row[c] for c in NAME_COLUMNS] + list(names[iso3].values())
            add(iso3, {v for value in values if isinstance(value, str) and value
                       for v in _variants(value)})
        for code, words in SHORT_NAMES.items():
            add(code, [fold(x) for x in words] if code in names else [])
        for code, text in DEMONYMS.items():
            add(code, text.split() if code in names else [])
        for code, langs in REGIONS.items():
            names[code] = dict(langs)
            kinds[code] = "world" if code == WORLD else "region"
            add(code, {x for n in langs.values() for x in _variants(n)}
                | set(REGION_WORDS.get(code, ())))
        index = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
        alternatives = sorted(index, key=len, reverse=True)
        pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, alternatives))
                             + r")(?![\w-])")
        return cls(names, index, kinds, pattern)

    def name(self, code: str, lang: str) -> str:
        return self.names.get(code, {}).get(lang, code)

    def resolve(self, query: str) -> str:
        """The code of an ISO3 code, a region code (UN:908) or a name; NotFound otherwise."""
        q = query.strip()
        if q.upper() in self.names:
            return q.upper()
        code = self.index.get(fold(q))
        if code is None:
            raise NotFound(f"no country, UN region or world named {query!r}",
                           hint="give an ISO3 code (DEU), a name in English, French or "
                           "Spanish, a UN region (Europe, UN:908) or 'world'")
        return code

    def find(self, text: str) -> list[tuple[str, str]]:
        """The places named in `text` (folded), longest names first, each once, in the
        order they appear: (code, the words matched)."""
        folded = fold(text)
        hits: list[tuple[int, int, str, str]] = []
        taken: list[tuple[int, int]] = []
        for match in self.pattern.finditer(folded):
            start, end = match.span(1)
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            hits.append((start, end, self.index[match.group(1)], match.group(1)))
        seen: dict[str, str] = {}
        for _s, _e, code, words in sorted(hits):
            seen.setdefault(code, words)
        return list(seen.items())
