"""Registrations get `name_key`, the name in lower case, and the officer's search its
indexes on (mission, name_key) and (mission, residence, name_key): searches by the start
of a name in name order use an index on SQLite and PostgreSQL alike.

Revision ID: r0002
Revises: r0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None

KEY = sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql")


def upgrade() -> None:
    op.add_column("registrations", sa.Column("name_key", KEY, nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, name FROM registrations")).all()
    for start in range(0, len(rows), 10_000):  # Python's lower(): SQLite's is ASCII only
        bind.execute(sa.text("UPDATE registrations SET name_key = :key WHERE id = :id"),
                     [{"id": i, "key": name.lower()} for i, name in rows[start:start + 10_000]])
    with op.batch_alter_table("registrations") as batch:
        batch.alter_column("name_key", existing_type=KEY, nullable=False)
        batch.drop_index("ix_registrations_mission_residence_name")
        batch.create_index("ix_registrations_mission_name_key", ["mission_id", "name_key"])
        batch.create_index("ix_registrations_mission_residence_name_key",
                           ["mission_id", "residence", "name_key"])


def downgrade() -> None:
    with op.batch_alter_table("registrations") as batch:
        batch.drop_index("ix_registrations_mission_residence_name_key")
        batch.drop_index("ix_registrations_mission_name_key")
        batch.create_index("ix_registrations_mission_residence_name",
                           ["mission_id", "residence", "name"])
        batch.drop_column("name_key")
