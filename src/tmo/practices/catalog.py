"""The catalog of good practices: curated records from `practices/` (see
`tmo.practices.curated`) plus published (approved) submissions from the moderation queue.

Country filters resolve through the country registry of `tmo.practices.places` (the
store's when one is built): codes, and English names without fuzziness.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tmo.errors import InputError, NotFound
from tmo.practices.curated import load_curated, practices_dir
from tmo.practices.places import Places, default_places
from tmo.practices.queue import ModerationQueue
from tmo.practices.record import LEVELS, THEMES, Practice

__all__ = ["Catalog", "load_catalog", "load_curated", "practices_dir",
           "practices_for_countries", "resolve_level", "resolve_theme"]


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
    places: Places = field(default_factory=default_places, compare=False, repr=False)

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
        code = self.places.resolve(country) if country else None
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
    directory: Path | None = None, *, queue: Path | None = None, places: Places | None = None
) -> Catalog:
    """Curated records plus the approved submissions of `queue` (when that file exists).
    `places`: the country registry (default: the store's when one is built, else the
    committed ISO 3166 table)."""
    places = places or default_places()
    records = load_curated(directory, places=places)
    if queue is not None and Path(queue).is_file():
        records.extend(ModerationQueue(queue).published(places=places))
    return Catalog(tuple(records), places)


def practices_for_countries(
    iso3_list: Sequence[str], *, catalog: Catalog | None = None
) -> dict[str, list[Practice]]:
    """For country profiles: ISO3 code -> the practices naming that country (curated set
    unless a catalog is given), in the order the codes were given."""
    return (catalog or load_catalog()).for_countries(iso3_list)
