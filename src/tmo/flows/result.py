"""What `tmo.flows.estimate` returns: flows, labels, diagnostics and views of them."""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from tmo.errors import InputError
from tmo.findings import Finding
from tmo.flows.flow_tables import Flows


@dataclass(frozen=True)
class FlowDiagnostics:
    """How an estimate went.

    `converged`, `iterations`: of the IPF steps involved (True and 0 for closed forms).
    `max_margin_error`: largest absolute gap between the flow array's margins and the
    adjusted stocks it must meet (0 for methods without margins), in persons.
    `negative_flows`, `min_flow`: negative origin-destination flows (only the
    Rogers-von Rabenau rates and, rarely, the open accounting give any).
    `weights`: the pseudo-Bayes weight per birthplace (`(..., k)`), else None.
    `global_closure`: `Σ(b − d) − (ΣS2 − ΣS1)` moved into the native-born.
    `findings`: data problems met and handled (e.g. births above the native-born).
    """

    method: str
    converged: bool = True
    iterations: int = 0
    max_margin_error: float = 0.0
    negative_flows: int = 0
    min_flow: float = 0.0
    weights: np.ndarray | None = None
    global_closure: np.ndarray | None = None
    findings: tuple[Finding, ...] = ()
    options: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        out = asdict(self)
        for key in ("weights", "global_closure"):
            if out[key] is not None:
                out[key] = np.asarray(out[key]).tolist()
        out["findings"] = [f.as_dict() for f in self.findings]
        return out


@dataclass(frozen=True)
class Decomposition:
    """Origin-destination flows split by the movers' birthplace (each with diagonal 0).

    `outward`: origin = birthplace (leaving the country of birth);
    `returns`: destination = birthplace (going back); `transit`: neither.
    """

    outward: np.ndarray
    returns: np.ndarray
    transit: np.ndarray
    labels: tuple


def _batch_columns(
    shape: tuple[int, ...], names: tuple[str, ...], labels: tuple[tuple, ...]
) -> tuple[list[str], list[tuple]]:
    names = names or tuple(f"batch_{i}" for i in range(len(shape)))
    labels = labels or tuple(tuple(range(s)) for s in shape)
    if len(names) != len(shape) or [len(lab) for lab in labels] != list(shape):
        raise InputError(f"batch names/labels do not match the batch shape {shape}")
    return list(names), list(itertools.product(*labels))


@dataclass(frozen=True)
class FlowResult:
    """Estimated flows.

    `od`: origin × destination (`(..., n, n)`, leading batch axes as given, diagonal 0).
    `array`: origin × destination × birthplace for the demographic-accounting methods
    (built on first access from the low-rank factors: n³ numbers per batch element),
    None for stock differencing and rates.
    """

    od: np.ndarray
    labels: tuple
    diagnostics: FlowDiagnostics
    method: str
    flows: Flows | None = None
    batch_names: tuple[str, ...] = ()
    batch_labels: tuple[tuple, ...] = ()

    @cached_property
    def array(self) -> np.ndarray | None:
        return None if self.flows is None else self.flows.dense()

    def decompose(self) -> Decomposition:
        """Split the flows into outward, return and transit moves."""
        if self.flows is None:
            raise InputError(
                f"method {self.method!r} has no birthplace dimension to decompose; "
                "use a demographic-accounting method (da_*)"
            )
        return Decomposition(
            self.flows.outward(), self.flows.returns(), self.flows.transit(), self.labels
        )

    def to_frame(self, *, include_zero: bool = True) -> pd.DataFrame:
        """Long frame: batch columns (if any), origin, destination, flow (no diagonal)."""
        n = len(self.labels)
        batch_shape = self.od.shape[:-2]
        names, combos = _batch_columns(batch_shape, self.batch_names, self.batch_labels)
        off = ~np.eye(n, dtype=bool)
        orig, dest = np.nonzero(off)
        flows = self.od.reshape(-1, n, n)[:, orig, dest]
        labels = np.asarray(self.labels, dtype=object)
        frame = pd.DataFrame({
            "origin": np.tile(labels[orig], len(combos)),
            "destination": np.tile(labels[dest], len(combos)),
            "flow": flows.reshape(-1),
        })
        for pos, name in enumerate(names):
            frame.insert(pos, name, np.repeat([c[pos] for c in combos], len(orig)))
        if not include_zero:
            frame = frame[frame["flow"] != 0].reset_index(drop=True)
        return frame
