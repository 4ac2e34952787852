"""Passwordless sign-in by a one-time link: only a verified account gets one (the same
answer for any address), at most 5 an hour per account, valid 15 minutes, used once, the
page's link only shows a button (a mail scanner does not use it up), audit-logged."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from tmo.registry import links
from tmo.registry.access import Unauthenticated
from tmo.registry.database import transaction
from tmo.registry.models import AuditEntry, Mail, Token, User, now

from .test_web import app_client, register

__all__ = ["app_client"]  # the fixture, imported

BASE = "https://registry.test"


def _mails(made: Any, to: str) -> list[str]:
    with transaction(made) as s:
        return list(s.scalars(select(Mail.body).where(Mail.to == to).order_by(Mail.id)))


def _token(body: str) -> str:
    found = re.search(r"token=([A-Za-z0-9_-]+)", body)
    assert found
    return found.group(1)


def test_a_link_for_verified_accounts_only_once_and_briefly(world: dict[str, Any]) -> None:
    made = world["made"]
    with transaction(made) as s:
        links.request(s, "London@Registry.test ", BASE, "en")  # verified officer
        links.request(s, "nobody@example.org", BASE, "en")
    sent = [b for b in _mails(made, "london@registry.test") if "sign-in/link" in b]
    assert len(sent) == 1
    assert sent[0].startswith("Open this link to sign in")
    assert _mails(made, "nobody@example.org") == []
    with transaction(made) as s:
        cookie, csrf = links.redeem(s, _token(sent[0]))
    assert len(cookie) >= 40
    assert len(csrf) == 64
    with transaction(made) as s, pytest.raises(Unauthenticated, match="used or expired"):
        links.redeem(s, _token(sent[0]))  # once only
    with transaction(made) as s:
        links.request(s, "london@registry.test", BASE, "en")
    late = [b for b in _mails(made, "london@registry.test") if "sign-in/link" in b][-1]
    with transaction(made) as s:
        s.execute(update(Token).values(expires_at=now() - dt.timedelta(seconds=1)))
    with transaction(made) as s, pytest.raises(Unauthenticated):
        links.redeem(s, _token(late))  # past its 15 minutes
    with transaction(made) as s:
        actions = list(s.scalars(select(AuditEntry.detail).where(
            AuditEntry.action == "signed_in")))
        asked = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "sign_in_link_requested"))
    assert actions == ['{"method": "link"}']
    assert asked == 2


def test_at_most_five_links_an_hour_per_account(world: dict[str, Any]) -> None:
    made = world["made"]
    for _ in range(7):
        with transaction(made) as s:
            links.request(s, "analyst@registry.test", BASE, "en")
    assert len([b for b in _mails(made, "analyst@registry.test")
                if "sign-in/link" in b]) == links.PER_ACCOUNT


@pytest.mark.parametrize("made", ["sqlite"], indirect=True)
def test_the_pages_sign_a_registrant_in_by_link(app_client: TestClient,
                                                world: dict[str, Any]) -> None:
    c = app_client
    assert register(c, world, email="natasha@example.org").status_code == 201
    with transaction(world["made"]) as s:
        s.execute(update(User).where(User.email == "natasha@example.org")
                  .values(verified_at=now()))
    form = c.get("/registry/sign-in/link?lang=es")
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form.text).group(1)  # type: ignore[union-attr]
    answers = [c.post("/registry/sign-in/link?lang=es", data={"csrf": csrf, "email": e})
               for e in ("natasha@example.org", "nobody@example.org")]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].text == answers[1].text  # nobody learns who is registered
    assert "va en camino" in answers[0].text
    token = _token(next(b for b in _mails(world["made"], "natasha@example.org")
                    if "sign-in/link" in b))
    opened = c.get(f"/registry/sign-in/link/open?token={token}&lang=es")
    assert "Entrar en el registro" in opened.text
    c.cookies.delete("tmo_registry")
    assert c.get("/registry/me", follow_redirects=False).status_code == 303  # not yet
    signed = c.post("/registry/sign-in/link/open?lang=es", data={"csrf": csrf,
                                                                  "token": token},
                    follow_redirects=False)
    assert signed.status_code == 303
    assert signed.headers["location"] == "/registry/me?lang=es"
    assert c.get("/registry/me?lang=es").status_code == 200
    c.cookies.delete("tmo_registry")
    again = c.post("/registry/sign-in/link/open?lang=es", data={"csrf": csrf,
                                                                 "token": token},
                   follow_redirects=False)
    assert again.status_code == 303
    assert again.headers["location"].startswith("/registry/sign-in")
