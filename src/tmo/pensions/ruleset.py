"""The pension rules as data: agreements, national schemes, units and their sources.

    from tmo.pensions.ruleset import load_rules
    rules = load_rules()                          # the shipped files (rules/)
    rules = load_rules(["my-scheme.yaml"])        # plus a user's files, checked first
    rules.agreements["eu-883-2004"].rule("award").value     # 'higher' (Art. 52(3))

Every value is cited: the keys of its sources (declared in rules/sources.yaml, each with what
was read there), or `confirmed: false` with a note saying what is missing. A file is checked
against rules.schema.yaml (JSON Schema 2020-12, the part for its `schema:` kind) and then for
what a schema cannot say (cited keys declared, dates in order, tiers and brackets in order,
one shipped scheme per country); every problem is reported at once, each with its file and
path.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from tmo.citations import cited_keys
from tmo.errors import InputError

HERE = Path(__file__).parent
SCHEMA_FILE = HERE / "rules.schema.yaml"
RULES_DIR = HERE / "rules"
KINDS = {"tmo.pensions.sources/1": "sources_file", "tmo.pensions.units/1": "units_file",
         "tmo.pensions.scheme/1": "scheme_file", "tmo.pensions.agreement/1": "agreement_file"}
HINT = "fix each path named; docs/pensions.md ('Adding a scheme') shows a complete file"


class _Loader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates stay ISO strings, checked by the schema."""


_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


@dataclass(frozen=True)
class Cited:
    """A rule's value with where it comes from and the article it applies."""

    value: Any
    sources: tuple[str, ...]
    confirmed: bool
    note: str = ""
    article: str = ""

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Cited:
        sources = tuple(entry.get("source", ()))
        return cls(entry["value"], sources, entry.get("confirmed", True) and bool(sources),
                   entry.get("note", ""), entry.get("article", ""))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "sources": list(self.sources),
                               "confirmed": self.confirmed}
        for key in ("note", "article"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        return out


@dataclass(frozen=True)
class BenefitRule:
    """One benefit (old-age, invalidity) of a scheme: validity, minimum, formula."""

    benefit: str
    valid_from: Cited
    valid_until: Cited | None
    earnings: Cited | None
    minimum: Cited | None
    formula_kind: str
    params: dict[str, Cited]

    @property
    def start(self) -> date:
        return date.fromisoformat(self.valid_from.value)

    @property
    def end(self) -> date | None:
        return None if self.valid_until is None else date.fromisoformat(self.valid_until.value)

    def holds_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def validity_text(self) -> str:
        end = self.end.isoformat() if self.end else "no end date"
        return f"from {self.start.isoformat()} to {end}"


@dataclass(frozen=True)
class Scheme:
    """A national scheme: its unit of periods, currency and benefits."""

    id: str
    country: str
    name: str
    currency: str
    unit: str
    benefits: dict[str, BenefitRule]
    path: str


@dataclass(frozen=True)
class Agreement:
    """A coordination agreement: members, dates and the rules it applies."""

    id: str
    name: str
    short: str
    in_force: Cited
    valid_until: Cited | None
    members: Cited
    benefits: Cited
    rules: dict[str, Cited]
    path: str

    @property
    def start(self) -> date:
        return date.fromisoformat(self.in_force.value)

    @property
    def end(self) -> date | None:
        return None if self.valid_until is None else date.fromisoformat(self.valid_until.value)

    @property
    def open_partner(self) -> bool:
        """A model agreement (the US totalization rules) whose partner is any one state."""
        return "*" in self.members.value

    def is_member(self, country: str) -> bool:
        return country in self.members.value or self.open_partner

    def rule(self, name: str) -> Cited | None:
        return self.rules.get(name)

    def award_for(self, country: str) -> Cited:
        """The award rule of one state: its own entry of award_by_state, else the common one."""
        by_state = self.rules.get("award_by_state")
        if by_state is not None and country in by_state.value:
            return Cited(by_state.value[country], by_state.sources, by_state.confirmed,
                         by_state.note, by_state.article)
        return self.rules["award"]


@dataclass(frozen=True)
class Rules:
    """Everything the calculator reads: sources, units, schemes, agreements."""

    sources: dict[str, dict[str, str]]
    weeks_per_unit: dict[str, Fraction]
    unit_notes: dict[str, str]
    schemes: dict[str, Scheme]
    agreements: dict[str, Agreement]
    files: tuple[str, ...] = field(default=())

    def scheme_of_country(self, country: str) -> Scheme | None:
        """The scheme of a country (the first by id when a user's file adds a second)."""
        found = sorted(s.id for s in self.schemes.values() if s.country == country)
        return self.schemes[found[0]] if found else None

    def citation(self, keys: Iterable[str]) -> list[dict[str, str]]:
        return [{"key": k, **self.sources[k]} for k in keys]


def load_rules(extra: Iterable[str | Path] = ()) -> Rules:
    """The shipped rules plus the user's files in `extra` (schemes or agreements; a file
    with an id already known replaces it). InputError lists every problem, per file."""
    paths = [Path(p) for p in extra]
    if not paths:
        return _shipped()
    docs = _read_all([*shipped_files(), *paths])
    return _assemble(docs)


def shipped_files() -> list[Path]:
    return [RULES_DIR / "sources.yaml", RULES_DIR / "units.yaml",
            *sorted((RULES_DIR / "schemes").glob("*.yaml")),
            *sorted((RULES_DIR / "agreements").glob("*.yaml"))]


@functools.cache
def _shipped() -> Rules:
    return _assemble(_read_all(shipped_files()))


def _read_all(paths: list[Path]) -> list[tuple[Path, dict[str, Any]]]:
    docs, found = [], []
    for path in paths:
        data = _read(path)
        problems = file_problems(data)
        found += [f"{_shown(path)}: {p}" for p in problems]
        if not problems:
            docs.append((path, data))
    if found:
        _fail(found)
    return docs


def _read(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except OSError as exc:
        raise InputError(f"cannot read rules file {path}: {exc.strerror or exc}",
                         hint="check the path given to --rules") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise InputError(f"rules file {path} is not valid YAML: {where}"
                         f"{getattr(exc, 'problem', None) or exc}", hint=HINT) from exc


def _fail(found: list[str]) -> None:
    shown = "; ".join(found[:6]) + (f"; and {len(found) - 6} more" if len(found) > 6 else "")
    raise InputError(f"{len(found)} problem{'s' if len(found) != 1 else ''} in the pension "
                     f"rules: {shown}", hint=HINT)


def _shown(path: Path) -> str:
    try:
        return f"tmo/pensions/rules/{path.relative_to(RULES_DIR)}"
    except ValueError:
        return str(path)


@functools.cache
def _validator(kind: str) -> Draft202012Validator:
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator({"$ref": f"#/$defs/{kind}", "$defs": schema["$defs"]},
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def file_problems(data: Any) -> list[str]:
    """Every schema problem of one rules document, each as 'path: what is wrong'."""
    if not isinstance(data, dict):
        return [f"(top): a rules file is a mapping, not {type(data).__name__}"]
    kind = KINDS.get(str(data.get("schema")))
    if kind is None:
        return [f"schema: {data.get('schema')!r} is not one of {', '.join(sorted(KINDS))}"]
    errors = sorted(_validator(kind).iter_errors(data), key=lambda e: list(map(str, e.path)))
    return list(dict.fromkeys(_describe(e) for e in errors))


UNCITED = "cite it: give `source: [keys of sources.yaml]`, or `confirmed: false` and a `note`"


def _describe(error: ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path) or "(top)"
    if error.validator == "anyOf" and "'source'" in str(error.validator_value):
        return f"{path}: {UNCITED}"
    if error.validator in ("oneOf", "anyOf") and error.context:
        best = min(error.context, key=lambda e: len(list(e.context or ())))
        kinds = [c.message for c in error.context if c.validator == "const"]
        if path.endswith("formula") and kinds:
            return f"{path}: unknown or incomplete formula (kind: {', '.join(sorted(kinds))})"
        return f"{path}: {best.message}"
    return f"{path}: {error.message}"


def _assemble(docs: list[tuple[Path, dict[str, Any]]]) -> Rules:
    sources: dict[str, dict[str, str]] = {}
    units: dict[str, Any] = {}
    schemes: dict[str, Scheme] = {}
    agreements: dict[str, Agreement] = {}
    found: list[str] = []
    for path, data in docs:
        kind = KINDS[data["schema"]]
        if kind == "sources_file":
            sources.update(data["sources"])
        elif kind == "units_file":
            units = data
        elif kind == "scheme_file":
            schemes[data["id"]] = _scheme(path, data)
        else:
            agreements[data["id"]] = _agreement(path, data)
    for path, data in docs:
        found += [f"{_shown(path)}: {p}" for p in _cross_problems(data, set(sources))]
    if not units:
        found.append("units.yaml: missing")
    if found:
        _fail(found)
    return Rules(sources, {u: Fraction(v["weeks"]) for u, v in units["units"].items()},
                 {k: units[k]["note"] for k in ("convention", "dates")}, schemes, agreements,
                 tuple(_shown(p) for p, _ in docs))


def _scheme(path: Path, data: dict[str, Any]) -> Scheme:
    benefits = {}
    for name, entry in data["benefits"].items():
        formula = entry["formula"]
        benefits[name] = BenefitRule(
            name, Cited.of(entry["valid_from"]),
            Cited.of(entry["valid_until"]) if "valid_until" in entry else None,
            Cited.of(entry["earnings"]) if "earnings" in entry else None,
            Cited.of(entry["minimum"]) if "minimum" in entry else None,
            formula["kind"], {k: Cited.of(v) for k, v in formula.items() if k != "kind"})
    return Scheme(data["id"], data["country"], data["name"], data["currency"], data["unit"],
                  benefits, _shown(path))


def _agreement(path: Path, data: dict[str, Any]) -> Agreement:
    return Agreement(data["id"], data["name"], data["short"], Cited.of(data["in_force"]),
                     Cited.of(data["valid_until"]) if "valid_until" in data else None,
                     Cited.of(data["members"]), Cited.of(data["benefits"]),
                     {k: Cited.of(v) for k, v in data["rules"].items()}, _shown(path))


def _cross_problems(data: dict[str, Any], declared: set[str]) -> list[str]:
    found = [f"{where}.source: {key!r} is not declared in sources.yaml"
             for where, keys in cited_keys(data) for key in keys if key not in declared]
    if data["schema"] == "tmo.pensions.scheme/1":
        found += _scheme_order_problems(data)
    if data["schema"] == "tmo.pensions.agreement/1" and "valid_until" in data \
            and data["valid_until"]["value"] < data["in_force"]["value"]:
        found.append("valid_until: before in_force")
    return found


def _scheme_order_problems(data: dict[str, Any]) -> list[str]:
    found = []
    for name, entry in data["benefits"].items():
        if "valid_until" in entry and entry["valid_until"]["value"] < entry["valid_from"]["value"]:
            found.append(f"benefits.{name}.valid_until: before valid_from")
        formula = entry["formula"]
        for key, bound in (("tiers", "units"), ("brackets", "up_to")):
            if key in formula:
                limits = [row[bound] for row in formula[key]["value"]]
                if None in limits[:-1] or limits[-1] is not None:
                    found.append(f"benefits.{name}.formula.{key}: only the last row is open "
                                 f"({bound}: null), and it must be")
                if key == "brackets" and limits[:-1] != sorted(limits[:-1]):
                    found.append(f"benefits.{name}.formula.brackets: up_to must increase")
    return found


def parse_document(text: str) -> Any:
    """A rules document from YAML text (dates kept as strings), for tests and tools."""
    return yaml.load(text, Loader=_Loader)
