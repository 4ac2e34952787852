"""Profile answers kept serialised: each (country, year, revision) is built once, and the
default profile of every country is built in a background process when the server starts
(or read from the answers saved beside the store by an earlier start, see `answer_file`).

The store is immutable while the server runs, so an answer never goes stale. Answers are
kept as bytes (the profile as JSON, the API envelope plain and gzip-compressed), which
costs the garbage collector nothing and lets the API send them without serialising.
"""

from __future__ import annotations

import gzip
import json
import logging
import pickle
import sqlite3
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import duckdb

from tmo.errors import NotFound
from tmo.web import answer_file

Key = tuple[str, int | None, str | None]
# lookup tables the pages need but API clients get from /api/v1/countries or the spec
API_OMITS = ("names", "names_by_lang", "indicators", "sources")
log = logging.getLogger("tmo.web")


class ProfileAnswer(NamedTuple):
    profile: bytes  # the whole profile as JSON: what the pages render
    body: bytes  # the API answer: the envelope around the profile without its lookup tables
    body_gz: bytes  # the same, gzip-compressed

    def data(self) -> dict[str, Any]:
        """The profile as plain data (exactly what `build_profile_from` returned)."""
        return json.loads(self.profile)


def encode(profile: dict[str, Any]) -> ProfileAnswer:
    from tmo.web.envelope import ok

    whole = json.dumps(profile, ensure_ascii=False, separators=(",", ":")).encode()
    body = json.dumps(ok({k: v for k, v in profile.items() if k not in API_OMITS}),
                      ensure_ascii=False, separators=(",", ":")).encode()
    return ProfileAnswer(whole, body, gzip.compress(body, compresslevel=6))


def unknown_country(iso3: str) -> NotFound:
    return NotFound(f"unknown country {iso3!r}", hint="GET /api/v1/countries lists them")


def build_answer(con: duckdb.DuckDBPyConnection, key: Key) -> ProfileAnswer:
    """Build and serialise one profile; an unknown country is a NotFound."""
    from tmo.profiles.context import build_profile_from

    iso3, year, revision = key
    with con.cursor() as cur:
        if cur.execute("SELECT 1 FROM countries WHERE iso3 = ?", [iso3]).fetchone() is None:
            raise unknown_country(iso3)
        return encode(build_profile_from(cur, iso3, year, revision))


class ProfileCache:
    """A bounded LRU of profile answers over one read-only store."""

    def __init__(self, db: Path, con: duckdb.DuckDBPyConnection, maxsize: int = 1024) -> None:
        self.db = db
        self.con = con
        self.maxsize = maxsize
        self._items: OrderedDict[Key, ProfileAnswer] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[Key, Future[ProfileAnswer]] = {}
        self._builders = ThreadPoolExecutor(2, thread_name_prefix="tmo-profile")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._warm: dict[str, Any] = {"state": "off", "ready": 0, "total": 0, "failed": {}}
        with con.cursor() as cur:  # unknown codes are refused at once, without a build
            self.known = frozenset(r[0] for r in cur.execute("SELECT iso3 FROM countries")
                                   .fetchall())

    def get(self, key: Key) -> ProfileAnswer | None:
        """The kept answer, without building it (cheap enough for the event loop)."""
        with self._lock:
            answer = self._items.get(key)
            if answer is not None:
                self._items.move_to_end(key)
            return answer

    def put(self, key: Key, answer: ProfileAnswer) -> None:
        with self._lock:
            self._items[key] = answer
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def future(self, key: Key) -> Future[ProfileAnswer]:
        """The answer as a future: done if kept; otherwise one build per key, however many
        requests ask for it at once, on a small pool so that builds cannot crowd out the
        requests that are answered from memory."""
        answer = self.get(key)
        done: Future[ProfileAnswer] = Future()
        if answer is not None:
            done.set_result(answer)
            return done
        if key[0] not in self.known:
            done.set_exception(unknown_country(key[0]))
            return done
        with self._lock:
            pending = self._pending.get(key)
            if pending is None:
                pending = self._builders.submit(self._build, key)
                self._pending[key] = pending
            return pending

    def _build(self, key: Key) -> ProfileAnswer:
        try:
            answer = build_answer(self.con, key)
            self.put(key, answer)
            return answer
        finally:
            with self._lock:
                self._pending.pop(key, None)

    def answer(self, key: Key) -> ProfileAnswer:
        """The kept answer, or wait for its build (blocking: call it from a worker thread)."""
        return self.future(key).result()

    def __len__(self) -> int:
        return len(self._items)

    # warm-up --------------------------------------------------------------------------
    def warm(self, codes: Iterable[str] | None = None) -> threading.Thread:
        """Build the default profile of every country (or of `codes`) in one background
        process; requests keep being answered meanwhile, building on demand what is not
        ready yet. Progress is in `status()`."""
        if codes is None:
            with self.con.cursor() as cur:
                codes = [r[0] for r in cur.execute(
                    "SELECT iso3 FROM countries WHERE kind = 'country' ORDER BY iso3").fetchall()]
        keys = [(c, None, None) for c in codes]
        self._warm = {"state": "warming", "ready": 0, "total": len(keys), "failed": {},
                      "started": time.time()}
        self._thread = threading.Thread(target=self._warm_all, args=(keys,),
                                        name="tmo-profile-warm-up", daemon=True)
        self._thread.start()
        return self._thread

    def _warm_all(self, keys: list[Key]) -> None:
        state, final = self._warm, "failed"
        try:
            file = answer_file.path_for(self.db)
            fp = answer_file.fingerprint(self.db, self._build_time())
            while not self._stop.is_set():
                missing = self._load(file, fp, keys)
                if not missing:
                    final = "done"
                    break
                with answer_file.builder(file) as mine:
                    if mine:
                        missing = self._load(file, fp, keys)  # saved while this one waited
                        if missing:
                            self._build_in_process(missing)
                        if missing and not self._stop.is_set():
                            self._save(file, fp, keys)
                        final = "done"
                        break
                state["waiting"] = "another process is building the answers"
                self._stop.wait(0.5)
            if self._stop.is_set():
                final = "stopped"
        except Exception as exc:  # the server still answers, building on demand
            log.warning("profile warm-up stopped: %s", exc)
            state["error"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        finally:  # the state last: whoever polls it sees everything else already set
            state.pop("waiting", None)
            state["seconds"] = round(time.time() - state["started"], 1)
            state["state"] = final

    def _load(self, file: Path, fp: str, keys: list[Key]) -> list[Key]:
        """Keep the answers saved under fingerprint `fp`; the keys still missing."""
        saved = answer_file.read(file, fp)
        for key, parts in saved:
            if self.get(key) is None:
                self.put(key, ProfileAnswer(*parts))
        self._warm["loaded"] = len(saved)
        missing = [key for key in keys if self.get(key) is None]
        self._warm["ready"] = len(keys) - len(missing)
        return missing

    def _build_in_process(self, keys: list[Key]) -> None:
        """Build in a separate process (`tmo.web.warm_up`), so that building never holds
        the server's interpreter lock."""
        state = self._warm
        proc = subprocess.Popen([sys.executable, "-m", "tmo.web.warm_up", str(self.db),
                                 *(key[0] for key in keys)], stdout=subprocess.PIPE)
        self._proc = proc
        assert proc.stdout is not None
        try:
            while not self._stop.is_set():
                try:
                    key, parts, error = pickle.load(proc.stdout)
                except EOFError:
                    break
                if parts is None:
                    state["failed"][key[0]] = error
                else:
                    self.put(key, ProfileAnswer(*parts))
                    state["ready"] += 1
        except BaseException:
            proc.terminate()
            raise
        finally:
            proc.stdout.close()
            if self._stop.is_set():
                proc.terminate()
            code = proc.wait(timeout=60)
        if code and not self._stop.is_set():
            raise RuntimeError(f"the warm-up process ended with exit code {code}")

    def _save(self, file: Path, fp: str, keys: list[Key]) -> None:
        rows = [(key, tuple(answer)) for key in keys if (answer := self.get(key)) is not None]
        try:
            self._warm["saved"] = answer_file.write(file, fp, rows)
        except (OSError, sqlite3.Error) as exc:  # a read-only folder: warm again next time
            log.warning("profile answers not saved to %s: %s", file, exc)
            self._warm["saved"] = 0

    def _build_time(self) -> str:
        with self.con.cursor() as cur:
            row = cur.execute("SELECT value FROM build_info WHERE key = 'finished'").fetchone()
        return row[0] if row else ""

    def stop(self) -> None:
        self._stop.set()
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
        self._builders.shutdown(wait=False, cancel_futures=True)

    def status(self) -> dict[str, Any]:
        """Warm-up progress and the number of answers kept."""
        out = {k: v for k, v in self._warm.items() if k != "started"}
        out["failed"] = dict(out["failed"])
        out["kept"] = len(self._items)
        return out
