"""Uploads: files a client is sending; channels trusted with private media addresses.

Additive: a new table, and a column with a default (false: every channel's media obey
the address rules, as before).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "uploads",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("extension", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("task_id", sa.String(64), nullable=True),
        sa.Column("clip_id", sa.String(64), nullable=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
    )
    op.add_column("channels", sa.Column("trusted", sa.Boolean, nullable=False,
                                        server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.drop_column("trusted")
    op.drop_table("uploads")
