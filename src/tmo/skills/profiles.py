"""A registrant's skills profile: save, read, delete; whether the person may be matched
(the consent "domestic_institutions", given and not withdrawn); and the anonymised view an
institution sees (no name, contact, exact age, city or free text)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, exists, select
from sqlalchemy.orm import Session

from tmo.registry import audit
from tmo.registry.access import Actor, require
from tmo.registry.models import Consent, Registration, now
from tmo.skills import forms, taxonomy, words
from tmo.skills.i18n import t
from tmo.skills.models import SkillsProfile
from tmo.skills.vocabulary import CONSENT


def consenting(user_id: Any) -> Any:
    """SQL: the person has given, and not withdrawn, consent to being contacted."""
    return exists().where(Consent.user_id == user_id, Consent.purpose == CONSENT,
                          Consent.withdrawn_at.is_(None))


def matchable() -> Select[SkillsProfile, str]:
    """Every skills profile whose person may be matched now, with the country of
    residence."""
    return (select(SkillsProfile, Registration.residence)
            .join(Registration, Registration.user_id == SkillsProfile.user_id)
            .where(consenting(SkillsProfile.user_id)))


def to_profile(row: Any) -> forms.Profile:
    """A stored profile (a `SkillsProfile` or a row of its columns) as matching reads it."""
    langs = dict(p.split(":", 1) for p in row.languages.split(",") if ":" in p)
    return forms.Profile(
        occupation=row.occupation, education=row.education, field=row.field,
        experience=row.experience,
        skills=tuple(s for s in row.skills.split(",") if s),
        languages=langs, offers=tuple(o for o in row.offers.split(",") if o),
        sector=row.sector, summary=row.summary)


def _columns(p: forms.Profile) -> dict[str, Any]:
    return {"occupation": p.occupation, "education": p.education, "field": p.field,
            "experience": p.experience, "sector": p.sector, "skills": ",".join(p.skills),
            "languages": ",".join(f"{k}:{v}" for k, v in sorted(p.languages.items())),
            "offers": ",".join(p.offers), "summary": p.summary}


def _own(session: Session, actor: Actor) -> SkillsProfile | None:
    require(actor, "registrant")
    return session.scalar(select(SkillsProfile).where(SkillsProfile.user_id == actor.id))


def may_be_matched(session: Session, user_id: int) -> bool:
    return bool(session.scalar(select(consenting(user_id))))


def occupation(code: str | None, lang: str) -> dict[str, Any] | None:
    """An ISCO-08 code with its title in `lang` (or English, saying so)."""
    if not code or code not in taxonomy.isco():
        return None
    title = taxonomy.title(code, lang)
    out: dict[str, Any] = {"code": code, "title": title.text, "title_language": title.language,
                           "esco": taxonomy.esco_uri(code)}
    if title.fallback:
        out["note"] = t(lang, "fallback", language=t(lang, f"language_{lang}"))
    return out


def view(row: SkillsProfile, lang: str) -> dict[str, Any]:
    """The whole profile, for its owner."""
    p = to_profile(row)
    return {"occupation": occupation(p.occupation, lang), "education": p.education,
            "field": p.field, "experience": p.experience, "sector": p.sector,
            "skills": list(p.skills), "languages": p.languages, "offers": list(p.offers),
            "summary": p.summary, "updated_at": row.updated_at.isoformat(timespec="seconds")}


ANONYMISED = ("candidate", "residence", "occupation", "education", "field", "experience",
              "sector", "skills", "languages", "offers")


def anonymised(row: SkillsProfile, residence: str, lang: str) -> dict[str, Any]:
    """What an institution sees before the person accepts: the skills, no identity. The
    candidate number is the profile's, not the account's."""
    p = to_profile(row)
    return {"candidate": row.id, "residence": residence,
            "occupation": occupation(p.occupation, lang), "education": p.education,
            "field": p.field, "experience": p.experience, "sector": p.sector,
            "skills": list(p.skills), "languages": p.languages, "offers": list(p.offers),
            "note": t(lang, "anonymised")}


def mine(session: Session, actor: Actor, lang: str = "en") -> dict[str, Any]:
    """The registrant's skills profile (None when there is none) and whether it is in
    matching now."""
    row = _own(session, actor)
    audit.record(session, actor, "viewed_own_skills", subject_id=actor.id,
                 records=int(row is not None))
    return {"profile": view(row, lang) if row else None,
            "matched": row is not None and may_be_matched(session, actor.id),
            "consent": CONSENT}


def save(session: Session, actor: Actor, data: Any, lang: str) -> dict[str, Any]:
    """Create or replace the registrant's skills profile (each field checked)."""
    profile = forms.profile(data, lang)
    row = _own(session, actor)
    if row is None:
        row = SkillsProfile(user_id=actor.id, **_columns(profile))
        session.add(row)
    else:
        for key, value in _columns(profile).items():
            setattr(row, key, value)
        row.updated_at = now()
    session.flush()
    words.index(session, [row])
    audit.record(session, actor, "saved_skills_profile", subject_id=actor.id,
                 occupation=profile.occupation)
    return view(row, lang)


def remove(session: Session, actor: Actor) -> bool:
    """Delete the registrant's skills profile (the registration stays)."""
    require(actor, "registrant")
    gone = session.execute(delete(SkillsProfile).where(SkillsProfile.user_id == actor.id))
    audit.record(session, actor, "deleted_skills_profile", subject_id=actor.id)
    return bool(getattr(gone, "rowcount", 0))

