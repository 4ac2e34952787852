"""Typed answers of the JSON API, for the OpenAPI spec: the error envelope every `/api/`
route may answer (404, 422, 400, 413, 429), enums for flow methods and sexes, and the
answers of the main read-only routes. `tests/web/test_schemathesis.py` checks every
answer against the spec."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from fastapi import FastAPI
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
    profile: bool = Field(description="whether the latest revision publishes its migrant "
                          "stock (else its profile answers 404)")


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


def document_errors(app: FastAPI) -> None:
    """Every `/api/` operation of the app's OpenAPI spec documents the error envelope for
    each error status (replacing FastAPI's own 422 schema, which is not what the API
    answers)."""
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
                for code, what in ERRORS.items():
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


class ProjectionsAnswer(Envelope):
    data: list[ProjectionRow]


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
