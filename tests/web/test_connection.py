"""Nagle's algorithm is off on every connection, also where uvicorn's worker processes
serve a listening socket rebuilt from a file descriptor (where asyncio leaves it on)."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest
import uvicorn

from tmo.web.connection import NoDelayHttpToolsProtocol


async def hello(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hello"})


def nodelay_of_served_connection(http_protocol) -> int:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    # what a worker process receives: the same socket, rebuilt with protocol number 0
    rebuilt = socket.fromfd(listener.fileno(), socket.AF_INET, socket.SOCK_STREAM)
    server = uvicorn.Server(uvicorn.Config(hello, http=http_protocol, loop="asyncio",
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [rebuilt]}, daemon=True)
    thread.start()
    try:
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        client.request("GET", "/")
        assert client.getresponse().read() == b"hello"
        (connection,) = server.server_state.connections  # still open: keep-alive
        sock = connection.transport.get_extra_info("socket")
        value = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        client.close()
        return value
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@pytest.mark.parametrize(("protocol", "expected"), [("httptools", 0),
                                                    (NoDelayHttpToolsProtocol, 1)])
def test_nodelay(protocol, expected: int) -> None:
    assert bool(nodelay_of_served_connection(protocol)) == bool(expected)
