"""One good-practice record: its schema, its parser and its validation.

A record is a Markdown file whose YAML front matter holds the structured fields
and whose body is a summary written in our own words (what was done, for whom,
and any reported result). `problems()` lists every schema violation of a
front-matter mapping; `parse_practice()` turns text into a `Practice` or raises
`InputError` naming the file and every problem at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml

from tmo.errors import InputError

THEMES: tuple[str, ...] = (
    "evidence base",
    "political participation",
    "portability of benefits",
    "remittances",
    "perceptions and media",
    "social participation and dialogue",
    "family support",
    "children and youth",
    "second generation",
    "return and reintegration",
    "health",
    "language",
    "cooperation and partnerships",
    "diaspora engagement",
    "anti-discrimination",
    "information and orientation",
    "legal status and rights",
    "labour mobility",
    "education",
    "older migrants",
    "communication technology",
)
LEVELS: tuple[str, ...] = ("local", "national", "bilateral", "regional", "global")
ACTOR_TYPES: tuple[str, ...] = (
    "national government",
    "local government",
    "international organisation",
    "NGO",
    "private sector",
    "diaspora association",
    "media",
    "academia",
)
QUALIFIERS: tuple[str, ...] = ("about", "up to", "more than", "at least", "fewer than")
FIELDS: tuple[str, ...] = (
    "id", "title", "countries", "places", "actors", "level", "themes",
    "target_groups", "years", "figures", "source", "related",
)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 80
MAX_RECORD_BYTES = 64 * 1024
MIN_BODY_WORDS = 20
MAX_BODY_WORDS = 2000
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-3 code -> short English name (pycountry), with XKX for Kosovo
    (a user-assigned code used by the World Bank and UNHCR)."""
    import pycountry

    names = {c.alpha_3: getattr(c, "common_name", c.name) for c in pycountry.countries}
    names["XKX"] = "Kosovo"
    return names


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


def _text(value: Any, where: str, out: list[str], *, max_len: int = 500) -> bool:
    if not isinstance(value, str) or not value.strip():
        out.append(f"{where}: must be a non-empty string, got {value!r}")
        return False
    if len(value) > max_len:
        out.append(f"{where}: longer than {max_len} characters")
        return False
    if _CONTROL.search(value):
        out.append(f"{where}: contains control characters")
        return False
    return True


def _text_list(value: Any, where: str, out: list[str], *, min_items: int = 0) -> None:
    if not isinstance(value, list):
        out.append(f"{where}: must be a list, got {value!r}")
        return
    if len(value) < min_items:
        out.append(f"{where}: needs at least {min_items} item(s)")
    for i, item in enumerate(value):
        _text(item, f"{where}[{i}]", out)
    if len({str(v) for v in value}) != len(value):
        out.append(f"{where}: has duplicates")


def _vocabulary(value: Any, allowed: tuple[str, ...], where: str, out: list[str]) -> None:
    if value not in allowed:
        out.append(f"{where}: {value!r} is not one of: {', '.join(allowed)}")


def problems(meta: Any, body: str) -> list[str]:
    """Every schema violation of a record (front-matter mapping and body); [] if valid."""
    out: list[str] = []
    if not isinstance(meta, Mapping):
        return [f"front matter must be a mapping of fields, got {type(meta).__name__}"]
    missing = [f for f in FIELDS if f not in meta]
    unknown = sorted(str(k) for k in meta if k not in FIELDS)
    if missing:
        out.append(f"missing field(s): {', '.join(missing)}")
    if unknown:
        out.append(f"unknown field(s): {', '.join(unknown)} (allowed: {', '.join(FIELDS)})")

    rid = meta.get("id")
    if "id" in meta and _text(rid, "id", out) and (
        not ID_PATTERN.match(rid) or len(rid) > MAX_ID_LENGTH
    ):
        out.append(
            f"id: {rid!r} must be lower-case words joined by '-' "
            f"(a-z, 0-9), at most {MAX_ID_LENGTH} characters"
        )
    if "title" in meta and _text(meta["title"], "title", out, max_len=200) and len(
        meta["title"]
    ) < 5:
        out.append("title: shorter than 5 characters")

    if "countries" in meta:
        countries = meta["countries"]
        if not isinstance(countries, list):
            out.append(f"countries: must be a list of ISO 3166 alpha-3 codes, got {countries!r}")
        else:
            known = country_names()
            for i, code in enumerate(countries):
                if not isinstance(code, str) or code not in known:
                    out.append(
                        f"countries[{i}]: {code!r} is not an ISO 3166 alpha-3 code "
                        "(upper case, e.g. URY, MDA, XKX)"
                    )
            if len(set(map(str, countries))) != len(countries):
                out.append("countries: has duplicates")
    if "places" in meta:
        _text_list(meta["places"], "places", out)
    if (
        isinstance(meta.get("countries"), list)
        and isinstance(meta.get("places"), list)
        and not meta["countries"]
        and not meta["places"]
        and meta.get("level") != "global"
    ):
        out.append("countries/places: a record that is not global needs a country or a place")

    if "actors" in meta:
        actors = meta["actors"]
        if not isinstance(actors, list) or not actors:
            out.append("actors: must be a non-empty list of {name, type}")
        else:
            for i, actor in enumerate(actors):
                if not isinstance(actor, Mapping) or set(actor) != {"name", "type"}:
                    out.append(f"actors[{i}]: must have exactly the keys name and type")
                    continue
                _text(actor["name"], f"actors[{i}].name", out)
                _vocabulary(actor["type"], ACTOR_TYPES, f"actors[{i}].type", out)

    if "level" in meta:
        _vocabulary(meta["level"], LEVELS, "level", out)
    if "themes" in meta:
        themes = meta["themes"]
        if not isinstance(themes, list) or not themes:
            out.append("themes: must be a non-empty list")
        else:
            for i, theme in enumerate(themes):
                _vocabulary(theme, THEMES, f"themes[{i}]", out)
            if len(set(map(str, themes))) != len(themes):
                out.append("themes: has duplicates")
    if "target_groups" in meta:
        _text_list(meta["target_groups"], "target_groups", out, min_items=1)

    if "years" in meta:
        years = meta["years"]
        if not isinstance(years, list):
            out.append(f"years: must be a list of years, got {years!r}")
        else:
            for i, year in enumerate(years):
                if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
                    out.append(f"years[{i}]: {year!r} is not a year between 1900 and 2100")

    if "figures" in meta:
        figures = meta["figures"]
        if not isinstance(figures, list):
            out.append("figures: must be a list of {value, unit, what[, qualifier]}")
        else:
            for i, fig in enumerate(figures):
                where = f"figures[{i}]"
                if not isinstance(fig, Mapping):
                    out.append(f"{where}: must be a mapping with value, unit and what")
                    continue
                extra = set(fig) - {"value", "unit", "what", "qualifier"}
                if extra:
                    out.append(f"{where}: unknown key(s) {', '.join(sorted(map(str, extra)))}")
                value = fig.get("value")
                if isinstance(value, bool) or not isinstance(value, int | float):
                    out.append(f"{where}.value: must be a number, got {value!r}")
                _text(fig.get("unit"), f"{where}.unit", out)
                _text(fig.get("what"), f"{where}.what", out)
                if fig.get("qualifier") is not None:
                    _vocabulary(fig["qualifier"], QUALIFIERS, f"{where}.qualifier", out)

    if "source" in meta:
        src = meta["source"]
        if not isinstance(src, Mapping):
            out.append("source: must be a mapping with document and section")
        else:
            extra = set(src) - {"document", "section", "note", "url"}
            if extra:
                out.append(f"source: unknown key(s) {', '.join(sorted(map(str, extra)))}")
            _text(src.get("document"), "source.document", out)
            _text(src.get("section"), "source.section", out)
            if src.get("note") is not None:
                _text(src["note"], "source.note", out)
            url = src.get("url")
            if url is not None and (
                not isinstance(url, str) or not re.match(r"^https?://\S+$", url)
            ):
                out.append(f"source.url: {url!r} is not an http(s) address")

    if "related" in meta:
        related = meta["related"]
        if not isinstance(related, list):
            out.append("related: must be a list of record ids")
        else:
            for i, other in enumerate(related):
                if not isinstance(other, str) or not ID_PATTERN.match(other):
                    out.append(f"related[{i}]: {other!r} is not a record id")
                elif other == rid:
                    out.append(f"related[{i}]: a record cannot be related to itself")

    words = len(body.split())
    if words < MIN_BODY_WORDS:
        out.append(
            f"body: the summary has {words} word(s); write at least {MIN_BODY_WORDS} "
            "(what was done, for whom, any reported result)"
        )
    elif words > MAX_BODY_WORDS:
        out.append(f"body: the summary has {words} words; keep it under {MAX_BODY_WORDS}")
    if _CONTROL.search(body):
        out.append("body: contains control characters")
    return out


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
        years=tuple(meta["years"]),
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
    text: str, origin: str = "<string>", *, provenance: str = "curated"
) -> Practice:
    """Parse and validate one record; InputError lists every problem with its origin."""
    if len(text.encode("utf-8")) > MAX_RECORD_BYTES:
        raise InputError(
            f"{origin}: record is larger than {MAX_RECORD_BYTES // 1024} KiB",
            hint="a practice summary fits in a few paragraphs",
        )
    meta, body = split_front_matter(text, origin)
    found = problems(meta, body)
    if found:
        raise InputError(
            f"{origin}: invalid practice record:\n  - " + "\n  - ".join(found),
            hint="see docs/practices.md for the schema",
        )
    return from_mapping(meta, body, provenance=provenance, origin=origin)
