"""The registry's tables (SQLAlchemy 2 declarative models). The schema itself is made by
the Alembic migrations in `migrations/versions`; `tests/registry/test_database.py` checks
that the migrations and these models agree.

There is deliberately no immigration-status field: a registry a government keeps of its
citizens abroad must not become a list of who is undocumented where."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

NAME = 200
EMAIL = 254  # RFC 5321 path limit
CITY = 120


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def name_key(name: str) -> str:
    return name.lower()


# PostgreSQL compares text by its collation; "C" orders by code point as SQLite does, so a
# range of keys is exactly the names that start with a given text
NAME_KEY = String(NAME).with_variant(String(NAME, collation="C"), "postgresql")


class Base(DeclarativeBase):
    pass


class Origin(Base):
    """The country of origin that runs this registry (one per database)."""

    __tablename__ = "origin"
    iso3: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Mission(Base):
    """An embassy or consulate; it serves a jurisdiction (countries of residence)."""

    __tablename__ = "missions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME), unique=True)
    city: Mapped[str] = mapped_column(String(CITY), default="")
    host: Mapped[str] = mapped_column(String(3))  # ISO3 of the country it sits in
    jurisdiction: Mapped[list[Jurisdiction]] = relationship(
        back_populates="mission", cascade="all, delete-orphan")


class Jurisdiction(Base):
    """One country of residence served by one mission (each country by at most one)."""

    __tablename__ = "jurisdictions"
    residence: Mapped[str] = mapped_column(String(3), primary_key=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id", ondelete="CASCADE"),
                                            index=True)
    mission: Mapped[Mission] = relationship(back_populates="jurisdiction")


class User(Base):
    """Anyone who signs in: registrants, consular officers, ministry analysts, admins, and
    the accounts of domestic institutions (tmo.skills)."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('registrant', 'officer', 'analyst', 'admin', "
                                      "'institution')", name="ck_users_role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    mission_id: Mapped[int | None] = mapped_column(ForeignKey("missions.id"), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    language: Mapped[str] = mapped_column(String(2), default="en")


class Registration(Base):
    """What a citizen abroad tells the registry: four required fields (name, e-mail on the
    user, country of residence, mission) and optional fields on the diaspora's make-up."""

    __tablename__ = "registrations"
    __table_args__ = (
        CheckConstraint("sex IS NULL OR sex IN ('female', 'male', 'other')", name="ck_reg_sex"),
        CheckConstraint("education IS NULL OR education IN "
                        "('0','1','2','3','4','5','6','7','8')", name="ck_reg_education"),
        # an officer's search: their mission (and a country of residence) in name order
        Index("ix_registrations_mission_name_key", "mission_id", "name_key"),
        Index("ix_registrations_mission_residence_name_key", "mission_id", "residence",
              "name_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    name: Mapped[str] = mapped_column(String(NAME))
    # the name in lower case, for searches by its start (compared code point by code point)
    name_key: Mapped[str] = mapped_column(NAME_KEY)
    residence: Mapped[str] = mapped_column(String(3), index=True)
    mission_id: Mapped[int] = mapped_column(ForeignKey("missions.id"), index=True)
    birth_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sex: Mapped[str | None] = mapped_column(String(8), nullable=True)
    city: Mapped[str | None] = mapped_column(String(CITY), nullable=True)
    education: Mapped[str | None] = mapped_column(String(1), nullable=True)  # ISCED 2011
    occupation: Mapped[str | None] = mapped_column(String(4), nullable=True)  # ISCO-08 unit
    languages: Mapped[str | None] = mapped_column(String(100), nullable=True)  # ISO 639-1,..
    departure_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    intends_return: Mapped[bool] = mapped_column(Boolean, default=False)
    intends_invest: Mapped[bool] = mapped_column(Boolean, default=False)
    intends_mentor: Mapped[bool] = mapped_column(Boolean, default=False)
    intends_vote: Mapped[bool] = mapped_column(Boolean, default=False)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)

    @validates("name")
    def _keyed(self, _key: str, value: str) -> str:
        self.name_key = name_key(value)
        return value


class Tally(Base):
    """A running count (tmo.registry.tallies): registrants of a country of residence with
    a value of a field ("" = not stated), or in all (field "total")."""

    __tablename__ = "tallies"
    residence: Mapped[str] = mapped_column(String(3), primary_key=True)
    field: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(8), primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class Consent(Base):
    """Consent to one purpose: opt-in, timestamped, withdrawn by setting `withdrawn_at`."""

    __tablename__ = "consents"
    __table_args__ = (UniqueConstraint("user_id", "purpose", "granted_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    purpose: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True,
                                                             index=True)


class AuditEntry(Base):
    """Who did what, when and why. Never holds personal data: people appear by their
    numeric id only, which means nothing once the person is erased."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    records: Mapped[int] = mapped_column(Integer, default=0)  # personal records shown
    reason: Mapped[str] = mapped_column(String(200), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class Token(Base):
    """A one-use link sent by e-mail (verification, invitation); only its hash is kept."""

    __tablename__ = "tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    purpose: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class Session(Base):
    """A signed-in browser or client; only the hash of its cookie is kept."""

    __tablename__ = "sessions"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class Attempt(Base):
    """A rate-limited event (a failed sign-in of an account, a registration from an
    address), counted over a sliding window; old rows are purged as new ones come."""

    __tablename__ = "attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)


class Mail(Base):
    """The outbox: messages to send (verification and invitation links, contact requests,
    notifications), queued in the transaction that makes them; `tmo registry send-mail`
    sends them by SMTP and deletes each once the server has accepted it."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    to: Mapped[str] = mapped_column(String(EMAIL))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    # the sender (tmo.registry.outbox): tries so far, when it may try next (also its
    # lease while one sender holds the message), the last refusal; sent mail is deleted
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True,
                                                                 index=True)
    last_error: Mapped[str | None] = mapped_column(String(200), nullable=True)
