"""The catalog of good practices: curated records from `practices/` plus published
(approved) submissions from the moderation queue.

Where the curated records live: `$TMO_PRACTICES_DIR` when set, else the
`practices/` folder at the root of the repository (next to `src/`).
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pycountry

from tmo.errors import CountryNotFound, InputError, NotFound
from tmo.practices.record import LEVELS, THEMES, Practice, country_names, parse_practice

ENV_DIR = "TMO_PRACTICES_DIR"


def practices_dir() -> Path:
    """The folder of curated records: $TMO_PRACTICES_DIR, else <repo>/practices."""
    configured = os.environ.get(ENV_DIR)
    folder = Path(configured).expanduser() if configured else (
        Path(__file__).resolve().parents[3] / "practices"
    )
    if not folder.is_dir():
        raise NotFound(
            f"good-practice folder not found: {folder}",
            hint=f"set {ENV_DIR} to the folder holding the practice Markdown files",
        )
    return folder


def load_curated(directory: Path | None = None) -> list[Practice]:
    """Parse every `*.md` record of the folder; one InputError lists all bad files."""
    folder = directory or practices_dir()
    records: list[Practice] = []
    errors: list[str] = []
    for path in sorted(folder.glob("*.md")):
        try:
            record = parse_practice(path.read_text(encoding="utf-8"), str(path))
        except InputError as exc:
            errors.append(str(exc))
            continue
        if record.id != path.stem:
            errors.append(f"{path}: id {record.id!r} differs from the file name {path.stem!r}")
        records.append(record)
    if errors:
        raise InputError(
            f"{len(errors)} invalid practice file(s) in {folder}:\n" + "\n".join(errors)
        )
    return records


def resolve_country(value: str) -> str:
    """An ISO3 code or an English country name -> ISO3; CountryNotFound otherwise."""
    names = country_names()
    code = value.strip().upper()
    if code in names:
        return code
    by_name = {name.lower(): c for c, name in names.items()}
    if value.strip().lower() in by_name:
        return by_name[value.strip().lower()]
    try:  # official and alternative names ("Moldova, Republic of", "Viet Nam")
        return pycountry.countries.lookup(value.strip()).alpha_3
    except LookupError:
        pass
    close = difflib.get_close_matches(value.strip().lower(), list(by_name), n=3)
    raise CountryNotFound(value, [f"{by_name[n]} ({names[by_name[n]]})" for n in close])


def resolve_theme(value: str) -> str:
    theme = value.strip().lower()
    if theme in THEMES:
        return theme
    close = [t for t in THEMES if theme and theme in t] or difflib.get_close_matches(
        theme, THEMES, n=3
    )
    if len(close) == 1:
        return close[0]
    raise InputError(
        f"unknown theme {value!r}" + (f"; did you mean: {', '.join(close)}" if close else ""),
        hint="themes: " + ", ".join(THEMES),
    )


def resolve_level(value: str) -> str:
    level = value.strip().lower()
    if level not in LEVELS:
        raise InputError(f"unknown level {value!r}", hint="levels: " + ", ".join(LEVELS))
    return level


@dataclass(frozen=True)
class Catalog:
    """Validated records with unique ids whose `related` links all resolve."""

    records: tuple[Practice, ...]

    def __post_init__(self) -> None:
        counts = Counter(r.id for r in self.records)
        dupes = sorted(i for i, n in counts.items() if n > 1)
        if dupes:
            raise InputError(f"duplicate practice id(s): {', '.join(dupes)}")
        ids = set(counts)
        dangling = [
            f"{r.id} -> {other}" for r in self.records for other in r.related if other not in ids
        ]
        if dangling:
            raise InputError("related practice(s) not found: " + ", ".join(dangling))

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    @property
    def ids(self) -> set[str]:
        return {r.id for r in self.records}

    def get(self, practice_id: str) -> Practice:
        for record in self.records:
            if record.id == practice_id:
                return record
        close = difflib.get_close_matches(practice_id, sorted(self.ids), n=3, cutoff=0.5)
        raise NotFound(
            f"no practice with id {practice_id!r}"
            + (f"; closest: {', '.join(close)}" if close else ""),
            hint="`tmo practices list` shows every id",
        )

    def filter(
        self, *, country: str | None = None, theme: str | None = None, level: str | None = None
    ) -> list[Practice]:
        """Records matching every given facet; values are resolved (names, prefixes)."""
        code = resolve_country(country) if country else None
        theme = resolve_theme(theme) if theme else None
        level = resolve_level(level) if level else None
        return [
            r
            for r in self.records
            if (code is None or code in r.countries)
            and (theme is None or theme in r.themes)
            and (level is None or r.level == level)
        ]

    def facets(self) -> dict[str, dict[str, int]]:
        """Counts of records per theme, country, level and actor type (most frequent first)."""

        def ordered(counter: Counter[str]) -> dict[str, int]:
            return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))

        return {
            "theme": ordered(Counter(t for r in self.records for t in r.themes)),
            "country": ordered(Counter(c for r in self.records for c in r.countries)),
            "level": ordered(Counter(r.level for r in self.records)),
            "actor_type": ordered(
                Counter(t for r in self.records for t in {a.type for a in r.actors})
            ),
        }

    def for_countries(self, iso3_list: Iterable[str]) -> dict[str, list[Practice]]:
        """Area code -> practices naming it. Codes are matched as given (ISO3 and the
        store's special codes such as XCX, which simply name no practice)."""
        codes = [str(c).strip().upper() for c in iso3_list]
        return {code: [r for r in self.records if code in r.countries] for code in codes}


def load_catalog(
    directory: Path | None = None, *, queue: Path | None = None
) -> Catalog:
    """Curated records plus the approved submissions of `queue` (when that file exists)."""
    records = load_curated(directory)
    if queue is not None and Path(queue).is_file():
        from tmo.practices.queue import ModerationQueue

        records.extend(ModerationQueue(queue).published())
    return Catalog(tuple(records))


def practices_for_countries(
    iso3_list: Sequence[str], *, catalog: Catalog | None = None
) -> dict[str, list[Practice]]:
    """For country profiles: ISO3 code -> the practices naming that country (curated set
    unless a catalog is given), in the order the codes were given."""
    return (catalog or load_catalog()).for_countries(iso3_list)
