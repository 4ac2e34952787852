"""French and Spanish questions in the records' English words: a small bilingual policy
glossary, stop words and accent folding (no translation service, no network).

The records are written in English. A question in French or Spanish is folded (lower
case, accents removed: "étranger" -> "etranger"), its language told from its stop
words and glossary words (`evidence`, weighed by `thesaurus.language`), its stop words
dropped, and each remaining word looked up in the glossary of its language by the
longest matching prefix ("citoyens" -> prefix "citoyen" -> citizens). Phrases
("envois de fonds", "a l'etranger") are looked up first. The English words then go
through the same thesaurus concepts as an English question (`thesaurus.expand`). A
word the glossary does not know is kept as it is: names (Montreuil, CARICOM, Uruguay)
match the records unchanged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LANGUAGES = ("en", "fr", "es")

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: 'Étranger' -> 'etranger', 'niños' -> 'ninos'."""
    # decomposed before and after lower-casing: compatibility forms ("ᴬ") and letters
    # that lower-case to a letter plus a mark ("İ") fold too
    decomposed = unicodedata.normalize(
        "NFKD", unicodedata.normalize("NFKD", text).lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def folded_words(text: str) -> list[str]:
    """Folded word tokens; apostrophes and hyphens split ("l'etranger" -> l, etranger)."""
    return _WORD.findall(fold(text))


STOPWORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(fold("""
        a à afin ai aie aient ainsi alors au aucun aussi autre autres aux avec avoir bien
        c ça car ce ceci cela celle celles celui ces cet cette ceux chaque chez ci comme
        comment d dans de des doit doivent donc dont du elle elles en encore est et été
        être eu faire fait faut font il ils j je l la laquelle le lequel les leur leurs
        lui m ma mais me même mes moi mon n ne ni nos notre nous on ont ou où par parmi
        pas peu peut peuvent plus pour pourquoi pouvoir qu quand que quel quelle quelles
        quels qui quoi s sa sans se ses si son sont sur t ta te tes toi ton tous tout
        toute toutes très tu un une vos votre vous y existe existent exemple exemples
        bonne bonnes pratique pratiques politique politiques programme programmes projet
        projets pays gouvernement gouvernements façon facon manière maniere moyen moyens
        quoi il-y-a y-a-t-il chose choses gens personne personnes mieux aider aide
        permettre permet permettent vers contre entre depuis selon lorsque
    """).split()),
    "es": frozenset(fold("""
        a al algo algún alguna algunas alguno algunos ante así aun cada como cómo con
        contra cual cuál cuales cuáles cuando cuándo de del desde donde dónde e el él
        ella ellas ellos en entre era es esa esas ese eso esos esta está están estas este
        esto estos fue ha han hay hacer hace hacen la las le les lo los más me mi mis muy
        ni no nos nuestra nuestras nuestro nuestros o para pero poco por porque por qué
        pueden puede poder que qué quien quién quienes se sea ser si sí sin sobre son su
        sus también tan te tiene tienen toda todas todo todos tu tus u un una unas uno
        unos y ya existe existen ejemplo ejemplos buena buenas práctica prácticas
        política políticas programa programas proyecto proyectos país países gobierno
        gobiernos cuyo cuya cuyos cuyas pasa pasan sucede ocurre manera maneras forma
        formas modo cosa cosas gente persona personas
        mejor mejores ayudar ayuda permitir permite permiten cabo llevar
    """).split()),
}

# French: a folded prefix of a word (or a phrase), then the English words the records use.
_FR = """
a l etranger: abroad, overseas
hors du pays: abroad
envoi de fonds: remittances, send money
envois de fonds: remittances, send money
transfert d argent: remittances, money transfer
pays d origine: home country, origin
deuxieme generation: second generation
seconde generation: second generation
troisieme generation: third generation
langue maternelle: mother tongue, language
securite sociale: social security
personnes agees: older people, elderly
colonie de vacances: summer camps, holiday camps
colonies de vacances: summer camps, holiday camps
sans papiers: undocumented, irregular
situation irreguliere: irregular, status
bonnes pratiques: good practices
citoyennete: citizenship
citoyen: citizens
ressortissant: nationals
etranger: abroad, foreign
expatri: expatriate
emigr: emigrants, emigrate
immigr: immigrants, immigration
migrant: migrants
migrat: migration
diaspora: diaspora
vot: vote, voting
scrutin: vote, elections
suffrage: vote, voting
elect: elections, electoral
bureau de vote: polling stations
bureaux de vote: polling stations
parlement: parliament
depute: members of parliament, representatives
assemblee: assembly
siege: seats
represent: representatives, representation
legislat: legislature
envoi: send, transfer
envoy: send
argent: money
fonds: funds, money
cout: cost
couteu: cost
cher: cheap, cost
moins cher: cheaper, cost
frais: fees, cost
tarif: rates, tariffs
poste: postal
postal: postal
retraite: pension, retirement
pension: pension, pensions
prestation: benefits
cotisation: contributions
portabilit: portability
travailleur: workers
travail: work, labour
emploi: jobs, employment
employeur: employers
chomage: unemployment
embauch: hiring
recrut: recruit, hiring
diplom: qualifications, skilled
qualifi: qualified, skilled
competence: skills
professionnel: professionals
chercheur: researchers
universit: universities
entreprise: companies, enterprises
saisonnier: seasonal
temporaire: temporary
circulaire: circular
mobilite: mobility
libre circulation: free movement
marche unique: single market
famill: families, family
parent: parents
pere: father
mere: mother
mari: husband, spouse
epoux: spouse
epouse: wife, spouse
conjoint: spouses, partners
femme: women, wives
enfant: children
adolescent: adolescents, teenagers
jeune: young, youth
jeunesse: youth
eleve: pupils
etudiant: students
ecole: schools
scolar: school, education
education: education
enseign: teaching, teachers
professeur: teachers
formation: training
garde d enfants: childcare
creche: childcare
langue: language, languages
anglais: English
bilingue: bilingual
cours: classes, lessons
sante: health
hopita: hospitals
medec: doctors, medical
soin: care
psycholog: psychological, psychosocial
psychosocia: psychosocial
depression: depression
anxiete: anxiety
mental: mental health
therap: therapy
conseil: councils, counselling, advice
consultati: consultative, advisory
consult: consulted, consultative
retour: return
rentr: return
revenir: return
reintegr: reintegration
rapatri: repatriated
expuls: deported
reinstall: resettled
refugi: refugees
asile: asylum
humanitaire: humanitarian
regularis: regularisation
irreguli: irregular
papiers: papers, undocumented
statut: status
nationalite: nationality, citizenship
naturalis: naturalise
passeport: passport
droit: rights
loi: law
loin: far
cherch: search, find
fuite des cerveaux: brain drain, skilled
regroupement familial: family reunification
hebdomadaire: weekly
quotidien: daily
suisse: Switzerland, Swiss
allemagne: Germany
allemand: German
espagn: Spain, Spanish
royaume uni: United Kingdom, British
britanni: British
grece: Greece
grec: Greek, Greece
irland: Ireland, Irish
itali: Italy, Italian
jamaique: Jamaica
japon: Japan, Japanese
maroc: Morocco, Moroccan
moldav: Moldova, Moldovan
mexi: Mexico, Mexican
norveg: Norway, Norwegian
philippin: Philippines, Filipino
turc: Turkish, Turkey
turqu: Turkey, Turkish
etats unis: United States
americain: American, United States
afrique du sud: South Africa
sud africain: South African
zambie: Zambia
zambien: Zambian, Zambia
equateur: Ecuador
equatorien: Ecuadorian, Ecuador
bresil: Brazil, Brazilian
argentin: Argentina, Argentine
colombi: Colombia, Colombian
uruguayen: Uruguayan, Uruguay
rwandais: Rwandan, Rwanda
chili: Chile
chilien: Chilean, Chile
caraibe: Caribbean
europe: Europe, European
afrique: Africa, African
africain: African
malien: Malian, Mali
soutien: support
accompagn: accompaniment, support
parler: talk, report
presse: press, media, newspapers
garder: keep
conserver: keep
partir: leave, move
part: leave
particip: participation
demenag: move
vivent: live, living
vivre: live, living
vit: live, living
nes: born
naissance: birth, born
escri: written
ecrit: written
ecole publique: public schools
nouveau: new
nouvelle: new
trouver: find
apprendre: learn, lessons
liberte: freedom
gratuit: free
adulte: adults
campagne: campaigns
reduc: lower, reduced
redui: lower, reduced
discrimin: discrimination
racis: racism
xenophob: xenophobia, xenophobic
prejuge: prejudice
stereotyp: stereotypes
haine: hate
violence: violence
opinion: opinion, attitudes
perception: perceptions
attitude: attitudes
sensibilis: awareness
image: image
media: media
journal: newspaper, newspapers
journaux: newspapers
journalist: journalists
presse: press, media
radio: radio
television: television
reportage: reporting
article: stories
equitabl: fairly, fair
injust: unfair
musee: museum
histoire: history
celebr: celebrate
fete: festival, day
journee: day
prix: prizes, awards
recompens: awards
contribution: contributions
dialogue: dialogue
debat: debate
conversation: conversations
cohesion: cohesion
vivre ensemble: living together, cohesion
mediat: mediators
conflit: conflict
rue: street
quartier: neighbourhood
voisin: neighbours
ville: city, cities
municipal: municipal
mairie: city council
maire: mayors
commune: municipalities
local: local
region: region
jumel: twinning
cooperat: cooperation
partenariat: partnership
reseau: network
partag: sharing
echange: exchange
en ligne: online
plateforme: platform
internet: internet
telephon: telephone, phone
mobile: mobile
contact: contact
lien: ties, links
communiquer: communication
communication: communication
ambassade: embassies
consula: consulates, consular
donnees: data
statisti: statistics
recens: census, count
enquete: survey, surveys
recherche: research
etude: study, studies
observatoire: observatory
profil: profiles
base de donnees: database
registre: register
compter: count
combien: how many
orientation: orientation
accueil: welcome, newcomers
arriv: arrival, newcomers
nouveaux arrivants: newcomers
information: information
preparat: preparation, pre-departure
depart: departure
integrat: integration
inclusi: inclusion
appartenance: belonging
identite: identity
culture: culture, cultural
culturel: cultural
interculturel: intercultural
diversite: diversity
minorit: minorities
ethnique: ethnic
religi: religious
musulman: Muslim
islam: Islam
rom: Roma
agee: older, elderly
vieill: ageing, older
aine: elderly
invest: investment
developpement: development
economi: economic
femmes: women
genre: gender
dirigeant: leaders
leader: leaders
organisation: organisations
association: associations
jeunes: young, youth
vacances: holiday
camp: camps
cultur: culture
"""

_ES = """
en el extranjero: abroad
en el exterior: abroad
fuera del pais: abroad
envio de dinero: remittances, send money
envios de dinero: remittances, send money
envio de remesas: remittances
pais de origen: home country, origin
segunda generacion: second generation
tercera generacion: third generation
lengua materna: mother tongue, language
seguridad social: social security
personas mayores: older people, elderly
adultos mayores: older people, elderly
campamentos de verano: summer camps
sin papeles: undocumented, irregular
situacion irregular: irregular, status
buenas practicas: good practices
base de datos: database
libre circulacion: free movement
mercado unico: single market
ciudadania: citizenship
ciudadan: citizens
nacionales: nationals
extranjer: abroad, foreign
exterior: abroad
expatriad: expatriate
emigr: emigrants, emigrate
inmigr: immigrants, immigration
migrante: migrants
migrator: migratory, migration
migracion: migration
diaspora: diaspora
vot: vote, voting
sufragio: vote, voting
eleccion: elections
elector: electoral, voters
mesa de votacion: polling stations
parlament: parliament
diputad: members of parliament, representatives
asamblea: assembly
escano: seats
asiento: seats
represent: representatives, representation
legisla: legislature
remesa: remittances
envi: send, transfer
enviar: send
dinero: money
fondos: funds, money
costo: cost
coste: cost
abarat: cheaper, cost, lower
barat: cheap, cheaper, cost
comision: fees
tarifa: rates, tariffs
correo: postal
postal: postal
jubil: pension, retirement
pension: pension, pensions
prestacion: benefits
beneficio: benefits
cotiza: contributions
aporte: contributions
portabilidad: portability
trabajador: workers
trabajo: work, jobs
empleo: jobs, employment
empleador: employers
empresa: companies, employers
contrat: hiring
desempleo: unemployment
reclut: recruit
titul: qualifications
calificad: skilled, qualified
cualificad: skilled, qualified
competencia: skills
profesional: professionals
investigador: researchers
universidad: universities
temporer: seasonal
estacional: seasonal
temporal: temporary
circular: circular
movilidad: mobility
laboral: labour
familia: families, family
padre: parents, father
madre: mother
esposo: husband, spouse
esposa: wife, spouse
marido: husband
pareja: partners
conyuge: spouses
mujer: women, wives
hijo: children
hija: children
nino: children
adolescente: adolescents, teenagers
joven: young, youth
jovenes: young, youth
juventud: youth
alumno: pupils
estudiante: students
escuela: schools
escolar: school
educa: education
ensen: teaching
docente: teachers
maestro: teachers
profesor: teachers
formacion: training
capacitacion: training
guarderia: childcare
cuidado infantil: childcare
lengua: language, languages
idioma: language, languages
ingles: English
bilingue: bilingual
clase: classes, lessons
curso: classes, lessons
salud: health
hospital: hospitals
medic: doctors, medical
atencion: care
cuidado: care
psicolog: psychological, psychosocial
psicosocial: psychosocial
depresion: depression
ansiedad: anxiety
mental: mental health
terap: therapy
consejo: councils, advisory
consult: consultative, consulted
asesor: advisory, advice
retorno: return
regres: return
volver: return
vuelven: return, again
reintegra: reintegration
reinsercion: reintegration
repatria: repatriated
deporta: deported
reasenta: resettled
refugiad: refugees
asilo: asylum
humanitari: humanitarian
regulariza: regularisation
irregular: irregular
indocumentad: undocumented
papeles: papers
estatus: status
nacionalidad: nationality, citizenship
naturaliza: naturalise
pasaporte: passport
derecho: rights
ley: law
discrimina: discrimination
racis: racism
xenofob: xenophobia, xenophobic
prejuicio: prejudice
estereotip: stereotypes
odio: hate
violencia: violence
opinion: opinion, attitudes
percepcion: perceptions
actitud: attitudes
sensibiliza: awareness
imagen: image
medios: media
prensa: press, media
periodic: newspaper, newspapers
periodist: journalists
diario: newspaper, daily
radio: radio
television: television
noticia: news, stories
justa: fairly, fair
justo: fair
injust: unfair
museo: museum
historia: history
celebr: celebrate
fiesta: festival
dia: day
premio: prizes, awards
reconoc: recognition, awards
contribucion: contributions
aporte: contributions
dialogo: dialogue
debate: debate
conversacion: conversations
cohesion: cohesion
convivencia: living together, cohesion
mediador: mediators
mediacion: mediation
conflicto: conflict
calle: street
barrio: neighbourhood
vecino: neighbours
ciudad: city, cities
municipi: municipal, municipalities
alcald: mayors
ayuntamiento: city council
local: local
region: region
hermanamiento: twinning
cooperacion: cooperation
asociacion: partnership, associations
alianza: partnership
red: network
reduc: lower, reduced
reducir: lower, reduced
fuga de cerebros: brain drain, skilled
semanal: weekly
suiza: Switzerland, Swiss
alemania: Germany
aleman: German
espana: Spain
espanol: Spanish, Spain
reino unido: United Kingdom, British
britanic: British
grecia: Greece
grieg: Greek, Greece
irlanda: Ireland, Irish
italia: Italy, Italian
jamaica: Jamaica
japon: Japan, Japanese
marruec: Morocco
marroqu: Moroccan, Morocco
moldavi: Moldova, Moldovan
mexican: Mexican, Mexico
noruega: Norway, Norwegian
filipin: Philippines, Filipino
turqu: Turkey, Turkish
turc: Turkish, Turkey
estados unidos: United States
estadounidense: American, United States
sudafrica: South Africa, South African
zambian: Zambian, Zambia
ecuatorian: Ecuadorian, Ecuador
brasil: Brazil, Brazilian
argentin: Argentina, Argentine
colombian: Colombian, Colombia
uruguay: Uruguay, Uruguayan
ruandes: Rwandan, Rwanda
chilen: Chilean, Chile
caribe: Caribbean
europ: Europe, European
africa: Africa, African
malien: Malian, Mali
apoyo: support
acompan: accompaniment, support
hablar: talk, speak
escrit: written
comunidad: communities, community
comunitari: community
llam: calls, phone
viven: live, living
vivir: live, living
nacid: born
nacimiento: birth, born
gratuit: free
adulto: adults
aprender: learn, lessons
encontrar: find
buscar: find
conservar: keep
mantener: keep
compartir: sharing
intercambi: exchange
en linea: online
plataforma: platform
internet: internet
telefon: telephone, phone
celular: mobile
movil: mobile
contacto: contact
comunica: communication
embajada: embassies
consula: consulates, consular
datos: data
estadistic: statistics
censo: census
contar: count
cuantos: how many
encuesta: survey, surveys
investigacion: research
estudio: study, studies
observatorio: observatory
perfil: profiles
registro: register
orientacion: orientation
acogida: welcome, newcomers
llegada: arrival, newcomers
recien llegados: newcomers
informacion: information
preparacion: preparation, pre-departure
salida: departure
integracion: integration
inclusion: inclusion
pertenencia: belonging
identidad: identity
cultura: culture, cultural
cultural: cultural
intercultural: intercultural
diversidad: diversity
minoria: minorities
etnic: ethnic
religi: religious
musulman: Muslim
islam: Islam
gitano: Roma
mayores: older, elderly
ancian: elderly
envejec: ageing
inversion: investment
invertir: investment
desarrollo: development
economi: economic
genero: gender
lider: leaders
dirigente: leaders
organizacion: organisations
vacaciones: holiday
campamento: camps
prevenir: prevent
"""


def _parse(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    entries = []
    for line in text.strip().splitlines():
        source, _, target = line.partition(":")
        entries.append((" ".join(folded_words(source)),
                        tuple(t.strip() for t in target.split(",") if t.strip())))
    return tuple(entries)


_ENTRIES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "fr": _parse(_FR), "es": _parse(_ES)}
# word prefixes, longest first; phrases (several words) separately
_PREFIXES = {lang: sorted(((s, t) for s, t in e if " " not in s), key=lambda st: -len(st[0]))
             for lang, e in _ENTRIES.items()}
_PHRASES = {lang: [(re.compile(rf"\b{re.escape(s)}\b"), s, t) for s, t in e if " " in s]
            for lang, e in _ENTRIES.items()}
_ACCENT_HINTS = {"fr": set("çèêëàâîïôûœ"), "es": set("ñ¿¡áíóú")}


def gloss(word: str, lang: str) -> tuple[str, ...]:
    """The English words for one folded French or Spanish word (longest prefix), or ().
    A short prefix only takes a short ending ("vot" -> voter, not an unrelated long word)."""
    for prefix, terms in _PREFIXES.get(lang, ()):
        if word.startswith(prefix) and (
            len(prefix) >= 7 or len(word) - len(prefix) <= (4 if len(prefix) <= 3 else 6)
        ):
            return terms
    return ()


def evidence(question: str) -> dict[str, float]:
    """How French and how Spanish a question looks: its stop words of that language, its
    glossary words not spelled the same in English, two points per glossary phrase,
    half a point per accented letter proper to the language."""
    lowered = question.lower()
    tokens = folded_words(question)
    text = " ".join(tokens)
    found = {}
    for lang in ("fr", "es"):
        stops = STOPWORDS[lang]
        found[lang] = (sum(1 for w in tokens if w in stops)
                       + sum(1 for w in tokens if w not in stops and _foreign(w, lang))
                       + sum(2 for pattern, _, _ in _PHRASES[lang] if pattern.search(text))
                       + 0.5 * sum(1 for ch in lowered if ch in _ACCENT_HINTS[lang]))
    return found


def _foreign(word: str, lang: str) -> bool:
    """A glossary word of the language that is not spelled the same in English."""
    terms = gloss(word, lang)
    return bool(terms) and len(word) > 3 and word not in {t.lower() for t in terms}


@dataclass(frozen=True)
class Reading:
    """A question read in its language: content words, each with its English words."""

    lang: str
    units: tuple[tuple[str, tuple[str, ...]], ...]  # (source words, English words)

    @property
    def english(self) -> str:
        """The question's content in English words (untranslated words kept)."""
        return " ".join(" ".join(t) if t else s for s, t in self.units)


def read(question: str, lang: str) -> Reading:
    """Content words of a French or Spanish question with their English words; phrases
    first, then the words the phrases left."""
    if lang not in ("fr", "es"):
        raise ValueError(f"read() is for French and Spanish questions, not {lang!r}")
    text = " ".join(folded_words(question))
    units: list[tuple[str, tuple[str, ...]]] = []
    for pattern, source, terms in _PHRASES[lang]:
        if pattern.search(text):
            units.append((source, terms))
            text = pattern.sub(" ", text)
    stops = STOPWORDS[lang]
    seen = {s for s, _ in units}
    for word in text.split():
        if word in stops or word in seen or (len(word) < 2 and not word.isdigit()):
            continue
        seen.add(word)
        units.append((word, gloss(word, lang)))
    return Reading(lang, tuple(units))
