"""`estimate_frame`: flows from long-form pandas stock tables, all periods at once.

Stocks: one row per (by..., time, birthplace, residence) with the stock in `value`;
absent combinations are zero stocks. Consecutive times form the periods. Births and
deaths (optional): one row per (by..., period start time, `region`) with the value in
a column named `births` / `deaths`; every period and region must be present.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from tmo.errors import InputError
from tmo.flows.methods import estimate


def _require(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"{name} lacks column(s) {missing}; it has {list(frame.columns)}")


def _no_duplicates(frame: pd.DataFrame, keys: list[str], name: str) -> None:
    dup = frame.duplicated(subset=keys, keep=False)
    if dup.any():
        raise InputError(f"{name} has duplicate rows for {frame.loc[dup, keys].iloc[0].tolist()}")


def _codes(series: pd.Series, levels: list) -> np.ndarray:
    return pd.Index(levels).get_indexer(series)


def _vital_array(
    frame: pd.DataFrame | None,
    name: str,
    *,
    by: list[str],
    time: str,
    levels: list[list],
    labels: list,
) -> np.ndarray | None:
    if frame is None:
        return None
    keys = [*by, time, "region"]
    _require(frame, [*keys, name], name)
    _no_duplicates(frame, keys, name)
    shape = (*tuple(len(lv) for lv in levels), len(labels))
    out = np.full(shape, np.nan)
    codes = [_codes(frame[c], lv) for c, lv in zip([*by, time], levels, strict=True)]
    codes.append(_codes(frame["region"], labels))
    keep = np.all([c >= 0 for c in codes], axis=0)
    out[tuple(c[keep] for c in codes)] = frame[name].to_numpy(dtype=float)[keep]
    if np.isnan(out).any():
        where = np.argwhere(np.isnan(out))[0]
        key = [lv[i] for lv, i in zip(levels, where[:-1], strict=True)] + [labels[where[-1]]]
        raise InputError(f"{name} missing or NaN for {dict(zip(keys, key, strict=True))}")
    return out


def estimate_frame(
    stocks: pd.DataFrame,
    births: pd.DataFrame | None = None,
    deaths: pd.DataFrame | None = None,
    method: str = "da_pb_closed",
    *,
    time: str = "year",
    birthplace: str = "orig",
    residence: str = "dest",
    value: str = "stock",
    by: Sequence[str] = (),
    **options: object,
) -> pd.DataFrame:
    """Long flows `[*by, period_start, period_end, origin, destination, flow]`.

    All periods (and `by` groups, e.g. sex) are estimated in one vectorised call.
    """
    by = list(by)
    keys = [*by, time, birthplace, residence]
    _require(stocks, [*keys, value], "stocks")
    _no_duplicates(stocks, keys, "stocks")
    if stocks[value].isna().any():
        row = stocks.loc[stocks[value].isna(), keys].iloc[0].tolist()
        raise InputError(f"stocks has a missing {value!r} for {dict(zip(keys, row, strict=True))}")
    labels = sorted(set(stocks[birthplace]) | set(stocks[residence]))
    times = sorted(stocks[time].unique())
    if len(times) < 2:
        raise InputError(f"stocks need at least two values of {time!r}; got {times}")
    group_levels = [sorted(stocks[c].unique()) for c in by]
    shape = (*tuple(len(lv) for lv in group_levels), len(times), len(labels), len(labels))
    table = np.zeros(shape)
    present = np.zeros(shape[:-2], dtype=bool)
    codes = [_codes(stocks[c], lv) for c, lv in zip(by, group_levels, strict=True)]
    codes += [_codes(stocks[time], times), _codes(stocks[birthplace], labels),
              _codes(stocks[residence], labels)]
    table[tuple(codes)] = stocks[value].to_numpy(dtype=float)
    present[tuple(codes[:-2])] = True
    if not present.all():
        where = np.argwhere(~present)[0]
        key = [lv[i] for lv, i in zip([*group_levels, times], where, strict=True)]
        raise InputError(f"stocks has no rows for {dict(zip([*by, time], key, strict=True))}")
    period_levels = [*group_levels, times[:-1]]
    b = _vital_array(births, "births", by=by, time=time, levels=period_levels, labels=labels)
    d = _vital_array(deaths, "deaths", by=by, time=time, levels=period_levels, labels=labels)
    result = estimate(table[..., :-1, :, :], table[..., 1:, :, :], b, d, method,
                      labels=labels, **options)
    result = dataclasses.replace(
        result,
        batch_names=(*by, "period_start"),
        batch_labels=(*(tuple(lv) for lv in group_levels), tuple(times[:-1])),
    )
    frame = result.to_frame()
    end_of = dict(itertools.pairwise(times))
    frame.insert(len(by) + 1, "period_end", frame["period_start"].map(end_of))
    return frame
