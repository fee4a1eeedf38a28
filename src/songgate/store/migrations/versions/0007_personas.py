"""Personas: a clip's singer and style, kept per account.

Additive: a new table; older processes ignore it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personas",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("root_clip_id", sa.String(64), nullable=False),
        sa.Column("clips", sa.Text, nullable=False),
        sa.Column("is_public", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("voice", sa.Text, nullable=False),
    )
    op.create_index("ix_personas_account", "personas", ["account_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_personas_account", table_name="personas")
    op.drop_table("personas")
