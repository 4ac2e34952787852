"""Rate limits per client on the routes that cost the server most (pure ASGI middleware).

Each client (its IP address, as uvicorn reports it: behind a reverse proxy, the address
the proxy forwards when uvicorn trusts it) has a token bucket per kind of route: PDFs,
searches, and every write (POST, PUT, PATCH, DELETE). A bucket holds a minute's worth of
requests and refills continuously; an empty bucket answers 429 with `Retry-After`.
Buckets of clients idle for ten minutes are forgotten, so memory stays bounded.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from tmo.config import WebLimits

IDLE = 600.0
PDF = re.compile(r"^/countries/[^/]+/profile\.pdf$")
SEARCH_PATHS = ("/search", "/practices", "/api/v1/practices")
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def kind_of(method: str, path: str, query: bytes) -> str | None:
    """Which limited kind a request is, if any."""
    if method in WRITES:
        return "write"
    if PDF.match(path):
        return "pdf"
    if path == "/search" or (path in SEARCH_PATHS and b"q=" in query):
        return "search"
    return None


@dataclass
class Bucket:
    tokens: float
    at: float


class Buckets:
    """Token buckets per (client, kind), thread-safe."""

    def __init__(self, per_minute: dict[str, int], clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._lock = threading.Lock()
        self._swept = clock()

    def take(self, client: str, kind: str) -> float:
        """0 if the request may go ahead (one token taken), else seconds to wait."""
        rate = self.per_minute[kind] / 60.0
        now = self.clock()
        with self._lock:
            if now - self._swept > IDLE:
                self._buckets = {k: b for k, b in self._buckets.items() if now - b.at < IDLE}
                self._swept = now
            bucket = self._buckets.setdefault((client, kind),
                                              Bucket(float(self.per_minute[kind]), now))
            bucket.tokens = min(self.per_minute[kind], bucket.tokens + (now - bucket.at) * rate)
            bucket.at = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / rate

    def __len__(self) -> int:
        return len(self._buckets)


class RateLimit:
    def __init__(self, app: ASGIApp, limits: WebLimits | None = None,
                 refuse: Callable[[Scope, float, str], ASGIApp] | None = None) -> None:
        self.app = app
        limits = limits or WebLimits.from_env()
        self.buckets = Buckets({"pdf": limits.pdf_per_minute,
                                "search": limits.search_per_minute,
                                "write": limits.write_per_minute})
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            kind = kind_of(scope["method"], scope["path"], scope.get("query_string", b""))
            if kind is not None:
                client = (scope.get("client") or ("unknown", 0))[0]
                wait = self.buckets.take(client, kind)
                if wait > 0 and self.refuse is not None:
                    response = self.refuse(scope, math.ceil(wait), kind)
                    await response(scope, receive, send)
                    return
        await self.app(scope, receive, send)
