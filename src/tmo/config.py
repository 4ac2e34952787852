"""Settings, declared once: environment variables override defaults.

| setting       | environment           | default                                     |
|---------------|-----------------------|---------------------------------------------|
| home          | `TMO_HOME`            | `~/.local/share/tmo`                        |
| db_path       | `TMO_DB`              | `<home>/tmo.duckdb`                         |
| cache_dir     | `TMO_CACHE`           | `<home>/cache` (downloaded official files)  |
| source_dir    | `TMO_SOURCE_DIR`      | none (download from the publishers)         |
| practices_dir | `TMO_PRACTICES_DIR`   | none: the repository's `practices/` folder  |
| alerts        | `TMO_ALERTS`          | `<home>/alerts.yaml` if it exists: the alert|
|               |                       | rules each build evaluates (monitoring.md)  |
| semantic      | `TMO_SEMANTIC`        | on: practice search uses the optional model |
|               |                       | when installed; `0`/`false`/`off`/`no`= off |
| cors_origins  | `TMO_CORS_ORIGINS`    | none: origins (comma-separated, or `*`)     |
|               |                       | whose pages may call the read-only API (GET)|
| web           | `TMO_WEB_<LIMIT>`     | the web server's limits (`WebLimits` below; |
|               |                       | e.g. `TMO_WEB_HEADER_TIMEOUT=10`)           |
| inputs        | `TMO_MAX_INPUT_BYTES` | 256M: what one official file may hold once  |
|               |                       | decompressed (.gz, .rda, the parts of an    |
|               |                       | .xlsx) or on disk (other files)             |
|               | `TMO_MAX_INPUT_ROWS`  | 2000000: rows of one table (CSV, sheet, R   |
|               |                       | data frame)                                 |
|               | `TMO_MAX_INPUT_CELLS` | 20000000: cells of one table (rows x        |
|               |                       | columns); see `InputLimits` below           |
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tmo.errors import InputError

OFF = frozenset({"0", "false", "off", "no"})


@dataclass(frozen=True)
class WebLimits:
    """What one client may cost the server (docs/web.md, "Limits"); each can be set with
    `TMO_WEB_<NAME>` (e.g. `TMO_WEB_MAX_CONNECTIONS=1024`)."""

    header_timeout: float = 10.0  # seconds to send a request's headers, from its first byte
    max_header_bytes: int = 16 * 1024  # request line and headers together
    max_headers: int = 100
    keep_alive: int = 5  # seconds an idle connection is kept between requests
    max_connections: int = 512  # beyond it, new requests get 503
    pdf_per_minute: int = 12  # per client: PDF profiles
    search_per_minute: int = 120  # per client: searches
    write_per_minute: int = 20  # per client: every POST, PUT, PATCH or DELETE

    @classmethod
    def from_env(cls) -> WebLimits:
        values: dict[str, float | int] = {}
        for name, field_ in cls.__dataclass_fields__.items():
            raw = os.environ.get(f"TMO_WEB_{name.upper()}")
            if raw:
                kind = float if field_.type in ("float", float) else int
                values[name] = kind(raw)
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class InputLimits:
    """What reading one official file may cost (docs/reliability.md, "Limits on inputs").

    Every decompression and every table read by `tmo.sources` is bounded by these; a file
    beyond one is refused with one line naming the file and the limit. The defaults are
    about ten times the largest official file known (the UNHCR population frame: 22 MB
    decompressed, 138,893 rows). Set them with `TMO_MAX_INPUT_BYTES`,
    `TMO_MAX_INPUT_ROWS` and `TMO_MAX_INPUT_CELLS` (whole numbers; bytes may end in
    K, M or G, powers of 1024)."""

    max_bytes: int = 256 * 1024**2
    max_rows: int = 2_000_000
    max_cells: int = 20_000_000

    @classmethod
    def from_env(cls) -> InputLimits:
        values: dict[str, int] = {}
        for name, variable in INPUT_ENV.items():
            raw = os.environ.get(variable, "").strip()
            if raw:
                values[name] = _size(raw, variable)
        return cls(**values)


INPUT_ENV = {"max_bytes": "TMO_MAX_INPUT_BYTES", "max_rows": "TMO_MAX_INPUT_ROWS",
             "max_cells": "TMO_MAX_INPUT_CELLS"}


def _size(raw: str, variable: str) -> int:
    """`raw` as a positive whole number; K, M, G (powers of 1024) multiply it."""
    scale = {"K": 1024, "M": 1024**2, "G": 1024**3}.get(raw[-1:].upper(), 1)
    digits = raw[:-1] if scale > 1 else raw
    if not digits.strip().isdigit() or int(digits) <= 0:
        raise InputError(f"{variable}={raw!r}: expected a positive whole number "
                         "(bytes may end in K, M or G)")
    return int(digits) * scale


@dataclass(frozen=True)
class Settings:
    home: Path
    db_path: Path
    cache_dir: Path
    source_dir: Path | None
    practices_dir: Path | None = None
    alerts: Path | None = None  # alert rules (docs/monitoring.md); None: <home>/alerts.yaml
    semantic: bool = True
    cors_origins: tuple[str, ...] = ()
    web: WebLimits = WebLimits()
    inputs: InputLimits = InputLimits()


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
        alerts=Path(os.environ["TMO_ALERTS"]).expanduser() if os.environ.get("TMO_ALERTS")
        else None,
        semantic=os.environ.get("TMO_SEMANTIC", "").strip().lower() not in OFF,
        cors_origins=tuple(o.strip() for o in os.environ.get("TMO_CORS_ORIGINS", "").split(",")
                           if o.strip()),
        web=WebLimits.from_env(),
        inputs=InputLimits.from_env(),
    )
