"""The good-practice repository: curated records of practices, programmes, laws and
initiatives named in the IDM 2010 documents, searchable in plain language, with a
moderation queue for new submissions.

Modules: `record` (parsing and validation against `schema.json`), `places` (the
country registry the records name countries from), `curated` (the folder of curated
records), `catalog` (curated plus published records, facets, filters), `thesaurus`
(policy vocabulary for query expansion), `glossary` (French and Spanish questions in
the records' English words), `index` (SQLite FTS5 / BM25, coverage), `semantic`
(optional embedding model), `search` (ranking, relevance floor), `scope` (the "no close
match" message and theme names in EN/FR/ES), `queue` (moderation).
"""

from __future__ import annotations

from tmo.practices.catalog import Catalog, load_catalog, practices_for_countries
from tmo.practices.curated import load_curated, practices_dir
from tmo.practices.places import Places, default_places
from tmo.practices.queue import ModerationQueue, default_queue_path
from tmo.practices.record import ACTOR_TYPES, LEVELS, THEMES, Practice, parse_practice
from tmo.practices.search import Hit, PracticeSearch

__all__ = [
    "ACTOR_TYPES",
    "LEVELS",
    "THEMES",
    "Catalog",
    "Hit",
    "ModerationQueue",
    "Places",
    "Practice",
    "PracticeSearch",
    "default_places",
    "default_queue_path",
    "load_catalog",
    "load_curated",
    "parse_practice",
    "practices_dir",
    "practices_for_countries",
]
