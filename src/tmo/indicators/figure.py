"""A figure and the evidence it stands on."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: the view and filter that reproduce its rows, the
    published files and rows behind them, and the revision."""

    view: str
    filter: str
    revision: str
    files: tuple[str, ...]
    rows: tuple[str, ...] = ()  # src_row values when few (<= 12), else empty
    n_rows: int = 0

    def cite(self) -> str:
        where = f"rows {', '.join(self.rows)}" if self.rows else f"{self.n_rows} rows"
        return f"{', '.join(self.files)} ({where}); view {self.view} WHERE {self.filter}"


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
