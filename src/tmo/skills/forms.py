"""What a person and an institution send, checked field by field (one message per field in
the sender's language, as the registry's forms do: `tmo.registry.fields.Checker`), and
the two records matching reads: a person's `Profile` and an opportunity's `Criteria`."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from dataclasses import field as default
from typing import Any

from tmo.registry.access import Invalid
from tmo.registry.fields import Checker
from tmo.registry.models import NAME
from tmo.skills import taxonomy
from tmo.skills.models import SECTOR, SUMMARY
from tmo.skills.vocabulary import (
    DESCRIPTION,
    INSTITUTION_KINDS,
    MAX_LANGUAGES,
    MAX_OCCUPATIONS,
    MAX_SKILLS,
    OFFERS,
    OPPORTUNITY_KINDS,
    SKILL,
)

LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
MAX_YEARS = 70


@dataclass(frozen=True)
class Profile:
    """A person as matching sees them (no name, contact, age or city)."""

    occupation: str
    education: str | None = None
    field: str | None = None
    experience: int | None = None
    skills: tuple[str, ...] = ()
    languages: dict[str, str] = default(default_factory=dict)  # ISO 639-1 -> CEFR level
    offers: tuple[str, ...] = ()
    sector: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Criteria:
    """What an opportunity asks for; a criterion left empty takes no part in the score."""

    required_occupations: tuple[str, ...] = ()
    preferred_occupations: tuple[str, ...] = ()
    required_skills: tuple[str, ...] = ()
    preferred_skills: tuple[str, ...] = ()
    languages: dict[str, str] = default(default_factory=dict)  # ISO 639-1 -> lowest level
    education: str | None = None  # lowest ISCED 2011 level
    field: str | None = None  # ISCED-F broad field
    experience: int | None = None  # fewest years
    mode: str | None = None  # one of OFFERS
    text: str = ""  # free text compared with the person's skills and summary

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


def skill_key(label: str) -> str:
    """A skill label as compared: lower case, single spaces."""
    return " ".join(label.lower().split())


def _list(check: Checker, name: str, value: Any, limit: int) -> list[str] | None:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = [v for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        check.kind(name, "list")
        return None
    if len(value) > limit:
        check.fail(name, "err_too_long", n=limit)
        return None
    return [v.strip() for v in value]


def _skills(check: Checker, name: str, value: Any) -> tuple[str, ...]:
    got = _list(check, name, value, MAX_SKILLS)
    if got is None:
        return ()
    if any(len(s) > SKILL for s in got):
        check.fail(name, "err_too_long", n=SKILL)
        return ()
    if any(check_control(s) for s in got):
        check.fail(name, "err_control")
        return ()
    return tuple(dict.fromkeys(skill_key(s) for s in got if skill_key(s)))


def check_control(text: str) -> bool:
    return any(ord(c) < 32 or ord(c) == 127 for c in text)


def _languages(check: Checker, name: str, value: Any) -> dict[str, str]:
    """{"en": "C1"}, [{"code": "en", "level": "C1"}] or "en:C1,fr:B2"."""
    if value is None or value == "":
        return {}
    pairs: list[Any]
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, str):
        pairs = [tuple(p.split(":", 1)) if ":" in p else (p, "") for p in value.split(",")
                 if p.strip()]
    elif isinstance(value, list):
        pairs = [(v.get("code"), v.get("level")) if isinstance(v, dict) else (v, None)
                 for v in value]
    else:
        check.kind(name, "list")
        return {}
    if len(pairs) > MAX_LANGUAGES:
        check.fail(name, "err_too_long", n=MAX_LANGUAGES)
        return {}
    out: dict[str, str] = {}
    for raw_code, raw_level in pairs:
        code = raw_code.strip().lower() if isinstance(raw_code, str) else raw_code
        level = raw_level.strip().upper() if isinstance(raw_level, str) else raw_level
        if not isinstance(code, str) or not LANGUAGE_RE.match(code):
            check.fail(name, "err_code", value=str(code)[:20])
            return {}
        if level not in taxonomy.CEFR:
            check.fail(name, "err_code", value=f"{code}:{str(level)[:10]}")
            return {}
        out[code] = level
    return out


def _occupations(check: Checker, name: str, value: Any) -> tuple[str, ...]:
    got = _list(check, name, value, MAX_OCCUPATIONS)
    if got is None:
        return ()
    bad = [c for c in got if c not in taxonomy.isco()]
    if bad:
        check.fail(name, "err_code", value=bad[0][:20])
        return ()
    return tuple(dict.fromkeys(got))


def _years(check: Checker, name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        check.kind(name, "integer")
        return None
    if not 0 <= value <= MAX_YEARS:
        check.fail(name, "err_code", value=str(value))
        return None
    return value


def _code(check: Checker, name: str, value: Any, valid: Any) -> str | None:
    if value is None or value == "":
        return None
    return check.code(name, value, lambda v: v in valid)


def _text(check: Checker, name: str, value: Any, limit: int) -> str:
    if value is None or value == "":
        return ""
    return check.text(name, value, limit) or ""


def _needed(check: Checker, name: str, value: Any, read: Any) -> Any:
    """A required field: its checked value, or the message that it is required."""
    if value is None or value == "":
        check.fail(name, "err_required")
        return None
    return read(value)


def _unknown(check: Checker, data: dict[str, Any], known: tuple[str, ...]) -> None:
    for key in data:
        if key not in known:
            check.fail(str(key)[:40], "err_unknown")


PROFILE_FIELDS = ("occupation", "education", "field", "experience", "sector", "skills",
                  "languages", "offers", "summary")


def profile(data: Any, lang: str) -> Profile:
    """A person's skills profile from what they sent; raises `Invalid` naming each bad
    field. The occupation (an ISCO-08 unit group) is required."""
    check = Checker(lang)
    if not isinstance(data, dict):
        check.kind("form", "list")
        raise Invalid(check.errors)
    _unknown(check, data, PROFILE_FIELDS)
    occupation = data.get("occupation")
    if occupation is None or occupation == "":
        check.fail("occupation", "err_required")
    else:
        occupation = check.code("occupation", occupation, taxonomy.is_unit)
    offers = _list(check, "offers", data.get("offers"), len(OFFERS)) or []
    if any(o not in OFFERS for o in offers):
        check.fail("offers", "err_code", value=next(o for o in offers if o not in OFFERS)[:20])
    made = Profile(
        occupation=occupation or "",
        education=_code(check, "education", data.get("education"), taxonomy.ISCED_LEVELS),
        field=_code(check, "field", data.get("field"), taxonomy.ISCED_F),
        experience=_years(check, "experience", data.get("experience")),
        skills=_skills(check, "skills", data.get("skills")),
        languages=_languages(check, "languages", data.get("languages")),
        offers=tuple(dict.fromkeys(o for o in offers if o in OFFERS)),
        sector=_text(check, "sector", data.get("sector"), SECTOR),
        summary=_text(check, "summary", data.get("summary"), SUMMARY))
    if check.errors:
        raise Invalid(check.errors)
    return made


CRITERIA_FIELDS = ("required_occupations", "preferred_occupations", "required_skills",
                   "preferred_skills", "languages", "education", "field", "experience",
                   "mode")
OPPORTUNITY_FIELDS = ("title", "description", "kind", *CRITERIA_FIELDS)


@dataclass(frozen=True)
class OpportunityForm:
    title: str
    description: str
    kind: str
    criteria: Criteria


def opportunity(data: Any, lang: str) -> OpportunityForm:
    """An opportunity from what an institution sent (title and kind required)."""
    check = Checker(lang)
    if not isinstance(data, dict):
        check.kind("form", "list")
        raise Invalid(check.errors)
    _unknown(check, data, OPPORTUNITY_FIELDS)
    title = _needed(check, "title", data.get("title"),
                    lambda v: check.text("title", v, NAME))
    kind = _needed(check, "kind", data.get("kind"),
                   lambda v: check.code("kind", v, lambda k: k in OPPORTUNITY_KINDS))
    description = _text(check, "description", data.get("description"), DESCRIPTION)
    criteria = Criteria(
        required_occupations=_occupations(check, "required_occupations",
                                          data.get("required_occupations")),
        preferred_occupations=_occupations(check, "preferred_occupations",
                                           data.get("preferred_occupations")),
        required_skills=_skills(check, "required_skills", data.get("required_skills")),
        preferred_skills=_skills(check, "preferred_skills", data.get("preferred_skills")),
        languages=_languages(check, "languages", data.get("languages")),
        education=_code(check, "education", data.get("education"), taxonomy.ISCED_LEVELS),
        field=_code(check, "field", data.get("field"), taxonomy.ISCED_F),
        experience=_years(check, "experience", data.get("experience")),
        mode=_code(check, "mode", data.get("mode"), OFFERS),
        text=" ".join(filter(None, [title if isinstance(title, str) else "", description])))
    if check.errors:
        raise Invalid(check.errors)
    return OpportunityForm(title or "", description, kind or "", criteria)


INSTITUTION_FIELDS = ("name", "kind", "sector", "email", "password")


def institution(check: Checker, data: dict[str, Any]) -> dict[str, str]:
    """An institution's name, kind and sector (its messages go to `check`)."""
    _unknown(check, data, INSTITUTION_FIELDS)
    return {"name": _needed(check, "name", data.get("name"),
                            lambda v: check.text("name", v, NAME)) or "",
            "kind": _needed(check, "kind", data.get("kind"),
                            lambda v: check.code("kind", v,
                                                 lambda k: k in INSTITUTION_KINDS)) or "",
            "sector": _text(check, "sector", data.get("sector"), SECTOR)}


def criteria_from_json(raw: dict[str, Any]) -> Criteria:
    """Criteria as stored (already checked when published)."""
    return Criteria(
        required_occupations=tuple(raw.get("required_occupations", ())),
        preferred_occupations=tuple(raw.get("preferred_occupations", ())),
        required_skills=tuple(raw.get("required_skills", ())),
        preferred_skills=tuple(raw.get("preferred_skills", ())),
        languages=dict(raw.get("languages", {})), education=raw.get("education"),
        field=raw.get("field"), experience=raw.get("experience"), mode=raw.get("mode"),
        text=raw.get("text", ""))
