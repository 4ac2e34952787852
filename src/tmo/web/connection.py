"""The HTTP connection: uvicorn's httptools protocol with Nagle's algorithm off and limits
on what a client may send before the app sees a request.

- TCP_NODELAY: uvicorn's worker processes (`tmo serve --workers N`) get their listening
  socket rebuilt from a file descriptor, and asyncio then leaves Nagle's algorithm on for
  the connections it accepts: each answer, written as headers then body, waits for the
  client's delayed acknowledgement, about 40 ms (measured: 44 ms for every request with
  two workers, 0.5 ms with one). Setting TCP_NODELAY on every connection makes both modes
  the same.
- Header time-out: a connection must send the whole request line and headers within
  `header_timeout` seconds of opening (or of its first byte after an idle keep-alive),
  else it gets 408 and is closed; so slow or silent connections cannot be held open.
- Header size and count: more than `max_header_bytes` before the headers end, or more
  than `max_headers` headers, gets 431 and the connection is closed.
Limits come from `tmo.config.WebLimits` (`TMO_WEB_*`), read when the module is imported.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from tmo.config import WebLimits

LIMITS = WebLimits.from_env()
REASONS = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    limits = LIMITS
    _header_timer: asyncio.TimerHandle | None = None
    _header_bytes = 0
    _header_count = 0
    _in_body = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            with contextlib.suppress(OSError):  # not a TCP socket after all
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
        self._start_timer()  # a connection that never sends a request is closed too

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        super().connection_lost(exc)

    def _start_timer(self) -> None:
        self._stop_timer()
        self._header_timer = self.loop.call_later(self.limits.header_timeout, self._too_slow)

    def _stop_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _too_slow(self) -> None:
        self._header_timer = None
        if not self._in_body and not self.transport.is_closing():
            self._refuse(408, "the request's headers took too long")

    def _refuse(self, status: int, message: str) -> None:
        self._stop_timer()
        body = message.encode()
        self.transport.write(b"".join([
            b"HTTP/1.1 %d %s\r\n" % (status, REASONS[status]),
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: %d\r\n" % len(body), b"connection: close\r\n\r\n", body]))
        self.transport.close()

    def data_received(self, data: bytes) -> None:
        if self.transport.is_closing():
            return
        if not self._in_body:
            self._header_bytes += len(data)
            if self._header_bytes > self.limits.max_header_bytes:
                self._refuse(431, f"request headers over {self.limits.max_header_bytes} bytes")
                return
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_count = 0
        if self._header_timer is None:
            self._start_timer()

    def on_header(self, name: bytes, value: bytes) -> None:
        if self.transport.is_closing():
            return
        self._header_count += 1
        if self._header_count > self.limits.max_headers:
            self._refuse(431, f"more than {self.limits.max_headers} request headers")
            return
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self.transport.is_closing():
            return
        self._in_body = True
        self._stop_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_body = False
        self._header_bytes = 0
        if not self.transport.is_closing():
            super().on_message_complete()


# the name `tmo serve` used before the limits were added
NoDelayHttpToolsProtocol = GuardedHttpToolsProtocol
