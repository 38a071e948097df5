"""The workspace: a coach's clients and their saved scenarios.

Revision ID: 0001
Revises:
Create Date: 2026-12-01

The columns are written out here (not taken from lib.workspace.models), so that this step
stays what it was when the models change: a later change is a later revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def _times() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        *_times(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
        sqlite_autoincrement=True,  # ids never reused: a stale page cannot reach a newer row
    )
    op.create_index(op.f("ix_clients_owner"), "clients", ["owner"], unique=False)
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("n_loans", sa.Integer(), nullable=False),
        sa.Column("owed", sa.Numeric(precision=18, scale=2, asdecimal=False), nullable=False),
        sa.Column("n_agreements", sa.Integer(), nullable=False),
        *_times(),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"], name=op.f("fk_scenarios_client_id_clients"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_scenarios_client_id"), "scenarios", ["client_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_scenarios_client_id"), table_name="scenarios")
    op.drop_table("scenarios")
    op.drop_index(op.f("ix_clients_owner"), table_name="clients")
    op.drop_table("clients")
