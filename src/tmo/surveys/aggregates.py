"""A survey's aggregates as rows of the store's `survey_estimates` view: one row per
indicator (and per choice of a `shares` indicator) with its interval, design effect and
respondents, the survey it comes from and whether it is SYNTHETIC. Only these estimates
reach the store, never a response: `tmo survey publish` writes them and the country's
Migration Profile shows them as survey estimates.

Small-sample rule (`tmo.surveys.suppression`, the NCHS standards): an estimate the
standard suppresses is stored without its value (`estimate`, `se` and the interval empty,
`status` "suppressed", `reasons` saying why), so neither the profile nor a query can show
a figure too unstable to read; a "flagged" one is stored and shown with its reasons.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

import pandas as pd

from tmo.surveys.indicators import SurveyResults

COLUMNS = ["survey", "country", "title", "synthetic", "fieldwork_year", "module", "indicator",
           "category", "unit", "currency", "estimate", "se", "ci_low", "ci_high", "level",
           "deff", "n", "df", "method", "status", "reasons", "actual_value", "actual_year",
           "actual_sources",
           "files", "published_at"]


def _number(x: float) -> float | None:
    return None if x is None or not math.isfinite(x) else float(x)


def rows(results: SurveyResults, *, level: float = 0.95,
         published_at: str | None = None) -> pd.DataFrame:
    """The aggregates of `results` as `survey_estimates` rows."""
    desc = results.description
    when = published_at or datetime.now(UTC).isoformat(timespec="seconds")
    out = []
    for module, indicators in results.modules.items():
        for ind in indicators:
            for v in ind.values:
                small = v.status == "suppressed"
                shown = (None if small else _number(x)
                         for x in (v.estimate, v.se, v.ci_low, v.ci_high))
                out.append([desc.id, desc.country, desc.title_in("en"), desc.synthetic,
                            desc.fieldwork_year, module, ind.id, v.category or "", ind.unit,
                            desc.currency if ind.unit == "currency" else "", *shown, level,
                            _number(v.deff), v.n, _number(v.df), v.method, v.status,
                            " ".join(v.reasons),
                            ind.actual["value"] if ind.actual else None,
                            ind.actual["year"] if ind.actual else None,
                            json.dumps(ind.actual["sources"]) if ind.actual else None,
                            ", ".join(desc.files), when])
    return pd.DataFrame(out, columns=COLUMNS)
