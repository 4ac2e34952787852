"""Typed answers of the JSON API, for the OpenAPI spec: the error envelope every `/api/`
route may answer (404, 422, 400, 413, 429), enums for flow methods and sexes, and the
answers of the main read-only routes. `tests/web/test_schemathesis.py` checks every
answer against the spec."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from tmo.flows import METHODS

Method = StrEnum("Method", {m: m for m in METHODS})  # type: ignore[misc]
DEFAULT_METHOD = Method("da_pb_closed")


class Sex(StrEnum):
    total = "total"
    female = "female"
    male = "male"


class ErrorBody(BaseModel):
    code: int = Field(description="the HTTP status")
    message: str = Field(description="what is wrong, naming the parameter or the value")
    hint: str | None = Field(None, description="what to do instead")
    fields: dict[str, str] | None = Field(None, description="per field, for forms")


class ErrorEnvelope(BaseModel):
    status: Literal["error"]
    error: ErrorBody


class Open(BaseModel):
    """An answer whose further fields are documented in docs/web.md."""

    model_config = ConfigDict(extra="allow")


class Envelope(Open):
    status: Literal["ok"]
    meta: dict[str, Any] | None = None


class FlowRow(BaseModel):
    method: Method
    sex: Sex
    period_start: int
    period_end: int
    origin: str = Field(description="ISO3 of the place of birth")
    destination: str = Field(description="ISO3 of the place of residence")
    flow: float = Field(description="persons who moved in the period (estimated)")


class FlowsAnswer(Envelope):
    data: list[FlowRow]


class IndicatorRow(BaseModel):
    iso3: str
    value: float = Field(description="the indicator, computed as in the country profiles")
    stock: int = Field(description="the migrant stock it is computed from")


class IndicatorAnswer(Envelope):
    data: list[IndicatorRow]


class Country(Open):
    iso3: str
    name: str
    name_fr: str | None
    name_es: str | None
    region: str | None
    kind: str
    profile: bool = Field(description="whether the area has a profile: the latest revision "
                          "publishes its migrant stock, or other sources its population (a "
                          "partial profile, e.g. Kosovo); else its profile answers 404")


class CountriesData(Open):
    countries: list[Country]
    groups: list[dict[str, Any]]


class CountriesAnswer(Envelope):
    data: CountriesData


class HealthAnswer(Envelope):
    data: dict[str, Any]


ERRORS = {
    400: "the request cannot be answered",
    404: "an unknown country, year, revision, method or resource, or nothing stored for it",
    413: "a request body over 64 KiB",
    422: "a parameter of the wrong type or outside its range",
    429: "over the client's rate limit (Retry-After says when to try again)",
}
REGISTRY_ERRORS = {
    401: "not signed in",
    403: "not allowed for this account, or a missing or wrong CSRF token",
    503: "the registry's database is busy or unreachable (Retry-After)",
}


# descriptions of the API's parameters that their routes leave undescribed, by name (the
# same name means the same thing on every route); `describe_parameters` fills them in
PARAMETERS = {
    "format": "json (default) or csv",
    "revision": "IMS revision, e.g. 2024 (default: the latest the store holds)",
    "year": "a year of the revision's estimates (default: its latest)",
    "lang": "the language of the answer's words: en, fr or es",
    "limit": "at most this many, first the largest or best ranked",
    "country": "ISO 3166 alpha-3 code",
    "iso3": "ISO 3166 alpha-3 code",
    "place": "ISO 3166 alpha-3 code, a UN region (UN:908) or the world (UN:900)",
    "q": "the question or claim, in English, French or Spanish",
    "horizon": "a target year of the projections",
    "sex": "total, female or male",
    "totals": "only the totals (a country's immigrants and emigrants)",
    "theme": "a theme of the practices' facets",
    "level": "a practice's level (a facet), or an ISCO-08 level: major, sub-major, minor, "
             "unit",
    "practice_id": "a practice's identifier (GET /api/v1/practices lists them)",
    "quarter": "a quarter of Remittance Prices Worldwide, e.g. 2020Q3 (default: the latest)",
    "dataset": "IMS, WPP or flows",
    "votes": "NAME:NUMBER, repeated once per list",
    "seats": "seats to share",
    "method": "the method (docs/voting.md for seats, docs/flows.md for flows)",
    "floor": "seats each list gets before the rest are shared",
    "floor_rule": "add or minimum: how the floor combines with the share (docs/voting.md)",
    "tie_break": "how a tie for the last seat is decided",
    "seed": "the seed of a random tie-break",
    "stock_year": "the year of the migrant stocks (default: the latest)",
    "adult_share": "share of the citizens abroad of voting age, 0 to 1 (default: the rules')",
    "citizenship_share": "share of the emigrants who are citizens, 0 to 1 (default: the "
                         "rules')",
    "turnout": "expected turnout, 0 to 1 (default: the rules')",
    "profile": "the style profile: iom, ap, fundeu or strict",
    "purpose": "crisis_contact, statistics, domestic_institutions or news",
    "residence": "ISO 3166 alpha-3 code of the country of residence",
    "name": "part of a registrant's name",
    "city": "part of a city's name",
    "crisis_contact": "only those who consented to crisis contact",
    "page": "the page of results (50 a page), from 0",
    "reason": "why the officer looks (kept in the audit log)",
    "k": "the smallest figure shown (at least 10): smaller ones are suppressed",
    "state": "applied, verified or refused",
    "opportunity": "an opportunity's identifier",
    "request_id": "a contact request's identifier",
    "institution_id": "an institution's identifier",
    "opportunity_id": "an opportunity's identifier",
    "agreement": "the agreement's identifier (GET /api/v1/pensions/rules lists them; "
                 "default: the career's)",
    "what_if": "also compare what-if careers",
}

def answers(model: type[BaseModel], what: str = "the answer", status: int = 200, *,
            csv: bool = False) -> dict[str, Any]:
    """Route options documenting `model` as the answer of `status` without passing the
    answer through it (documents print exactly as their command does); `csv`: the route
    also answers CSV (`format=csv`)."""
    answer: dict[str, Any] = {"model": model, "description": what}
    if csv:
        answer["content"] = {"text/csv": {"schema": {"type": "string"}}}
    return {"response_model": None, "status_code": status, "responses": {status: answer}}


CSV_ONLY: dict[str, Any] = {"response_class": Response, "responses": {200: {
    "description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}}


def document_errors(app: FastAPI) -> None:
    """Every `/api/` operation of the app's OpenAPI spec documents the error envelope for
    each error status, the registry's also for 401, 403 and 503 (replacing FastAPI's own
    422 schema, which is not what the API answers), and every parameter a description
    (its route's, else `PARAMETERS`)."""
    made = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = made()
        schema = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
        components = spec.setdefault("components", {}).setdefault("schemas", {})
        components.update(schema.pop("$defs", {}))
        components["ErrorEnvelope"] = schema
        for path, operations in spec["paths"].items():
            if not path.startswith("/api/"):
                continue
            for operation in operations.values():
                for parameter in operation.get("parameters", []):
                    if not parameter.get("description"):
                        parameter["description"] = (
                            parameter.get("schema", {}).get("description")
                            or PARAMETERS.get(parameter["name"], ""))
            errors = {**ERRORS, **(REGISTRY_ERRORS if path.startswith("/api/v1/registry/")
                                   else {})}
            for operation in operations.values():
                for code, what in errors.items():
                    operation["responses"][str(code)] = {
                        "description": what, "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}}
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


class CountryResource(Country):
    groups: list[dict[str, Any]] = Field(description="the UN and World Bank groups it "
                                         "belongs to")
    links: dict[str, str] = Field(description="its profile (API and page), corridors and "
                                  "remittances")


class CountryAnswer(Envelope):
    data: CountryResource


class ProfileAnswer(Envelope):
    data: dict[str, Any] = Field(description="the Migration Profile document: every figure "
                                 "with its sources (docs/profile.md)")


class CorridorStock(Open):
    origin: str
    destination: str
    trend: list[dict[str, Any]] = Field(description="year, total, female, male (persons)")
    source: dict[str, Any] = Field(description="the view, filter and files of the rows")


class CorridorData(Open):
    revision: str
    stocks: dict[str, CorridorStock] = Field(description="'A->B' and 'B->A'")
    flows: list[FlowRow]


class CorridorAnswer(Envelope):
    data: CorridorData


class ProjectionRow(Open):
    revision: str
    jump_off: int
    year: int
    origin: str
    destination: str
    sex: Sex
    median: int | None = Field(description="projected persons (whole persons)")
    ceiling: int | None = Field(None, description="immigrants' rows: the population they are "
                                "held at (WPP `wpp_revision`, medium variant, 1 July); null "
                                "elsewhere or where WPP has none")
    held: float | None = Field(None, description="immigrants' rows: the share of simulated "
                               "futures held at the ceiling")
    wpp_revision: str | None = None


class ProjectionsAnswer(Envelope):
    data: list[ProjectionRow]


class ProjectedFlowRow(BaseModel):
    revision: str = Field(description="the IMS revision whose projected stocks the flows "
                          "are between")
    jump_off: int = Field(description="the revision's last estimate year")
    wpp_revision: str = Field(description="the WPP revision of the population, births "
                              "and deaths (medium variant)")
    scenario: str = Field(description="median: between the median stock tables; lower80 "
                          "or upper80: every corridor at that bound; draws: the median of "
                          "the flows estimated in each simulated future")
    method: Method
    kind: Literal["projected"]
    sex: Sex
    period_start: int = Field(description="1 July of this year ...")
    period_end: int = Field(description="... to 1 July of this year")
    origin: str = Field(description="ISO3 of the place left")
    destination: str = Field(description="ISO3 of the place moved to")
    flow: int = Field(description="projected persons who move (whole persons)")
    lower80: int | None = Field(description="80 % interval of the flows of the simulated "
                                "futures (null where none are stored)")
    upper80: int | None
    lower95: int | None
    upper95: int | None
    draws: int | None = Field(description="how many simulated futures the intervals come "
                              "from (null where none are stored)")
    backtested: Literal[False] = Field(description="these figures are not backtested (no "
                                       "projected flows were ever published); the "
                                       "method's intervals are, on past years "
                                       "(docs/projections.md)")
    caveat: str = Field(description="what the figure is and is not")


class ProjectedFlowsAnswer(Envelope):
    data: list[ProjectedFlowRow]


class PracticeSummary(Open):
    id: str
    title: str
    countries: list[str]
    themes: list[str]
    level: str


class PracticesAnswer(Envelope):
    data: list[PracticeSummary]


class PracticeAnswer(Envelope):
    data: PracticeSummary


class RemittancesAnswer(Envelope):
    data: dict[str, Any] = Field(description="the report (docs/remittances.md)")


# ------------------------------------------------------------- voting (docs/voting.md)

class ApportionData(BaseModel):
    seats: dict[str, int] = Field(description="seats per list")
    quotas: dict[str, float] = Field(description="each list's exact quota (votes x seats / "
                                     "all votes)")
    ties: list[dict[str, Any]] = Field(description="the ties the tie-break rule decided")


class ApportionMeta(BaseModel):
    method: str
    house: int = Field(description="seats to share")
    floor: int
    floor_rule: str
    tie_break: str


class ApportionAnswer(Envelope):
    data: ApportionData
    meta: ApportionMeta  # type: ignore[assignment]


class VotingRulesIndexAnswer(Envelope):
    data: list[str] = Field(description="ISO3 codes of the countries with shipped rules")


class VotingRules(Open):
    schema_: str = Field(alias="schema", description="tmo.voting.rules/1")
    country: str
    name: str
    sources: dict[str, Any] = Field(description="per source key, its title and address")


class VotingRulesAnswer(Envelope):
    data: VotingRules


class PlanCountry(Open):
    iso3: str
    name: str
    expected_voters: float
    stations: int
    sites: list[dict[str, Any]]


class Plan(Open):
    schema_: str = Field(alias="schema", description="tmo.voting.plan/1")
    origin: str
    origin_name: str
    rules: dict[str, Any] = Field(description="the rules file and the values the plan used")
    stock: dict[str, Any] = Field(description="the IMS revision and year of the stocks")
    assumptions: list[str]
    summary: dict[str, Any]
    countries: list[PlanCountry]
    citations: dict[str, Any] = Field(description="where each rule used comes from")
    sources: dict[str, Any]


class PlanAnswer(Envelope):
    data: Plan


# ----------------------------------------------------------- pensions (docs/pensions.md)

class Source(Open):
    key: str
    title: str
    url: str | None = None


class PensionAgreement(BaseModel):
    id: str
    name: str
    short: str
    in_force: str = Field(description="date (ISO 8601)")
    valid_until: str | None
    members: list[str] = Field(description="ISO3 codes of the member states")
    benefits: list[str]
    sources: list[Source]


class PensionScheme(BaseModel):
    id: str
    country: str
    name: str
    currency: str
    unit: str = Field(description="the unit of insurance periods")
    benefits: list[str]


class PensionRulesData(BaseModel):
    agreements: list[PensionAgreement]
    schemes: list[PensionScheme]


class PensionRulesAnswer(Envelope):
    data: PensionRulesData


class PensionAssessment(Open):
    agreement: dict[str, Any] = Field(description="id, name, in_force")
    benefit: str
    claim_date: str
    states: list[dict[str, Any]] = Field(description="per state: its steps with their "
                                         "articles, the theoretical, pro-rata and paid amounts")
    totals: dict[str, dict[str, float]] = Field(description="per currency")
    notes: list[str]
    sources: list[Source]
    disclaimer: str
    what_if: list[dict[str, Any]] | None = Field(None, description="the what-if comparisons "
                                                 "(what_if=true)")


class PensionAssessmentAnswer(Envelope):
    data: PensionAssessment


# --------------------------------------------------- changes (docs/monitoring.md)

class RevisionChange(Open):
    dataset: str
    old_revision: str
    new_revision: str
    level: str
    area: str
    measure: str
    sex: str
    year: int
    old_value: float | None
    new_value: float | None
    change: float | None
    relative: float | None


class RevisionPair(Open):
    dataset: str = Field(description="IMS, WPP or flows")
    old_revision: str
    new_revision: str
    common_years: list[int]
    world: list[RevisionChange]


class ChangesData(Open):
    schema_: str = Field(alias="schema", description="tmo.changes/1")
    pairs: list[RevisionPair]


class ChangesAnswer(Envelope):
    data: ChangesData


class WhatsNewData(BaseModel):
    builds: list[dict[str, Any]] = Field(description="the latest builds: source files "
                                         "changed, rows per view")
    alerts: list[dict[str, Any]] = Field(description="the alerts of the per-country rules")
    pairs: list[dict[str, Any]] = Field(description="each pair of revisions in short")


class WhatsNewAnswer(Envelope):
    data: WhatsNewData


# ------------------------------------------------- facts, claims, words (docs/factcards.md)

class FactCard(Open):
    key: str
    text: str = Field(description="the card's sentence (rounded)")
    figure: dict[str, Any] | None = Field(None, description="the unrounded figure: "
                                          "indicator, value, unit, year")
    revision: str | None = None
    sources: list[dict[str, Any]] = Field(description="the view, filter, files and rows")
    caveats: list[Any]


class FactCards(Open):
    schema_: str = Field(alias="schema", description="tmo.factcards/1")
    place: str
    name: str
    lang: str
    cards: list[FactCard]


class FactCardsAnswer(Envelope):
    data: FactCards


class ClaimCheck(Open):
    status: Literal["checked", "unchecked"]
    claim: str
    verdict: str | None
    figure: dict[str, Any] | None
    source: list[str] = Field(description="the published rows the figure comes from")
    reading: dict[str, Any]
    claim_review: dict[str, Any] | None = Field(description="ClaimReview JSON-LD")


class ClaimAnswer(Envelope):
    data: ClaimCheck


class WordRulesData(Open):
    profiles: list[str]
    rules: list[dict[str, Any]] = Field(description="id, language, suggestion, reason, "
                                        "profiles, citations")


class WordRulesAnswer(Envelope):
    data: WordRulesData


class WordsChecked(Open):
    lang: str
    profile: str
    flags: list[dict[str, Any]] = Field(description="each term flagged: where, the rule, "
                                        "the suggestion, its reason and citations")


class WordsAnswer(Envelope):
    data: WordsChecked


# ------------------------------------------------ the diaspora registry (docs/registry.md)

class Csrf(BaseModel):
    csrf: str = Field(description="the token to send as X-CSRF-Token")


class CsrfAnswer(Envelope):
    data: Csrf


class Mission(Open):
    id: int
    name: str
    city: str | None
    host: str = Field(description="ISO3 of the host country")
    jurisdiction: list[str] = Field(description="ISO3 codes of the countries of residence "
                                    "it serves")


class MissionsAnswer(Envelope):
    data: list[Mission]


class Done(Open):
    """A change made: its flags (`verified`, `signed_out`, `erased`...) and identifiers."""


class DoneAnswer(Envelope):
    data: Done


class Registrant(Open):
    account: dict[str, Any] = Field(description="e-mail, language, dates (never the "
                                    "password)")
    registration: dict[str, Any]
    consents: list[dict[str, Any]] = Field(description="purpose, granted_at, withdrawn_at")
    sessions: int
    skills: dict[str, Any] = Field(description="the skills profile and contact requests "
                                   "(docs/skills.md)")


class RegistrantAnswer(Envelope):
    data: Registrant


class Rows(Envelope):
    """A list of records (their fields in docs/registry.md and docs/skills.md)."""

    data: list[dict[str, Any]]


class Record(Envelope):
    """One record or a document (its fields in docs/registry.md and docs/skills.md)."""

    data: dict[str, Any]


class SuppressedTables(Open):
    k: int = Field(description="the smallest figure shown; smaller ones and those that "
                   "would reveal them are null")
    synthetic: int = Field(description="synthetic registrants counted (tmo registry demo)")
    note: str
    tables: dict[str, Any]


class SuppressedAnswer(Envelope):
    data: SuppressedTables

