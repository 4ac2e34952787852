"""What the app holds: the store as of its latest build (a `Snapshot`), and the practices.

The store is immutable once written (`tmo.store.writer`): a build or a later stage swaps
a new file in. A watcher thread notices the swap (the file's identity changes), opens the
new file and prepares it completely (names, stored profiles, their API answers) before
the app switches to it; requests in flight finish on the snapshot they started with.
So a server keeps answering while `tmo flows` or `tmo build` runs, and serves the new
content afterwards.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
from fastapi import Request

from tmo.countries import CountryRegistry
from tmo.errors import NotFound
from tmo.practices.catalog import Catalog, load_catalog
from tmo.practices.queue import default_queue_path, published_version
from tmo.practices.search import PracticeSearch
from tmo.profiles.context import build_profile_from
from tmo.profiles.document import Profile
from tmo.profiles.lexicon import Lexicon
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.store.query import pinned, pinned_cursor

log = logging.getLogger("tmo.web")
Key = tuple[str, int, str]  # iso3, year, revision
Identity = tuple[int, int, int, int]
KEPT = 256  # profiles of other years and revisions kept per snapshot, and PDFs


def identity(db: Path) -> Identity:
    """What changes when a new store file is swapped in."""
    st = os.stat(db)
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


@dataclass(frozen=True)
class Answer:
    """A profile as the API sends it: the envelope, plain and gzip-compressed."""

    body: bytes
    body_gz: bytes

    @classmethod
    def of(cls, document: str) -> Answer:
        body = b'{"status":"ok","data":' + document.encode() + b"}"
        return cls(body, gzip.compress(body, compresslevel=6))


class Kept(OrderedDict[Any, Any]):
    """A small thread-safe LRU whose values are made once however many ask at once (the
    others wait for the first maker)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size
        self.lock = threading.Lock()
        self._making: dict[Any, threading.Lock] = {}

    def _kept(self, key: Any) -> tuple[bool, Any]:
        with self.lock:
            if key in self:
                self.move_to_end(key)
                return True, self[key]
            return False, None

    def get_or(self, key: Any, make: Any) -> Any:
        found, value = self._kept(key)
        if found:
            return value
        with self.lock:
            maker = self._making.setdefault(key, threading.Lock())
        with maker:  # one maker per key; the others find its value when they get here
            found, value = self._kept(key)
            if found:
                return value
            value = make()
            with self.lock:
                self[key] = value
                while len(self) > self.size:
                    self.popitem(last=False)
                self._making.pop(key, None)
        return value


class Snapshot:
    """One store file, opened read-only, with what every request needs computed once."""

    def __init__(self, db: Path) -> None:
        self.db = db
        while True:  # the identity of exactly the file attached, even if one is swapped in
            before = identity(db)
            self.con = pinned(db)
            if identity(db) == before:
                break
            self.con.close()
        self.identity = before
        con = self.cursor()
        self.fingerprint = facts.fingerprint(con)
        self.revision = facts.latest_revision(con)
        self.year = facts.default_year(con, self.revision)
        self.known = facts.area_codes(con)
        self.lexicon = Lexicon.from_store(con)
        self.country_list = [{"iso3": c, "name": n} for c, n in facts.country_list(con)]
        # places with a partial profile (tmo.profiles.partial), built on request
        self.partial = frozenset(c for c, _ in facts.partial_list(con))
        self.documents = facts.stored_profiles(con)
        con.close()
        self.answers = {key: Answer.of(doc) for key, doc in self.documents.items()}
        self._profiles = Kept(KEPT)
        self.pdfs = Kept(KEPT)

    @property
    def names(self) -> dict[str, str]:
        return self.lexicon.names_in("en")

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return pinned_cursor(self.con)

    def key(self, iso3: str, year: int | None, revision: str | None) -> Key:
        """The full key of a request: defaults filled, country and revision checked."""
        code = iso3.upper()
        if code not in self.known:
            raise NotFound(f"unknown country {iso3!r}", hint="GET /api/v1/countries lists them")
        if year is None and revision is None:
            return (code, self.year, self.revision)
        with self.cursor() as cur:
            rev = facts.revision_or_latest(cur, revision)
            return (code, facts.year_or_default(cur, rev, year), rev)

    def answer(self, key: Key) -> Answer:
        """The API answer of a profile: stored, or built and kept."""
        stored = self.answers.get(key)
        if stored is not None:
            return stored
        return self._profiles.get_or(("answer", key), lambda: Answer.of(
            json.dumps(self.profile(key), ensure_ascii=False, separators=(",", ":"))))

    def profile(self, key: Key) -> Profile:
        """The profile document of a key: the stored one, or built once and kept."""
        def make() -> Profile:
            document = self.documents.get(key)
            if document is not None:
                return json.loads(document)
            with self.cursor() as cur:
                return build_profile_from(cur, *key)
        return self._profiles.get_or(key, make)

    @cached_property
    def registry(self) -> CountryRegistry:
        with self.cursor() as cur:
            return facts.registry(cur)

    def close(self) -> None:
        self.con.close()


class WebState:
    """The current snapshot of the store, replaced when a new store file is swapped in."""

    def __init__(self, db: Path, *, watch: float = 1.0, queue: Path | None = None) -> None:
        self.db = db
        self.queue = queue or default_queue_path()
        self._practices_lock = threading.Lock()
        self._practices_kept: tuple[Any, Catalog, PracticeSearch] | None = None
        self.current = Snapshot(db)
        self.reloads = 0
        self._stop = threading.Event()
        self._watcher: threading.Thread | None = None
        if watch > 0:
            self._watcher = threading.Thread(target=self._watch, args=(watch,),
                                             name="tmo-store-watch", daemon=True)
            self._watcher.start()

    def _watch(self, every: float) -> None:
        while not self._stop.wait(every):
            self.refresh()

    def refresh(self) -> bool:
        """Switch to a new store file if one was swapped in; whether it switched."""
        try:
            if identity(self.db) == self.current.identity:
                return False
            fresh = Snapshot(self.db)
        except (OSError, duckdb.Error, NotFound) as exc:  # mid-swap or damaged: retry later
            log.warning("store %s not reloaded: %s", self.db, str(exc).splitlines()[0])
            return False
        self.current = fresh  # the old snapshot closes when its last request ends
        self.reloads += 1
        log.info(json.dumps({"event": "store reloaded", "fingerprint": fresh.fingerprint}))
        return True

    def stop(self) -> None:
        self._stop.set()

    def _practices(self) -> tuple[Catalog, PracticeSearch]:
        """The curated practices and those published from the moderation queue, with their
        search index; rebuilt when the queue publishes another (checked per request)."""
        version = published_version(self.queue)
        with self._practices_lock:
            if self._practices_kept is None or self._practices_kept[0] != version:
                catalog = load_catalog(queue=self.queue if version else None)
                self._practices_kept = (version, catalog,
                                        PracticeSearch(catalog, semantic=False))
            return self._practices_kept[1], self._practices_kept[2]

    def practices_catalog(self) -> Catalog:
        return self._practices()[0]

    def practices_search(self) -> PracticeSearch:
        return self._practices()[1]


def state(request: Request) -> WebState:
    return request.app.state.tmo


def snapshot(request: Request) -> Snapshot:
    """The store as of the request's start (a dependency of every route that reads it)."""
    return request.app.state.tmo.current


def evidence(request: Request) -> Iterator[Evidence]:
    with request.app.state.tmo.current.cursor() as cur:
        yield Evidence(cur)
