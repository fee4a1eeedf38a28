"""Accounts, tokens, tasks (the queue) and clips.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("handle", sa.String(64), nullable=False),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("hint", sa.String(16), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=True),
        sa.Column("revoked_at", sa.Float, nullable=True),
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("mv", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("fail_reason", sa.Text, nullable=False),
        sa.Column("submit_time", sa.Float, nullable=False),
        sa.Column("start_time", sa.Float, nullable=False),
        sa.Column("finish_time", sa.Float, nullable=False),
        sa.Column("request", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("max_attempts", sa.Integer, nullable=False),
        sa.Column("lease_token", sa.String(32), nullable=True),
        sa.Column("lease_expires_at", sa.Float, nullable=True),
        sa.Column("deadline_at", sa.Float, nullable=False),
        sa.Column("run_after", sa.Float, nullable=False),
        sa.Column("dto", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_tasks_claim", "tasks", ["status", "run_after"])
    op.create_index("ix_tasks_lease", "tasks", ["status", "lease_expires_at"])
    op.create_index("ix_tasks_deadline", "tasks", ["status", "deadline_at"])
    op.create_index("ix_tasks_account_submit", "tasks", ["account_id", "submit_time"])
    # A batch fetch seeks each id within the account; without this index SQLite may
    # walk all of an account's tasks through ix_tasks_account_submit instead.
    op.create_index("ix_tasks_account_id", "tasks", ["account_id", "id"], unique=True)
    op.create_table(
        "clips",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("task_id", sa.String(64), sa.ForeignKey("tasks.id"), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
    )
    op.create_index("ix_clips_task", "clips", ["task_id"])


def downgrade() -> None:
    op.drop_table("clips")
    op.drop_table("tasks")
    op.drop_table("tokens")
    op.drop_table("accounts")
