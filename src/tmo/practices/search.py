"""Ranked search over the catalog: full text (always) blended with semantic similarity
(when the optional model is installed).

Full-text score = BM25 (keywords plus down-weighted expansion terms) x coverage, the
weighted share of the question's content words the record contains (`index.py`).

Relevance floor: a question gets no answer at all unless some record covers at least
`MIN_COVERAGE` of it (so "weather in Paris tomorrow" does not return the Paris museum),
and no record scoring below `FLOOR` is returned. With no hit, `no_match` says so and
states the repository's scope (`scope.py`).

Hybrid score = `FULLTEXT_SHARE` x (full-text score / best full-text score of the question)
+ (1 - `FULLTEXT_SHARE`) x cosine similarity; a record enters with a full-text score
above the floor or a cosine of at least `MIN_SIMILARITY`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tmo.errors import InputError
from tmo.practices.catalog import Catalog
from tmo.practices.index import FullTextIndex
from tmo.practices.record import Practice
from tmo.practices.scope import no_match
from tmo.practices.semantic import SemanticIndex
from tmo.practices.thesaurus import expand, language

FULLTEXT_SHARE = 0.5
MIN_SIMILARITY = 0.25
MAX_QUERY_CHARS = 500
# calibrated on the evaluation questions (EN/FR/ES) and off-topic questions, see
# docs/practices.md: the lowest best coverage of an evaluation question is 0.40, the
# highest of the off-topic ones 0.33 ("the history of Rome")
MIN_COVERAGE = 0.35
FLOOR = 1.0


@dataclass(frozen=True)
class Hit:
    practice: Practice
    score: float
    coverage: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        p = self.practice
        return {
            "id": p.id,
            "title": p.title,
            "countries": list(p.countries),
            "themes": list(p.themes),
            "level": p.level,
            "summary": p.summary,
            "source": str(p.source),
            "score": round(self.score, 4),
            "coverage": round(self.coverage, 4),
        }


class PracticeSearch:
    """Indexes built once (start-up); `search` is then a few milliseconds per question."""

    def __init__(self, catalog: Catalog, *, semantic: bool | None = None) -> None:
        """semantic: None = use the model when installed (and `Settings.semantic` is on),
        False = full text only, True = require the model (InputError when it is absent).
        Country names and filters come from the catalog's `places`."""
        self.catalog = catalog
        self._fulltext = FullTextIndex(catalog.records, catalog.places)
        self._semantic = None if semantic is False else SemanticIndex.load(catalog.records)
        if semantic is True and self._semantic is None:
            raise InputError(
                "semantic search asked for, but the embedding model is not installed",
                hint="pip install 'transnational-migration-observatory[semantic]'",
            )

    @property
    def mode(self) -> str:
        return "hybrid" if self._semantic is not None else "fulltext"

    def search(
        self,
        query: str,
        *,
        country: str | None = None,
        theme: str | None = None,
        level: str | None = None,
        limit: int = 10,
    ) -> list[Hit]:
        if not query or not query.strip():
            raise InputError(
                "empty search query", hint='e.g. tmo practices search "out-of-country voting"'
            )
        if len(query) > MAX_QUERY_CHARS:
            raise InputError(f"search query longer than {MAX_QUERY_CHARS} characters")
        if limit < 1:
            raise InputError(f"--limit must be at least 1, got {limit}")
        allowed = {
            r.id: r
            for r in (
                self.catalog.filter(country=country, theme=theme, level=level)
                if (country or theme or level)
                else self.catalog.records
            )
        }
        expansion = expand(query)
        matches = {m.id: m for m in self._fulltext.search(expansion) if m.id in allowed}
        relevant = max((m.coverage for m in matches.values()), default=0.0) >= MIN_COVERAGE
        fulltext = {
            rid: m.score * m.coverage
            for rid, m in matches.items()
            if relevant and m.score * m.coverage >= FLOOR
        }
        if self._semantic is None:
            scores = fulltext
        else:
            cosine = self._semantic.similarities(query)
            best = max(fulltext.values(), default=0.0) or 1.0
            scores = {
                rid: FULLTEXT_SHARE * fulltext.get(rid, 0.0) / best
                + (1 - FULLTEXT_SHARE) * cosine.get(rid, 0.0)
                for rid in allowed
                if rid in fulltext or cosine.get(rid, 0.0) >= MIN_SIMILARITY
            }
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return [
            Hit(allowed[rid], score, matches[rid].coverage if rid in matches else 0.0)
            for rid, score in ranked
        ]

    def no_match(self, query: str, lang: str | None = None) -> str:
        """The "no close match" message, stating the repository's scope, in `lang`
        (None: the question's own language, English, French or Spanish)."""
        return no_match(query, self.catalog, lang or language(query))
