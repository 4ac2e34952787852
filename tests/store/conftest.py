"""Settings for builds made by the store tests (the shared real build is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

from tmo.config import Settings

from ..conftest import DATA


def settings_for(tmp: Path, source_dir: Path = DATA, name: str = "tmo.duckdb") -> Settings:
    return Settings(home=tmp, db_path=tmp / name, cache_dir=tmp / "cache", source_dir=source_dir)
