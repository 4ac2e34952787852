"""Checks on the arrays handed to the flow estimators.

Every check raises `tmo.errors.InputError` with a message that names the offending
input and, where it can, the cell by its labels. Stocks are `(..., n, n)` arrays,
rows = place of birth, columns = place of residence; births and deaths are
`(..., n)` arrays by place of residence. Leading dimensions are a batch (periods,
sexes) and must agree between inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tmo.errors import InputError

NEGATIVE_NATIVE_BORN = ("raise", "rescale")


@dataclass(frozen=True)
class Stocks:
    """Validated inputs: float arrays with one batch shape and region labels."""

    start: np.ndarray
    end: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    labels: tuple

    @property
    def n(self) -> int:
        return self.start.shape[-1]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.start.shape[:-2]


def as_float_array(values: object, name: str) -> np.ndarray:
    """`values` as a float64 array; raises when it is not numeric."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} is not numeric: {exc}") from exc
    return array


def _cell(index: tuple[int, ...], labels: Sequence, axes: tuple[str, ...]) -> str:
    """A readable location such as 'period 0, birth=FRA, residence=DEU'."""
    parts = [f"batch index {tuple(int(i) for i in index[:-len(axes)])}"] if (
        len(index) > len(axes)) else []
    for axis, i in zip(axes, index[-len(axes):], strict=True):
        parts.append(f"{axis}={labels[int(i)]}")
    return ", ".join(parts)


def _locate(mask: np.ndarray, labels: Sequence, axes: tuple[str, ...], limit: int = 3) -> str:
    cells = np.argwhere(mask)
    text = "; ".join(_cell(tuple(c), labels, axes) for c in cells[:limit])
    if len(cells) > limit:
        text += f"; and {len(cells) - limit} more"
    return text


def check_finite(array: np.ndarray, name: str, labels: Sequence, axes: tuple[str, ...]) -> None:
    bad = ~np.isfinite(array)
    if bad.any():
        raise InputError(f"{name} has NaN or infinite values at {_locate(bad, labels, axes)}")


def check_stock_table(stock: np.ndarray, name: str) -> None:
    if stock.ndim < 2:
        raise InputError(f"{name} must be a square table (..., n, n); got shape {stock.shape}")
    if stock.shape[-1] != stock.shape[-2]:
        raise InputError(
            f"{name} is not square: {stock.shape[-2]} birthplaces (rows) but "
            f"{stock.shape[-1]} residences (columns)"
        )


def region_labels(labels: Sequence | None, n: int) -> tuple:
    if labels is None:
        return tuple(range(n))
    labels = tuple(labels)
    if len(labels) != n:
        raise InputError(f"labels has {len(labels)} names but the stock tables have {n} regions")
    if len(set(labels)) != n:
        raise InputError(f"labels are not unique: {sorted(map(str, labels))}")
    return labels


def _vital(
    values: object, name: str, stocks_shape: tuple[int, ...], labels: Sequence
) -> np.ndarray:
    n = stocks_shape[-1]
    if values is None:
        return np.zeros(stocks_shape[:-1])
    array = as_float_array(values, name)
    if array.ndim == 0 or array.shape[-1] != n:
        raise InputError(
            f"{name} must have one value per region ({n}); got shape {array.shape}"
        )
    try:
        array = np.broadcast_to(array, stocks_shape[:-1])
    except ValueError as exc:
        raise InputError(
            f"{name} has batch shape {array.shape[:-1]}, the stocks {stocks_shape[:-2]}"
        ) from exc
    check_finite(array, name, labels, ("region",))
    if (array < 0).any():
        raise InputError(f"{name} are negative at {_locate(array < 0, labels, ('region',))}")
    return array


def check_negative_stocks(
    stock: np.ndarray, name: str, labels: Sequence, *, allow_native_born: bool
) -> None:
    """Negative foreign-born cells always raise; negative native-born (diagonal) cells
    raise unless the caller asked for them to be rescaled (`allow_native_born`)."""
    negative = stock < 0
    if allow_native_born:
        negative = negative & ~np.eye(stock.shape[-1], dtype=bool)
    if negative.any():
        raise InputError(
            f"{name} has negative stocks at {_locate(negative, labels, ('birth', 'residence'))}",
            hint="stocks count people; for negative native-born cells (foreign-born above "
            "the total population) pass negative_native_born='rescale'",
        )


def validate(
    stock_start: object,
    stock_end: object,
    births: object = None,
    deaths: object = None,
    *,
    labels: Sequence | None = None,
    negative_native_born: str = "raise",
) -> Stocks:
    """Check and broadcast the inputs of every estimator."""
    if negative_native_born not in NEGATIVE_NATIVE_BORN:
        raise InputError(
            f"negative_native_born must be one of {NEGATIVE_NATIVE_BORN}, "
            f"got {negative_native_born!r}"
        )
    start = as_float_array(stock_start, "stock_start")
    end = as_float_array(stock_end, "stock_end")
    check_stock_table(start, "stock_start")
    check_stock_table(end, "stock_end")
    if start.shape != end.shape:
        raise InputError(
            f"stock_start and stock_end have different shapes: {start.shape} and {end.shape}"
        )
    n = start.shape[-1]
    if n < 1:
        raise InputError("the stock tables have no regions")
    names = region_labels(labels, n)
    axes = ("birth", "residence")
    check_finite(start, "stock_start", names, axes)
    check_finite(end, "stock_end", names, axes)
    allow = negative_native_born == "rescale"
    check_negative_stocks(start, "stock_start", names, allow_native_born=allow)
    check_negative_stocks(end, "stock_end", names, allow_native_born=allow)
    b = _vital(births, "births", start.shape, names)
    d = _vital(deaths, "deaths", start.shape, names)
    return Stocks(start=start, end=end, births=b, deaths=d, labels=names)
