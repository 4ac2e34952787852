"""The registry's organisation: the country of origin, its missions and their
jurisdictions (each country of residence served by one mission)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tmo.errors import InputError
from tmo.registry import audit
from tmo.registry.access import Actor, require
from tmo.registry.models import Jurisdiction, Mission, Origin


def set_origin(session: Session, iso3: str, name: str) -> None:
    found = session.scalars(select(Origin)).all()
    if found and found[0].iso3 != iso3:
        raise InputError(f"this registry is {found[0].iso3}'s, not {iso3}'s",
                         hint="use another --registry URL for another country")
    if not found:
        session.add(Origin(iso3=iso3, name=name))


def origin(session: Session) -> str | None:
    return session.scalar(select(Origin.iso3))


def add_mission(session: Session, actor: Actor, name: str, host: str, *,
                residences: list[str], city: str = "") -> int:
    """A mission in `host` serving `residences` (ISO3 codes none of which another mission
    serves already)."""
    require(actor, "admin", "system")
    taken = {r.residence: r.mission_id for r in session.scalars(
        select(Jurisdiction).where(Jurisdiction.residence.in_(residences)))}
    if taken:
        raise InputError(f"{', '.join(sorted(taken))} already served by another mission")
    mission = Mission(name=name, host=host, city=city)
    session.add(mission)
    session.flush()
    for code in residences:
        session.add(Jurisdiction(residence=code, mission_id=mission.id))
    audit.record(session, actor, "mission_added", subject_id=mission.id,
                 residences=",".join(sorted(residences)))
    return mission.id


def missions(session: Session) -> list[dict[str, Any]]:
    return [{"id": m.id, "name": m.name, "city": m.city, "host": m.host,
             "jurisdiction": sorted(j.residence for j in m.jurisdiction)}
            for m in session.scalars(select(Mission).order_by(Mission.id))]
