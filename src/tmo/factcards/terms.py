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

import bisect
import re
from dataclasses import dataclass

from tmo.errors import InputError

PROFILES = ("iom", "ap", "fundeu", "strict")
ALL = frozenset(PROFILES)
CITATIONS: dict[str, dict[str, str]] = {
    "iom2019": {
        "en": "IOM, Glossary on Migration, International Migration Law No. 34 (Geneva, 2019), "
              "entries \u201cirregular migrant\u201d and \u201cirregular migration\u201d",
        "fr": "OIM, Glossary on Migration, Droit international de la migration n\u00b0 34 "
              "(Genève, 2019), entrées \u00ab irregular migrant \u00bb et \u00ab irregular "
              "migration \u00bb",
        "es": "OIM, Glossary on Migration, Derecho Internacional sobre Migración n.\u00ba 34 "
              "(Ginebra, 2019), entradas \u00abirregular migrant\u00bb e \u00abirregular "
              "migration\u00bb"},
    "unga3449": {
        "en": "UN General Assembly resolution 3449 (XXX) of 9 December 1975 on migrant "
              "workers: UN documents to use \u201cnon-documented or irregular migrant "
              "workers\u201d",
        "fr": "Assemblée générale des Nations Unies, résolution 3449 (XXX) du 9 décembre 1975 "
              "sur les travailleurs migrants : les documents de l’ONU doivent dire \u00ab "
              "non-documented or irregular migrant workers \u00bb (travailleurs migrants sans "
              "documents ou en situation irrégulière)",
        "es": "Asamblea General de las Naciones Unidas, resolución 3449 (XXX) de 9 de diciembre "
              "de 1975 sobre los trabajadores migratorios: los documentos de la ONU deben decir "
              "\u00abnon-documented or irregular migrant workers\u00bb (trabajadores "
              "migratorios indocumentados o en situación irregular)"},
    "ohchr2009": {
        "en": "UN High Commissioner for Human Rights, statement to the Human Rights Council, "
              "12th session (2009): \u201cillegal immigrants\u201d to be replaced by "
              "\u201cirregular\u201d or \u201cundocumented\u201d migrants",
        "fr": "Haut-Commissaire des Nations Unies aux droits de l’homme, déclaration au "
              "Conseil des droits de l’homme, 12e session (2009) : remplacer \u00ab illegal "
              "immigrants \u00bb par migrants en situation irrégulière ou sans papiers",
        "es": "Alto Comisionado de las Naciones Unidas para los Derechos Humanos, declaración "
              "ante el Consejo de Derechos Humanos, 12.\u00ba período de sesiones (2009): "
              "sustituir \u00abillegal immigrants\u00bb por migrantes irregulares o "
              "indocumentados"},
    "ap2013": {
        "en": "Associated Press Stylebook, entry \u201cillegal immigration\u201d (2 April "
              "2013): \u201cillegal\u201d only of an action; not \u201cillegal alien\u201d, "
              "\u201can illegal\u201d, \u201cillegals\u201d or \u201cundocumented\u201d, "
              "except in direct quotations",
        "fr": "Associated Press Stylebook, entrée \u00ab illegal immigration \u00bb (2 avril "
              "2013) : \u00ab illegal \u00bb seulement pour un acte ; ni \u00ab illegal alien "
              "\u00bb, ni \u00ab illegals \u00bb, ni \u00ab undocumented \u00bb, sauf en "
              "citation directe",
        "es": "Associated Press Stylebook, entrada \u00abillegal immigration\u00bb (2 de abril "
              "de 2013): \u00abillegal\u00bb solo para un acto; ni \u00abillegal alien\u00bb, "
              "ni \u00abillegals\u00bb, ni \u00abundocumented\u00bb, salvo en citas directas"},
    "hrw2014": {
        "en": "Human Rights Watch, \u00ab Migrant illégal \u00bb ou \u00ab immigré clandestin "
              "\u00bb : des termes à bannir (24 June 2014)",
        "fr": "Human Rights Watch, \u00ab Migrant illégal \u00bb ou \u00ab immigré clandestin "
              "\u00bb : des termes à bannir (24 juin 2014)",
        "es": "Human Rights Watch, \u00ab Migrant illégal \u00bb ou \u00ab immigré clandestin "
              "\u00bb : des termes à bannir (24 de junio de 2014)"},
    "fundeu2018": {
        "en": "Fundéu Argentina, \u00abEn situación irregular\u00bb, mejor que \u00abilegal\u00bb "
              "(14 May 2018)",
        "fr": "Fundéu Argentina, \u00abEn situación irregular\u00bb, mejor que \u00abilegal\u00bb "
              "(14 mai 2018)",
        "es": "Fundéu Argentina, \u00abEn situación irregular\u00bb, mejor que \u00abilegal\u00bb "
              "(14 de mayo de 2018)"},
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

    def as_dict(self, lang: str | None = None) -> dict[str, object]:
        """The flag as JSON; its citations in `lang` (default: the text's language)."""
        return {"rule": self.rule, "lang": self.lang, "text": self.text, "start": self.start,
                "end": self.end, "line": self.line, "column": self.column,
                "suggest": self.suggest, "reason": self.reason,
                "citations": [CITATIONS[c][lang or self.lang] for c in self.citations]}


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
    quoted = bytearray(len(text))  # 1 inside a quotation
    for m in QUOTES.finditer(text):
        quoted[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    taken = bytearray(len(text))  # 1 inside an earlier flag
    breaks = [0] + [m.end() for m in re.finditer("\n", text)]  # where each line starts
    flags: list[Flag] = []
    for rule in RULES:
        if rule.lang != lang or profile not in rule.profiles:
            continue
        for m in _COMPILED[rule.id].finditer(text):
            start, end = m.span()
            if all(quoted[start:end]) or any(taken[start:end]) or \
                    _in_law_name(text, start, end):
                continue
            taken[start:end] = b"\x01" * (end - start)
            line = bisect.bisect_right(breaks, start)
            column = start - breaks[line - 1] + 1
            flags.append(Flag(rule.id, lang, m.group(0), start, end, line, column,
                              rule.suggest, rule.reason, rule.cites))
    return sorted(flags, key=lambda f: f.start)


def rules_table() -> list[dict[str, object]]:
    """Every rule with its profiles and citations (the API and docs list them)."""
    return [{"id": r.id, "lang": r.lang, "suggest": r.suggest, "reason": r.reason,
             "profiles": sorted(r.profiles),
             "citations": [CITATIONS[c][r.lang] for c in r.cites]}
            for r in RULES]
