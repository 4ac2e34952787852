"""The skills tables, in the diaspora registry's own database (on the registry's
declarative base, made by the registry's migration r0004): a registrant's optional skills
profile, institutions and the accounts that act for them, opportunities, and contact
requests with their double opt-in. Lists are kept as comma-separated codes and an
opportunity's criteria as JSON, read and checked by `tmo.skills.profiles` and
`tmo.skills.institutions`. No column says anything about immigration status."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from tmo.registry.models import EMAIL, NAME, Base, now

SECTOR = 120
SUMMARY = 2000


class SkillsProfile(Base):
    """What a registrant offers domestic institutions (optional; matched only while the
    consent "domestic_institutions" is given)."""

    __tablename__ = "skills_profiles"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    occupation: Mapped[str] = mapped_column(String(4))  # ISCO-08 unit group
    education: Mapped[str | None] = mapped_column(String(1), nullable=True)  # ISCED 2011
    field: Mapped[str | None] = mapped_column(String(2), nullable=True)  # ISCED-F broad
    experience: Mapped[int | None] = mapped_column(Integer, nullable=True)  # years
    sector: Mapped[str] = mapped_column(String(SECTOR), default="")
    skills: Mapped[str] = mapped_column(Text, default="")  # labels, comma-separated
    languages: Mapped[str] = mapped_column(String(200), default="")  # "en:C2,fr:B1"
    offers: Mapped[str] = mapped_column(String(100), default="")  # tmo.skills.vocabulary
    summary: Mapped[str] = mapped_column(Text, default="")  # free text, shown on accepting
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now, index=True)


class Institution(Base):
    """An enterprise, university, research institute or public agency at home; it
    applies, and the ministry (an analyst or administrator) verifies it."""

    __tablename__ = "institutions"
    __table_args__ = (CheckConstraint("state IN ('applied', 'verified', 'refused')",
                                      name="ck_institutions_state"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME))
    kind: Mapped[str] = mapped_column(String(20))
    sector: Mapped[str] = mapped_column(String(SECTOR), default="")
    contact: Mapped[str] = mapped_column(String(EMAIL))  # the institution's public address
    state: Mapped[str] = mapped_column(String(10), default="applied")
    applied_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    decided_by: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Member(Base):
    """An account (role "institution") acting for one institution."""

    __tablename__ = "institution_members"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True)


class Opportunity(Base):
    """A job, research collaboration, mentoring or investment an institution publishes,
    with its criteria (JSON: tmo.skills.criteria.Criteria)."""

    __tablename__ = "opportunities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(NAME))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    criteria: Mapped[str] = mapped_column(Text, default="{}")
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class ContactRequest(Base):
    """An institution asks to contact a candidate about an opportunity (first opt-in);
    the person accepts or refuses (second). Only an accepted request shows each side
    the other's contact."""

    __tablename__ = "contact_requests"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "user_id"),
        CheckConstraint("state IN ('pending', 'accepted', 'refused')",
                        name="ck_contact_requests_state"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class SkillsWord(Base):
    """The word index of the search (`tmo.skills.finder`): one row per word of a skills
    profile (its skills, sector, occupation code and title, in lower case), kept on each
    profile write, so that a search reads the profiles holding its words, not every
    profile. Deleted with the profile."""

    __tablename__ = "skills_words"
    word: Mapped[str] = mapped_column(String(60), primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("skills_profiles.id", ondelete="CASCADE"), primary_key=True, index=True)


class SkillsIndexed(Base):
    """When each profile's words were indexed (its `updated_at` then): a profile written
    without the index (a bulk load) is indexed by the next search."""

    __tablename__ = "skills_indexed"
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("skills_profiles.id", ondelete="CASCADE"), primary_key=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
