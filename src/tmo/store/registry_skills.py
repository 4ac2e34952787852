"""The skills composition a diaspora registry published into the store (the
`registry_skills` view, written by `tmo registry publish-aggregates`; docs/skills.md)."""

from __future__ import annotations

from typing import Any

import duckdb

COLUMNS = ("residence", "classification", "category", "people", "synthetic", "k", "rule",
           "registry", "published_at")


def registered_skills(con: duckdb.DuckDBPyConnection, origin: str) -> list[dict[str, Any]]:
    """The published skills composition of `origin`'s registry, one row per country of
    residence, classification and category (`people` None: suppressed); none when nothing
    was published or the store predates the view."""
    known = con.execute("SELECT 1 FROM information_schema.tables WHERE table_schema = "
                        "'main' AND table_name = 'registry_skills'").fetchone()
    if known is None:
        return []
    cur = con.execute(f"""SELECT {', '.join(COLUMNS)} FROM registry_skills WHERE origin = ?
                          ORDER BY classification, residence, category""", [origin])
    return [dict(zip(COLUMNS, r, strict=True)) for r in cur.fetchall()]
