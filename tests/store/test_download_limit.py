"""Downloads are bounded by the limit on inputs' bytes (`TMO_MAX_INPUT_BYTES`, issue #11 b):
refused at once when the server declares a larger Content-Length, and as soon as more
bytes arrive when it declares none or a malformed one; one line naming the file, the URL and the
limit; nothing left in the cache. Against a local HTTP server the test starts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tmo.config import InputLimits, Settings
from tmo.errors import SourceError
from tmo.sources.base import Edition, FileSpec, SourceSpec
from tmo.sources.io import input_limits
from tmo.store.build import build

LIMIT = 64 * 1024
BODY = b"a,b\n1,2\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # no Content-Length means: until the connection closes

    def log_message(self, *args: object) -> None:  # keep the test's output clean
        pass

    def do_GET(self) -> None:
        size = {"/small.csv": len(BODY), "/declared.csv": 10 * LIMIT,
                "/undeclared.csv": 10 * LIMIT, "/malformed.csv": 10 * LIMIT}[self.path]
        self.send_response(200)
        if self.path in ("/small.csv", "/declared.csv"):
            self.send_header("Content-Length", str(size))
        elif self.path == "/malformed.csv":
            self.send_header("Content-Length", "lots")  # read until the connection closes
        self.end_headers()
        if self.path == "/small.csv":
            self.wfile.write(BODY)
            return
        done = 0
        try:
            while done < size:
                self.wfile.write(b"x" * 4096)
                done += 4096
        except OSError:  # the client stopped reading
            pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _spec(url: str) -> SourceSpec:
    return SourceSpec("demo", "Demo", "Publisher", "CC0", "cite", "1",
                      (Edition("official", "tmo.sources.unhcr:read_population",
                               (FileSpec(url.rsplit("/", 1)[1], url=url),)),))


def _fetch(url: str, cache: Path):
    from tmo.sources.snapshot import fetch

    with input_limits(InputLimits(max_bytes=LIMIT)):
        return fetch(_spec(url), cache, allow_changed=True)


def test_a_download_within_the_limit_is_kept(server: str, tmp_path: Path) -> None:
    res = _fetch(f"{server}/small.csv", tmp_path)
    assert res.snapshots[0].path.read_bytes() == BODY


@pytest.mark.parametrize(("path", "said"), [
    ("declared.csv", f"the size the server declares ({10 * LIMIT:,} bytes) exceeds"),
    ("undeclared.csv", "the bytes received so far"),
    ("malformed.csv", "the bytes received so far"),
])
def test_a_download_beyond_the_limit_is_refused(server: str, tmp_path: Path, path: str,
                                                said: str) -> None:
    with pytest.raises(SourceError) as caught:
        _fetch(f"{server}/{path}", tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path} (download from {server}/{path}): {said}")
    assert message.endswith(f"the limit of {LIMIT:,} bytes (TMO_MAX_INPUT_BYTES); refused")
    assert caught.value.hint is not None
    assert "raise the limit" in caught.value.hint
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []  # no .part, no sidecar


def test_a_build_applies_the_settings_limit_to_downloads(server: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    from tmo.store import build as build_module

    monkeypatch.setattr(build_module, "load_catalog",
                        lambda: {"demo": _spec(f"{server}/declared.csv")})
    monkeypatch.setattr(build_module, "REFERENCE_SOURCES", ())
    settings = Settings(home=tmp_path, db_path=tmp_path / "tmo.duckdb",
                        cache_dir=tmp_path / "cache", source_dir=None,
                        inputs=InputLimits(max_bytes=LIMIT))
    with pytest.raises(SourceError, match=r"declared\.csv .*TMO_MAX_INPUT_BYTES"):
        build(settings)
    assert not (tmp_path / "tmo.duckdb").exists()
