"""Projections of every corridor, by sex and in total, with the totals they imply (pure
numpy; no I/O).

Series are corridors (origin, destination) with a female and a male stock per estimate
year. The model (`tmo.projections.model`) is fitted once on every series whose stock at
the jump-off year is positive, pooled over both sexes; a series with no migrants at the
jump-off stays at zero (new corridors are not projected). Corridors are then simulated in
batches: both sexes of a corridor share its uniforms (`tmo.projections.draws`), the total
of a draw is its female plus its male stock, and the totals of destinations (immigrants,
origin `WORLD`), of origins (emigrants, destination `WORLD`) and of the world are sums of
the same draws, so every total equals the sum of its corridors draw by draw. A batch's
result depends only on its corridors and the seed: `combine` of the batches, run in this
process or on a Dask cluster (`tmo.projections.cluster`), is the same.

A batch holds every corridor of its destinations, so a destination's immigrants are summed
inside one batch. With a `Ceiling` (a population per destination, sex and target year), a
draw whose immigrants of one sex exceed that population has that destination's corridors
scaled down to it, draw by draw (`cap`): immigrants never exceed the population. Draws
are multiples of 1/1024 person (`exact`), so every total is an exact sum, the same in
any order of addition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from tmo.projections import model
from tmo.projections.draws import key_seeds, quantiles, uniforms
from tmo.projections.scores import crps_draws, pit_draws

PROBS = (0.025, 0.1, 0.5, 0.9, 0.975)
SEX_ORDER = ("female", "male", "total")
BATCH = 512
QUANTUM = 2.0**-10  # persons: draws are multiples of it (`exact`)


@dataclass(frozen=True)
class Inputs:
    """Corridors (origin, destination) with stocks (n, 2, T) female and male at years."""

    origins: np.ndarray
    destinations: np.ndarray
    stocks: np.ndarray
    years: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.origins)
        if self.stocks.shape != (n, 2, len(self.years)) or len(self.destinations) != n:
            raise ValueError("stocks must be (corridors, 2 sexes, years)")


@dataclass(frozen=True)
class Settings:
    """What a run needs besides the data. `damping` and `scale` are those `backtest.calibrate`
    chooses from 2005 on IMS 2024 (targets 2010 and 2015; docs/projections.md)."""

    targets: tuple[int, ...] = (2030, 2035, 2040, 2045, 2050)
    draws: int = 1000
    seed: int = 2024
    scale: float = 0.9
    damping: float = 0.95
    shared: bool = True


@dataclass(frozen=True)
class Ceiling:
    """The most immigrants a destination can have: its population (2 sexes, female and
    male; m destinations; H target years), NaN where there is none (no ceiling)."""

    destinations: np.ndarray
    targets: tuple[int, ...]
    population: np.ndarray

    def __post_init__(self) -> None:
        if self.population.shape != (2, len(self.destinations), len(self.targets)):
            raise ValueError("population must be (2 sexes, destinations, targets)")

    def aligned(self, codes: np.ndarray, targets: tuple[int, ...]) -> np.ndarray:
        """The population (2, len(codes), H) of the destinations `codes` (NaN for one the
        ceiling does not name)."""
        if tuple(targets) != tuple(self.targets):
            raise ValueError(f"the ceiling is for {self.targets}, the run for {targets}")
        at = {c: i for i, c in enumerate(self.destinations)}
        out = np.full((2, len(codes), len(self.targets)), np.nan)
        for j, code in enumerate(codes):
            if code in at:
                out[:, j] = self.population[:, at[code]]
        return out


@dataclass(frozen=True)
class Batch:
    """One batch of corridors to simulate (picklable, for a cluster)."""

    index: np.ndarray
    fit_female: model.Fit
    fit_male: model.Fit
    active: np.ndarray  # (n, 2) whether each sex is projected (positive jump-off)
    seeds: np.ndarray
    dest_seeds: np.ndarray  # of each corridor's destination: its shared shocks
    dest: np.ndarray  # destination position of each corridor
    orig: np.ndarray  # origin position of each corridor
    n_dest: int
    n_orig: int
    lengths: np.ndarray
    settings: Settings
    observed: np.ndarray | None = None  # (n, 3, H) when backtesting: CRPS is computed
    ceiling: np.ndarray | None = None  # (2, n_dest, H) population of every destination


@dataclass
class Result:
    """Quantiles (3 sexes, P, n, H) of corridors, draws summed by destination
    (3, n_dest, D, H) and by origin (3, n_orig, D, H), and the CRPS of log(1 + stock)
    and the PIT (3, n, H) of each corridor when the batch carried observed stocks."""

    index: np.ndarray
    quantiles: np.ndarray | None
    by_destination: np.ndarray | None
    by_origin: np.ndarray | None
    crps: np.ndarray | None = None
    pit: np.ndarray | None = None
    capped: np.ndarray | None = None  # (3, n_dest, H) draws held at the ceiling

    def light(self) -> Result:
        """The corridor part only (a cluster sums the totals on its workers)."""
        return Result(self.index, self.quantiles, None, None, self.crps, self.pit,
                      self.capped)

    def totals(self) -> Result:
        """The totals part only."""
        return Result(self.index[:0], None, self.by_destination, self.by_origin)


def add_totals(acc: Result, other: Result) -> Result:
    """The totals of two results summed, in the order `combine` sums them."""
    assert acc.by_destination is not None
    assert acc.by_origin is not None
    assert other.by_destination is not None
    assert other.by_origin is not None
    return Result(acc.index[:0], None, acc.by_destination + other.by_destination,
                  acc.by_origin + other.by_origin)


def fit_all(inputs: Inputs) -> tuple[model.Fit, np.ndarray]:
    """The pooled fit over every projected series (female rows, then male rows) and the
    mask (n, 2) of projected series."""
    active = inputs.stocks[:, :, -1] > 0
    rows = np.concatenate([inputs.stocks[:, 0][active[:, 0]], inputs.stocks[:, 1][active[:, 1]]])
    groups = np.concatenate([inputs.destinations[active[:, 0]],
                             inputs.destinations[active[:, 1]]])
    if len(rows) == 0:
        rows, groups = np.zeros((1, len(inputs.years))), np.array(["-"])
    return model.fit(rows, inputs.years, groups), active


def _groups(dest: np.ndarray, batch: int) -> list[np.ndarray]:
    """Corridor indices cut into batches of whole destinations, about `batch` corridors
    each (a destination with more corridors is a batch of its own), in the order of the
    destinations' positions."""
    order = np.argsort(dest, kind="stable")
    bounds = np.flatnonzero(np.diff(dest[order])) + 1
    out: list[np.ndarray] = []
    current: list[np.ndarray] = []
    size = 0
    for part in np.split(order, bounds):
        if current and size + len(part) > batch:
            out.append(np.sort(np.concatenate(current)))
            current, size = [], 0
        current.append(part)
        size += len(part)
    if current:
        out.append(np.sort(np.concatenate(current)))
    return out


def plan(inputs: Inputs, settings: Settings, batch: int = BATCH,
         observed: np.ndarray | None = None, ceiling: Ceiling | None = None) -> list[Batch]:
    """The batches of a run: the pooled fit shared, corridors cut in batches of whole
    destinations of about `batch` corridors; `observed` (n, 3, H) stocks of the target
    years, female, male and total, to score; `ceiling`: the destinations' populations."""
    pooled, active = fit_all(inputs)
    fem = model.apply(pooled, inputs.stocks[:, 0])
    mal = model.apply(pooled, inputs.stocks[:, 1])
    dest_codes, dest = np.unique(inputs.destinations, return_inverse=True)
    orig_codes, orig = np.unique(inputs.origins, return_inverse=True)
    keys = [f"{o}|{d}" for o, d in zip(inputs.origins, inputs.destinations, strict=True)]
    seeds = key_seeds(keys)
    dest_seeds = key_seeds([f"to|{d}" for d in inputs.destinations])
    lengths = model.steps(int(inputs.years[-1]), list(settings.targets))
    top = None if ceiling is None else ceiling.aligned(dest_codes, settings.targets)
    return [Batch(idx, fem.take(idx), mal.take(idx), active[idx], seeds[idx],
                  dest_seeds[idx], dest[idx], orig[idx], len(dest_codes), len(orig_codes),
                  lengths, settings, None if observed is None else observed[idx], top)
            for idx in _groups(dest, batch)]


def _sums(position: np.ndarray, size: int, values: np.ndarray) -> np.ndarray:
    """Sum rows of values (n, D, H) by position (n,) into (size, D, H)."""
    n, d, h = values.shape
    onehot = sparse.csr_matrix((np.ones(n), (position, np.arange(n))), shape=(size, n))
    return np.asarray(onehot @ values.reshape(n, d * h)).reshape(size, d, h)


def cap(values: np.ndarray, dest: np.ndarray, population: np.ndarray
        ) -> tuple[np.ndarray, np.ndarray]:
    """Corridors' draws (n, D, H) scaled, destination by destination and draw by draw, so
    that their sum never exceeds the destination's population (n_dest, H; NaN: no
    ceiling); and which draws (n_dest, D, H) were scaled. Every corridor of a destination
    must be in `values`."""
    totals = _sums(dest, len(population), values)
    limit = population[:, None, :]
    over = np.isfinite(limit) & (totals > limit)
    factor = np.where(over, np.divide(limit, totals, out=np.ones_like(totals),
                                      where=totals > 0), 1.0)
    return values * factor[dest], over


def simulate_batch(b: Batch) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The female and male stocks (n, D, H) of one batch's draws, held at the ceiling, and
    how many draws were held (3 as `SEX_ORDER`, n_dest, H; the total: either sex; None
    without a ceiling). Draw k of a corridor depends
    only on its key, the seed and k, not on the number of draws: the first K draws of a
    run are those of the same run with K draws."""
    s = b.settings
    u = uniforms(b.seeds, s.draws, len(b.lengths), s.seed)
    shared = uniforms(b.dest_seeds, s.draws, len(b.lengths), s.seed) if s.shared else None
    female = model.to_stock(model.simulate(b.fit_female, b.lengths, u, scale=s.scale,
                                           damping=s.damping, shared=shared))
    male = model.to_stock(model.simulate(b.fit_male, b.lengths, u, scale=s.scale,
                                         damping=s.damping, shared=shared))
    female *= b.active[:, 0, None, None]
    male *= b.active[:, 1, None, None]
    if b.ceiling is None:
        return exact(female), exact(male), None
    female, held_f = cap(female, b.dest, b.ceiling[0])
    male, held_m = cap(male, b.dest, b.ceiling[1])
    return (exact(female), exact(male),
            np.stack([held_f, held_m, held_f | held_m]).sum(axis=2))


def exact(values: np.ndarray) -> np.ndarray:
    """Draws rounded down to a multiple of `QUANTUM` persons: any sum of them (under 2^43
    persons) is then exact in floating point, so totals are the same in any order of
    addition (a cluster adds them where they are) and never pass a ceiling."""
    return np.floor(values / QUANTUM) * QUANTUM


def draw_stocks(inputs: Inputs, settings: Settings, first: int,
                ceiling: Ceiling | None = None) -> np.ndarray:
    """The corridors' stocks (n, 3 sexes as `SEX_ORDER`, first, H) in the first `first`
    draws of a run with `settings` (and its `ceiling`): the same numbers as that run's
    draws."""
    out = np.empty((len(inputs.origins), 3, first, len(settings.targets)))
    for b in plan(inputs, replace(settings, draws=first), ceiling=ceiling):
        female, male, _ = simulate_batch(b)
        out[b.index, 0], out[b.index, 1] = female, male
        out[b.index, 2] = female + male
    return out


def run_batch(b: Batch) -> Result:
    """Simulate one batch (pure: the same batch gives the same result anywhere)."""
    s = b.settings
    female, male, held = simulate_batch(b)
    q = np.empty((3, len(PROBS), len(b.index), len(b.lengths)))
    by_d = np.empty((3, b.n_dest, s.draws, len(b.lengths)))
    by_o = np.empty((3, b.n_orig, s.draws, len(b.lengths)))
    crps = None if b.observed is None else np.empty((3, len(b.index), len(b.lengths)))
    pit = None if b.observed is None else np.empty((3, len(b.index), len(b.lengths)))
    for i, values in enumerate((female, male, female + male)):
        q[i] = quantiles(values, PROBS, axis=1)
        by_d[i] = _sums(b.dest, b.n_dest, values)
        by_o[i] = _sums(b.orig, b.n_orig, values)
        if crps is not None and pit is not None and b.observed is not None:
            for h in range(len(b.lengths)):
                crps[i, :, h] = crps_draws(np.log1p(values[:, :, h]),
                                           np.log1p(b.observed[:, i, h]))
                pit[i, :, h] = pit_draws(values[:, :, h], b.observed[:, i, h])
    return Result(b.index, q, by_d, by_o, crps, pit, held)


@dataclass
class Combined:
    """A whole run: corridor quantiles (3, P, n, H), draws summed by destination and by
    origin (3, m, D, H), corridor CRPS and PIT (3, n, H) when scored."""

    quantiles: np.ndarray
    by_destination: np.ndarray
    by_origin: np.ndarray
    crps: np.ndarray | None
    pit: np.ndarray | None = None
    capped: np.ndarray | None = None  # (3, n_dest, H) draws held at the ceiling


def _place(acc: np.ndarray | None, part: np.ndarray | None, index: np.ndarray, n: int
           ) -> np.ndarray | None:
    """A batch's per-corridor scores (3, k, H) put at its corridors of `acc` (3, n, H)."""
    if part is None:
        return acc
    if acc is None:
        acc = np.full((3, n, part.shape[-1]), np.nan)
    acc[:, index] = part
    return acc


def combine(results: Iterable[Result], n: int) -> Combined:
    """The batches' results, in the batches' order, as one run (summed one at a time, so
    a run holds one batch's draws at once). A result may carry only its corridors or only
    totals (already summed elsewhere in the same order)."""
    q: np.ndarray | None = None
    crps: np.ndarray | None = None
    by_d: np.ndarray | None = None
    by_o: np.ndarray | None = None
    pit: np.ndarray | None = None
    held: np.ndarray | None = None
    for r in results:
        if r.capped is not None:
            held = r.capped.copy() if held is None else held + r.capped
        if r.by_destination is not None and r.by_origin is not None:
            if by_d is None or by_o is None:
                by_d, by_o = r.by_destination.copy(), r.by_origin.copy()
            else:
                by_d += r.by_destination
                by_o += r.by_origin
        if r.quantiles is not None:
            if q is None:
                q = np.empty((3, len(PROBS), n, r.quantiles.shape[-1]))
            q[:, :, r.index] = r.quantiles
        crps = _place(crps, r.crps, r.index, n)
        pit = _place(pit, r.pit, r.index, n)
    if q is None or by_d is None or by_o is None:
        raise ValueError("no batch to combine")
    return Combined(q, by_d, by_o, crps, pit, held)


Runner = Callable[[Sequence[Batch]], Iterator[Result]]


def in_process(batches: Sequence[Batch]) -> Iterator[Result]:
    """Run the batches one after the other in this process (the default)."""
    for b in batches:
        yield run_batch(b)
