"""Data-quality checks: they report findings, they never raise on data problems."""

from tmo.checks.finding import Finding

__all__ = ["Finding"]
