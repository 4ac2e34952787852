"""What the command line and the web show about change, read from a store: the revision
comparison as a document, the history of builds and the alerts (docs/monitoring.md)."""

from __future__ import annotations

import json
from typing import Any

import duckdb

from tmo.revisions import report
from tmo.revisions.compare import concentration
from tmo.store import changes as store_changes
from tmo.store import facts


def build_documents(con: duckdb.DuckDBPyConnection, limit: int | None = None
                    ) -> list[dict[str, Any]]:
    """The store's builds, newest first, each with its sources and changed views."""
    store_changes.require_monitoring(con)
    docs = []
    history = store_changes.builds(con)
    for row in report.records(history.head(limit) if limit else history):
        found = store_changes.build_changes(con, int(row["build"]))
        docs.append({**row, "summary": json.loads(row["summary"] or "{}"),
                     "sources": report.records(found["sources"]),
                     "views": report.records(found["views"])})
    return docs


def changes_document(con: duckdb.DuckDBPyConnection, country: str | None = None,
                     dataset: str | None = None) -> dict[str, Any]:
    """Every pair of revisions of the store (or of `dataset`) as `report.pair_document`s:
    the world, regions or the country (ISO3, checked), events and concentration."""
    store_changes.require_monitoring(con)
    iso3 = facts.require_country(con, country) if country else None
    groups, names = store_changes.sdg_regions(con), facts.area_names(con)
    docs = []
    for ds, old, new in store_changes.revision_pairs(con):
        if dataset and ds != dataset:
            continue
        table = store_changes.revision_changes(con, dataset=ds, old_revision=old,
                                               new_revision=new)
        found = store_changes.revision_events(con, dataset=ds, area=iso3)
        found = found[(found["old_revision"] == old) & (found["new_revision"] == new)]
        if not table.empty:
            docs.append(report.pair_document(table, found, country=iso3, groups=groups,
                                             names=names))
    return report.document(docs)


def alert_rows(con: duckdb.DuckDBPyConnection, country: str | None = None
               ) -> list[dict[str, Any]]:
    """The stored alerts (of one country), newest build first."""
    store_changes.require_monitoring(con)
    iso3 = facts.require_country(con, country) if country else None
    return report.records(store_changes.alerts(con, iso3))


def pair_summary(con: duckdb.DuckDBPyConnection, dataset: str, old: str, new: str, *,
                 names: dict[str, str], groups: dict[str, str]) -> dict[str, Any] | None:
    """One pair of revisions in short: the world (both sexes) in their latest common year,
    the five countries whose revision is largest, and the number of events of each kind."""
    world = store_changes.revision_changes(con, dataset=dataset, old_revision=old,
                                           new_revision=new, levels=("world",))
    if world.empty:
        return None
    year = int(world["year"].max())
    measure = "immigrants" if dataset == "IMS" else "population"
    countries = store_changes.revision_changes(
        con, dataset=dataset, old_revision=old, new_revision=new, levels=("country",),
        sex="total", year=year, measure=measure)
    conc = concentration(countries, level="country", measure=measure, year=year,
                         groups=groups, top=5)
    return {"dataset": dataset, "old_revision": old, "new_revision": new,
            "common_years": sorted(int(y) for y in world["year"].unique()), "year": year,
            "world": report.records(world[(world["year"] == year)
                                          & (world["sex"] == "total")]),
            "concentration": {
                "measure": measure, "year": year, "sum_of_absolute_revisions": conc.total_abs,
                "largest": [{"area": a, "name": names.get(a, a), "change": c, "share_pct": p}
                            for a, c, p in conc.top],
                "by_region": [{"region": g, "change": c, "share_pct": p}
                              for g, c, p in conc.by_group]},
            "events": store_changes.event_counts(con, dataset, old, new)}


def whats_new(con: duckdb.DuckDBPyConnection, limit: int = 20) -> dict[str, Any]:
    """The latest builds and alerts, and a summary of each pair of revisions (the
    world in their latest common year, where revisions concentrate, event counts)."""
    store_changes.require_monitoring(con)
    names, groups = facts.area_names(con), store_changes.sdg_regions(con)
    pairs = [pair_summary(con, *p, names=names, groups=groups)
             for p in store_changes.revision_pairs(con)]
    return {"builds": build_documents(con, limit), "alerts": alert_rows(con)[:200],
            "pairs": [p for p in pairs if p is not None]}
