"""Profiles as a build stage: the default profile of every country (latest revision and
year) computed once per build and once again after every stage that changes what a
profile shows (`tmo flows`), stored in the `profiles` table of the same new file, so a
server answers every country at full speed from its first request.
"""

from __future__ import annotations

import json

import duckdb

from tmo.practices.catalog import Catalog
from tmo.profiles.context import build_profile_from
from tmo.profiles.document import Profile
from tmo.store import facts
from tmo.store.evidence import ViewCache


def encode(profile: Profile) -> str:
    """The profile's JSON text as stored and served (compact, UTF-8)."""
    return json.dumps(profile, ensure_ascii=False, separators=(",", ":"))


def write_profiles(con: duckdb.DuckDBPyConnection, catalog: Catalog | None = None) -> int:
    """Replace the `profiles` table of a store being written with the default profile of
    every country that has a published migrant stock; returns how many were written."""
    revision = facts.latest_revision(con)
    year = facts.default_year(con, revision)
    evidence = ViewCache(con)
    rows = [(iso3, year, revision,
             encode(build_profile_from(con, iso3, year, revision, practices=catalog,
                                       evidence=evidence)))
            for iso3, _name in facts.country_list(con, revision)]
    con.execute("DELETE FROM base.profiles")
    con.executemany("INSERT INTO base.profiles VALUES (?, ?, ?, ?)", rows)
    return len(rows)


def stored_documents(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int, str], str]:
    """(iso3, year, revision) -> the stored profile's JSON text."""
    return {(iso3, int(year), rev): doc for iso3, year, rev, doc in con.execute(
        "SELECT iso3, year, revision, document FROM profiles").fetchall()}


def stored_profiles(con: duckdb.DuckDBPyConnection) -> dict[str, Profile]:
    """ISO3 -> the stored default profile."""
    return {key[0]: json.loads(doc) for key, doc in stored_documents(con).items()}
