"""The application factory: API, pages, and the operational middleware."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tmo import __version__
from tmo.config import Settings
from tmo.config import settings as current_settings
from tmo.registry.database import resolve_url
from tmo.web import (
    api,
    areas,
    changes,
    countries,
    debate,
    envelope,
    explore,
    pages,
    pensions,
    registry,
    remittances,
    schemas,
    voting,
)
from tmo.web.limits import RateLimit
from tmo.web.projections import router as projection_pages
from tmo.web.state import WebState

MAX_BODY_BYTES = 64 * 1024
log = logging.getLogger("tmo.web.access")

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; "
                               "script-src 'self' 'unsafe-inline'",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}
# embed routes (/embed/...) may be framed by any site; every other answer by none
EMBED_HEADERS = {**{k: v for k, v in SECURITY_HEADERS.items() if k != "X-Frame-Options"},
                 "Content-Security-Policy": SECURITY_HEADERS["Content-Security-Policy"]
                 + "; frame-ancestors *"}
SECURITY_HEADERS["Content-Security-Policy"] += "; frame-ancestors 'none'"


class Operations:
    """Pure ASGI middleware: request size limit, HEAD on every GET route (answered as GET,
    without the body), security and caching headers, and one structured access-log line
    per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        head = scope["method"] == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"")
        status = {"code": 0}
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            response = envelope.error(413, f"request body over {MAX_BODY_BYTES} bytes")
            await response(scope, receive, self._send(send, scope, status, head))
        else:
            await self.app(scope, receive, self._send(send, scope, status, head))
        log.info(json.dumps({"method": "HEAD" if head else scope["method"],
                             "path": scope["path"],
                             "query": scope.get("query_string", b"").decode(),
                             "status": status["code"],
                             "ms": round(1000 * (time.perf_counter() - start), 1)}))

    @staticmethod
    def _send(send: Send, scope: Scope, status: dict, head: bool = False) -> Send:
        async def wrapped(message: Message) -> None:
            if head and message["type"] == "http.response.body":
                if not message.get("more_body"):
                    await send({"type": "http.response.body", "body": b""})
                return
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                out = MutableHeaders(scope=message)
                framed = scope["path"].startswith("/embed/")
                for key, value in (EMBED_HEADERS if framed else SECURITY_HEADERS).items():
                    out[key] = value
                if scope["method"] == "GET" and message["status"] == 200 \
                        and "cache-control" not in out:
                    # a build or `tmo flows` may swap a new store in at any time: caches
                    # may keep answers briefly, and revalidate profiles by their ETag
                    out["Cache-Control"] = "public, max-age=60"
            await send(message)
        return wrapped


def too_many(scope: Scope, wait: float, kind: str) -> Response:
    """The answer to a client over its rate limit (a page for browsers, in the page's
    language, else JSON)."""
    message = f"too many {kind} requests from this address; try again in {wait:.0f} s"
    wanted = dict(scope.get("headers") or []).get(b"accept", b"")
    if not scope["path"].startswith("/api/") and b"text/html" in wanted:
        lang = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("lang", [""])[0]
        response: Response = pages.error_page(429, message, None,
                                              lang if lang in ("fr", "es") else "en")
    else:
        response = envelope.error(429, message)
    response.headers["Retry-After"] = str(int(wait))
    return response


def create_app(db: Path, *, watch: float = 1.0, settings: Settings | None = None,
               registry_url: str | None = None) -> FastAPI:
    """A read-only app over the store at `db`; every `watch` seconds it checks whether a
    new store file was swapped in and switches to it (see `tmo.web.state`). Rate limits
    and CORS come from `settings` (default: the environment, `tmo.config`). The diaspora
    registry is served from `registry_url` (default `TMO_REGISTRY_URL`, else the SQLite
    file beside the store; docs/registry.md)."""
    cfg = settings or current_settings()
    web = WebState(db, watch=watch)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.registry.warm()  # the skills arrays, built ahead (docs/skills.md)
        yield
        web.stop()
        app.state.registry.close()

    app = FastAPI(title="Transnational Migration Observatory", version=__version__,
                  lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
                  description="Migration statistics from both sides of every border: "
                  "profiles, corridors, flows and good practices. Every answer is "
                  '`{"status": "ok", "data": ...}` or `{"status": "error", "error": {...}}`.')
    app.state.tmo = web
    envelope.install(app, page=pages.error_page)
    app.add_middleware(GZipMiddleware, minimum_size=1024)

    if cfg.cors_origins:  # pages of other sites may call the read-only API
        app.add_middleware(CORSMiddleware, allow_origins=list(cfg.cors_origins),
                           allow_methods=["GET", "HEAD"], allow_headers=["*"],
                           expose_headers=["ETag"], max_age=600)
    app.add_middleware(RateLimit, limits=cfg.web, refuse=too_many)
    app.add_middleware(Operations)
    app.include_router(api.router)
    app.include_router(countries.router)
    app.include_router(areas.router)
    app.include_router(explore.router)
    app.include_router(pages.router)
    app.include_router(voting.router)
    app.include_router(pensions.router)
    app.include_router(remittances.router)
    app.include_router(changes.router)
    app.include_router(projection_pages)
    app.include_router(debate.router)
    registry.install(app, resolve_url(registry_url, db))
    app.include_router(pensions.api)
    schemas.document_errors(app)
    return app


def app_from_env() -> FastAPI:
    """Factory for multi-worker servers: the store path comes from TMO_DB (set by
    `tmo serve`)."""
    return create_app(current_settings().db_path)
