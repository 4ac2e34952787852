"""The terminology checker: flags words for people that the IOM Glossary on Migration, UN
General Assembly resolution 3449 (XXX) and the style guides advise against, with the
suggested words, the reason and the citations (docs/factcards.md, "Terminology").

Rules are per language and name the style profiles they belong to, because guides
disagree: `iom` (the default: IOM Glossary, UNGA 3449, OHCHR), `ap` (the Associated Press
also rejects "undocumented"), `fundeu` (Fundéu Argentina also rejects "irregular" as an
adjective of the person), `strict` (`iom` plus words for the act, "illegal migration",
which IOM restricts to smuggling and trafficking). No rule names the act or a thing
("illegal entry", "illegal logging", "entrada ilegal", "travail clandestin") except in
`strict`, and nothing flags "refugee". A match inside quotation marks (a direct quote)
or inside the capitalised name of a law ("Illegal Immigration Reform and Immigrant
Responsibility Act") is not flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tmo.errors import InputError

PROFILES = ("iom", "ap", "fundeu", "strict")
ALL = frozenset(PROFILES)
CITATIONS = {
    "iom2019": "IOM, Glossary on Migration, International Migration Law No. 34 (Geneva, "
               "2019), entries \u201cirregular migrant\u201d and \u201cirregular migration\u201d",
    "unga3449": "UN General Assembly resolution 3449 (XXX) of 9 December 1975 on migrant "
                "workers: UN documents to use \u201cnon-documented or irregular migrant "
                "workers\u201d",
    "ohchr2009": "UN High Commissioner for Human Rights, statement to the Human Rights "
                 "Council, 12th session (2009): \u201cillegal immigrants\u201d to be replaced "
                 "by \u201cirregular\u201d or \u201cundocumented\u201d migrants",
    "ap2013": "Associated Press Stylebook, entry \u201cillegal immigration\u201d (2 April "
              "2013): \u201cillegal\u201d only of an action; not \u201cillegal alien\u201d, "
              "\u201can illegal\u201d, \u201cillegals\u201d or \u201cundocumented\u201d, "
              "except in direct quotations",
    "hrw2014": "Human Rights Watch, \u00ab Migrant ill\u00e9gal \u00bb ou \u00ab immigr\u00e9 "
               "clandestin \u00bb : des termes \u00e0 bannir (24 June 2014)",
    "fundeu2018": "Fund\u00e9u Argentina, \u00abEn situaci\u00f3n irregular\u00bb, mejor "
                  "que \u00abilegal\u00bb (14 May 2018)",
}
LAW_WORDS = {"act", "law", "bill", "code", "convention", "directive", "reform", "program",
             "programme", "loi", "ley", "decreto", "décret", "protocol", "protocole",
             "protocolo"}
QUOTES = re.compile(r"\u201c[^\u201d]*\u201d|\u00ab[^\u00bb]*\u00bb|\"[^\"\n]*\"|"
                    r"\u201e[^\u201c\u201d]*[\u201c\u201d]")


@dataclass(frozen=True)
class Rule:
    id: str
    lang: str
    pattern: str
    suggest: str
    reason: str
    cites: tuple[str, ...]
    profiles: frozenset[str] = ALL


EN_PEOPLE = (r"(?:im)?migrants?|aliens?|immigrants?|foreigners?|entrants?|people|persons|"
             r"residents?|workers?|families|children|women|men")
FR_PEOPLE = (r"(?:im)?migr(?:ant|é)e?s?|étrang(?:er|ère)s?|travailleu(?:r|se)s?|personnes?|"
             r"familles?|enfants?|femmes?|hommes?|mineurs?")
ES_PEOPLE = (r"(?:in)?migrantes?|extranjer[oa]s?|trabajador(?:a|es|as)?|personas?|"
             r"familias?|niñ[oa]s?|mujeres|hombres|menores")

RULES: tuple[Rule, ...] = (
    Rule("en.illegal_person", "en", rf"\billegal[\s-]+(?:{EN_PEOPLE})\b",
         "irregular migrant(s), migrant(s) in an irregular situation",
         "\u201cIllegal\u201d makes the person a crime; an irregular stay is an "
         "administrative situation, which can change.",
         ("iom2019", "unga3449", "ohchr2009", "ap2013")),
    Rule("en.illegals", "en", r"\billegals\b",
         "irregular migrants, people without legal permission to stay",
         "A label that reduces people to an alleged offence.", ("ap2013", "iom2019")),
    Rule("en.clandestine_person", "en", rf"\bclandestine[\s-]+(?:{EN_PEOPLE})\b",
         "irregular migrant(s)",
         "Describes people by a way of crossing; the glossary's term is irregular migrant.",
         ("iom2019", "unga3449")),
    Rule("en.undocumented", "en", rf"\bundocumented[\s-]+(?:{EN_PEOPLE})\b",
         "people living in the country without legal permission",
         "Imprecise: a person may have many documents, only not the one required to stay.",
         ("ap2013",), frozenset({"ap"})),
    Rule("en.illegal_migration", "en", r"\billegal[\s-]+(?:im)?migration\b",
         "irregular migration",
         "IOM keeps \u201cillegal migration\u201d for smuggling and trafficking.",
         ("iom2019",), frozenset({"strict"})),
    Rule("fr.illegal_person", "fr", rf"\b(?:{FR_PEOPLE})\s+ill[ée]ga(?:le?s?|ux)\b",
         "migrant(s) en situation irrégulière",
         "\u00ab Illégal \u00bb fait de la personne un délit ; le séjour irrégulier est une "
         "situation administrative, qui peut changer.",
         ("iom2019", "unga3449", "hrw2014")),
    Rule("fr.illegaux", "fr", r"\b(?:les|des|ces|aux|de|\d+)\s+ill[ée]gaux\b",
         "les migrants en situation irrégulière",
         "Une étiquette qui réduit des personnes à une infraction supposée.",
         ("hrw2014", "iom2019")),
    Rule("fr.clandestin_person", "fr", rf"\b(?:{FR_PEOPLE})\s+clandestine?s?\b",
         "migrant(s) en situation irrégulière",
         "\u00ab Clandestin \u00bb marque la personne du sceau de l’illégalité ; le terme du "
         "glossaire est migrant en situation irrégulière.",
         ("hrw2014", "iom2019")),
    Rule("fr.clandestins", "fr",
         r"\b(?:les|des|ces|aux|de|\d+)\s+clandestine?s\b|"
         r"\b(?:un|une|le|la|ce|cette)\s+clandestine?\b",
         "les migrants en situation irrégulière",
         "\u00ab Clandestin \u00bb employé comme nom désigne des personnes par une infraction "
         "supposée.", ("hrw2014", "iom2019")),
    Rule("fr.illegal_migration", "fr",
         r"\b(?:im)?migration\s+(?:ill[ée]gale|clandestine)\b",
         "migration irrégulière",
         "L’OIM réserve \u00ab migration illégale \u00bb au trafic illicite et à la traite.",
         ("iom2019",), frozenset({"strict"})),
    Rule("es.ilegal_person", "es", rf"\b(?:{ES_PEOPLE})\s+ilegal(?:es)?\b",
         "migrante(s) en situación irregular",
         "\u00abIlegal\u00bb convierte a la persona en delito; la estancia irregular es una "
         "situación administrativa, que puede cambiar.",
         ("iom2019", "unga3449", "fundeu2018")),
    Rule("es.ilegales", "es", r"\b(?:los|las|unos|unas|a|de|\d+)\s+ilegales\b",
         "migrantes en situación irregular",
         "Una etiqueta que reduce a las personas a una supuesta infracción.",
         ("fundeu2018", "iom2019")),
    Rule("es.clandestino_person", "es", rf"\b(?:{ES_PEOPLE})\s+clandestin[oa]s?\b",
         "migrante(s) en situación irregular",
         "Describe a las personas por una forma de cruzar la frontera; el término del "
         "glosario es migrante en situación irregular.", ("iom2019", "unga3449")),
    Rule("es.irregular_person", "es", r"\b(?:in)?migrantes?\s+irregular(?:es)?\b",
         "migrante(s) en situación irregular, indocumentado(s)",
         "Fundéu desaconseja también \u00abirregular\u00bb como adjetivo de la persona.",
         ("fundeu2018",), frozenset({"fundeu"})),
    Rule("es.illegal_migration", "es", r"\b(?:in)?migración\s+(?:ilegal|clandestina)\b",
         "migración irregular",
         "La OIM reserva \u00abmigración ilegal\u00bb para el tráfico ilícito y la trata.",
         ("iom2019",), frozenset({"strict"})),
)
_COMPILED = {r.id: re.compile(r.pattern, re.IGNORECASE) for r in RULES}


@dataclass(frozen=True)
class Flag:
    rule: str
    lang: str
    text: str
    start: int
    end: int
    line: int
    column: int
    suggest: str
    reason: str
    citations: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"rule": self.rule, "lang": self.lang, "text": self.text, "start": self.start,
                "end": self.end, "line": self.line, "column": self.column,
                "suggest": self.suggest, "reason": self.reason,
                "citations": [CITATIONS[c] for c in self.citations]}


def _in_law_name(text: str, start: int, end: int) -> bool:
    """Whether the match is part of a run of capitalised words naming a law or a
    programme (e.g. "... Illegal Immigration Reform and Immigrant Responsibility Act")."""
    before = re.findall(r"[\w’'-]+", text[max(0, start - 80):start])
    after = re.findall(r"[\w’'-]+", text[end:end + 80])
    inside = re.findall(r"[\w’'-]+", text[start:end])
    if not all(w[0].isupper() for w in inside):
        return False
    small = {"and", "of", "the", "on", "for", "et", "de", "des", "du", "y", "del", "la"}
    run = list(inside)
    for word in reversed(before):
        if word[0].isupper() or word.lower() in small:
            run.append(word)
        else:
            break
    for word in after:
        if word[0].isupper() or word.lower() in small:
            run.append(word)
        else:
            break
    return any(w.lower() in LAW_WORDS for w in run)


def check(text: str, lang: str, profile: str = "iom") -> list[Flag]:
    """The flags of `text` in `lang` under `profile`, in the order they appear."""
    if lang not in ("en", "fr", "es"):
        raise InputError(f"unknown language {lang!r}; available: en, fr, es",
                         hint="use --lang en, fr or es")
    if profile not in PROFILES:
        raise InputError(f"unknown style profile {profile!r}; available: "
                         f"{', '.join(PROFILES)}", hint="the default is iom")
    quoted = [m.span() for m in QUOTES.finditer(text)]
    flags: list[Flag] = []
    taken: list[tuple[int, int]] = []
    for rule in RULES:
        if rule.lang != lang or profile not in rule.profiles:
            continue
        for m in _COMPILED[rule.id].finditer(text):
            start, end = m.span()
            if any(s <= start and end <= e for s, e in quoted) or \
                    any(s < end and start < e for s, e in taken) or \
                    _in_law_name(text, start, end):
                continue
            taken.append((start, end))
            line = text.count("\n", 0, start) + 1
            column = start - (text.rfind("\n", 0, start) + 1) + 1
            flags.append(Flag(rule.id, lang, m.group(0), start, end, line, column,
                              rule.suggest, rule.reason, rule.cites))
    return sorted(flags, key=lambda f: f.start)


def rules_table() -> list[dict[str, object]]:
    """Every rule with its profiles and citations (the API and docs list them)."""
    return [{"id": r.id, "lang": r.lang, "suggest": r.suggest, "reason": r.reason,
             "profiles": sorted(r.profiles), "citations": [CITATIONS[c] for c in r.cites]}
            for r in RULES]
