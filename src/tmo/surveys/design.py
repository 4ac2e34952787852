"""A sample design: who was drawn how, as the estimators need it (docs/surveys.md).

A `Design` holds the responses (one row per responding unit) and says which columns are
the final weights, the strata, the primary sampling units (PSUs) and the finite
population correction, or which columns are replicate weights and how they were made.

Two ways to get standard errors follow from it:

- **Taylor linearisation** (`Design.replicates is None`): PSUs are taken as drawn with
  replacement within their stratum (the "ultimate cluster" approximation, Wolter 2007,
  ch. 6), so later stages need not be described; an fpc, when given, scales each
  stratum's term by (1 − n_h/N_h). Without `psu` each unit is its own PSU; without
  `strata` there is one stratum. PSU labels are nested in strata (the same label in two
  strata names two PSUs).
- **Replicate weights** (`Design.replicates`): the columns the publisher ships (BRR,
  Fay's BRR, JK1, JKn, bootstrap), or replicates built here from strata and PSUs
  (`tmo.surveys.replicates`).

Lonely PSU policy (a stratum with one PSU, where the within-stratum variance cannot be
estimated): `fail` (the default) refuses, naming the strata; `adjust` centres that
stratum's PSU on the grand mean of the PSU totals (R survey's "adjust", Stata's
`singleunit(centered)`); `remove` lets it contribute nothing (Stata's `singleunit(scaled)`
without the scaling; the variance is then an underestimate, which the docs say).
`certainty` treats a lonely PSU as drawn with certainty: its units become the PSUs of
that stratum.

The design degrees of freedom, which the confidence intervals use, are the number of
PSUs minus the number of strata (Korn and Graubard 1999, 5.2); for replicate weights
without strata, the number of replicates minus one, unless the design says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from tmo.errors import InputError

LonelyPsu = Literal["fail", "adjust", "remove", "certainty"]
LONELY_PSU_POLICIES: tuple[LonelyPsu, ...] = ("fail", "adjust", "remove", "certainty")
ReplicateMethod = Literal["brr", "fay", "jk1", "jkn", "bootstrap"]
REPLICATE_METHODS: tuple[ReplicateMethod, ...] = ("brr", "fay", "jk1", "jkn", "bootstrap")


@dataclass(frozen=True)
class Replicates:
    """Replicate weights and the variance formula they call for.

    The variance of an estimate θ̂ is ``scale · Σ_r rscales[r] · (θ̂_r − θ̂)²`` where θ̂_r is
    the estimate under replicate column r (deviations from the full-sample estimate, the
    "mse" form). The per-method defaults (`replicate_scale`) are:

    ==========  ============================  ===========================================
    method      scale                         rscales
    ==========  ============================  ===========================================
    brr         1/R                           1
    fay         1/(R (1 − rho)²)                1
    jk1         (R − 1)/R                     1
    jkn         1                             (n_h − 1)/n_h of the stratum dropped from
    bootstrap   1/R                           1
    ==========  ============================  ===========================================
    """

    weights: np.ndarray                  # (n, R) replicate weights, final (not factors)
    method: ReplicateMethod
    scale: float
    rscales: np.ndarray                  # (R,)
    rho: float = 0.0                     # Fay's coefficient (fay only)
    columns: tuple[str, ...] = ()        # the columns they were read from, if any

    @property
    def count(self) -> int:
        """Number of replicates R."""
        return int(self.weights.shape[1])


def replicate_scale(method: ReplicateMethod, count: int, rho: float = 0.0) -> float:
    """The overall multiplier of the squared deviations for `count` replicates (table above)."""
    if method == "brr":
        return 1.0 / count
    if method == "fay":
        if not 0.0 <= rho < 1.0:
            raise InputError(f"Fay's coefficient must be in [0, 1), not {rho}")
        return 1.0 / (count * (1.0 - rho) ** 2)
    if method == "jk1":
        return (count - 1) / count
    if method == "jkn":
        return 1.0
    if method == "bootstrap":
        return 1.0 / count
    raise InputError(f"unknown replicate method {method!r}",
                     hint="use one of " + ", ".join(REPLICATE_METHODS))


@dataclass(frozen=True)
class Design:
    """Responses with their sample design. Build it with `Design.of` (checks everything).

    `weights`, `strata`, `psu`, `fpc` are arrays aligned with `data`'s rows; `strata` and
    `psu` are integer codes (0..H−1, 0..P−1 with PSU codes unique across strata), `fpc`
    is the number of PSUs in each unit's stratum in the population (N_h) or None.
    """

    data: pd.DataFrame
    weights: np.ndarray
    strata: np.ndarray
    psu: np.ndarray
    fpc: np.ndarray | None = None
    replicates: Replicates | None = None
    lonely_psu: LonelyPsu = "fail"
    df: float = np.nan
    source: str = "responses"           # file name, for messages
    columns: dict[str, str] = field(default_factory=dict)  # role -> column name
    # columns read as text or numbers once per design (the estimators ask many times)
    cache: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False,
                                              repr=False)

    @property
    def n(self) -> int:
        """Number of responding units (rows)."""
        return len(self.weights)

    @property
    def method(self) -> str:
        """`taylor`, or the replicate method."""
        return "taylor" if self.replicates is None else self.replicates.method

    @staticmethod
    def of(data: pd.DataFrame, *, weight: str | None = None, strata: str | None = None,
           psu: str | None = None, fpc: str | None = None,
           replicate_weights: Sequence[str] = (), method: ReplicateMethod | None = None,
           rho: float = 0.0, scale: float | None = None,
           rscales: Sequence[float] | None = None,
           lonely_psu: LonelyPsu = "fail", df: float | None = None,
           source: str = "responses") -> Design:
        """A checked design over `data`, naming its columns.

        Without `weight` every unit weighs 1. With `replicate_weights` (column names),
        `method` is required; `scale` overrides the method's default multiplier when the
        publisher documents another one, `rscales` gives one multiplier per replicate
        (JKn's (n_h − 1)/n_h; all 1 otherwise). Every bad value raises `InputError` naming
        `source`, the row (as a spreadsheet shows it: the header is row 1) and the column.
        """
        if lonely_psu not in LONELY_PSU_POLICIES:
            raise InputError(f"unknown lonely-PSU policy {lonely_psu!r}",
                             hint="use one of " + ", ".join(LONELY_PSU_POLICIES))
        frame = data.reset_index(drop=True)
        w = (np.ones(len(frame)) if weight is None
             else _weights(frame, weight, source))
        s_codes = (np.zeros(len(frame), dtype=np.int64) if strata is None
                   else _codes(frame, strata, source))
        p_codes = (np.arange(len(frame), dtype=np.int64) if psu is None
                   else _nested(s_codes, _codes(frame, psu, source)))
        f = None if fpc is None else _fpc(frame, fpc, s_codes, p_codes, source)
        reps = None
        if replicate_weights:
            reps = _replicates(frame, list(replicate_weights), method=method, rho=rho,
                               scale=scale, source=source)
            if rscales is None and reps.method == "jkn":
                rscales = _jkn_rscales(reps, s_codes, p_codes, has_psu=psu is not None,
                                       source=source)
            if rscales is not None:
                if len(rscales) != reps.count:
                    raise InputError(f"{source}: {len(rscales)} rscales for {reps.count} "
                                     "replicate weight columns")
                reps = Replicates(reps.weights, reps.method, reps.scale,
                                  np.asarray(rscales, dtype=float), reps.rho, reps.columns)
        elif method is not None:
            raise InputError(f"{source}: replicate method {method!r} given without "
                             "replicate weight columns",
                             hint="name the columns, or build replicates from strata and PSUs")
        if df is None:
            df = design_df(s_codes, p_codes, reps)
        roles = {k: v for k, v in (("weight", weight), ("strata", strata), ("psu", psu),
                                   ("fpc", fpc)) if v is not None}
        return Design(frame, w, s_codes, p_codes, f, reps, lonely_psu, float(df), source,
                      roles)

    def with_weights(self, weights: np.ndarray, replicate_weights: np.ndarray | None = None
                     ) -> Design:
        """The same design with new final (and replicate) weights, e.g. after raking."""
        reps = self.replicates
        if reps is not None and replicate_weights is not None:
            reps = Replicates(replicate_weights, reps.method, reps.scale, reps.rscales,
                              reps.rho, reps.columns)
        return Design(self.data, np.asarray(weights, dtype=float), self.strata, self.psu,
                      self.fpc, reps, self.lonely_psu, self.df, self.source, self.columns)


def cell_text(value: object) -> str:
    """A cell as text, as a category is compared: 2.0 read from a spreadsheet is `2`."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def texts(raw: pd.Series) -> pd.Series:
    """`cell_text` of every cell of a column (missing cells stay missing), vectorised for
    numeric columns."""
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        values = raw.to_numpy(dtype=float)
        out = pd.Series(raw.astype(str).to_numpy(dtype=object), index=raw.index, dtype=object)
        whole = np.isfinite(values) & (values == np.round(values))
        out[whole] = values[whole].astype(np.int64).astype(str)
        out[~np.isfinite(values)] = np.nan
        return out
    return raw.map(cell_text, na_action="ignore")


def _jkn_rscales(reps: Replicates, strata: np.ndarray, psu: np.ndarray, *, has_psu: bool,
                 source: str) -> list[float]:
    """(n_h − 1)/n_h of the stratum each JKn replicate drops a PSU from: the PSU whose
    every unit has a zero replicate weight (strata and PSUs must be given)."""
    if not has_psu:
        raise InputError(f"{source}: JKn replicate weights need their multipliers "
                         "(n_h − 1)/n_h", hint="name the strata and PSU columns too, so that "
                         "they are found, or give rscales")
    n_h = np.array([len(np.unique(psu[strata == h])) for h in range(int(strata.max()) + 1)])
    out = []
    for r in range(reps.count):
        dropped = np.unique(psu[reps.weights[:, r] == 0])
        whole = [p for p in dropped if np.all(reps.weights[psu == p, r] == 0)]
        if len(whole) != 1:
            raise InputError(f"{source}: replicate column {reps.columns[r]!r} drops "
                             f"{len(whole)} PSUs; a JKn replicate drops exactly one",
                             hint="check the method (jk1? bootstrap?) or give rscales")
        h = int(strata[psu == whole[0]][0])
        out.append((n_h[h] - 1) / n_h[h])
    return out


def design_df(strata: np.ndarray, psu: np.ndarray, reps: Replicates | None) -> float:
    """PSUs minus strata; for replicate weights alone (one stratum, each unit a PSU), R − 1."""
    n_strata = len(np.unique(strata))
    n_psu = len(np.unique(psu))
    if reps is not None and n_strata == 1 and n_psu == len(psu):
        return float(reps.count - 1)
    return float(max(n_psu - n_strata, 1))


def row_number(i: int) -> int:
    """The row of data position i as a spreadsheet shows it (the header is row 1)."""
    return i + 2


def _column(frame: pd.DataFrame, column: str, source: str) -> pd.Series:
    if column not in frame.columns:
        shown = ", ".join(map(str, list(frame.columns)[:12]))
        raise InputError(f"{source}: no column {column!r} (columns: {shown})",
                         hint="name the design's columns as they appear in the file's header")
    return frame[column]


def _numbers(frame: pd.DataFrame, column: str, source: str, what: str) -> np.ndarray:
    raw = _column(frame, column, source)
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        i = int(bad[0])
        shown = "empty" if pd.isna(raw.iloc[i]) else repr(str(raw.iloc[i]))
        raise InputError(f"{source}: row {row_number(i)}, column {column!r}: {what} is "
                         f"{shown}, not a number",
                         hint=f"every row needs a finite {what} ({len(bad)} row(s) affected)")
    return values


def _weights(frame: pd.DataFrame, column: str, source: str) -> np.ndarray:
    w = _numbers(frame, column, source, "weight")
    neg = np.flatnonzero(w < 0)
    if len(neg):
        i = int(neg[0])
        raise InputError(f"{source}: row {row_number(i)}, column {column!r}: negative "
                         f"weight {w[i]}",
                         hint="weights are numbers of population units each respondent "
                              "stands for, never negative")
    if not w.sum() > 0:
        raise InputError(f"{source}: column {column!r}: every weight is zero")
    return w


def _codes(frame: pd.DataFrame, column: str, source: str) -> np.ndarray:
    raw = _column(frame, column, source)
    missing = np.flatnonzero(raw.isna().to_numpy())
    if len(missing):
        i = int(missing[0])
        raise InputError(f"{source}: row {row_number(i)}, column {column!r}: empty design "
                         "label",
                         hint="every row needs its stratum and PSU")
    codes, _ = pd.factorize(raw.astype(str), sort=True)
    return codes.astype(np.int64)


def _nested(strata: np.ndarray, psu: np.ndarray) -> np.ndarray:
    pairs = strata * (int(psu.max()) + 1) + psu
    codes, _ = pd.factorize(pairs, sort=True)
    return codes.astype(np.int64)


def _fpc(frame: pd.DataFrame, column: str, strata: np.ndarray, psu: np.ndarray,
         source: str) -> np.ndarray:
    """N_h per unit; values in (0, 1] are read as sampling fractions n_h/N_h."""
    values = _numbers(frame, column, source, "finite population correction")
    for h in np.unique(strata):
        rows = np.flatnonzero(strata == h)
        if len(np.unique(values[rows])) > 1:
            raise InputError(f"{source}: row {row_number(int(rows[0]))}, column {column!r}: the "
                             "population size differs within one stratum",
                             hint="the fpc is one number per stratum")
        n_h = len(np.unique(psu[rows]))
        v = values[rows[0]]
        if 0 < v <= 1:
            values[rows] = n_h / v
        elif v < n_h:
            raise InputError(f"{source}: row {row_number(int(rows[0]))}, column {column!r}: "
                             f"population size {v:g} is below the {n_h} PSUs sampled",
                             hint="give N_h (PSUs in the stratum's population) or n_h/N_h")
    return values


def _replicates(frame: pd.DataFrame, columns: list[str], *, method: ReplicateMethod | None,
                rho: float, scale: float | None, source: str) -> Replicates:
    if method is None:
        raise InputError(f"{source}: replicate weights given without their method",
                         hint="say how they were made: " + ", ".join(REPLICATE_METHODS))
    if method not in REPLICATE_METHODS:
        raise InputError(f"unknown replicate method {method!r}",
                         hint="use one of " + ", ".join(REPLICATE_METHODS))
    if len(columns) < 2:
        raise InputError(f"{source}: {len(columns)} replicate weight column(s); at least 2 "
                         "are needed")
    matrix = np.column_stack([_numbers(frame, c, source, "replicate weight") for c in columns])
    neg = np.argwhere(matrix < 0)
    if len(neg):
        i, j = (int(v) for v in neg[0])
        raise InputError(f"{source}: row {row_number(i)}, column {columns[j]!r}: negative "
                         f"replicate weight {matrix[i, j]}")
    count = matrix.shape[1]
    s = replicate_scale(method, count, rho) if scale is None else float(scale)
    return Replicates(matrix, method, s, np.ones(count), rho, tuple(columns))
