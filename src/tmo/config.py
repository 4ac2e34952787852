"""Settings, declared once: environment variables override defaults.

| setting       | environment         | default                                       |
|---------------|---------------------|-----------------------------------------------|
| home          | `TMO_HOME`          | `~/.local/share/tmo`                          |
| db_path       | `TMO_DB`            | `<home>/tmo.duckdb`                           |
| cache_dir     | `TMO_CACHE`         | `<home>/cache` (downloaded official files)    |
| source_dir    | `TMO_SOURCE_DIR`    | none (download from the publishers)           |
| practices_dir | `TMO_PRACTICES_DIR` | none: the repository's `practices/` folder    |
| semantic      | `TMO_SEMANTIC`      | on: practice search uses the optional model   |
|               |                     | when installed; `0`/`false`/`off`/`no` = off  |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

OFF = frozenset({"0", "false", "off", "no"})


@dataclass(frozen=True)
class Settings:
    home: Path
    db_path: Path
    cache_dir: Path
    source_dir: Path | None
    practices_dir: Path | None = None
    semantic: bool = True


def settings(
    *, db: str | Path | None = None, source_dir: str | Path | None = None
) -> Settings:
    """Resolve settings: explicit arguments > environment > defaults."""
    home = Path(os.environ.get("TMO_HOME") or Path.home() / ".local" / "share" / "tmo")
    db_path = Path(db or os.environ.get("TMO_DB") or home / "tmo.duckdb")
    cache = Path(os.environ.get("TMO_CACHE") or home / "cache")
    src = source_dir or os.environ.get("TMO_SOURCE_DIR")
    practices = os.environ.get("TMO_PRACTICES_DIR")
    return Settings(
        home=home.expanduser(),
        db_path=db_path.expanduser(),
        cache_dir=cache.expanduser(),
        source_dir=Path(src).expanduser() if src else None,
        practices_dir=Path(practices).expanduser() if practices else None,
        semantic=os.environ.get("TMO_SEMANTIC", "").strip().lower() not in OFF,
    )
