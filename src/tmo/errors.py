"""The exception tree of `tmo`, documented in one place.

Programming errors and unusable input raise; data-quality problems inside usable
input are reported as findings (see `tmo.findings`). Every message names
the offending input (file, sheet, row, column) and what is wrong; `hint` says
what the user can do about it.

One policy per data problem, decided here and applied once. "Raise" means unusable
input: the adapter raises, naming the file and the cell, and the build stops with the
previous store untouched. "Report" means a data finding: a `Finding` in the store's
`findings` table, the figures kept as published.

condition                                      decision
---------------------------------------------  ------------------------------------------------
file missing, truncated, damaged, wrong hash   raise SourceError naming the file
moved header; missing sheet, object, column    raise SchemaError naming file, sheet, row
text where a number belongs (`..`, empty or   raise SchemaError naming the cell (the source's
  the source's documented marker = missing)      documented markers stay missing)
non-finite, beyond int64, or beyond a          raise SchemaError naming file, sheet, cell and
  plausible bound (stock above the world         value (`tmo.sources.numbers`)
  population, cost above 100 %)
code that is neither a known area nor an       raise (aggregates are recognised from the UN annex
  aggregate the file itself lists                or the file's own list, never from a code range)
input beyond TMO_MAX_INPUT_BYTES/ROWS/CELLS    raise SourceError naming the file and the limit
negative count (persons, events, money)        raise SourceError/SchemaError naming the cell;
                                                 no check rule (it could never fire)
negative cost of sending money (a percentage,  report negative_cost (warning), keep the value
  below zero if the exchange margin favours
  the sender)
name or code matching no country/aggregate     report unmatched_* (error, naming the rows);
                                                 the build then raises SourceError
any error finding of a build                   the build fails (exit 1), the store is kept
matrix rows not adding up to the total         report od_sum_vs_destination_total (error)
female + male differing from the total         report sexes_add_up (warning)
published total without matrix rows            report coverage (warning)
flow margins that cannot be met                raise ConvergenceError; the store's flows keep
                                                 the fit and report flows_not_converged (error)
practice record breaking its schema            raise InputError: file, field path, problem
bad argument to a kernel or a command          raise InputError

The check rules (`tmo.checks.rules`) only report; each fires on a fixture in `tests/checks/`.
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
