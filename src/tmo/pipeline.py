"""The declared stages of a store, and the one place that chains them:

    official files --tmo build--> statistics, reference, checks --> profiles
    store --tmo flows--> migration_flows (+ findings) --> profiles

Every stage writes through the store's one write path (`tmo.store.writer`): a new file,
completed, swapped in. A stage that writes a view the profiles read
(`tmo.profiles.stage.PROFILE_INPUTS`) is followed by the profiles stage on the same new
file, so the stored profiles always match the store; `tmo flows` writes only
`migration_flows` and `findings`, which no profile shows yet, so its new file keeps them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd

from tmo.config import Settings
from tmo.findings import Finding
from tmo.flows.estimate_store import write_flows
from tmo.profiles.stage import PROFILE_INPUTS, write_profiles
from tmo.store import facts
from tmo.store.build import BuildProgress, BuildReport, build
from tmo.store.writer import Stage, WriteReport, derive


def profiles_stage(con: duckdb.DuckDBPyConnection) -> None:
    """The profiles stage: every country's default profile, stored. A store without an
    IMS migrant stock (`tmo build --only unhcr`) has no profile to store: the stage
    leaves the `profiles` table empty and `tmo build` says so (docs/store.md)."""
    if facts.revisions(con):
        write_profiles(con)


PROFILES: tuple[str, Stage] = ("Writing the profiles", profiles_stage)


def build_store(settings: Settings, *, keys: Iterable[str] | None = None,
                allow_changed: bool = False, progress: BuildProgress | None = None,
                wait: float = 0) -> BuildReport:
    """`tmo build`: the store from the official files, then its profiles."""
    return build(settings, keys=keys, allow_changed=allow_changed, progress=progress,
                 stages=[PROFILES], wait=wait)


FLOW_OUTPUTS = frozenset({"migration_flows", "findings"})


def followers(outputs: frozenset[str]) -> list[Stage]:
    """The stages to run after one that writes `outputs`."""
    return [profiles_stage] if outputs & PROFILE_INPUTS else []


def store_flows(db: Path, frame: pd.DataFrame, findings: list[Finding] | None = None, *,
                wait: float = 0) -> WriteReport:
    """`tmo flows`: replace the stored flows of the frame's (revision, method, sex), in a
    new store file swapped in (with the profiles again if they read the flows)."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        write_flows(con, frame, findings or [])

    return derive(db, "flows", write, then=followers(FLOW_OUTPUTS), command="tmo flows",
                  wait=wait)
