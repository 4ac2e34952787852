"""Data-quality checks: they report findings, they never raise on data problems."""

from tmo.findings import Finding

__all__ = ["Finding"]
