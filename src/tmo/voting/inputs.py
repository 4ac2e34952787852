"""A user's CSV files for the stations plan: figures per city (pre-registrations, votes at
the last election) and a past plan (stations per city).

Registrations file (UTF-8, header row; one row per city):

    country,city,lat,lon,registrations,votes
    ITA,Milan,45.4642,9.19,5200,4100
    Italy,Roma,,,3100,
    DEU,,,,800,650

`country` is an ISO3/ISO2 code or a name the registry knows. `lat`/`lon` (decimal degrees)
place the city; without them the city must be the country's capital in the store (its
name as the UN World Urbanization Prospects spell it, e.g. "Roma (Rome)", "Roma" or
"Rome", or left empty), placed at the capital's coordinates. `registrations` and `votes`
are whole numbers; either may be empty, not both. Past plan file: `country,city,lat,lon,
stations[,voters]` with the same placing rules. Every problem names the file and the row.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tmo.countries import CountryRegistry
from tmo.countries.names import normalise
from tmo.errors import InputError, TmoError

EXAMPLES = Path(__file__).with_name("examples")
CSV_HINT = ("a header row with country,city,lat,lon,registrations,votes "
            "(docs/voting.md, 'Registrations')")
PAST_HINT = "a header row with country,city,lat,lon,stations[,voters] (docs/voting.md)"


@dataclass(frozen=True)
class Place:
    """Where a row of a user's file is: the country, a city name, coordinates, and how the
    coordinates were found ("the file" or "the store's capital")."""

    country: str
    city: str
    lat: float
    lon: float
    located_by: str
    row: int  # line of the file (the header is line 1)


@dataclass(frozen=True)
class CityFigures:
    place: Place
    registrations: int | None
    votes: int | None


@dataclass(frozen=True)
class PastStation:
    place: Place
    stations: int
    voters: int | None


def read_registrations(path: Path, registry: CountryRegistry,
                       capitals: dict[str, dict[str, Any]]) -> list[CityFigures]:
    """Figures per city of a user's registrations file (InputError naming the row)."""
    out = []
    for line, row in _rows(path, {"country"}, CSV_HINT, ("registrations", "votes")):
        where = f"{path} line {line}"
        place = _place(row, where, line, registry, capitals)
        registrations = _count(row.get("registrations"), where, "registrations")
        votes = _count(row.get("votes"), where, "votes")
        if registrations is None and votes is None:
            raise InputError(f"{where}: neither registrations nor votes is given",
                             hint="give at least one whole number per row")
        out.append(CityFigures(place, registrations, votes))
    return _merge(out)


def read_past_plan(path: Path, registry: CountryRegistry,
                   capitals: dict[str, dict[str, Any]]) -> list[PastStation]:
    """Stations per city of a past plan (InputError naming the row)."""
    out = []
    for line, row in _rows(path, {"country", "stations"}, PAST_HINT, ()):
        where = f"{path} line {line}"
        place = _place(row, where, line, registry, capitals)
        stations = _count(row.get("stations"), where, "stations")
        if stations is None:
            raise InputError(f"{where}: stations is empty", hint="give a whole number")
        out.append(PastStation(place, stations, _count(row.get("voters"), where, "voters")))
    return out


def _rows(path: Path, required: set[str], hint: str, one_of: tuple[str, ...]
          ) -> list[tuple[int, dict[str, str]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", hint=hint) from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text", hint=hint) from exc
    reader = csv.DictReader(text.splitlines())
    header = {h.strip().lower() for h in reader.fieldnames or []}
    missing = sorted(required - header)
    if missing or (one_of and not header & set(one_of)):
        need = missing or [" or ".join(one_of)]
        raise InputError(f"{path}: the header lacks {', '.join(need)}", hint=hint)
    rows = []
    for i, raw in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()
               if isinstance(v, str)}
        if any(row.values()):
            rows.append((i, row))
    if not rows:
        raise InputError(f"{path} has no data rows", hint=hint)
    return rows


def _place(row: dict[str, str], where: str, line: int, registry: CountryRegistry,
           capitals: dict[str, dict[str, Any]]) -> Place:
    try:
        iso3 = registry.lookup(row["country"]).iso3
    except TmoError as exc:
        raise InputError(f"{where}: {exc}", hint="use an ISO3 code such as ITA") from exc
    city = row.get("city", "")
    lat, lon = _number(row.get("lat"), where, "lat"), _number(row.get("lon"), where, "lon")
    if (lat is None) != (lon is None):
        raise InputError(f"{where}: give both lat and lon, or neither")
    if lat is not None and lon is not None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise InputError(f"{where}: lat {lat} / lon {lon} are not coordinates",
                             hint="decimal degrees: lat -90..90, lon -180..180")
        return Place(iso3, city, lat, lon, "the file", line)
    capital = capitals.get(iso3)
    if capital is None:
        raise InputError(f"{where}: {iso3} has no capital with coordinates in the store",
                         hint="give lat and lon")
    if city and not _is_capital(city, capital["capital"]):
        raise InputError(f"{where}: {city!r} has no coordinates and is not the capital of "
                         f"{iso3} ({capital['capital']})", hint="add lat and lon to the row")
    return Place(iso3, city or capital["capital"], capital["lat"], capital["lon"],
                 "the store's capital", line)


def _is_capital(city: str, capital: str) -> bool:
    """'Roma', 'Rome', 'Roma (Rome)' all name 'Roma (Rome)'; 'Ottawa' names
    'Ottawa-Gatineau' and 'Bruxelles' 'Bruxelles-Brussel'."""
    parts = re.split(r"[()/,]|-(?=[A-Z])", capital)
    names = {normalise(capital), *(normalise(p) for p in parts if p.strip())}
    return normalise(city) in names - {""}


def _parse(value: str | None, where: str, name: str, kind: str,
           convert: Callable[[str], float]) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = convert(value.replace(",", "") if name not in {"lat", "lon"} else value)
    except ValueError as exc:
        raise InputError(f"{where}: {name} {value!r} is not {kind}") from exc
    if not math.isfinite(number):
        raise InputError(f"{where}: {name} {value!r} is not {kind}")
    return number


def _number(value: str | None, where: str, name: str) -> float | None:
    return _parse(value, where, name, "a number", float)


def _count(value: str | None, where: str, name: str) -> int | None:
    number = _parse(value, where, name, "a whole number", float)
    if number is None:
        return None
    if number < 0 or number != int(number):
        raise InputError(f"{where}: {name} {value!r} is not a whole number of persons")
    return int(number)


def _merge(rows: list[CityFigures]) -> list[CityFigures]:
    """Rows naming the same place (country, coordinates) add up, in file order."""
    merged: dict[tuple[str, float, float], CityFigures] = {}
    for r in rows:
        key = (r.place.country, round(r.place.lat, 4), round(r.place.lon, 4))
        if key in merged:
            old = merged[key]
            merged[key] = CityFigures(old.place, _add(old.registrations, r.registrations),
                                      _add(old.votes, r.votes))
        else:
            merged[key] = r
    return list(merged.values())


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None and b is None else (a or 0) + (b or 0)


def is_synthetic(path: Path) -> bool:
    """A file whose name says `synthetic` holds made-up figures: every page that shows a
    plan made from it labels it so."""
    return "synthetic" in path.name.lower()


def describe(path: Path, places: int) -> dict[str, Any]:
    """What a plan records of a user's file: its name, its places (rows naming the same
    place counted once), and whether it is synthetic (`is_synthetic`)."""
    return {"file": path.name, "places": places, "synthetic": is_synthetic(path)}


def example_registrations(rules_file: Path) -> Path | None:
    """The synthetic registrations shipped beside a shipped rules file
    (examples/STEM_registrations_synthetic.csv), if any."""
    path = EXAMPLES / f"{rules_file.stem}_registrations_synthetic.csv"
    return path if path.is_file() else None
