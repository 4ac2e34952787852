"""The exception tree of `tmo`, documented in one place.

Programming errors and unusable input raise; data-quality problems inside usable
input are reported as findings (see `tmo.findings`). Every message names
the offending input (file, sheet, row, column) and what is wrong; `hint` says
what the user can do about it.
"""

from __future__ import annotations


class TmoError(Exception):
    """Base class of every error `tmo` raises on purpose."""

    hint: str | None = None

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        if hint is not None:
            self.hint = hint


class SourceError(TmoError):
    """An official file is missing, truncated, corrupt, or fails its checksum."""


class SchemaError(SourceError):
    """A file's layout differs from the one its adapter expects (moved header, missing column)."""


class CountryNotFound(TmoError):
    """A country name or code matches nothing in the reference data."""

    def __init__(self, query: str, suggestions: list[str] | None = None) -> None:
        self.query = query
        self.suggestions = suggestions or []
        msg = f"unknown country {query!r}"
        if self.suggestions:
            msg += "; closest matches: " + ", ".join(self.suggestions)
        super().__init__(msg, hint="use an ISO 3166 alpha-3 code or a name listed by `tmo sql`")


class ConvergenceError(TmoError):
    """An iterative estimator did not reach its tolerance, or its margins cannot be met."""


class InputError(TmoError):
    """Arguments to a numerical kernel or a command are invalid (shapes, NaN, negatives)."""


class NotFound(TmoError):
    """A store, table, revision, year or record asked for does not exist."""
