"""Cheaper remittances (issue #21, docs/remittances.md): what sending money home costs per
corridor and per country over time (Remittance Prices Worldwide), what fees take from the
money sent (the World Bank's bilateral estimates, KNOMAD totals) and how far corridors are
from SDG 10.c (average below 3 %, no corridor above 5 %).

Pure kernels over frames (`targets`, `costs`, `fees`), the figures with their source rows
(`report`), and one reader of the store (`data`, through `tmo.store.facts`).
"""
