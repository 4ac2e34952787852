"""Synthetic skills profiles for the synthetic registrants of `tmo registry demo`, so a
demonstration registry has a skills composition to show (labelled SYNTHETIC everywhere,
through their registrations' `synthetic` flag). Drawn by simple assumptions of this
generator, not from statistics: a share of the synthetic registrants get a profile; the
occupation is a unit group under the registration's ISCO-08 major group (any unit group
when none is stated), the ISCED level the registration's, each stated language at a CEFR
level drawn from B1 to C2, and what they offer from the registration's intentions. No
real registrant is ever given a profile here."""

from __future__ import annotations

import random

from sqlalchemy import Engine, insert, select

from tmo.errors import InputError
from tmo.registry import audit
from tmo.registry.access import SYSTEM
from tmo.registry.database import transaction
from tmo.registry.models import Registration, now
from tmo.skills import taxonomy
from tmo.skills.models import SkillsProfile

BATCH = 5000


def fill(made: Engine, share: float = 0.3, seed: int = 18) -> int:
    """Give `share` of the synthetic registrants without one a synthetic skills profile;
    how many were made."""
    if not 0 < share <= 1:
        raise InputError(f"share {share}: between 0 and 1")
    rng = random.Random(seed)
    units = taxonomy.units()
    by_major: dict[str, list[str]] = {}
    for unit in units:
        by_major.setdefault(unit[0], []).append(unit)
    made_count = 0
    with transaction(made) as s:
        have = set(s.scalars(select(SkillsProfile.user_id)))
        rows = s.execute(select(Registration.user_id, Registration.occupation,
                                Registration.education, Registration.languages,
                                Registration.intends_mentor, Registration.intends_invest,
                                Registration.intends_return)
                         .where(Registration.synthetic.is_(True))
                         .order_by(Registration.id)).all()
        batch: list[dict[str, object]] = []
        for user, occupation, education, languages, mentor, invest, back in rows:
            if user in have or rng.random() >= share:
                continue
            major = occupation[0] if occupation else None
            offers = [o for o, wanted in (("remote_mentoring", mentor),
                                          ("investment", invest), ("return", back)) if wanted]
            langs = [c for c in (languages or "").split(",") if c]
            batch.append({
                "user_id": user, "occupation": rng.choice(by_major.get(major or "", units)),
                "education": education, "field": rng.choice(list(taxonomy.ISCED_F)),
                "experience": rng.randint(0, 30), "sector": "", "skills": "",
                "languages": ",".join(f"{c}:{rng.choice(taxonomy.CEFR[2:])}" for c in langs),
                "offers": ",".join(offers), "summary": "", "created_at": now(),
                "updated_at": now()})
            if len(batch) >= BATCH:
                s.execute(insert(SkillsProfile), batch)
                made_count += len(batch)
                batch = []
        if batch:
            s.execute(insert(SkillsProfile), batch)
            made_count += len(batch)
        audit.record(s, SYSTEM, "synthetic_skills_profiles", records=made_count)
    return made_count
