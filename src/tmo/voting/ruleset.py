"""A country's out-of-country voting rules, read from a small YAML file.

    from tmo.voting.ruleset import load
    rules = load("MDA")                      # the shipped example (rules/moldova.yaml)
    rules = load("MDA", "my-rules.yaml")     # a user's file, checked first
    rules.max_ballots(2016).value            # 3000 (the value in force that year)

Every value is `Cited`: the value, the keys of its sources (declared under `sources:`), or
`confirmed: false` with a note saying why no source was found. A file is checked against
`ruleset.schema.yaml` (JSON Schema 2020-12) and then for what a schema cannot say (every
cited key declared, the file's country the one asked for, weights not all zero); every
problem is reported at once, each with its path in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from tmo.citations import cited_keys
from tmo.errors import InputError

SCHEMA_FILE = Path(__file__).with_name("ruleset.schema.yaml")
RULES_DIR = Path(__file__).with_name("rules")
CRITERIA = ("estimated_electors", "pre_registrations", "previous_votes")
LAST_ELECTION = "last_election"


@dataclass(frozen=True)
class Cited:
    """A rule's value with where it comes from."""

    value: Any
    sources: tuple[str, ...]
    confirmed: bool
    note: str = ""

    @classmethod
    def of(cls, entry: dict[str, Any]) -> Cited:
        return cls(entry["value"], tuple(entry.get("source", ())),
                   entry.get("confirmed", True) and bool(entry.get("source")),
                   entry.get("note", ""))

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "sources": list(self.sources),
                               "confirmed": self.confirmed}
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Mission:
    """An embassy or consulate: a preferred (or required) site for stations. `lat`/`lon`
    are None for a mission in the capital, whose coordinates come from the store."""

    country: str
    kind: str
    city: str | None
    lat: float | None
    lon: float | None
    sources: tuple[str, ...]
    confirmed: bool
    note: str = ""

    @property
    def in_capital(self) -> bool:
        return self.lat is None


@dataclass(frozen=True)
class Rules:
    """One country's rules (see rules/moldova.yaml for a commented example)."""

    country: str
    name: str
    path: str
    sources: dict[str, dict[str, str]]
    data: dict[str, Any]  # the checked file, for what the fields below do not name

    def cited(self, section: str, key: str) -> Cited | None:
        entry = self.data.get(section, {}).get(key)
        return None if entry is None else Cited.of(entry)

    def _required(self, section: str, key: str) -> Cited:
        found = self.cited(section, key)
        assert found is not None, f"{section}.{key} is required by the schema"
        return found

    @property
    def adult_share(self) -> Cited:
        return self._required("electors", "adult_share")

    @property
    def citizenship_share(self) -> Cited:
        return self._required("electors", "citizenship_share")

    @property
    def min_expected_voters(self) -> Cited:
        return self._required("stations", "min_expected_voters")

    @property
    def at_every_mission(self) -> Cited:
        return self._required("stations", "at_every_mission")

    @property
    def outside_missions(self) -> Cited:
        return self._required("stations", "outside_missions")

    def max_ballots(self, year: int | None = None) -> Cited:
        """Ballots per station in force in `year` (default: the current value)."""
        entry = self.data["stations"]["max_ballots_per_station"]
        if year is not None:
            for earlier in sorted(entry.get("earlier", ()), key=lambda e: e["until"]):
                if year <= earlier["until"]:
                    return Cited.of(earlier)
        return Cited.of(entry)

    def voters_per_station(self, year: int | None = None) -> Cited:
        """The planning load of a station: `voters_per_station` if set, else the maximum."""
        return self.cited("stations", "voters_per_station") or self.max_ballots(year)

    @property
    def max_stations_per_site(self) -> Cited | None:
        return self.cited("stations", "max_stations_per_site")

    @property
    def electors_turnout(self) -> Cited:
        """Turnout of the estimated electors: a share, or "last_election" (computed)."""
        return self._required("turnout", "of_estimated_electors")

    def turnout(self, kind: str) -> Cited | None:
        """`of_estimated_electors` (a share or "last_election"), `of_registered`,
        `of_previous_voters`."""
        return self.cited("turnout", kind)

    def weights(self) -> dict[str, Cited]:
        return {c: self._required("criteria", c) for c in CRITERIA}

    @property
    def registration_closes_days_before(self) -> Cited | None:
        return self.cited("stations", "registration_closes_days_before")

    @property
    def voter_information(self) -> dict[str, Cited]:
        """What the voter-information pages say (codes, each cited); empty if the file has
        no `voter_information` section."""
        return {key: Cited.of(entry)
                for key, entry in self.data.get("voter_information", {}).items()}

    @property
    def last_election(self) -> dict[str, Any] | None:
        found = self.data.get("last_election")
        return dict(found) if found else None

    @property
    def missions(self) -> tuple[Mission, ...]:
        return tuple(Mission(m["country"], m["kind"], m.get("city"), m.get("lat"),
                             m.get("lon"), tuple(m.get("source", ())),
                             m.get("confirmed", True) and bool(m.get("source")),
                             m.get("note", ""))
                     for m in self.data["missions"])

    def citation(self, keys: tuple[str, ...] | list[str]) -> list[dict[str, str]]:
        """The declared sources behind `keys` (title, url)."""
        return [{"key": k, **self.sources[k]} for k in keys]


def shipped() -> dict[str, Path]:
    """ISO3 -> the example rules shipped with tmo (rules/*.yaml)."""
    out = {}
    for path in sorted(RULES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out[str(data["country"])] = path
    return out


def load(country: str, path: str | Path | None = None) -> Rules:
    """The rules of `country` (ISO3): from `path` if given, else the shipped example
    (NotFound-like InputError when there is none). Checked: InputError lists every problem."""
    iso3 = country.upper()
    if path is None:
        examples = shipped()
        if iso3 not in examples:
            raise InputError(f"no rules file ships for {iso3} (examples: "
                             f"{', '.join(sorted(examples))})",
                             hint="write one (docs/voting.md, 'Rules files') and pass --rules FILE")
        path = examples[iso3]
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read rules file {file}: {exc.strerror or exc}",
                         hint="check the path given to --rules") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"rules file {file} is not valid YAML: {_yaml_where(exc)}",
                         hint="docs/voting.md shows a complete rules file") from exc
    found = problems(data, expect_country=iso3)
    if found:
        shown = "; ".join(found[:5]) + (f"; and {len(found) - 5} more" if len(found) > 5 else "")
        raise InputError(f"rules file {file} has {len(found)} problem"
                         f"{'s' if len(found) != 1 else ''}: {shown}",
                         hint="fix each path named; rules/moldova.yaml is a complete example")
    shown = f"tmo/voting/rules/{file.name} (shipped)" if file.parent == RULES_DIR else str(file)
    return Rules(iso3, str(data["name"]), shown, dict(data["sources"]), data)


def _yaml_where(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark else problem


def _validator() -> Draft202012Validator:
    schema = yaml.safe_load(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(data: Any, *, expect_country: str | None = None) -> list[str]:
    """Every problem of a rules document, each as 'path: what is wrong' (empty if none)."""
    if not isinstance(data, dict):
        return [f"(top): a rules file is a mapping of sections, not {type(data).__name__}"]
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    found = list(dict.fromkeys(_describe(e) for e in errors))
    if found:
        return found
    declared = set(data["sources"])
    for path, keys in cited_keys(data):
        found += [f"{path}.source: {k!r} is not declared under sources" for k in keys
                  if k not in declared]
    if expect_country and data["country"] != expect_country:
        found.append(f"country: the file is for {data['country']}, not {expect_country}")
    if not any(data["criteria"][c]["value"] for c in CRITERIA):
        found.append("criteria: every weight is 0; give at least one criterion a weight")
    return found


UNCITED = ("cite it: give `source: [keys declared under sources]`, or `confirmed: false` and "
           "a `note`")
PLACED = ("a mission is either `capital: true` (the store's capital coordinates) or has "
          "`city`, `lat` and `lon`, not both")


def _describe(error: ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path) or "(top)"
    alternatives = str(error.validator_value)
    if error.validator == "anyOf" and "'source'" in alternatives:
        return f"{path}: {UNCITED}"
    if error.validator == "oneOf" and "'capital'" in alternatives:
        return f"{path}: {PLACED}"
    if error.validator in ("oneOf", "anyOf") and error.context:
        reasons = sorted({c.message for c in error.context})
        return f"{path}: {'; or '.join(reasons)}"
    return f"{path}: {error.message}"
