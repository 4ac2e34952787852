"""Full-text index of the practices: SQLite FTS5 with BM25 ranking (standard library).

The index lives in memory and is built once per process from the catalog (66 records
take a few milliseconds). A question is searched twice: its own keywords, then the
policy vocabulary its concepts add (`thesaurus.expand`); the second score is
down-weighted by `EXPANSION_WEIGHT`. Column weights favour titles and themes.

Each match also carries its coverage: the share of the question's content words
(`Expansion.units`) the record contains. A record that shares one word of a
four-word question ("weather in Paris tomorrow" and the Paris museum) covers a
quarter of it; `search.py` weighs the BM25 score by it (Lucene's classic coordination
factor) before the relevance floor.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from tmo.practices.places import Places, default_places
from tmo.practices.record import Practice
from tmo.practices.thesaurus import Expansion, expand

# column order of the FTS table; the weights below follow it (id is unindexed)
COLUMNS = ("id", "title", "themes", "places", "actors", "groups", "body")
WEIGHTS = (0.0, 4.0, 2.5, 2.0, 1.5, 1.5, 1.0)
EXPANSION_WEIGHT = 0.5
TOKENIZER = "porter unicode61 remove_diacritics 2"


def _places_text(record: Practice, places: Places) -> str:
    """Codes and names of the record's countries (the names the profiles show), then its
    places."""
    parts = [f"{code} {places.name(code)}" for code in record.countries]
    return " ; ".join(parts + list(record.places))


def _fts_phrase(term: str) -> str:
    """A term as an FTS5 phrase literal: quoted, with embedded quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


@dataclass(frozen=True)
class Match:
    id: str
    score: float
    keyword_score: float
    expansion_score: float
    coverage: float = 0.0


class FullTextIndex:
    """BM25 search over title, themes, places (with country names), actors, groups, body."""

    def __init__(self, records: Iterable[Practice], places: Places | None = None) -> None:
        """places: whose country names to index (default: `default_places()`)."""
        places = places or default_places()
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(
            f"CREATE VIRTUAL TABLE practice_fts USING fts5("
            f"{', '.join(c + (' UNINDEXED' if c == 'id' else '') for c in COLUMNS)}, "
            f"tokenize = '{TOKENIZER}')"
        )
        self._db.executemany(
            "INSERT INTO practice_fts VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    r.id,
                    r.title,
                    " ; ".join(r.themes) + " ; " + r.level,
                    _places_text(r, places),
                    " ; ".join(f"{a.name} ({a.type})" for a in r.actors),
                    " ; ".join(r.target_groups),
                    r.body,
                )
                for r in records
            ],
        )
        self._db.commit()
        self._count = self._db.execute("SELECT count(*) FROM practice_fts").fetchone()[0]
        self._bm25 = f"bm25(practice_fts, {', '.join(str(w) for w in WEIGHTS)})"

    def close(self) -> None:
        self._db.close()

    def _scores(self, terms: Iterable[str]) -> dict[str, float]:
        phrases = [_fts_phrase(t) for t in terms if t.strip()]
        if not phrases:
            return {}
        rows = self._db.execute(
            f"SELECT id, -{self._bm25} FROM practice_fts WHERE practice_fts MATCH ?",
            (" OR ".join(phrases),),
        ).fetchall()
        return {rid: float(score) for rid, score in rows}

    def _ids(self, terms: Iterable[str]) -> set[str]:
        """Ids of the records containing any of the terms (no ranking)."""
        phrases = [_fts_phrase(t) for t in terms if t.strip()]
        if not phrases:
            return set()
        rows = self._db.execute("SELECT id FROM practice_fts WHERE practice_fts MATCH ?",
                                (" OR ".join(phrases),)).fetchall()
        return {rid for (rid,) in rows}

    def _coverage(self, units: tuple[tuple[str, ...], ...]) -> dict[str, float]:
        """Record id -> the weighted share of the units (content words) whose terms it
        contains. A unit weighs ln(1 + N / (n + 1)) for N records of which n contain it:
        a word no record uses ("pizza") weighs most, a word most records use least."""
        if not units:
            return {}
        found = [self._ids(unit) for unit in units]
        weights = [math.log(1 + self._count / (len(ids) + 1)) for ids in found]
        total = sum(weights)
        shares: dict[str, float] = {}
        for ids, weight in zip(found, weights, strict=True):
            for rid in ids:
                shares[rid] = shares.get(rid, 0.0) + weight / total
        return shares

    def search(self, query: str | Expansion) -> list[Match]:
        """Every matching record, best first; score = keyword BM25 + weighted expansion BM25."""
        expansion = expand(query) if isinstance(query, str) else query
        direct = self._scores(expansion.keywords)
        extra = self._scores(expansion.terms)
        coverage = self._coverage(expansion.units)
        matches = [
            Match(
                rid,
                direct.get(rid, 0.0) + EXPANSION_WEIGHT * extra.get(rid, 0.0),
                direct.get(rid, 0.0),
                extra.get(rid, 0.0),
                coverage.get(rid, 0.0),
            )
            for rid in set(direct) | set(extra)
        ]
        return sorted(matches, key=lambda m: (-m.score, m.id))
