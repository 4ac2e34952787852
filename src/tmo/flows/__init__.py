"""Bilateral migration flows estimated from stock tables: the six published methods.

    from tmo.flows import estimate
    result = estimate(stock_start, stock_end, births, deaths, method="da_pb_closed")
    result.od          # origin x destination, diagonal 0
    result.array       # origin x destination x birthplace (da_* methods)
    result.diagnostics # converged, iterations, margin error, weights, findings
    result.to_frame()  # long pandas frame: origin, destination, flow
    result.decompose() # outward / return / transit moves

Methods: `sd_drop_neg`, `sd_rev_neg`, `mig_rate`, `da_min_open`, `da_min_closed`,
`da_ind_closed`, `da_pb_closed`. See docs/flows.md.
"""

from tmo.flows.long_form import estimate_frame
from tmo.flows.methods import METHODS, estimate, estimate_many
from tmo.flows.result import Decomposition, FlowDiagnostics, FlowResult

__all__ = [
    "METHODS",
    "Decomposition",
    "FlowDiagnostics",
    "FlowResult",
    "estimate",
    "estimate_frame",
    "estimate_many",
]
