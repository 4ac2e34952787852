"""What the app holds: a read-only store connection and the practices index."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path

import duckdb
from fastapi import Request

from tmo.countries import CountryRegistry
from tmo.indicators.evidence import Evidence
from tmo.store.query import connect
from tmo.web.profile_cache import ProfileCache


class WebState:
    def __init__(self, db: Path) -> None:
        self.db = db
        self.con = connect(db)  # read-only; each request gets its own cursor
        self.profiles = ProfileCache(db, self.con)

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
        """A country's profile data (built once, then kept serialised)."""
        return self.profiles.answer((iso3, year, revision)).data()

    @cached_property
    def names(self) -> dict[str, str]:
        """Area code -> the name the statistics use (see `tmo.profiles.context.names`)."""
        from tmo.profiles.context import names

        with self.con.cursor() as cur:
            return names(Evidence(cur))

    @cached_property
    def country_list(self) -> list[dict[str, str]]:
        """Countries by those names, in alphabetical order (search box, corridor picker)."""
        with self.con.cursor() as cur:
            codes = [r[0] for r in cur.execute(
                "SELECT iso3 FROM countries WHERE kind = 'country'").fetchall()]
        return sorted(({"iso3": c, "name": self.names.get(c, c)} for c in codes),
                      key=lambda c: c["name"])

    @cached_property
    def registry(self) -> CountryRegistry:
        """Country names and codes of the store, for the search (built once)."""
        with self.con.cursor() as cur:
            return CountryRegistry.from_frames(cur.execute("SELECT * FROM countries").df(),
                                               cur.execute("SELECT * FROM country_groups").df())

    @cached_property
    def shapes(self) -> dict[str, str]:
        frame = self.con.cursor().execute("SELECT iso3, svg_path FROM country_shapes").df()
        return dict(zip(frame["iso3"], frame["svg_path"], strict=True))


def state(request: Request) -> WebState:
    return request.app.state.tmo


def evidence(request: Request) -> Iterator[Evidence]:
    with request.app.state.tmo.cursor() as cur:
        yield Evidence(cur)
