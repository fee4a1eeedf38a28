"""Relay: upstream channels, the upstream id of each relayed task, relayed clips.

Additive: older processes ignore the new tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("protocol", sa.String(16), nullable=False),
        sa.Column("base_url", sa.Text, nullable=False),
        sa.Column("api_key", sa.Text, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("weight", sa.Integer, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("actions", sa.String(32), nullable=False),
        sa.Column("models", sa.Text, nullable=False),
        sa.Column("max_in_flight", sa.Integer, nullable=False),
        sa.Column("media", sa.String(8), nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("open_until", sa.Float, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("last_error_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_table(
        "relay_jobs",
        sa.Column("task_id", sa.String(64), sa.ForeignKey("tasks.id"), primary_key=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("upstream_id", sa.String(128), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("misses", sa.Integer, nullable=False),
        sa.Column("submitted_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_index("ix_relay_jobs_state_channel", "relay_jobs", ["state", "channel"])
    op.create_table(
        "relay_clips",
        sa.Column("clip_id", sa.String(64), primary_key=True),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("upstream_clip_id", sa.String(128), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("relay_clips")
    op.drop_index("ix_relay_jobs_state_channel", table_name="relay_jobs")
    op.drop_table("relay_jobs")
    op.drop_table("channels")
