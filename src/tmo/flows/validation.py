"""Compare estimated flows with reported flows on the six measures of the literature.

Abel & Cohen (2019, 2022) correlate estimates with reported flows on: count, log
count, proportion (of all compared flows in the period), emigration rate (per
origin population), immigration rate (per destination population) and net count
(flow i->j minus j->i). Reported flows are annual: a period's reported flow is the
period length times the mean annual flow over the calendar years t0 .. t1-1 that
are reported (at least `min_years` of them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MEASURES = ("count", "log_count", "proportion", "emigration_rate", "immigration_rate",
            "net_count")


def reported_periods(reported: pd.DataFrame, periods: list[tuple[int, int]],
                     min_years: int = 3) -> pd.DataFrame:
    """Annual reported flows -> period totals (`period_start, period_end, origin, destination,
    reported`)."""
    parts = []
    for t0, t1 in periods:
        sel = reported[(reported["year"] >= t0) & (reported["year"] < t1)]
        g = sel.groupby(["origin", "destination"])["flow"].agg(["mean", "count"]).reset_index()
        g = g[g["count"] >= min(min_years, t1 - t0)]
        parts.append(pd.DataFrame({"period_start": t0, "period_end": t1, "origin": g["origin"],
                                   "destination": g["destination"],
                                   "reported": g["mean"] * (t1 - t0)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _corr(a: pd.Series, b: pd.Series) -> float | None:
    ok = np.isfinite(a.to_numpy(float)) & np.isfinite(b.to_numpy(float))
    if ok.sum() < 3:
        return None
    x, y = a.to_numpy(float)[ok], b.to_numpy(float)[ok]
    if x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def measures(estimated: pd.DataFrame, reported: pd.DataFrame,
             population: pd.DataFrame) -> dict[str, tuple[float | None, int]]:
    """Correlation and number of pairs for each measure.

    `estimated`: period_start, period_end, origin, destination, flow;
    `reported`: the output of `reported_periods`; `population`: year, country, population.
    """
    keys = ["period_start", "period_end", "origin", "destination"]
    both = reported.merge(estimated[[*keys, "flow"]], on=keys, how="left").fillna({"flow": 0.0})
    out: dict[str, tuple[float | None, int]] = {}
    out["count"] = (_corr(both["flow"], both["reported"]), len(both))
    out["log_count"] = (_corr(np.log1p(both["flow"]), np.log1p(both["reported"])), len(both))
    totals = both.groupby("period_start")[["flow", "reported"]].transform("sum")
    out["proportion"] = (_corr(both["flow"] / totals["flow"],
                               both["reported"] / totals["reported"]), len(both))
    pop = population.rename(columns={"year": "period_start"})
    for name, side in (("emigration_rate", "origin"), ("immigration_rate", "destination")):
        p = both.merge(pop.rename(columns={"country": side}), on=["period_start", side])
        out[name] = (_corr(p["flow"] / p["population"], p["reported"] / p["population"]),
                     len(p))
    rev = both.rename(columns={"origin": "destination", "destination": "origin",
                               "flow": "flow_back", "reported": "reported_back"})
    net = both.merge(rev, on=keys)
    net = net[net["origin"] < net["destination"]]
    out["net_count"] = (_corr(net["flow"] - net["flow_back"],
                              net["reported"] - net["reported_back"]), len(net))
    return out


def paired(estimated: pd.DataFrame, reported: pd.DataFrame, population: pd.DataFrame
           ) -> pd.DataFrame:
    """One row per reported corridor-period with everything the six measures need:
    `flow`, `reported`, the reverse corridor's (`flow_back`, `reported_back`, NaN when not
    reported) and the origin and destination populations at the period start."""
    keys = ["period_start", "period_end", "origin", "destination"]
    est = estimated[[*keys, "flow"]].copy()
    for col in ("origin", "destination"):
        est[col] = est[col].astype(str)
    both = reported.merge(est, on=keys, how="left").fillna({"flow": 0.0})
    back = both.rename(columns={"origin": "destination", "destination": "origin",
                                "flow": "flow_back", "reported": "reported_back"})
    both = both.merge(back, on=keys, how="left")
    pop = population.rename(columns={"year": "period_start"})
    for side in ("origin", "destination"):
        both = both.merge(pop.rename(columns={"country": side, "population": f"pop_{side}"}),
                          on=["period_start", side], how="left")
    return both.reset_index(drop=True)


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3:
        return float("nan")
    x, y = x[ok], y[ok]
    if x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def columns(p: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns of a `paired` frame the measures use, as arrays (net: whether the row
    counts for the net measure, once per pair of opposite corridors)."""
    period, _ = pd.factorize(p["period_start"])
    return {
        "flow": p["flow"].to_numpy(float), "reported": p["reported"].to_numpy(float),
        "flow_back": p["flow_back"].to_numpy(float),
        "reported_back": p["reported_back"].to_numpy(float),
        "pop_origin": p["pop_origin"].to_numpy(float),
        "pop_destination": p["pop_destination"].to_numpy(float), "period": period,
        "net": ((p["origin"].astype(str) < p["destination"].astype(str))
                & p["reported_back"].notna()).to_numpy(),
    }


def correlations(p: pd.DataFrame | dict[str, np.ndarray], rows: np.ndarray | None = None
                 ) -> dict[str, float]:
    """The six measures on the rows of `paired` (or its `columns`), all or `rows`."""
    c = columns(p) if isinstance(p, pd.DataFrame) else p
    if rows is not None:
        c = {k: v[rows] for k, v in c.items()}
    f, r, period = c["flow"], c["reported"], c["period"]
    tf, tr = np.bincount(period, f)[period], np.bincount(period, r)[period]
    net = c["net"]
    return {
        "count": _pearson(f, r),
        "log_count": _pearson(np.log1p(f), np.log1p(r)),
        "proportion": _pearson(f / tf, r / tr),
        "emigration_rate": _pearson(f / c["pop_origin"], r / c["pop_origin"]),
        "immigration_rate": _pearson(f / c["pop_destination"], r / c["pop_destination"]),
        "net_count": _pearson((f - c["flow_back"])[net], (r - c["reported_back"])[net]),
    }


def bootstrap(pairs: dict[str, pd.DataFrame], n_boot: int = 200, seed: int = 0,
              level: float = 0.95) -> pd.DataFrame:
    """Each method's six correlations with percentile intervals, resampling the same
    corridors (origin-destination pairs, all their periods together) for every method,
    so differences between methods are paired. `pairs` maps a method to its `paired`
    frame; all must hold the same reported rows in the same order."""
    first = next(iter(pairs.values()))
    corridor, _ = pd.factorize(first["origin"].astype(str) + ">"
                               + first["destination"].astype(str))
    order = np.argsort(corridor, kind="stable")
    starts = np.searchsorted(corridor[order], np.arange(corridor.max() + 2))
    members = [order[starts[c]:starts[c + 1]] for c in range(corridor.max() + 1)]
    rng = np.random.default_rng(seed)
    draws = [np.concatenate([members[c] for c in rng.integers(0, len(members), len(members))])
             for _ in range(n_boot)]
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
    out: list[dict[str, object]] = []
    for method, p in pairs.items():
        c = columns(p)
        point = correlations(c)
        samples = pd.DataFrame([correlations(c, rows) for rows in draws])
        out.extend({"method": method, "measure": m, "r": point[m],
                    "low": float(samples[m].quantile(lo)),
                    "high": float(samples[m].quantile(hi)), "pairs": len(p)}
                   for m in MEASURES)
    return pd.DataFrame(out)


def tune_weight(minimum: pd.DataFrame, independence: pd.DataFrame, reported: pd.DataFrame,
                population: pd.DataFrame, *, grid: tuple[float, ...] = tuple(
                    np.round(np.linspace(0, 1, 21), 2)), measure: str = "log_count"
                ) -> tuple[float, dict[float, float]]:
    """The fixed pseudo-Bayes weight w whose flows `(1 − w) · minimum + w · independence`
    correlate best with `reported` on `measure` (the flows of a fixed weight are that
    mix of the two fits' flows), and the score of every weight of the grid. Call it on
    training corridors or periods only, and score the chosen weight on the others."""
    a = columns(paired(minimum, reported, population))
    b = columns(paired(independence, reported, population))
    scores = {}
    for w in grid:
        mixed = dict(a, flow=(1 - w) * a["flow"] + w * b["flow"],
                     flow_back=(1 - w) * a["flow_back"] + w * b["flow_back"])
        scores[float(w)] = correlations(mixed)[measure]
    best = max(scores, key=lambda w: -np.inf if np.isnan(scores[w]) else scores[w])
    return best, scores
