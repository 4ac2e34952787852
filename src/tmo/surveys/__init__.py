"""Surveys of households with members abroad and of public attitudes (docs/surveys.md).

Design-based estimation: a `Design` over the responses (weights, strata, PSUs, fpc or
replicate weights), then `mean`, `proportion(s)`, `total`, `ratio` or `tabulate` by
domain, each an `Estimate` with its standard error, confidence interval, design effect
and respondent count.
"""

from __future__ import annotations

from tmo.surveys.design import Design, Replicates
from tmo.surveys.estimate import (
    Estimate,
    mean,
    proportion,
    proportions,
    ratio,
    tabulate,
    total,
)
from tmo.surveys.replicates import with_replicates

__all__ = ["Design", "Estimate", "Replicates", "mean", "proportion", "proportions", "ratio",
           "tabulate", "total", "with_replicates"]
