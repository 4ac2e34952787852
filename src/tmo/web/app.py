"""The application factory: API, pages, and the operational middleware."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.gzip import GZipMiddleware
from starlette.responses import Response

from tmo import __version__
from tmo.web import api, envelope, pages
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


def create_app(db: Path) -> FastAPI:
    """A read-only app over the store at `db`."""
    app = FastAPI(title="Transnational Migration Observatory", version=__version__,
                  docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
                  description="Migration statistics from both sides of every border: "
                  "profiles, corridors, flows and good practices. Every answer is "
                  '`{"status": "ok", "data": ...}` or `{"status": "error", "error": {...}}`.')
    app.state.tmo = WebState(db)
    envelope.install(app)
    app.add_middleware(GZipMiddleware, minimum_size=1024)

    @app.middleware("http")
    async def operations(request: Request, call_next) -> Response:  # noqa: ANN001
        start = time.perf_counter()
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
            response: Response = envelope.error(413, f"request body over {MAX_BODY_BYTES} bytes")
        else:
            response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if request.method == "GET" and response.status_code == 200:
            # the store is immutable between builds: let clients and proxies cache answers
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        log.info(json.dumps({"method": request.method, "path": request.url.path,
                             "query": request.url.query, "status": response.status_code,
                             "ms": round(1000 * (time.perf_counter() - start), 1)}))
        return response

    app.include_router(api.router)
    app.include_router(pages.router)
    return app
