"""What the registry publishes into the statistics store: its registrants by country of
residence, suppressed as every aggregate is (`tmo.registry.aggregates`), with the
registry's name, the time and the suppression rule as their provenance. No personal
field and no unsuppressed count crosses; the Migration Profile reads only these rows
(the store's `registry_residence` view), never the registry itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Engine

from tmo.errors import InputError
from tmo.registry import aggregates, audit, organisation
from tmo.registry.access import SYSTEM
from tmo.registry.database import transaction, where
from tmo.vocabulary import WORLD

TOTAL = WORLD  # the store's code of the world: the row of all registrants


def rule(k: int) -> str:
    return (f"counts under {k} and the counts that would reveal them suppressed "
            "(tmo.registry.suppression)")


def publication(made: Engine, k: int = aggregates.K,
                at: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The rows of the store's `registry_residence` table: one per country of residence
    with registrants (`registered` None where suppressed) and one `UN:900` for the total;
    audit-logged. One clear error when the registry has no country of origin yet."""
    with transaction(made) as session:
        origin = organisation.origin(session)
    if origin is None:
        raise InputError(f"the registry at {where(made)} has no country of origin yet",
                         hint="run `tmo registry demo --country ISO3` or add its missions")
    found = aggregates.registered_by_residence(made, k)
    stamp = (at or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    common = {"origin": origin, "synthetic": int(found["synthetic"]), "k": k,
              "rule": rule(k), "registry": where(made), "published_at": stamp}
    rows = [{"residence": residence, "registered": count, **common}
            for residence, count in sorted(found["by_residence"].items())]
    rows.append({"residence": TOTAL, "registered": found["total"], **common})
    with transaction(made) as session:
        audit.record(session, SYSTEM, "published_aggregates", k=k,
                     residences=len(rows) - 1)
    return rows
