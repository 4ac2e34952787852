"""The declared stages of a store, and the one place that chains them:

    official files --tmo build--> statistics, reference, checks --> profiles
    store --tmo flows--> migration_flows (+ findings) --> profiles

Every stage writes through the store's one write path (`tmo.store.writer`): a new file,
completed, swapped in. A stage that changes what a profile shows is followed by the
profiles stage on the same new file, so the stored profiles always match the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd

from tmo.config import Settings
from tmo.findings import Finding
from tmo.flows.estimate_store import write_flows
from tmo.profiles.stage import write_profiles
from tmo.store.build import BuildProgress, BuildReport, build
from tmo.store.writer import WriteReport, derive

PROFILES = ("Writing the profiles", write_profiles)


def build_store(settings: Settings, *, keys: Iterable[str] | None = None,
                allow_changed: bool = False, progress: BuildProgress | None = None,
                wait: float = 0) -> BuildReport:
    """`tmo build`: the store from the official files, then its profiles."""
    return build(settings, keys=keys, allow_changed=allow_changed, progress=progress,
                 stages=[PROFILES], wait=wait)


def store_flows(db: Path, frame: pd.DataFrame, findings: list[Finding] | None = None, *,
                wait: float = 0) -> WriteReport:
    """`tmo flows`: replace the stored flows of the frame's (revision, method, sex), then
    recompute the profiles, in a new store file swapped in."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        write_flows(con, frame, findings or [])

    return derive(db, "flows", write, then=[lambda con: write_profiles(con)],
                  command="tmo flows", wait=wait)
