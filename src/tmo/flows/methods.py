"""The named estimation methods behind `tmo.flows.estimate`, and their options."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from tmo.errors import ConvergenceError, InputError
from tmo.flows import demographic_accounting as da
from tmo.flows import rates
from tmo.flows.conventions import PUBLISHED_PB_WEIGHT
from tmo.flows.flow_tables import Flows
from tmo.flows.inputs import Stocks, as_float_array, validate
from tmo.flows.ipf import IpfResult
from tmo.flows.pseudo_bayes import pseudo_bayes
from tmo.flows.result import FlowDiagnostics, FlowResult
from tmo.flows.stock_differencing import drop_negatives, reverse_negatives

DA_OPTIONS = {
    "negative_native_born": "raise",
    "match_global": "before",
    "birth_method": "native",
    "birth_non_negative": True,
    "tol": 1e-10,
    "max_iter": 10_000,
    "allow_nonconvergence": False,
}
METHOD_OPTIONS: dict[str, dict[str, object]] = {
    "sd_drop_neg": {},
    "sd_rev_neg": {},
    "mig_rate": {"total": None, "rate_method": "dennett", **DA_OPTIONS},
    "da_min_open": {"open_method": "open", **DA_OPTIONS},
    "da_min_closed": dict(DA_OPTIONS),
    "da_ind_closed": {"seed": None, **DA_OPTIONS},
    # the published fixed mix (tmo.flows.conventions.PUBLISHED_PB_WEIGHT); "bfh" on request
    "da_pb_closed": {"seed": None, "weight": PUBLISHED_PB_WEIGHT, **DA_OPTIONS},
}
METHODS = tuple(METHOD_OPTIONS)
MIGEST_NAMES = {"before-demo-adjust": "before", "after-demo-adjust": "after"}


def resolve_options(method: str, options: dict) -> dict:
    """Defaults of `method` updated with `options`; unknown names raise."""
    if method not in METHOD_OPTIONS:
        raise InputError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    allowed = METHOD_OPTIONS[method]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise InputError(
            f"method {method!r} takes no option(s) {', '.join(unknown)}; "
            f"its options are: {', '.join(allowed) or 'none'}"
        )
    resolved = {**allowed, **options}
    if "match_global" in resolved:
        resolved["match_global"] = MIGEST_NAMES.get(resolved["match_global"],
                                                    resolved["match_global"])
    return resolved


@dataclass(frozen=True)
class InProcess:
    """Where the costly steps of demographic accounting run: here, one after the other.
    `tmo.flows.cluster.OnCluster` runs the same kernels on a Dask cluster."""

    def rescale(self, problems: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
                tol: float, max_iter: int) -> list[IpfResult]:
        """Step 4 (closed): the IPF fits of the start and end tables, in order."""
        return da._rescale(problems, tol, max_iter)

    def flows(self, adjusted: da.AdjustedStocks, method: str, opts: dict
              ) -> tuple[np.ndarray, Flows | None, list[IpfResult], np.ndarray | None, float]:
        """Steps 5-6: the origin-destination matrix, the flow array (None if it is not
        kept), the IPF fits, the pseudo-Bayes weights and the largest margin error."""
        flows, fits, weights = fit(adjusted.start, adjusted.end, method, opts)
        return flows.od(), flows, fits, weights, margin_error(flows, adjusted.start,
                                                               adjusted.end)


IN_PROCESS = InProcess()


def _sd(kernel: Callable) -> Callable:
    def run(stocks: Stocks, method: str, opts: dict, cache: Cache | None = None,
            pieces: InProcess = IN_PROCESS) -> FlowResult:
        od = kernel(stocks.start, stocks.end)
        return FlowResult(od, stocks.labels, FlowDiagnostics(method, options=opts), method)
    return run


def _negative(od: np.ndarray) -> dict:
    count, lowest = rates.negative_flows(od)
    return {"negative_flows": count, "min_flow": lowest}


Cache = dict[tuple, da.AdjustedStocks]


def _mig_rate(stocks: Stocks, method: str, opts: dict, cache: Cache | None = None,
              pieces: InProcess = IN_PROCESS) -> FlowResult:
    fit: dict = {}  # how the da_min_closed fit behind a default total went
    if opts["rate_method"] == "rogers-von-rabenau":
        od = rates.rogers_von_rabenau(stocks.start, stocks.end)
    elif opts["rate_method"] == "dennett":
        total = opts["total"]
        if total is None:
            da_opts = {k: opts[k] for k in DA_OPTIONS}
            closed = _accounting(stocks, "da_min_closed", da_opts, cache, pieces)
            total = closed.od.sum((-2, -1))
            fit = {k: getattr(closed.diagnostics, k)
                   for k in ("converged", "iterations", "max_margin_error")}
        total = as_float_array(total, "total")
        if not np.isfinite(total).all() or (total < 0).any():
            raise InputError(f"total must be finite and non-negative, got {total!r}")
        od = rates.dennett(stocks.start, np.broadcast_to(total, stocks.batch_shape))
    else:
        raise InputError(
            f"rate_method must be 'dennett' or 'rogers-von-rabenau', got {opts['rate_method']!r}"
        )
    diagnostics = FlowDiagnostics(method, options=opts, **fit, **_negative(od))
    return FlowResult(od, stocks.labels, diagnostics, method)


def margin_error(flows: Flows, start: np.ndarray, end: np.ndarray) -> float:
    """The largest gap between the flow array's margins and the adjusted stocks."""
    fitted_start, fitted_end = flows.margins()
    return float(max(np.abs(fitted_start - start).max(initial=0.0),
                     np.abs(fitted_end - end).max(initial=0.0)))


def fit(start: np.ndarray, end: np.ndarray, method: str, opts: dict
        ) -> tuple[Flows, list[IpfResult], np.ndarray | None]:
    """Steps 5-6 on the adjusted stocks `(..., k, i)` (each birthplace k on its own but
    for a user seed and the pooled weight): the flow array of a demographic-accounting
    method, IPF fits, weights."""
    fits: list[IpfResult] = []
    weights: np.ndarray | None = None
    if method in ("da_min_open", "da_min_closed"):
        return da.minimum_migration(start, end), fits, weights
    if opts["seed"] is None:
        ind: Flows = da.independence(start, end)
    else:
        seed = as_float_array(opts["seed"], "seed")
        n = start.shape[-1]
        if seed.shape != (n, n) and (seed.ndim < 3 or seed.shape[-3:] != (n, n, n)):
            raise InputError(f"seed must be (n, n) or (..., n, n, n) with n = {n}; "
                             f"got shape {seed.shape}")
        ind, seeded = da.independence_seeded(start, end, seed, tol=opts["tol"],
                                             max_iter=opts["max_iter"])
        fits.append(seeded)
    if method == "da_ind_closed":
        return ind, fits, weights
    minimum = da.minimum_migration(start, end)
    flows, weights = pseudo_bayes(minimum, ind, opts["weight"])
    return flows, fits, weights


def _accounting(stocks: Stocks, method: str, opts: dict, cache: Cache | None = None,
                pieces: InProcess = IN_PROCESS) -> FlowResult:
    match = opts.get("open_method", "closed") if method == "da_min_open" else "closed"
    if method == "da_min_open" and match not in ("open", "open-dr"):
        raise InputError(f"open_method must be 'open' or 'open-dr', got {match!r}")
    key = (match, opts["match_global"], opts["birth_method"], opts["birth_non_negative"],
           opts["tol"], opts["max_iter"])
    adjusted = None if cache is None else cache.get(key)
    if adjusted is None:
        adjusted = da.adjust_stocks(
            stocks.start, stocks.end, stocks.births, stocks.deaths, stocks.labels,
            match=match, match_global=opts["match_global"], birth_method=opts["birth_method"],
            birth_non_negative=opts["birth_non_negative"], tol=opts["tol"],
            max_iter=opts["max_iter"], rescale=pieces.rescale,
        )
        if cache is not None:
            cache[key] = adjusted
    od, flows, fits, weights, gap = pieces.flows(adjusted, method, opts)
    fits = list(adjusted.rescale) + fits
    diagnostics = FlowDiagnostics(
        method,
        converged=all(f.converged for f in fits),
        iterations=max((f.iterations for f in fits), default=0),
        max_margin_error=gap,
        weights=weights,
        global_closure=adjusted.closure,
        findings=adjusted.findings,
        options=opts,
        **_negative(od),
    )
    if not diagnostics.converged and not opts["allow_nonconvergence"]:
        worst = max(f.max_margin_error for f in fits)
        raise ConvergenceError(
            f"{method}: IPF did not converge in {opts['max_iter']} iterations "
            f"(largest margin error {worst:.3g}, tol {opts['tol']:g})",
            hint="raise max_iter or tol, or pass allow_nonconvergence=True to get the "
            "result with diagnostics.converged=False",
        )
    return FlowResult(od, stocks.labels, diagnostics, method, flows)


RUNNERS: dict[str, Callable[..., FlowResult]] = {
    "sd_drop_neg": _sd(drop_negatives),
    "sd_rev_neg": _sd(reverse_negatives),
    "mig_rate": _mig_rate,
    "da_min_open": _accounting,
    "da_min_closed": _accounting,
    "da_ind_closed": _accounting,
    "da_pb_closed": _accounting,
}


def estimate(
    stock_start: ArrayLike,
    stock_end: ArrayLike,
    births: ArrayLike | None = None,
    deaths: ArrayLike | None = None,
    method: str = "da_pb_closed",
    *,
    labels: Sequence | None = None,
    **options: object,
) -> FlowResult:
    """Estimate origin-destination flows from two bilateral stock tables.

    Stocks are `(..., n, n)` arrays, rows = place of birth, columns = place of
    residence, at the start and end of the period; `births`, `deaths` `(..., n)` by
    place of residence (default 0). Leading axes (periods, sexes) are a batch.
    `method` is one of `METHODS`; see docs/flows.md for the methods and options.
    """
    return estimate_with(IN_PROCESS, stock_start, stock_end, births, deaths, method=method,
                         labels=labels, **options)


def estimate_with(pieces: InProcess, stock_start: ArrayLike, stock_end: ArrayLike,
                  births: ArrayLike | None = None, deaths: ArrayLike | None = None, *,
                  method: str = "da_pb_closed", labels: Sequence | None = None,
                  **options: object) -> FlowResult:
    """`estimate` with its costly steps run by `pieces` (`IN_PROCESS`, or a Dask cluster:
    `tmo.flows.cluster`)."""
    opts = resolve_options(method, options)
    stocks = validate(
        stock_start, stock_end, births, deaths, labels=labels,
        negative_native_born=opts.get("negative_native_born", "raise"),
    )
    return RUNNERS[method](stocks, method, opts, None, pieces)


def estimate_many(
    stock_start: ArrayLike,
    stock_end: ArrayLike,
    births: ArrayLike | None = None,
    deaths: ArrayLike | None = None,
    methods: Sequence[str] = METHODS,
    *,
    labels: Sequence | None = None,
    options: dict[str, dict] | None = None,
) -> dict[str, FlowResult]:
    """Several methods on the same inputs in one pass: the inputs are checked once and
    the demographic-accounting steps 1-4 (the costly IPF rescale) are shared by every
    method that uses the same adjustment. `options` maps a method to its options.
    Gives exactly the results of `estimate` called once per method."""
    options = options or {}
    resolved = {m: resolve_options(m, options.get(m, {})) for m in methods}
    negative = {o.get("negative_native_born", "raise") for o in resolved.values()}
    groups: dict[str, list[str]] = {}
    for m in methods:  # methods that validate the inputs alike share one validation
        groups.setdefault(resolved[m].get("negative_native_born", "raise"), []).append(m)
    results: dict[str, FlowResult] = {}
    for mode in sorted(negative):
        stocks = validate(stock_start, stock_end, births, deaths, labels=labels,
                          negative_native_born=mode)
        cache: Cache = {}
        for m in groups[mode]:
            results[m] = RUNNERS[m](stocks, m, resolved[m], cache)
    return {m: results[m] for m in methods}


__all__ = ["METHODS", "estimate", "estimate_many"]
