"""The outbox's SMTP sender against a local SMTP server the test starts (aiosmtpd): sent
mail leaves the outbox, refused mail is retried with back-off and given up after
MAX_ATTEMPTS, a leased message is not sent twice, an unreachable relay loses nothing, and
the configuration errors are one line each."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from sqlalchemy import func, select

from tmo.errors import InputError
from tmo.registry import outbox
from tmo.registry.database import transaction
from tmo.registry.models import AuditEntry, Mail, now


class Inbox:
    """An SMTP server's handler: keeps what it accepts, or refuses every message."""

    def __init__(self) -> None:
        self.received: list[Any] = []
        self.refuse = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            return "550 mailbox unavailable"
        self.received.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, outbox.Smtp]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, outbox.Smtp("127.0.0.1", port, "none", sender="registry@zm.test",
                                 timeout=5)
    finally:
        controller.stop()


def _queued(made: Any) -> list[Mail]:
    with transaction(made) as s:
        return list(s.scalars(select(Mail).order_by(Mail.id)))


def test_sent_mail_leaves_the_outbox(world: dict[str, Any], smtp: Any) -> None:
    made, (inbox, relay) = world["made"], smtp
    queued = _queued(made)
    assert len(queued) == 3  # the world's three invitations
    report = outbox.send_due(made, relay)
    assert (report.sent, report.failed, report.given_up) == (3, 0, 0)
    got = {e.rcpt_tos[0]: message_from_bytes(e.content) for e in inbox.received}
    assert set(got) == {m.to for m in queued}
    for mail in queued:
        assert got[mail.to]["Subject"] == mail.subject
        assert got[mail.to]["From"] == "registry@zm.test"
        payload = got[mail.to].get_payload(decode=True)
        assert isinstance(payload, bytes)
        assert mail.body in payload.decode()
    assert _queued(made) == []
    with transaction(made) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "mail_sent", AuditEntry.records == 3)) == 1
    assert outbox.send_due(made, relay).sent == 0  # nothing twice


def test_refused_mail_is_retried_with_backoff_then_given_up(world: dict[str, Any],
                                                            smtp: Any) -> None:
    made, (inbox, relay) = world["made"], smtp
    inbox.refuse = True
    moment = now()
    report = outbox.send_due(made, relay, moment=moment)
    assert (report.sent, report.failed) == (0, 3)
    for mail in _queued(made):
        assert mail.attempts == 1
        assert "550" in (mail.last_error or "")
        assert mail.next_attempt_at is not None
        assert mail.next_attempt_at > moment
    assert outbox.send_due(made, relay).failed == 0  # not due yet: not tried again
    for tries in range(2, outbox.MAX_ATTEMPTS + 1):
        moment += outbox.backoff(tries - 1) + dt.timedelta(seconds=1)
        report = outbox.send_due(made, relay, moment=moment)
        assert report.failed + report.given_up == 3, tries
    assert report.given_up == 3
    assert [r["attempts"] for r in outbox.given_up(made)] == [outbox.MAX_ATTEMPTS] * 3
    far = moment + dt.timedelta(days=30)
    assert outbox.send_due(made, relay, moment=far).given_up == 0  # never tried again
    inbox.refuse = False
    assert outbox.retry(made) == 3
    assert outbox.send_due(made, relay).sent == 3
    assert inbox.received
    assert outbox.pending(made) == {"waiting": 0, "given_up": 0}


def test_a_leased_message_is_not_sent_by_a_second_sender(world: dict[str, Any]) -> None:
    made = world["made"]
    first = outbox.claim(made, 10)
    assert len(first) == 3
    assert outbox.claim(made, 10) == []  # held by the first sender's lease
    later = now() + outbox.LEASE + dt.timedelta(seconds=1)
    assert len(outbox.claim(made, 10, later)) == 3  # a killed sender's lease runs out


def test_an_unreachable_relay_loses_nothing(world: dict[str, Any]) -> None:
    made = world["made"]
    closed = outbox.Smtp("127.0.0.1", _free_port(), "none", timeout=2)
    report = outbox.send_due(made, closed)
    assert report.failed == 3
    assert [m.attempts for m in _queued(made)] == [1, 1, 1]


def test_configuration_errors_are_one_line() -> None:
    with pytest.raises(InputError, match="TMO_SMTP_HOST is not set"):
        outbox.Smtp.from_env({})
    with pytest.raises(InputError, match="TMO_SMTP_SECURITY='ssl3'"):
        outbox.Smtp.from_env({"TMO_SMTP_HOST": "mail.zm.test", "TMO_SMTP_SECURITY": "ssl3"})
    with pytest.raises(InputError, match="TMO_SMTP_PORT='x'"):
        outbox.Smtp.from_env({"TMO_SMTP_HOST": "mail.zm.test", "TMO_SMTP_PORT": "x"})
    got = outbox.Smtp.from_env({"TMO_SMTP_HOST": "mail.zm.test", "TMO_SMTP_SECURITY": "tls",
                                "TMO_SMTP_USER": "u", "TMO_SMTP_PASSWORD": "p"})
    assert (got.port, got.security, got.user, got.sender) == (465, "tls", "u",
                                                               "registry@mail.zm.test")


def test_the_command_sends_and_says_so(world: dict[str, Any], smtp: Any,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from tmo.cli import cli

    made, (inbox, relay) = world["made"], smtp
    url = made.url.render_as_string(hide_password=False)
    for key, value in {"TMO_SMTP_HOST": relay.host, "TMO_SMTP_PORT": str(relay.port),
                       "TMO_SMTP_SECURITY": "none"}.items():
        monkeypatch.setenv(key, value)
    done = CliRunner().invoke(cli, ["registry", "send-mail", "--registry", url])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("sent 3, refused 0")
    assert len(inbox.received) == 3
    monkeypatch.delenv("TMO_SMTP_HOST")
    done = CliRunner().invoke(cli, ["registry", "send-mail", "--registry", url])
    assert done.exit_code == 1
    assert "TMO_SMTP_HOST is not set" in done.output.splitlines()[0]
