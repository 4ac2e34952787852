"""Skills profiles, institutions, their members and opportunities, and contact requests
(issue #18, tmo.skills.models); the role "institution" for the accounts acting for an
institution.

Revision ID: r0004
Revises: r0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0004"
down_revision = "r0003"
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('registrant', 'officer', 'analyst', 'admin')"
ROLES_AFTER = "role IN ('registrant', 'officer', 'analyst', 'admin', 'institution')"


def _roles(before: str, after: str) -> None:
    """Widen (or narrow back) the users' role check. PostgreSQL alters the constraint. On
    SQLite a batch rebuild of `users` would drop the table, and with foreign keys on that
    cascades to every registration; the CHECK text is changed in the schema instead, as
    SQLite documents for changes that leave the stored rows as they are (sqlite.org,
    "ALTER TABLE", section 7: writable_schema, then schema_version + 1)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint("ck_users_role", "users", type_="check")
        op.create_check_constraint("ck_users_role", "users", after)
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema=ON")
    changed = bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) "
        "WHERE type = 'table' AND name = 'users'", (before, after)).rowcount
    bind.exec_driver_sql(f"PRAGMA schema_version={int(version or 0) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema=OFF")
    assert changed == 1, "the users table's role check was not found"


def upgrade() -> None:
    _roles(ROLES_BEFORE, ROLES_AFTER)
    op.create_table(
        "skills_profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False, unique=True),
        sa.Column("occupation", sa.String(4), nullable=False),
        sa.Column("education", sa.String(1), nullable=True),
        sa.Column("field", sa.String(2), nullable=True),
        sa.Column("experience", sa.Integer, nullable=True),
        sa.Column("sector", sa.String(120), nullable=False),
        sa.Column("skills", sa.Text, nullable=False),
        sa.Column("languages", sa.String(200), nullable=False),
        sa.Column("offers", sa.String(100), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False))
    op.create_index("ix_skills_profiles_updated_at", "skills_profiles", ["updated_at"])
    op.create_table(
        "institutions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sector", sa.String(120), nullable=False),
        sa.Column("contact", sa.String(254), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("applied_at", sa.DateTime, nullable=False),
        sa.Column("decided_at", sa.DateTime, nullable=True),
        sa.Column("decided_by", sa.Integer, nullable=True),
        sa.CheckConstraint("state IN ('applied', 'verified', 'refused')",
                           name="ck_institutions_state"))
    op.create_table(
        "institution_members",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("institution_id", sa.Integer,
                  sa.ForeignKey("institutions.id", ondelete="CASCADE"), nullable=False))
    op.create_index("ix_institution_members_institution_id", "institution_members",
                    ["institution_id"])
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("institution_id", sa.Integer,
                  sa.ForeignKey("institutions.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("criteria", sa.Text, nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_opportunities_institution_id", "opportunities", ["institution_id"])
    op.create_table(
        "contact_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("opportunity_id", sa.Integer,
                  sa.ForeignKey("opportunities.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("answered_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("opportunity_id", "user_id"),
        sa.CheckConstraint("state IN ('pending', 'accepted', 'refused')",
                           name="ck_contact_requests_state"))
    op.create_index("ix_contact_requests_opportunity_id", "contact_requests",
                    ["opportunity_id"])
    op.create_index("ix_contact_requests_user_id", "contact_requests", ["user_id"])


def downgrade() -> None:
    for table in ("contact_requests", "opportunities", "institution_members",
                  "institutions", "skills_profiles"):
        op.drop_table(table)
    op.execute("DELETE FROM users WHERE role = 'institution'")
    _roles(ROLES_AFTER, ROLES_BEFORE)
