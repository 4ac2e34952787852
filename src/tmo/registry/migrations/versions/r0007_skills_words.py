"""The word index of the skills search (tmo.skills.finder): the words of each skills
profile, and when each profile was indexed, filled by the first search after upgrading;
and the indexes that make the search's test "has anything changed?" a few look-ups
(registrations.updated_at, consents.withdrawn_at).

Revision ID: r0007
Revises: r0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0007"
down_revision = "r0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "skills_words",
        sa.Column("word", sa.String(60), primary_key=True),
        sa.Column("profile_id", sa.Integer,
                  sa.ForeignKey("skills_profiles.id", ondelete="CASCADE"), primary_key=True))
    op.create_index("ix_skills_words_profile_id", "skills_words", ["profile_id"])
    op.create_table(
        "skills_indexed",
        sa.Column("profile_id", sa.Integer,
                  sa.ForeignKey("skills_profiles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("updated_at", sa.DateTime, nullable=False))
    op.create_index("ix_skills_indexed_updated_at", "skills_indexed", ["updated_at"])
    op.create_index("ix_registrations_updated_at", "registrations", ["updated_at"])
    op.create_index("ix_consents_withdrawn_at", "consents", ["withdrawn_at"])


def downgrade() -> None:
    op.drop_index("ix_consents_withdrawn_at", "consents")
    op.drop_index("ix_registrations_updated_at", "registrations")
    op.drop_index("ix_skills_indexed_updated_at", "skills_indexed")
    op.drop_table("skills_indexed")
    op.drop_index("ix_skills_words_profile_id", "skills_words")
    op.drop_table("skills_words")
