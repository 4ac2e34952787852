"""What the app holds: a read-only store connection and the practices index."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

import duckdb
from fastapi import Request

from tmo.indicators.evidence import Evidence
from tmo.store.query import connect


class WebState:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.con = connect(db)  # read-only; each request gets its own cursor

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.con.cursor()

    @cached_property
    def _practices(self):
        from tmo.practices.catalog import load_catalog
        from tmo.practices.search import PracticeSearch

        catalog = load_catalog()
        return catalog, PracticeSearch(catalog, semantic=False)

    def practices_catalog(self):
        return self._practices[0]

    def practices_search(self):
        return self._practices[1]

    def profile(self, iso3: str, year: int | None, revision: str | None) -> dict:
        """A country's profile data; the store is immutable, so answers are kept (LRU)."""
        return self._profile(iso3, year, revision)

    @cached_property
    def _profile(self):
        from functools import lru_cache

        from tmo.profiles.context import build_profile_from

        @lru_cache(maxsize=1024)
        def build(iso3: str, year: int | None, revision: str | None) -> dict:
            cur = self.cursor()
            try:
                return build_profile_from(cur, iso3, year, revision)
            finally:
                cur.close()

        return build

    def profile_json(self, iso3: str, year: int | None, revision: str | None
                     ) -> tuple[bytes, bytes]:
        """The API's profile answer, serialised and gzip-compressed once per
        (country, year, revision): (plain, gzip)."""
        return self._profile_json(iso3, year, revision)

    @cached_property
    def _profile_json(self):
        from functools import lru_cache

        from tmo.errors import NotFound
        from tmo.web.envelope import ok

        skip = ("names", "names_by_lang", "indicators", "sources")

        @lru_cache(maxsize=1024)
        def encode(iso3: str, year: int | None, revision: str | None) -> tuple[bytes, bytes]:
            cur = self.cursor()
            try:
                known = cur.execute("SELECT 1 FROM countries WHERE iso3 = ?", [iso3]).fetchone()
            finally:
                cur.close()
            if known is None:
                raise NotFound(f"unknown country {iso3!r}",
                               hint="GET /api/v1/countries lists them")
            data = self.profile(iso3, year, revision)
            body = ok({k: v for k, v in data.items() if k not in skip})
            raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
            return raw, gzip.compress(raw, compresslevel=6)

        return encode

    @cached_property
    def shapes(self) -> dict[str, str]:
        frame = self.con.cursor().execute("SELECT iso3, svg_path FROM country_shapes").df()
        return dict(zip(frame["iso3"], frame["svg_path"], strict=True))


def state(request: Request) -> WebState:
    return request.app.state.tmo


def evidence(request: Request) -> Iterator[Evidence]:
    cur = request.app.state.tmo.cursor()
    try:
        yield Evidence(cur)
    finally:
        cur.close()
