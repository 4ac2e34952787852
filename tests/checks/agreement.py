"""Helpers of the cross-source rules' tests: the pandas side of each comparison."""

from __future__ import annotations

from typing import Any

import pandas as pd


def apart(a: pd.Series, b: pd.Series, tolerance: float, min_gap: int) -> pd.Series:
    """More than `tolerance` of the larger and at least `min_gap` apart."""
    gap = (a - b).abs()
    return (gap > tolerance * pd.concat([a, b], axis=1).max(axis=1)) & (gap >= min_gap)


def flagged(findings: list[Any], severity: str = "warning") -> set[tuple[str, str]]:
    """(source, country) of the findings of a severity."""
    return {(f.source, f.where.split()[0]) for f in findings if f.severity == severity}
