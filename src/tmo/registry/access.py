"""Who is acting, and the refusals: not signed in, not allowed, invalid fields, too many
attempts. Every function of the registry that touches personal data takes an `Actor`
and checks its role and mission itself, so no route can forget to."""

from __future__ import annotations

from dataclasses import dataclass

from tmo.errors import InputError, TmoError


@dataclass(frozen=True)
class Actor:
    id: int
    role: str
    mission_id: int | None = None


SYSTEM = Actor(0, "system")  # the command line (`tmo registry init`, `demo`)


class Unauthenticated(TmoError):
    """No valid session: sign in first."""


class Forbidden(TmoError):
    """Signed in, but this role may not do this (or not to this record)."""


class TooMany(TmoError):
    """A rate limit refused the attempt."""

    def __init__(self, message: str, *, wait: int, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.wait = wait


class Invalid(InputError):
    """Fields that cannot be accepted: one message per field, in the user's language."""

    def __init__(self, fields: dict[str, str]) -> None:
        self.fields = fields
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()),
                         hint="correct the fields named and send the form again")


def require(actor: Actor, *roles: str) -> None:
    if actor.role not in roles:
        raise Forbidden(f"a {actor.role} may not do this", hint="sign in with an account "
                        f"of role {' or '.join(roles)}")
