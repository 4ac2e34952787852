"""Projections of bilateral migrant stocks with prediction intervals, backtested
(docs/projections.md).

Kernels (pure numpy, no I/O): `model` (the pooled empirical-Bayes model and its
simulation), `baselines`, `draws` (random numbers tied to corridors), `scores`,
`projection` (every corridor in batches, totals from the same draws), `backtest`.
`cluster` runs the same batches on a Dask cluster; `stage` is the glue with the store.
"""
