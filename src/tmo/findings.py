"""Findings: data problems reported as data, never raised."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One data-quality observation.

    `check` names the rule (e.g. "od_sum_vs_destination_total", "unmatched_name"),
    `where` locates it (file, sheet, row or a key such as "DEU 2020 female"),
    `message` says what is wrong with the figures involved.
    """

    check: str
    severity: Severity
    source: str
    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)
