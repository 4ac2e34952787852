"""Transnational Migration Observatory: migration statistics from both sides of every border."""

from tmo.errors import (
    ConvergenceError,
    CountryNotFound,
    InputError,
    NotFound,
    SchemaError,
    SourceError,
    TmoError,
)

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "CountryNotFound",
    "InputError",
    "NotFound",
    "SchemaError",
    "SourceError",
    "TmoError",
    "__version__",
]
