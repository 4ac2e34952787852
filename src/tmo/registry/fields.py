"""Checking what a registrant sends: each field's type, length and code list, with one
message per field in the registrant's language (`Invalid.fields`)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from tmo.registry.access import Invalid
from tmo.registry.i18n import KINDS, language, t
from tmo.registry.models import CITY, EMAIL, NAME
from tmo.registry.passwords import MAX_LENGTH, MIN_LENGTH
from tmo.registry.vocabulary import ISCED, ISCO_MAJOR, PURPOSES, SEXES

EMAIL_RE = re.compile(r"^[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,252}\.[A-Za-z]{2,63}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
LANGUAGE_RE = re.compile(r"^[a-z]{2}$")
OCCUPATION_RE = re.compile(r"^\d{4}$")
FIRST_YEAR = 1900

REQUIRED = ("name", "email", "password", "residence", "mission")
OPTIONAL = ("birth_year", "sex", "city", "education", "occupation", "languages",
            "departure_year", "intends_return", "intends_invest", "intends_mentor",
            "intends_vote")
EDITABLE = ("name", "residence", "mission", *OPTIONAL)
OTHER = ("consents", "language")


class Checker:
    """Collects one message per field."""

    def __init__(self, lang: str) -> None:
        self.lang = language(lang)
        self.errors: dict[str, str] = {}

    def fail(self, field: str, key: str, **values: object) -> None:
        self.errors.setdefault(field, t(self.lang, key, **values))

    def kind(self, field: str, kind: str) -> None:
        self.fail(field, "err_type", kind=KINDS[self.lang][kind])

    def text(self, field: str, value: Any, limit: int, *, minimum: int = 1) -> str | None:
        if not isinstance(value, str):
            self.kind(field, "text")
            return None
        value = value.strip()
        if CONTROL.search(value):
            self.fail(field, "err_control")
        elif len(value) > limit:
            self.fail(field, "err_too_long", n=limit)
        elif len(value) < minimum:
            self.fail(field, "err_too_short" if value else "err_required", n=minimum)
        else:
            return value
        return None

    def year(self, field: str, value: Any) -> int | None:
        high = dt.date.today().year
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            self.kind(field, "integer")
            return None
        if not FIRST_YEAR <= value <= high:
            self.fail(field, "err_year", low=FIRST_YEAR, high=high)
            return None
        return value

    def code(self, field: str, value: Any, valid: Callable[[str], bool]) -> str | None:
        if not isinstance(value, str):
            self.kind(field, "text")
            return None
        if not valid(value.strip()):
            self.fail(field, "err_code", value=value.strip()[:20])
            return None
        return value.strip()

    def flag(self, field: str, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        if value in ("on", "true", "1", 1):
            return True
        if value in ("false", "0", 0, ""):
            return False
        self.kind(field, "boolean")
        return None


def _languages(check: Checker, value: Any) -> str | None:
    if isinstance(value, str):
        value = [v for v in value.replace(" ", "").split(",") if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        check.kind("languages", "list")
        return None
    codes = [v.lower() for v in value]
    bad = [c for c in codes if not LANGUAGE_RE.match(c)]
    if bad:
        check.fail("languages", "err_code", value=bad[0][:20])
        return None
    if len(codes) > 10:
        check.fail("languages", "err_too_long", n=10)
        return None
    return ",".join(dict.fromkeys(codes))


def _optional(check: Checker, field: str, value: Any) -> Any:  # noqa: PLR0911
    if value is None or value == "":
        return False if field.startswith("intends_") else None
    if field in ("birth_year", "departure_year"):
        return check.year(field, value)
    if field == "sex":
        return check.code(field, value, lambda v: v in SEXES)
    if field == "city":
        return check.text(field, value, CITY)
    if field == "education":
        return check.code(field, value, lambda v: v in ISCED)
    if field == "occupation":
        return check.code(field, value,
                          lambda v: bool(OCCUPATION_RE.match(v)) and v[0] in ISCO_MAJOR)
    if field == "languages":
        return _languages(check, value)
    return check.flag(field, value)


def _email(check: Checker, field: str, value: Any) -> str | None:
    email = check.text(field, value, EMAIL)
    if email is not None and not EMAIL_RE.match(email):
        check.fail(field, "err_email")
        return None
    return email.lower() if email else None


REQUIRED_TEXT: dict[str, Callable[[Checker, str, Any], Any]] = {
    "name": lambda check, field, value: check.text(field, value, NAME),
    "email": _email,
    "password": lambda check, field, value: check.text(field, value, MAX_LENGTH,
                                                       minimum=MIN_LENGTH),
    "residence": lambda check, field, value: check.code(
        field, value, lambda v: len(v) == 3 and v.isalpha()),
}


def _required(check: Checker, field: str, value: Any) -> Any:
    if value is None or value == "":
        check.fail(field, "err_required")
        return None
    if field in REQUIRED_TEXT:
        return REQUIRED_TEXT[field](check, field, value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        check.kind(field, "integer")
        return None
    return value


def _across(check: Checker, out: dict[str, Any], served: dict[str, int]) -> None:
    """The checks of one field against another: residence and mission, birth and
    departure."""
    if isinstance(out.get("residence"), str):
        out["residence"] = out["residence"].upper()
        if out["residence"] not in served:
            check.fail("residence", "err_country", value=out["residence"])
        elif out.get("mission") is not None and served[out["residence"]] != out["mission"]:
            check.fail("mission", "err_mission")
    born, left = out.get("birth_year"), out.get("departure_year")
    if born and left and left < born:
        check.fail("departure_year", "err_departure")


def clean(data: Any, lang: str, served: dict[str, int], *,
          fields: tuple[str, ...] = (*REQUIRED, *OPTIONAL)) -> dict[str, Any]:
    """The accepted values of `fields` in `data` (each one checked; a field of `REQUIRED`
    missing is an error only when it is in `fields`); `served`: country of residence ->
    the id of the mission serving it. Raises `Invalid` naming every bad field."""
    check = Checker(lang)
    if not isinstance(data, dict):
        check.kind("form", "list")
        raise Invalid(check.errors)
    for key in data:
        if key not in (*REQUIRED, *OPTIONAL, *OTHER):
            check.fail(str(key)[:40], "err_unknown")
    out: dict[str, Any] = {}
    for field in fields:
        value = data.get(field)
        out[field] = _required(check, field, value) if field in REQUIRED \
            else _optional(check, field, value)
    _across(check, out, served)
    consents = data.get("consents", [])
    if isinstance(consents, str):
        consents = [consents]
    if not isinstance(consents, list) or not all(c in PURPOSES for c in consents):
        check.fail("consents", "err_code", value=str(consents)[:40])
    else:
        out["consents"] = sorted(set(consents))
    if check.errors:
        raise Invalid(check.errors)
    return out
