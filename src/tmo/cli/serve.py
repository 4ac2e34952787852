"""`tmo serve`: the web app and JSON API over the store."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import click
import uvicorn

from tmo.cli.store import db_option
from tmo.config import settings
from tmo.web.connection import LIMITS, GuardedHttpToolsProtocol

# httptools parses HTTP in C, with TCP_NODELAY and header limits on every connection
# (tmo.web.connection); the standard asyncio loop serves connections in turn (uvloop left
# some requests waiting 0.4-0.6 s behind others under 50 concurrent clients:
# benchmarks/bench_web.py); access lines come from our own middleware. Beyond
# `max_connections` open connections, new requests get 503; idle connections close after
# `keep_alive` seconds (tmo.config.WebLimits).
SERVER: dict[str, Any] = {"loop": "asyncio", "http": GuardedHttpToolsProtocol, "access_log": False,
          "limit_concurrency": LIMITS.max_connections, "timeout_keep_alive": LIMITS.keep_alive}


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int,
              help="Worker processes (each opens the store read-only itself).")
@click.option("--registry", "registry_url", default=None, metavar="URL",
              help="The diaspora registry's database (docs/registry.md; default "
                   "$TMO_REGISTRY_URL, else registry.sqlite beside the store).")
def serve(db: Path | None, host: str, port: int, workers: int,
          registry_url: str | None) -> None:
    """Serve the pages and the JSON API (read-only) with uvicorn; a store rebuilt or given
    new flows meanwhile is picked up within a second."""
    from tmo.web.app import create_app  # noqa: PLC0415 - fastapi: 0.4 s only `tmo serve` pays

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    path = settings(db=db).db_path
    if registry_url:  # the workers read it from the environment too
        os.environ["TMO_REGISTRY_URL"] = registry_url
    if workers > 1:  # each worker process opens the store read-only itself
        os.environ["TMO_DB"] = str(path)
        uvicorn.run("tmo.web.app:app_from_env", factory=True, host=host, port=port,
                    workers=workers, **SERVER)
        return
    uvicorn.run(create_app(path), host=host, port=port, **SERVER)
