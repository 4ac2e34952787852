"""One good-practice record: its schema, its parser and its validation.

A record is a Markdown file whose YAML front matter holds the structured fields
and whose body is a summary written in our own words (what was done, for whom,
and any reported result). The front matter's schema is `schema.json` beside this
module (JSON Schema 2020-12: the fields, their vocabularies, patterns and sizes);
`problems()` lists every violation of it at once, each with its field path, plus the
rules a schema cannot say: country codes known to the country registry
(`tmo.practices.places`), the body's word count, no relation of a record to itself.
`parse_practice()` turns text into a `Practice` or raises `InputError` naming the file
and every problem.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from tmo.errors import InputError
from tmo.practices.places import Places, default_places

SCHEMA_FILE = Path(__file__).with_name("schema.json")
SCHEMA: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
_FIELDS = SCHEMA["properties"]

# the vocabularies, as the schema declares them
FIELDS: tuple[str, ...] = tuple(_FIELDS)
THEMES: tuple[str, ...] = tuple(_FIELDS["themes"]["items"]["enum"])
LEVELS: tuple[str, ...] = tuple(_FIELDS["level"]["enum"])
ACTOR_TYPES: tuple[str, ...] = tuple(_FIELDS["actors"]["items"]["properties"]["type"]["enum"])
QUALIFIERS: tuple[str, ...] = tuple(
    q for q in _FIELDS["figures"]["items"]["properties"]["qualifier"]["enum"] if q is not None)
MAX_ID_LENGTH: int = SCHEMA["$defs"]["id"]["maxLength"]
MAX_RECORD_BYTES = 64 * 1024
MIN_BODY_WORDS = 20
MAX_BODY_WORDS = 2000
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TYPES = {"object": "a mapping", "array": "a list", "string": "a string",
          "integer": "a whole number", "number": "a number", "null": "empty"}


@dataclass(frozen=True)
class Actor:
    name: str
    type: str


@dataclass(frozen=True)
class Figure:
    value: float
    unit: str
    what: str
    qualifier: str | None = None

    def __str__(self) -> str:
        value = f"{self.value:g}" if isinstance(self.value, float) else f"{self.value:,}"
        prefix = f"{self.qualifier} " if self.qualifier else ""
        return f"{prefix}{value} {self.unit} ({self.what})"


@dataclass(frozen=True)
class Source:
    document: str
    section: str
    note: str | None = None
    url: str | None = None

    def __str__(self) -> str:
        return f"{self.document}, {self.section}"


@dataclass(frozen=True)
class Practice:
    """A validated good-practice record. `provenance` is 'curated' or 'submitted'."""

    id: str
    title: str
    countries: tuple[str, ...]
    places: tuple[str, ...]
    actors: tuple[Actor, ...]
    level: str
    themes: tuple[str, ...]
    target_groups: tuple[str, ...]
    years: tuple[int, ...]
    figures: tuple[Figure, ...]
    source: Source
    related: tuple[str, ...]
    body: str
    provenance: str = "curated"
    origin: str = field(default="<string>", compare=False)

    @property
    def summary(self) -> str:
        """The first paragraph of the body: what was done."""
        return self.body.strip().split("\n\n", 1)[0].replace("\n", " ").strip()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready mapping with the same field names as the front matter, plus body."""
        return {
            "id": self.id,
            "title": self.title,
            "countries": list(self.countries),
            "places": list(self.places),
            "actors": [{"name": a.name, "type": a.type} for a in self.actors],
            "level": self.level,
            "themes": list(self.themes),
            "target_groups": list(self.target_groups),
            "years": list(self.years),
            "figures": [
                {k: v for k, v in vars(f).items() if v is not None} for f in self.figures
            ],
            "source": {k: v for k, v in vars(self.source).items() if v is not None},
            "related": list(self.related),
            "summary": self.summary,
            "body": self.body,
            "provenance": self.provenance,
        }


def split_front_matter(text: str, origin: str = "<string>") -> tuple[Any, str]:
    """(parsed YAML front matter, Markdown body); InputError if either is unreadable."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        raise InputError(
            f"{origin}: no YAML front matter (the file must start with a line '---', "
            "the fields, then a closing '---')",
            hint="see docs/practices.md for a record template",
        )
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise InputError(f"{origin}: front matter is not valid YAML: {exc}") from None
    return meta, match.group(2).strip()


@cache
def _validator() -> Draft202012Validator:
    Draft202012Validator.check_schema(SCHEMA)
    return Draft202012Validator(SCHEMA)


def _path(parts: Iterable[Any]) -> str:
    """A field path as a reader writes it: `figures[0].unit`."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# A schema violation in words, from (offending value, the keyword's rule, the violated
# (sub)schema, the field path); "" leaves the wording to jsonschema.
Wording = Callable[[Any, Any, Mapping[str, Any], str], str]


def _described(schema: Mapping[str, Any]) -> str:
    """The violated schema's description: what is expected, in words."""
    return schema.get("description", "")


def _missing(value: Any, rule: Any, where: str) -> str:
    missing = [f for f in rule if f not in value]
    if not where:
        return f"missing field(s): {', '.join(missing)}"
    return "; ".join(f"{where}.{name}: missing" for name in missing)


def _unknown_keys(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    allowed = list(schema.get("properties", {}))
    extra = sorted(str(k) for k in value if k not in allowed)
    noun = "field(s)" if not where else "key(s)"
    return f"unknown {noun}: {', '.join(extra)} (allowed: {', '.join(allowed)})"


def _wrong_type(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    types = [rule] if isinstance(rule, str) else rule
    return f"must be {' or '.join(_TYPES[t] for t in types)}, got {value!r}"


def _not_listed(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    return f"{value!r} is not one of: {', '.join(v for v in rule if v is not None)}"


def _no_match(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    described = _described(schema)  # names what is expected: "an http(s) address"
    verb = "is not" if described.startswith(("a ", "an ")) else "must be"
    return f"{value!r} {verb} {described}"


def _out_of_range(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    return f"{value!r} is not {_described(schema)}"


def _too_short(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    return "must not be empty" if rule == 1 else f"shorter than {rule} characters"


def _too_long(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    return f"longer than {rule} characters"


def _too_few(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    return "must be a non-empty list" if rule == 1 else f"needs {rule} items"


def _duplicates(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    return "has duplicates"


def _combined(value: Any, rule: Any, schema: Mapping[str, Any], where: str) -> str:
    """anyOf/oneOf: the description states the rule (e.g. countries or places), if any."""
    return _described(schema)


# Schema keyword -> its wording (after "field: ").
_WORDING: dict[str, Wording] = {
    "additionalProperties": _unknown_keys,
    "type": _wrong_type,
    "enum": _not_listed,
    "pattern": _no_match,
    "minimum": _out_of_range,
    "maximum": _out_of_range,
    "minLength": _too_short,
    "maxLength": _too_long,
    "minItems": _too_few,
    "uniqueItems": _duplicates,
    "anyOf": _combined,
    "oneOf": _combined,
}


def _message(error: ValidationError) -> str:
    """One schema violation in words, prefixed by its field path."""
    where = _path(error.absolute_path)
    # jsonschema sets both on every error that iter_errors yields
    value: Any = error.instance
    rule: Any = error.validator_value
    if error.validator == "required":
        return _missing(value, rule, where)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    wording = _WORDING.get(str(error.validator))
    text = wording(value, rule, schema, where) if wording else ""
    at = f"{where}: " if where else ""
    return f"{at}{text or error.message}"


def _rank(path: list[Any]) -> tuple[int, str]:
    """Problems in the order of the fields, as a reader goes through the record."""
    first = path[0] if path else None
    return (FIELDS.index(first) if first in FIELDS else -1, _path(path))


def _registry_problems(meta: Mapping[str, Any], places: Places) -> list[tuple[list, str]]:
    """What the schema cannot say: country codes the registry knows, no self-relation."""
    out: list[tuple[list, str]] = []
    countries = meta.get("countries")
    for i, code in enumerate(countries if isinstance(countries, list) else []):
        if isinstance(code, str) and re.fullmatch(r"[A-Z]{3}", code) and not (
            places.is_practice_country(code)
        ):
            message = (f"countries[{i}]: {code!r} is not an ISO 3166 alpha-3 code of the "
                       f"country registry{places.suggest(code)}")
            out.append((["countries", i], message))
    related = meta.get("related")
    for i, other in enumerate(related if isinstance(related, list) else []):
        if isinstance(other, str) and other == meta.get("id"):
            out.append((["related", i], f"related[{i}]: a record cannot be related to itself"))
    return out


def _body_problems(body: str) -> list[str]:
    words = len(body.split())
    out = []
    if words < MIN_BODY_WORDS:
        out.append(f"body: the summary has {words} word(s); write at least {MIN_BODY_WORDS} "
                   "(what was done, for whom, any reported result)")
    elif words > MAX_BODY_WORDS:
        out.append(f"body: the summary has {words} words; keep it under {MAX_BODY_WORDS}")
    if _CONTROL.search(body):
        out.append("body: contains control characters")
    return out


def problems(meta: Any, body: str, places: Places | None = None) -> list[str]:
    """Every problem of a record (front-matter mapping and body), each with its field
    path, in field order; [] if valid. `places`: the country registry (default:
    `default_places()`)."""
    if not isinstance(meta, Mapping):
        return [f"front matter must be a mapping of fields, got {type(meta).__name__}"]
    found = [(list(e.absolute_path), _message(e)) for e in _validator().iter_errors(meta)]
    found += _registry_problems(meta, places or default_places())
    ordered = sorted(found, key=lambda pm: _rank(pm[0]))
    return list(dict.fromkeys(m for _, m in ordered)) + _body_problems(body)


def from_mapping(
    meta: Mapping[str, Any], body: str, *, provenance: str = "curated", origin: str = "<string>"
) -> Practice:
    """Build a Practice from an already validated mapping (see `problems`)."""
    src = meta["source"]
    return Practice(
        id=meta["id"],
        title=meta["title"].strip(),
        countries=tuple(meta["countries"]),
        places=tuple(meta["places"]),
        actors=tuple(Actor(a["name"], a["type"]) for a in meta["actors"]),
        level=meta["level"],
        themes=tuple(meta["themes"]),
        target_groups=tuple(meta["target_groups"]),
        years=tuple(int(y) for y in meta["years"]),
        figures=tuple(
            Figure(f["value"], f["unit"], f["what"], f.get("qualifier")) for f in meta["figures"]
        ),
        source=Source(src["document"], src["section"], src.get("note"), src.get("url")),
        related=tuple(meta["related"]),
        body=body.strip(),
        provenance=provenance,
        origin=origin,
    )


def parse_practice(
    text: str, origin: str = "<string>", *, provenance: str = "curated",
    places: Places | None = None,
) -> Practice:
    """Parse and validate one record; InputError lists every problem with its origin.
    `places`: the country registry to check codes against (default: `default_places()`)."""
    if len(text.encode("utf-8")) > MAX_RECORD_BYTES:
        raise InputError(
            f"{origin}: record is larger than {MAX_RECORD_BYTES // 1024} KiB",
            hint="a practice summary fits in a few paragraphs",
        )
    meta, body = split_front_matter(text, origin)
    found = problems(meta, body, places)
    if found:
        raise InputError(
            f"{origin}: invalid practice record:\n  - " + "\n  - ".join(found),
            hint="see docs/practices.md for the schema",
        )
    return from_mapping(meta, body, provenance=provenance, origin=origin)
