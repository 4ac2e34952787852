"""The registry's sessions on the web: the registry a web app serves (its engine, made
on first use), the signed-in actor from the session cookie, and the CSRF checks. The
cookie holds a random token (Secure, HttpOnly, SameSite=Strict; the database keeps its
digest); every state change needs its session's CSRF token, or before sign-in the
double-submit token of the `tmo_registry_csrf` cookie, as a form field `csrf` or the
header `X-CSRF-Token`."""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import Body, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from tmo.registry import accounts
from tmo.registry.access import Actor, Forbidden
from tmo.registry.database import engine, require_current, transaction
from tmo.registry.i18n import language
from tmo.skills import finder, search, words

COOKIE = "tmo_registry"
CSRF_COOKIE = "tmo_registry_csrf"
NO_STORE = {"Cache-Control": "no-store"}
Lang = Annotated[str, Query(pattern="^(en|fr|es)$")]
Fields = Annotated[dict[str, Any], Body()]



class RegistryHandle:
    """The registry a web app serves: its engine, made on first use, and its schema
    checked once (an uninitialised registry answers 404 with the command that makes it)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._ready = False
        self._lock = threading.Lock()
        self._warm = threading.Event()  # the ranking's arrays and the facet table
        self._words = threading.Event()  # and the search's word index
        self._warm.set()  # nothing being prepared: nobody waits
        self._words.set()

    def warm(self) -> None:
        """Build the skills matching's arrays and the search's facet table in a background
        thread (a server's start-up: docs/skills.md), so the first ranking or search is as
        fast as the next ones. A registry not made yet (an SQLite file absent) is left
        alone; a failure is logged in one line and the first request builds them."""
        if make_url(self.url).get_backend_name() == "sqlite" and not Path(
                make_url(self.url).database or "").is_file():
            return
        self._warm.clear()
        self._words.clear()

        def run() -> None:
            try:
                made = self.engine()
                search.prepare(made)
                finder.prepare(made)
                self._warm.set()
                words.prepare(made)  # a bulk-loaded registry's words (a write, chunked)
            except Exception as exc:  # noqa: BLE001 - the first request builds them
                logging.getLogger("tmo.web").warning(
                    "skills arrays not prepared ahead: %s", str(exc).splitlines()[0])
            finally:
                self._warm.set()
                self._words.set()

        threading.Thread(target=run, name="tmo-skills-prepare", daemon=True).start()

    def prepared(self, timeout: float = 300.0, *, words: bool = False) -> None:
        """Wait for the start-up's arrays (and with `words` the word index), if they are
        being built (before a ranking or a search opens its transaction: the build reads
        the registry too)."""
        self._warm.wait(timeout)
        if words:
            self._words.wait(timeout)

    def engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = engine(self.url)
            if not self._ready:
                require_current(self._engine)
                self._ready = True
            return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def prepared(request: Request, *, words: bool = False) -> None:
    """Wait for the skills arrays (and the word index) built at start-up
    (`RegistryHandle.warm`)."""
    handle: RegistryHandle = request.app.state.registry
    handle.prepared(words=words)


def registry(request: Request) -> Engine:
    handle: RegistryHandle = request.app.state.registry
    return handle.engine()


Made = Annotated[Engine, Depends(registry)]



def lang_of(request: Request) -> str:
    return language(request.query_params.get("lang"))


def address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


# ------------------------------------------------------------------ sessions and CSRF

def signed_in(request: Request, made: Made) -> tuple[Actor, str]:
    """The signed-in actor and the session's CSRF token."""
    with transaction(made) as s:
        return accounts.current(s, request.cookies.get(COOKIE))


def check_csrf(request: Request, given: str | None, expected: str | None) -> None:
    origin = request.headers.get("origin")
    # "null": what a browser sends under the app's Referrer-Policy no-referrer; the token
    # below still has to match
    if origin and origin != "null" and origin.rstrip("/") != base_url(request):
        raise Forbidden("this request comes from another site", hint="use the registry's "
                        "own pages")
    if not given or not expected or not hmac.compare_digest(given, expected):
        raise Forbidden("the form's security token is missing or stale",
                        hint="reload the page and send it again")


def acting(request: Request, made: Made, csrf: str | None = None) -> Actor:
    """The signed-in actor of a state change whose CSRF token matches its session."""
    actor, expected = signed_in(request, made)
    check_csrf(request, csrf or request.headers.get("x-csrf-token"), expected)
    return actor


def anonymous_csrf(request: Request, csrf: str | None = None) -> None:
    """Before sign-in: the double-submit token (cookie and field or header agree)."""
    check_csrf(request, csrf or request.headers.get("x-csrf-token"),
                request.cookies.get(CSRF_COOKIE))


def set_session(response: Response, token: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, secure=True, samesite="strict",
                        path="/")


def anonymous_token(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or secrets.token_hex(32)


def set_csrf(response: Response, token: str) -> Response:
    response.set_cookie(CSRF_COOKIE, token, httponly=True, secure=True, samesite="strict",
                        path="/")
    return response
