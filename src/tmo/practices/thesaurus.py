"""The policy vocabulary used to expand plain-language questions before full-text search.

A policymaker asks "cheaper ways to send money home"; the records say "remittances",
"transfer" and "postal". Each `Concept` pairs a trigger pattern (a regular expression
over the lower-cased question) with the terms the records use for that idea. The
expansion terms are searched as a second, lower-weighted query (see `index.py`), so
they add recall without drowning the user's own words.

French and Spanish questions are first read into the records' English words by the
bilingual glossary (`glossary.read`); the concepts are then triggered by those words, so
every concept has its French and Spanish triggers through the glossary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tmo.practices import glossary

_STOPWORD_TEXT = """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing done down during
    each few for from further get gets got had has have having he her here hers him his
    how i if in into is it its itself just me more most my no nor not now of off on once
    only or other our ours out over own same she should so some such than that the their
    them then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours
    anyone anything someone something way ways make makes made help helps let lets us
    good best practice practices example examples work works working use used using
    country countries government governments policy policies policymaker policymakers
    programme programmes program programs initiative initiatives project projects
    want need needs know find show tell give kind sort thing things people person better
    successful effective happen happens possible much many one ones
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits; hyphens and apostrophes split)."""
    return _WORD.findall(text.lower())


def keywords(query: str) -> list[str]:
    """The content words of a question, in order, without duplicates or stop words."""
    seen: dict[str, None] = {}
    for word in words(query):
        if word not in STOPWORDS and (len(word) > 1 or word.isdigit()):
            seen.setdefault(word, None)
    return list(seen)


@dataclass(frozen=True)
class Concept:
    name: str
    trigger: re.Pattern[str]
    terms: tuple[str, ...]

    def matches(self, normalised_query: str) -> bool:
        return self.trigger.search(normalised_query) is not None


def _c(name: str, trigger: str, terms: str) -> Concept:
    return Concept(name, re.compile(trigger), tuple(t.strip() for t in terms.split(",")))


CONCEPTS: tuple[Concept, ...] = (
    _c("voting",
       r"\bvot|\bballot|\belect|\bpoll|\bfranchise|\bsuffrage|\bdemocra",
       "vote, voting, ballot, election, elections, electoral, polling, turnout, voters, "
       "out-of-country voting"),
    _c("representation",
       r"\bparliament|\blegislat|\bcongress|\bassembly|\bseat|\bmps?\b|\blawmaker|\brepresent",
       "representatives, representation, legislature, assembly, seats, parliament, committees"),
    _c("remittances",
       r"\bremit|send(ing|s)? money|money (home|back|transfer)|\bwire\b|transfer (fee|cost)|"
       r"\bfees?\b|cheap|\bcost|\bcash\b|\bsavings?\b",
       "remittances, transfer, money, postal, rates, cost, lower, private market"),
    _c("portability",
       r"\bpension|\bbenefit|social security|\bretire|contributions? paid|\bwelfare|\bportab|"
       r"\bentitlement|\binsurance|\bdisabilit",
       "portability, totalisation, pension, pensions, social security, benefits, disability, "
       "retirement, move don't lose"),
    _c("diaspora",
       r"\bdiaspor|\bemigra|abroad|overseas|\bexpat|living outside|\bnationals\b|"
       r"citizens (abroad|outside|overseas)|\bhome country",
       "diaspora, abroad, emigrants, overseas, nationals abroad, consultative councils"),
    _c("consular",
       r"\bembass|\bconsul|\bmission",
       "embassies, consulates, consular, network"),
    _c("media",
       r"\bmedia\b|\bpress\b|\bnewspaper|\bjournalis|\bnews\b|\btv\b|\btelevision|\bradio|"
       r"\breport(ing|ers?)\b|\bstor(y|ies)\b|\bcoverage|\bheadline|\bmyth|\bfake",
       "media, newspaper, weekly, reporting, journalists, misrepresentations, stories, "
       "mainstream media, radio"),
    _c("perceptions",
       r"\bxeno|\bracis|\bprejudic|\bstereotyp|\bhostil|public opinion|\battitude|"
       r"\bperce|\bimage|\bnarrative|\bfear|\bhate|\bbacklash|anti.?migra|\bintoleran",
       "racism, xenophobia, xenophobic, discrimination, prejudice, stereotypes, perceptions, "
       "attitudes, awareness, image"),
    _c("discrimination",
       r"\bdiscrimin|\bequal|\bexclu|\bunfair|\bbias",
       "discrimination, equal treatment, anti-discrimination, inclusion, equal"),
    _c("recognition",
       r"\bcelebrat|\brecogni|\baward|\bprize|\bmuseum|\bhistory|\bfestival|\bpositive|"
       r"\bcontribution|\bhonou?r|\bappreciat|\bday\b",
       "awards, celebrates, museum, festival, day, contributions, history, harmony"),
    _c("dialogue",
       r"\bdialog|\bconversation|town.?hall|\bmeeting|\bdebate|\btension|\bcohesi|"
       r"\bneighbo|\bcommunit(y|ies) (relation|talk)|\bget along|\bliving together|\btalk",
       "dialogue, dialogues, community conversations, cohesion, debate, trust, facilitators"),
    _c("mediation",
       r"\bmediat|\bconflict|\bdispute|\bstreet|\bclash",
       "mediators, mediator, disputes, conflict, street"),
    _c("left behind",
       r"left behind|stay(ed|ing|s)? behind|remain(ed|ing|s)? (behind|at home)|"
       r"back home|\bspouse|\bwives|\bwife|\bhusband|separat|\bparent",
       "left behind, families, stay behind, psychosocial, children, women, household"),
    _c("family",
       r"\bfamil|\bhousehold|\breunif",
       "family, families, household, spouses, children, partners"),
    _c("children",
       r"\bchild|\bkids?\b|\byouth|\byoung|\bteen|\badolescen|\bminors?\b|\bpupil|\bstudent",
       "children, youth, young, adolescents, pupils, students, school"),
    _c("second generation",
       r"second.generation|third.generation|\b1\.?5|\bdescend|\bheritage|\broots\b|"
       r"children of (migrants|immigrants|emigrants|nationals)|\bgrandchild|born (in|abroad)",
       "second generation, descendants, heritage, parents, identity, summer camps"),
    _c("return",
       r"\breturn|\breintegrat|\brepatri|\bdeport|come back|coming back|go(ing)? home|"
       r"\bresettle",
       "return, reintegration, repatriated, returnees, pre-departure"),
    _c("health",
       r"\bhealth|\bdoctor|\bhospital|\bmedic|\bmental|\bpsycho|\btrauma|\bstress|"
       r"\bdepress|\banxiet|\bcounsel|\btherap|\bwell.?being|\bemotional|\bnurs|\bpatient",
       "health, hospitals, psychosocial, counselling, therapy, psychological, depression, "
       "anxiety, care"),
    _c("language",
       r"\blanguage|\benglish|\bspeak|\btuition|\bclasses|\bbilingual|\blinguist|"
       r"\bmother tongue|\bliteracy|\btranslat",
       "language, languages, lessons, tuition, bilingual, English, teachers, linguistic"),
    _c("education",
       r"\bschool|\beducat|\bteacher|\buniversit|\bqualification|\bchildcare|\bdaycare|"
       r"\bkindergarten|\bclassroom",
       "school, schools, education, teachers, childcare, public schools"),
    _c("evidence",
       r"\bdata\b|\bstatistic|\bcensus|\bevidence|\bsurvey|\bresearch|\bstud(y|ies)\b|"
       r"\bmonitor|\bcount(ing)?\b|how many|\bmeasur|\bmap(ping)?\b|\bprofile|\bfacts?\b|"
       r"\bnumbers?\b|\btrack|\bregister|\bdatabase",
       "data, census, survey, surveys, research, evidence, Migration Profiles, monitor, "
       "study, studies, database, stock"),
    _c("skills",
       r"\bskill|brain (drain|gain|circulation)|\bprofessional|\bscientist|\btalent|"
       r"\bexpert|\bknowledge|\bacademic|\bresearchers",
       "skilled, professionals, database, knowledge, scientific, research institutions, "
       "technology transfer"),
    _c("employment",
       r"\bjobs?\b|\bemploy|\bhiring|\bhire\b|\brecruit|\blabou?r market|\bcareer|"
       r"\bwork(ers?)\b|\bunemploy",
       "employers, hiring, job seekers, labour, career, workers, employment"),
    _c("labour mobility",
       r"\bseasonal|\btemporary|\bcircular|\bguest worker|free movement|single market|"
       r"\bmobility|move (between|freely|to another)|\btransfer(red|ees?)\b",
       "circular, temporary, labour migration, free movement, single market, mobility, "
       "transferees"),
    _c("older",
       r"\belder|\bold(er)? (people|migrants|age)|\baged\b|\bageing|\baging|\bsenior|"
       r"\bcare home|\bpensioner",
       "older, elderly, elders, ageing, carers, older people"),
    _c("irregular",
       r"\bundocument|\birregular|\billegal|without papers|\bamnest|\bregulari|\bpapers\b|"
       r"\bstatus\b",
       "irregular, regularisation, status, undocumented, migratory status"),
    _c("citizenship",
       r"\bcitizenship|\bnaturali|\bnationality|\bpassport|\bdual\b|\bcitizens?\b",
       "citizenship, nationality, dual nationality, citizens, passport"),
    _c("local",
       r"\bcit(y|ies)\b|\bmunicip|\bmayor|\btowns?\b|local (authorit|government|level)|"
       r"\burban|\bneighbourhood|\bneighborhood|\blocal\b",
       "city, cities, municipal, local, mayors, municipalities, local citizenry"),
    _c("twinning",
       r"\btwin|sister cit|decentrali[sz]ed|city.to.city|\bpartnership|\bcooperat|\bcollaborat",
       "twinning, cooperation, partnership, partnerships"),
    _c("knowledge sharing",
       r"\bshar(e|ing)|learn from|\bexchange|\bnetwork|\bonline\b|\bplatform|\bcommunity of "
       r"practice|\bcompendium|\bcapacity|\btraining",
       "good practices, online community, network, sharing, compendium, capacity building, "
       "training"),
    _c("contact",
       r"\bphone|\bcall(s|ing)?\b|\binternet|keep in touch|stay(ing)? in (touch|contact)|"
       r"\btelecom|\bmobile|\bcontact|\bcommunicat|\blost touch|\bmissing|\bsearch for",
       "mobile, telephone, communication, contact, newsletters, websites, rates, disappeared"),
    _c("orientation",
       r"\binform|\borientation|pre.?departure|\bprepar|\barriv|\bnewcomer|\binduction|"
       r"\bsettle|\bwelcome|\bguid|\badvice",
       "orientation, pre-departure, information, newcomers, arrival, post-arrival, advice"),
    _c("refugees",
       r"\brefugee|\basylum|\bhumanitarian",
       "refugees, humanitarian, asylum seekers"),
    _c("women",
       r"\bwomen|\bwoman|\bgender|\bmothers?\b|\bgirls?\b|\bfemale",
       "women, gender, girls, female"),
    _c("religion",
       r"\bmuslim|\bislam|\breligio|\bfaith|\bmosque|\binter.?faith",
       "Islam, Muslim, religious, inter-faith, inter-religious"),
    _c("roma",
       r"\broma\b|\bgyps|\btraveller",
       "Roma"),
    _c("voice",
       r"have a say|\bconsult|\bvoice|\badvis|\bfeedback|decision.?making|policy.?making|"
       r"\bparticipat|\binvolve|\blobby|\badvoca",
       "advisory, consultative, councils, consulted, feedback, representation, voice, "
       "participation"),
    _c("investment",
       r"\binvest|\bdevelopment|\bbusiness|\benterpris|\bentrepreneur|\beconom",
       "investment, development, enterprises, local development"),
    _c("integration",
       r"\bintegrat|\binclus|\bbelong|\bidentit|\bfit in\b|\bsocial cohesion|feel (part|at home)",
       "integration, inclusion, cohesion, belonging, identity, local citizenry"),
)


def _trigger_words(concept: Concept, normalised: str) -> set[str]:
    """The words of the question that the concept's trigger matches (whole words, also
    when the pattern matches only their start or spans several of them)."""
    found: set[str] = set()
    for match in concept.trigger.finditer(normalised):
        start = normalised.rfind(" ", 0, match.start()) + 1
        end = normalised.find(" ", max(match.end(), match.start() + 1))
        found.update(normalised[start:None if end < 0 else end].split())
    return found


def language(query: str) -> str:
    """'en', 'fr' or 'es': French or Spanish when the question has more of that language's
    stop words and glossary words (`glossary.evidence`) than English stop words."""
    english = sum(1 for w in words(query) if w in STOPWORDS)
    found = glossary.evidence(query)
    best = max(found, key=lambda lang: found[lang])
    return best if found[best] > english else "en"


@dataclass(frozen=True)
class Expansion:
    """A question's own keywords, the concepts it triggers and their extra terms.

    units: the question's content words, each with the record words that stand for it
    (an English word stands for itself; a French or Spanish word for its glossary
    words); a record's coverage is the share of units it matches. lang: the language
    the question was read in."""

    keywords: tuple[str, ...]
    concepts: tuple[str, ...]
    terms: tuple[str, ...]
    units: tuple[tuple[str, ...], ...] = ()
    lang: str = "en"


def expand(query: str, lang: str | None = None) -> Expansion:
    """Keywords of the question plus the record vocabulary of every triggered concept.
    lang: the question's language; None = told from the question (`language`)."""
    lang = lang or language(query)
    if lang == "en":
        base = keywords(query)
        units: list[tuple[str, ...]] = [(w,) for w in base]
        normalised = " ".join(words(query))
    else:
        reading = glossary.read(query, lang)
        units = [terms or (source,) for source, terms in reading.units]
        base = list(dict.fromkeys(t for unit in units for t in unit))
        normalised = " ".join(words(reading.english))
    concepts = [c for c in CONCEPTS if c.matches(normalised)]
    # a unit stands for its words and for the terms of the concepts its words trigger,
    # alone or within a phrase ("brain drain" -> skills)
    triggered_by = [_trigger_words(c, normalised) for c in concepts]
    units = [
        tuple(dict.fromkeys([*unit, *(t for c, hit in zip(concepts, triggered_by, strict=True)
                                      if hit & set(words(" ".join(unit)))
                                      for t in c.terms)]))
        for unit in units
    ]
    seen = {b.lower() for b in base}
    extra: list[str] = []
    for concept in concepts:
        for term in concept.terms:
            if term.lower() not in seen:
                seen.add(term.lower())
                extra.append(term)
    return Expansion(tuple(base), tuple(c.name for c in concepts), tuple(extra),
                     tuple(units), lang)
