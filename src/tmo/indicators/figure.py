"""A figure and the evidence it stands on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tmo.store.evidence import Source


@dataclass(frozen=True)
class Figure:
    indicator: str
    value: float | int | None
    unit: str
    year: int | None
    sources: tuple[Source, ...] = ()
    note: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
