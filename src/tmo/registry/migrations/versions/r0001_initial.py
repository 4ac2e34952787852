"""The registry's first schema: origin, missions and jurisdictions, users, registrations,
consents, audit, tokens, sessions, attempts and the outbox.

Revision ID: r0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "origin",
        sa.Column("iso3", sa.String(3), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_table(
        "missions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("host", sa.String(3), nullable=False))
    op.create_table(
        "jurisdictions",
        sa.Column("residence", sa.String(3), primary_key=True),
        sa.Column("mission_id", sa.Integer,
                  sa.ForeignKey("missions.id", ondelete="CASCADE"), nullable=False))
    op.create_index("ix_jurisdictions_mission_id", "jurisdictions", ["mission_id"])
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("mission_id", sa.Integer, sa.ForeignKey("missions.id"), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("verified_at", sa.DateTime, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.CheckConstraint("role IN ('registrant', 'officer', 'analyst', 'admin')",
                           name="ck_users_role"))
    op.create_table(
        "registrations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("residence", sa.String(3), nullable=False),
        sa.Column("mission_id", sa.Integer, sa.ForeignKey("missions.id"), nullable=False),
        sa.Column("birth_year", sa.Integer, nullable=True),
        sa.Column("sex", sa.String(8), nullable=True),
        sa.Column("city", sa.String(120), nullable=True),
        sa.Column("education", sa.String(1), nullable=True),
        sa.Column("occupation", sa.String(4), nullable=True),
        sa.Column("languages", sa.String(100), nullable=True),
        sa.Column("departure_year", sa.Integer, nullable=True),
        sa.Column("intends_return", sa.Boolean, nullable=False),
        sa.Column("intends_invest", sa.Boolean, nullable=False),
        sa.Column("intends_mentor", sa.Boolean, nullable=False),
        sa.Column("intends_vote", sa.Boolean, nullable=False),
        sa.Column("synthetic", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("sex IS NULL OR sex IN ('female', 'male', 'other')",
                           name="ck_reg_sex"),
        sa.CheckConstraint("education IS NULL OR education IN "
                           "('0','1','2','3','4','5','6','7','8')", name="ck_reg_education"))
    op.create_index("ix_registrations_residence", "registrations", ["residence"])
    op.create_index("ix_registrations_mission_id", "registrations", ["mission_id"])
    op.create_index("ix_registrations_synthetic", "registrations", ["synthetic"])
    # an officer's search: their mission, then a country of residence, then the name
    op.create_index("ix_registrations_mission_residence_name", "registrations",
                    ["mission_id", "residence", "name"])
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("purpose", sa.String(32), nullable=False),
        sa.Column("granted_at", sa.DateTime, nullable=False),
        sa.Column("withdrawn_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("user_id", "purpose", "granted_at"))
    op.create_index("ix_consents_user_id", "consents", ["user_id"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor_id", sa.Integer, nullable=True),
        sa.Column("actor_role", sa.String(16), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("subject_id", sa.Integer, nullable=True),
        sa.Column("records", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("detail", sa.Text, nullable=False))
    op.create_index("ix_audit_at", "audit", ["at"])
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime, nullable=True))
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "sessions",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("seen_at", sa.DateTime, nullable=False))
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False))
    op.create_index("ix_attempts_key", "attempts", ["key"])
    op.create_index("ix_attempts_at", "attempts", ["at"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("to", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_outbox_user_id", "outbox", ["user_id"])


def downgrade() -> None:
    for table in ("outbox", "attempts", "sessions", "tokens", "audit", "consents",
                  "registrations", "users", "jurisdictions", "missions", "origin"):
        op.drop_table(table)
