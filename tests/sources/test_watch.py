"""Release watch (`tmo sources --check`) against a local HTTP server this test starts:
changed, unchanged (304 and same validators), missing, redirect, timeout, a server that
refuses HEAD; no file body is ever sent when nothing changed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from tmo.sources import watch
from tmo.sources.base import Edition, FileSpec, SourceSpec

BODY = b"x" * 5000


class Publisher(BaseHTTPRequestHandler):
    """Files by path: (ETag, Last-Modified); /moved redirects, /gone is 404, /slow
    answers after 2 s, /nohead refuses HEAD. Every request and body byte is logged."""

    files: ClassVar[dict[str, tuple[str | None, str | None]]] = {
             "/same.xlsx": ('"v1"', "Mon, 01 Jan 2024 00:00:00 GMT"),
             "/new.xlsx": ('"v2"', "Tue, 02 Jan 2024 00:00:00 GMT"),
             "/dated.xlsx": (None, "Wed, 03 Jan 2024 00:00:00 GMT"),
             "/nohead.xlsx": ('"n1"', None)}
    log: ClassVar[list[tuple[str, str, int, int]]] = []  # method, path, status, body bytes

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _answer(self, method: str) -> None:
        path = self.path
        if path == "/slow.xlsx":
            time.sleep(2)
        if path == "/moved.xlsx":
            return self._send(method, 302, {"Location": "/same.xlsx"})
        if path not in self.files or (path == "/nohead.xlsx" and method == "HEAD"):
            return self._send(method, 405 if path == "/nohead.xlsx" else 404, {})
        etag, modified = self.files[path]
        headers = {"Content-Length": str(len(BODY))}
        if etag:
            headers["ETag"] = etag
        if modified:
            headers["Last-Modified"] = modified
        match = etag and self.headers.get("If-None-Match") == etag
        if match or (not etag and modified and self.headers.get("If-Modified-Since") == modified):
            return self._send(method, 304, {k: v for k, v in headers.items()
                                            if k != "Content-Length"})
        return self._send(method, 200, headers, BODY if method == "GET" else b"")

    def _send(self, method: str, code: int, headers: dict[str, str], body: bytes = b"") -> None:
        self.send_response(code)
        for key, value in headers.items():
            self.send_header(key, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        Publisher.log.append((method, self.path, code, len(body)))  # before the client
        self.end_headers()                                            # can read it
        if body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._answer("HEAD")

    def do_GET(self) -> None:
        self._answer("GET")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def spec(key: str, url: str) -> SourceSpec:
    return SourceSpec(key, key, "Test publisher", "CC BY", "citation", "1",
                      (Edition("official", "tmo.sources.x:y",
                               (FileSpec(f"{key}.xlsx", url, None),)),))


def sidecar(cache: Path, key: str, **validators: str) -> None:
    """What `tmo build` leaves after downloading a file (with the validators it saw)."""
    folder = cache / key
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{key}.xlsx.meta.json").write_text(json.dumps(
        {"source": key, "file": f"{key}.xlsx", "sha256": "0" * 64, **validators}))


def test_each_answer_of_a_publisher(server: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    sidecar(cache, "same", etag='"v1"')
    sidecar(cache, "new", etag='"v1"')
    sidecar(cache, "dated", last_modified="Wed, 03 Jan 2024 00:00:00 GMT")
    sidecar(cache, "moved", etag='"v1"')
    sidecar(cache, "nohead", etag='"n1"')
    sidecar(cache, "gone", etag='"g"')
    specs = [spec(k, f"{server}/{k}.xlsx") for k in
             ("same", "new", "dated", "moved", "nohead", "gone")]
    Publisher.log.clear()
    got = {r.source: r for r in watch.check(specs, cache, timeout=5)}
    assert {k: r.status for k, r in got.items()} == {
        "same": "unchanged", "new": "changed", "dated": "unchanged", "moved": "unchanged",
        "nohead": "unchanged", "gone": "missing"}
    assert got["new"].detail == 'ETag "v1" -> "v2"'
    assert got["same"].detail == "304 Not Modified"
    # nothing changed for five of them: no body byte was sent for any request
    assert all(sent == 0 for _m, _p, _c, sent in Publisher.log), Publisher.log
    # the file that refuses HEAD was asked with a conditional GET, answered 304
    assert ("GET", "/nohead.xlsx", 304, 0) in Publisher.log
    # the redirect was followed as HEAD
    assert ("HEAD", "/same.xlsx", 304, 0) in [e for e in Publisher.log if e[1] == "/same.xlsx"]
    assert watch.exit_code(list(got.values())) == watch.NEW_RELEASE


def test_timeout_is_unreachable_not_a_crash(server: str, tmp_path: Path) -> None:
    started = time.perf_counter()
    result = watch.check_url("slow", "slow.xlsx", f"{server}/slow.xlsx", {"etag": '"x"'},
                             timeout=0.3)
    assert result.status == "unreachable"
    assert time.perf_counter() - started < 1.9
    assert watch.exit_code([result]) == watch.UNREACHABLE


def test_first_check_records_a_baseline_then_compares(server: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    specs = [spec("new", f"{server}/new.xlsx")]
    first = watch.check(specs, cache, timeout=5)
    assert [r.status for r in first] == ["recorded"]
    assert watch.exit_code(first) == 0
    state = json.loads((cache / "watch.json").read_text())
    assert state["new/new.xlsx"]["etag"] == '"v2"'
    Publisher.log.clear()
    second = watch.check(specs, cache, timeout=5)
    assert [r.status for r in second] == ["unchanged"]
    assert Publisher.log == [("HEAD", "/new.xlsx", 304, 0)]


def test_validators_compared_in_order() -> None:
    assert watch.compare({"etag": "a", "content_length": "1"},
                         {"etag": "a", "content_length": "2"})[0] == "unchanged"
    assert watch.compare({"content_length": "1"}, {"content_length": "2"})[0] == "changed"
    assert watch.compare({"last_modified": "x"}, {"etag": "y"})[0] == "unchanged"


def test_cli_exit_codes_for_cron(server: str, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from tmo.cli import cli
    from tmo.cli import store as cli_store

    monkeypatch.setenv("TMO_HOME", str(tmp_path))
    monkeypatch.delenv("TMO_CACHE", raising=False)
    sidecar(tmp_path / "cache", "new", etag='"v1"')
    sidecar(tmp_path / "cache", "same", etag='"v1"')
    catalogs = {"changed": {"new": spec("new", f"{server}/new.xlsx")},
                "unchanged": {"same": spec("same", f"{server}/same.xlsx")},
                "missing": {"gone": spec("gone", f"{server}/gone.xlsx")}}
    codes = {}
    for name, catalog in catalogs.items():
        monkeypatch.setattr(cli_store, "load_catalog", lambda c=catalog: c)
        res = CliRunner().invoke(cli, ["sources", "--check", "--timeout", "5"])
        codes[name] = res.exit_code
        if name == "changed":
            assert 'changed     new: new.xlsx (ETag "v1" -> "v2")' in res.output
    assert codes == {"changed": 2, "unchanged": 0, "missing": 3}
