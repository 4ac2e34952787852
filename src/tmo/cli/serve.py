"""`tmo serve`: the web app and JSON API over the store."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from tmo.cli.store import db_option
from tmo.config import settings


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(db: Path | None, host: str, port: int, workers: int) -> None:
    """Serve the pages and the JSON API (read-only) with uvicorn."""
    import uvicorn

    from tmo.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = create_app(settings(db=db).db_path)
    uvicorn.run(app, host=host, port=port, workers=workers, access_log=False)
