"""The declared stages of a store, and the one place that chains them:

    official files --tmo build--> statistics, reference, checks
                                  --> build history, revision comparison, alerts --> profiles
    store --tmo flows--> migration_flows (+ findings) --> profiles' flows, flows compared
                                                          between revisions

Every stage writes through the store's one write path (`tmo.store.writer`): a new file,
completed, swapped in. A stage that writes a view the profiles read
(`tmo.profiles.stage.PROFILE_INPUTS`) is followed by the profiles stage on the same new
file, so the stored profiles always match the store; `tmo flows` writes
`migration_flows`, which only the profile's flows section shows, so that section (and
the caveats, key messages and sources derived from it) is refreshed in every stored
profile (`tmo.profiles.stage.refresh_profiles`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd

from tmo.config import Settings
from tmo.findings import Finding
from tmo.flows.estimate_store import write_flows
from tmo.profiles.stage import PROFILE_INPUTS, refresh_profiles, refreshable, write_profiles
from tmo.revisions.alerts import Rule, load_rules
from tmo.revisions.stage import write_alerts, write_flow_revisions, write_revisions
from tmo.store import facts
from tmo.store.build import BuildProgress, BuildReport, build
from tmo.store.changes import record_build
from tmo.store.writer import (
    Stage,
    WriteReport,
    carry_table,
    clear_rows,
    derive,
    ensure_table,
    replace_rows,
)


def profiles_stage(con: duckdb.DuckDBPyConnection) -> None:
    """The profiles stage: every country's default profile, stored. A store without an
    IMS migrant stock (`tmo build --only unhcr`) has no profile to store: the stage
    leaves the `profiles` table empty and `tmo build` says so (docs/reliability.md)."""
    if facts.revisions(con):
        write_profiles(con)


PROFILES: tuple[str, Stage] = ("Writing the profiles", profiles_stage)


def alert_rules(settings: Settings) -> list[Rule]:
    """The alert rules each build evaluates: `settings.alerts` (TMO_ALERTS), else
    `<home>/alerts.yaml` if it exists, else none."""
    path = settings.alerts or settings.home / "alerts.yaml"
    return load_rules(path) if settings.alerts or path.is_file() else []


def monitoring(settings: Settings) -> list[tuple[str, Stage]]:
    """The monitoring stages of a build (docs/monitoring.md): the build's changes against
    the store it replaces (kept in the store's history), the revision comparison, and
    the alerts. The rules are read first, so a bad rules file stops the build at once."""
    rules = alert_rules(settings)

    def history(con: duckdb.DuckDBPyConnection) -> None:
        record_build(con, settings.db_path)

    def raise_alerts(con: duckdb.DuckDBPyConnection) -> None:
        write_alerts(con, rules)

    return [("Recording what changed", history), ("Comparing revisions", write_revisions),
            ("Evaluating alerts", raise_alerts)]


def build_store(settings: Settings, *, keys: Iterable[str] | None = None,
                allow_changed: bool = False, progress: BuildProgress | None = None,
                wait: float = 0) -> BuildReport:
    """`tmo build`: the store from the official files, then the monitoring stages and
    the profiles (last: their "What changed" section reads the revision comparison)."""
    def carry_registry(con: duckdb.DuckDBPyConnection) -> None:
        carry_table(con, settings.db_path, "registry_residence")
        carry_table(con, settings.db_path, "registry_skills")

    def carry_surveys(con: duckdb.DuckDBPyConnection) -> None:
        carry_table(con, settings.db_path, "survey_estimates")

    return build(settings, keys=keys, allow_changed=allow_changed, progress=progress,
                 stages=[("Keeping the registry's published aggregates", carry_registry),
                         ("Keeping the published survey estimates", carry_surveys),
                         *monitoring(settings), PROFILES], wait=wait)


FLOW_OUTPUTS = frozenset({"migration_flows", "findings"})


def followers(outputs: frozenset[str], revisions: frozenset[str] | None = None
              ) -> list[Stage]:
    """The stages to run after one that writes `outputs` (of `revisions` only, when
    given): none if the profiles read none of them; the refresh of the sections that
    alone read them; else the profiles whole."""
    if not outputs & PROFILE_INPUTS:
        return []
    sections = refreshable(outputs)
    if not sections:
        return [profiles_stage]

    def refresh_stage(con: duckdb.DuckDBPyConnection) -> None:
        refresh_profiles(con, sections, revisions)

    return [refresh_stage]


def store_flows(db: Path, frame: pd.DataFrame, findings: list[Finding] | None = None, *,
                wait: float = 0) -> WriteReport:
    """`tmo flows`: replace the stored flows of the frame's (revision, method, sex), in a
    new store file swapped in (with the profiles again if they read the flows)."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        write_flows(con, frame, findings or [])

    revisions = frozenset(str(r) for r in frame["revision"].unique())
    return derive(db, "flows", write,
                  then=[*followers(FLOW_OUTPUTS, revisions), write_flow_revisions],
                  command="tmo flows", wait=wait)


SURVEY_OUTPUTS = frozenset({"survey_estimates"})


def store_survey(db: Path, rows: pd.DataFrame, *, wait: float = 0) -> WriteReport:
    """`tmo survey publish`: replace the stored aggregates of the rows' survey, in a new
    store file swapped in, with the profiles again (their survey section reads them)."""

    def write(con: duckdb.DuckDBPyConnection) -> None:
        ensure_table(con, "survey_estimates")
        replace_rows(con, "survey_estimates", rows, ["survey"])

    return derive(db, "surveys", write, then=followers(SURVEY_OUTPUTS),
                  command="tmo survey publish", wait=wait)


REGISTRY_OUTPUTS = frozenset({"registry_residence", "registry_skills"})
SKILLS_COLUMNS = ["origin", "residence", "classification", "category", "people", "synthetic",
                  "k", "rule", "registry", "published_at"]


def store_registry(db: Path, rows: list[dict[str, object]], *, wait: float = 0,
                   skills: list[dict[str, object]] | None = None) -> WriteReport:
    """`tmo registry publish-aggregates`: replace the registry's published aggregates of
    the rows' country of origin (and its skills composition, `skills`, when given), in a
    new store file swapped in, with the profiles again (the "Registered diaspora" section
    reads them)."""
    frame = pd.DataFrame(rows, columns=["origin", "residence", "registered", "synthetic", "k",
                                        "rule", "registry", "published_at"])
    frame["registered"] = frame["registered"].astype("Int64")

    def write(con: duckdb.DuckDBPyConnection) -> None:
        ensure_table(con, "registry_residence")
        replace_rows(con, "registry_residence", frame, ["origin"])
        if skills is not None:  # the skills composition: replaced, emptied if no data
            table = pd.DataFrame(skills, columns=SKILLS_COLUMNS)
            table["people"] = table["people"].astype("Int64")
            ensure_table(con, "registry_skills")
            clear_rows(con, "registry_skills", {"origin": frame["origin"].iloc[0]})
            if len(table):
                replace_rows(con, "registry_skills", table, ["origin"])

    return derive(db, "registry", write, then=followers(REGISTRY_OUTPUTS),
                  command="tmo registry publish-aggregates", wait=wait)
