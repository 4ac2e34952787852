"""Running counts of the registrations (`tallies`), counted once here from the
registrations already held, then kept by every change (tmo.registry.tallies).

Revision ID: r0003
Revises: r0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r0003"
down_revision = "r0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tallies",
        sa.Column("residence", sa.String(3), primary_key=True),
        sa.Column("field", sa.String(20), primary_key=True),
        sa.Column("value", sa.String(8), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False))
    # counted from what the registry holds now, in SQL frozen with this revision
    groups = [("'total'", "''", "1 = 1")] + [
        (f"'{f}'", f"COALESCE(CAST({f} AS VARCHAR(8)), '')", "1 = 1")
        for f in ("sex", "birth_year", "education", "departure_year")] + [
        ("'occupation'", "COALESCE(SUBSTR(occupation, 1, 1), '')", "1 = 1")] + [
        (f"'{f}'", "'1'", f"{f} = TRUE") for f in (
            "intends_return", "intends_invest", "intends_mentor", "intends_vote",
            "synthetic")]
    for field, value, where in groups:
        op.execute(f"INSERT INTO tallies (residence, field, value, n) "
                   f"SELECT residence, {field}, {value}, COUNT(*) FROM registrations "
                   f"WHERE {where} GROUP BY 1, 3")  # residence and value


def downgrade() -> None:
    op.drop_table("tallies")
