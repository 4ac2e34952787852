"""Profiles as a build stage: the default profile of every country (latest revision and
year) computed once per build and brought up to date after every stage that changes what
a profile shows, stored in the `profiles` table of the same new file, so a server answers
every country at full speed from its first request.

A stage whose views only some sections read (`tmo flows`: the country's flows) refreshes
those sections of the stored profiles and what is derived from them (caveats, key
messages, sources) instead of building every profile again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import duckdb
import pandas as pd

from tmo.practices.catalog import Catalog
from tmo.profiles.context import build_profile_from, derived, plain
from tmo.profiles.country_flows import country_flows
from tmo.profiles.document import SCHEMA, Profile
from tmo.profiles.outlook import projections
from tmo.store import facts
from tmo.store.evidence import Evidence, ViewCache
from tmo.store.writer import replace_rows

# The views a profile reads (tests/profiles/test_stage.py proves it reads no other). A
# later stage that writes one of them (`tmo flows` too: the profile shows the estimated
# flows) is followed by this stage (`tmo.pipeline`); one that writes none keeps the stored
# profiles, which are still exact.
PROFILE_INPUTS = frozenset({
    "migrant_stock", "destination_stock", "population", "refugees", "remittances",
    "remittance_cost_country", "remittance_costs", "remittance_corridors", "gdp", "countries",
    "country_groups", "projections", "projection_backtest", "projected_flows",
    "revision_changes", "revision_events", "population_projection",
    "area_names", "provenance", "registry_residence", "registry_skills", "survey_estimates",
    "vital_events", "migration_flows", "reported_flows", "ims_indicator",
    "asylum_applications", "asylum_decisions", "durable_solutions", "internal_displacement",
    "population_by_age",
})


# The views read by one section alone, and that section's builder (iso3, revision): a
# stage writing only these views refreshes the section in the stored profiles
# (tests/profiles/test_stage.py proves the refreshed profile equals one built whole).
SectionBuilder = Callable[[Evidence, str, str], dict[str, Any]]
SECTIONS: dict[str, tuple[frozenset[str], SectionBuilder]] = {
    "country_flows": (frozenset({"migration_flows"}), country_flows),
    "projections": (frozenset({"projected_flows"}), projections),  # its projected flows
}


def refreshable(outputs: frozenset[str]) -> list[str]:
    """The sections to refresh after a stage writing `outputs`, or [] if the stage writes
    a view some other part of the profile reads (then every profile is built again)."""
    read = outputs & PROFILE_INPUTS
    names = [name for name, (views, _) in SECTIONS.items() if views & read]
    covered = frozenset().union(*(SECTIONS[n][0] for n in names)) if names else frozenset()
    return names if read and read <= covered else []


def encode(profile: Profile) -> str:
    """The profile's JSON text as stored and served (compact, UTF-8)."""
    return json.dumps(profile, ensure_ascii=False, separators=(",", ":"))


def write_profiles(con: duckdb.DuckDBPyConnection, catalog: Catalog | None = None) -> int:
    """Replace the `profiles` table of a store being written with the default profile of
    every country that has a published migrant stock; returns how many were written."""
    revision = facts.latest_revision(con)
    year = facts.default_year(con, revision)
    evidence = ViewCache(con)
    rows = pd.DataFrame(
        [(iso3, year, revision,
          encode(build_profile_from(con, iso3, year, revision, practices=catalog,
                                    evidence=evidence)))
         for iso3, _name in facts.country_list(con, revision)],
        columns=["iso3", "year", "revision", "document"])
    return replace_rows(con, "profiles", rows, [])


def refresh_profiles(con: duckdb.DuckDBPyConnection, sections: list[str],
                     revisions: frozenset[str] | None = None) -> int:
    """Recompute `sections` (and the caveats, key messages and sources derived from them)
    in every stored profile of a store being written; returns how many were refreshed.
    A stage that wrote only `revisions` other than the profiles' (`tmo flows --revision
    2020` when they show 2024) changes none of them. Profiles stored under another
    document schema are built whole instead."""
    if revisions is not None and (not facts.revisions(con)
                                  or facts.latest_revision(con) not in revisions):
        return 0
    stored = stored_profiles(con)
    if any(p.get("schema") != SCHEMA for p in stored.values()):
        return write_profiles(con)
    ev = ViewCache(con)
    rows = []
    for iso3, profile in stored.items():
        body: Any = profile
        for name in sections:
            body[name] = plain(SECTIONS[name][1](ev, iso3, body["revision"]))
        rows.append((iso3, body["year"], body["revision"], encode(derived(ev, body))))
    frame = pd.DataFrame(rows, columns=["iso3", "year", "revision", "document"])
    return replace_rows(con, "profiles", frame, [])


def stored_profiles(con: duckdb.DuckDBPyConnection) -> dict[str, Profile]:
    """ISO3 -> the stored default profile."""
    return {key[0]: json.loads(doc) for key, doc in facts.stored_profiles(con).items()}
