"""Profiles as a build stage: the default profile of every country (latest revision and
year) computed once per build and once again after every stage that changes what a
profile shows (`tmo flows`), stored in the `profiles` table of the same new file, so a
server answers every country at full speed from its first request.
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from tmo.practices.catalog import Catalog
from tmo.profiles.context import build_profile_from
from tmo.profiles.document import Profile
from tmo.store import facts
from tmo.store.evidence import ViewCache
from tmo.store.writer import replace_rows

# The views a profile reads (tests/profiles/test_stage.py proves it reads no other). A
# later stage that writes one of them (`tmo flows` too: the profile shows the estimated
# flows) is followed by this stage (`tmo.pipeline`); one that writes none keeps the stored
# profiles, which are still exact.
PROFILE_INPUTS = frozenset({
    "migrant_stock", "destination_stock", "population", "refugees", "remittances",
    "remittance_cost_country", "remittance_costs", "remittance_corridors", "gdp", "countries",
    "country_groups", "projections", "projection_backtest",
    "revision_changes", "revision_events", "population_projection",
    "area_names", "provenance", "registry_residence", "registry_skills", "survey_estimates",
    "vital_events", "migration_flows", "reported_flows",
    "asylum_applications", "asylum_decisions", "durable_solutions", "internal_displacement",
})


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


def stored_profiles(con: duckdb.DuckDBPyConnection) -> dict[str, Profile]:
    """ISO3 -> the stored default profile."""
    return {key[0]: json.loads(doc) for key, doc in facts.stored_profiles(con).items()}
