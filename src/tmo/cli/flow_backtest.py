"""`tmo projections flows backtest`: the glue between the published flow inputs
(`tmo.flows.estimate_store`) and the projections (`tmo.projections.flow_backtest`), which
sit side by side in the import layers and so meet here; the output in JSON, CSV or
Markdown (docs/projections.md, "Backtest of the flows' intervals")."""

from __future__ import annotations

import itertools
import json
import math
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tmo.errors import InputError
from tmo.findings import Finding
from tmo.flows import estimate_store
from tmo.projections import flow_backtest as fb
from tmo.projections.projection import Settings
from tmo.projections.scores import PIT_BINS
from tmo.projections.stage import read_inputs
from tmo.store import facts
from tmo.store.evidence import Evidence
from tmo.store.query import connect

SHOWN = ["sex", "jump_off", "period_start", "period_end", "level", "band", "method", "n", "mae_log",
         "wape", "bias_log", "coverage80", "coverage95", "crps"]
WORLD = ["sex", "jump_off", "period_start", "period_end", "truth", "median", "lower80", "upper80",
         "lower95", "upper95", "inside80", "inside95", "pit", "baseline"]


def run_backtest(db: Path, jump_offs: tuple[int, ...], flow_draws: int,
                 revision: str | None, sexes: tuple[str, ...] = ("total",)
                 ) -> dict[str, Any]:
    """Read the published inputs once, run the backtest from each jump-off and for each
    sex (the reported flows score the total only: Eurostat's are of both sexes), and
    return what the command prints: settings, rows, world, findings, sources, cost."""
    start = time.process_time()
    findings: list[Finding] = []
    with connect(db) as con:
        rev = facts.revision_or_latest(con, revision)
        by_sex = {}
        for sex in sexes:
            by_sex[sex], found = estimate_store.store_inputs(con, rev, (sex,))
            findings += found
        inputs = read_inputs(con, rev)
        reported = pd.DataFrame(facts.reported_flows(con),
                                columns=["year", "origin", "destination", "flow"])
        ev = Evidence(con)
        wpp = estimate_store.WPP_FOR_IMS.get(rev, rev)
        sources = [ev.rows(view, where, ["year"])[1] for view, where in (
            ("migrant_stock", {"revision": rev, "sex": ["total", "female", "male"]}),
            ("population", {"source": "UN DESA IMS", "revision": rev}),
            ("vital_events", {"source": "UN WPP", "revision": wpp}),
            ("reported_flows", {"year": sorted(int(y) for y in reported["year"].unique())}))]

    settings = Settings()
    rows: list[dict[str, Any]] = []
    world: list[dict[str, Any]] = []
    dropped = 0
    for jump_off, sex in itertools.product(jump_offs, sexes):
        published = by_sex[sex]

        def estimate(first: int, last: int, known: np.ndarray, unknown: np.ndarray,
                     published: estimate_store.Inputs = published
                     ) -> tuple[np.ndarray, list[Finding]]:
            od, found = estimate_store.flows_of(published, first, last, known[None],
                                                unknown[None])
            return od[0], found

        tables = fb.Published(published.years, published.places, published.known[0],
                              published.unknown[0])
        try:
            result = fb.run(tables, estimate, inputs, jump_off, settings=settings,
                            flow_draws=flow_draws,
                            reported=reported if sex == "total" else None, sex=sex)
        except ValueError as exc:
            raise InputError(f"--jump-off {jump_off}: {exc}",
                             hint="choose an estimate year with three before it and one "
                             "after (2010 or 2015 in IMS 2024)") from None
        rows += result.rows
        world += result.world
        findings += result.findings
        dropped = max(dropped, result.dropped)
    unique = {(f.check, f.where, f.message): f for f in findings}
    return {
        "settings": {"revision": rev, "method": "da_pb_closed", "sexes": list(sexes),
                     "flow_draws": flow_draws, "seed": settings.seed, "scale": settings.scale,
                     "damping": settings.damping, "jump_offs": list(jump_offs),
                     "corridors_left_out": dropped,
                     "expected_coverage80": fb.expected_coverage(0.8, flow_draws),
                     "expected_coverage95": fb.expected_coverage(0.95, flow_draws)},
        "rows": rows, "world": world,
        "findings": [f"{f.severity} {f.check} [{f.source}] {f.where}: {f.message}"
                     for f in unique.values()],
        "sources": [{"view": s.view, "filter": s.filter, "files": list(s.files),
                     "rows": s.n_rows} for s in sources],
        "cost": {"cpu_seconds": round(time.process_time() - start, 1),
                 "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                         / 1024)},
    }


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "" if math.isnan(value) else (f"{value:,.0f}" if abs(value) >= 1000
                                             else f"{value:.3f}")
    return str(value)


def _table(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    cols = [c for c in columns if c in frame.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    return lines + ["| " + " | ".join(_cell(v) for v in rec) + " |"
                    for rec in frame[cols].itertuples(index=False)]


def emit(out: dict[str, Any], fmt: str) -> None:
    """JSON: everything; CSV: the rows with the PIT histogram as pit1..pit10; Markdown:
    the rows and the world's totals as tables."""
    if fmt == "json":
        sys.stdout.write(json.dumps(out, default=float) + "\n")
        return
    frame = pd.DataFrame(out["rows"])
    if fmt == "csv":
        pit = pd.DataFrame([p if isinstance(p, list) else [math.nan] * PIT_BINS
                            for p in frame["pit"]],
                           columns=[f"pit{b + 1}" for b in range(PIT_BINS)], index=frame.index)
        sys.stdout.write(pd.concat([frame.drop(columns="pit"), pit], axis=1)
                         .to_csv(index=False))
        return
    lines = [*_table(frame, SHOWN), "", "World total of the flows, per period:", ""]
    lines += _table(pd.DataFrame(out["world"]), WORLD)
    sys.stdout.write("\n".join(lines) + "\n")
