"""The web server's limits, probed over loopback: slow and silent connections cut off,
oversized header blocks refused, rate limits per client, HEAD, CORS preflight, and PDFs
made once per build however many ask at once. Over the fixture store."""

from __future__ import annotations

import dataclasses
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import serve_app
from tmo.config import Settings, WebLimits, settings
from tmo.web import pages
from tmo.web.app import create_app
from tmo.web.connection import GuardedHttpToolsProtocol

TIMEOUT = 1.0
LIMITS = WebLimits(header_timeout=TIMEOUT, max_header_bytes=4096, max_headers=20,
                   keep_alive=1, search_per_minute=3, pdf_per_minute=60)


class Tight(GuardedHttpToolsProtocol):
    limits = LIMITS


def serve(app: Any) -> Iterator[tuple[str, int]]:
    """`app` with the tight limits above, as (host, port)."""
    for url in serve_app(app, http=Tight, timeout_keep_alive=1):
        host, port = url.removeprefix("http://").split(":")
        yield host, int(port)


@pytest.fixture(scope="module")
def address(fixture_web_store: Path) -> Iterator[tuple[str, int]]:
    cfg = dataclasses.replace(settings(), web=LIMITS, cors_origins=("https://example.org",))
    yield from serve(create_app(fixture_web_store, watch=0, settings=cfg))


def read_all(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes, and how long that took."""
    start = time.monotonic()
    sock.settimeout(limit)
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except TimeoutError:
        pass
    return b"".join(chunks), time.monotonic() - start


def test_slow_headers_are_cut_off(address) -> None:
    with socket.create_connection(address) as sock:
        sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
        for _ in range(3):  # a header line a bit too slowly, then silence
            time.sleep(0.2)
            sock.sendall(b"X-Slow: 1\r\n")
        answer, took = read_all(sock, 5 * TIMEOUT)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert took < 2 * TIMEOUT


def test_silent_connections_are_closed(address) -> None:
    with socket.create_connection(address) as sock:
        answer, took = read_all(sock, 5 * TIMEOUT)
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert took < 2 * TIMEOUT


def test_oversized_header_block_is_refused(address) -> None:
    with socket.create_connection(address) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 8000 + b"\r\n\r\n")
        answer, took = read_all(sock, 5)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"4096 bytes" in answer
    assert took < 1


def test_too_many_headers_are_refused(address) -> None:
    headers = b"".join(b"X-H%d: 1\r\n" % i for i in range(30))
    with socket.create_connection(address) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        answer, _ = read_all(sock, 5)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"more than 20" in answer


def test_normal_requests_and_keep_alive_still_work(address) -> None:
    base = f"http://{address[0]}:{address[1]}"
    with httpx.Client(base_url=base) as client:
        for _ in range(3):
            assert client.get("/api/v1/health").status_code == 200
        time.sleep(TIMEOUT * 1.5)  # idle between requests is the keep-alive's business
        assert client.get("/api/v1/health").status_code == 200


def test_head_on_get_routes(address) -> None:
    base = f"http://{address[0]}:{address[1]}"
    for path in ("/", "/api/v1/health", "/countries/MDA", "/api/v1/countries/MDA/profile"):
        get, head = httpx.get(base + path), httpx.head(base + path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]


def test_search_is_rate_limited_per_client(address) -> None:
    base = f"http://{address[0]}:{address[1]}"
    codes = [httpx.get(f"{base}/api/v1/practices?q=vote%20abroad").status_code
             for _ in range(5)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3:] == [429, 429]
    refused = httpx.get(f"{base}/api/v1/practices?q=vote")
    assert refused.json()["error"]["message"].startswith("too many search requests")
    assert int(refused.headers["retry-after"]) >= 1
    assert httpx.get(f"{base}/api/v1/practices").status_code == 200  # a listing is cheap
    page = httpx.get(f"{base}/search?q=moldova", headers={"Accept": "text/html"})
    assert page.status_code == 429
    assert "<html" in page.text


def test_cors_preflight_for_the_configured_origin(address) -> None:
    base = f"http://{address[0]}:{address[1]}"
    pre = httpx.options(f"{base}/api/v1/countries", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET"})
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == "https://example.org"
    other = httpx.options(f"{base}/api/v1/countries", headers={
        "Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in other.headers
    get = httpx.get(f"{base}/api/v1/health", headers={"Origin": "https://example.org"})
    assert get.headers["access-control-allow-origin"] == "https://example.org"


def test_pdf_made_once_for_eight_parallel_clients(fixture_web_store: Path, monkeypatch) -> None:
    made: list[str] = []
    real = pages.render_pdf

    def counting(*args, **kwargs):
        made.append(args[2] if len(args) > 2 else kwargs.get("lang", "en"))
        return real(*args, **kwargs)

    monkeypatch.setattr(pages, "render_pdf", counting)
    cfg = dataclasses.replace(settings(), web=LIMITS)
    for host, port in serve(create_app(fixture_web_store, watch=0, settings=cfg)):
        url = f"http://{host}:{port}/countries/TUV/profile.pdf?lang=fr"
        with ThreadPoolExecutor(8) as pool:  # httpx's default 5 s read time-out is less
            # than one PDF takes on a loaded two-core machine (a flake, not a failure)
            answers = list(pool.map(lambda u: httpx.get(u, timeout=120), [url] * 8))
        assert [a.status_code for a in answers] == [200] * 8
        assert len({a.content for a in answers}) == 1
        assert answers[0].content[:5] == b"%PDF-"
        assert made == ["fr"]


def test_settings_read_limits_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("TMO_WEB_HEADER_TIMEOUT", "2.5")
    monkeypatch.setenv("TMO_WEB_MAX_CONNECTIONS", "64")
    monkeypatch.setenv("TMO_CORS_ORIGINS", "https://a.example, https://b.example")
    cfg: Settings = settings()
    assert cfg.web.header_timeout == 2.5
    assert cfg.web.max_connections == 64
    assert cfg.cors_origins == ("https://a.example", "https://b.example")
