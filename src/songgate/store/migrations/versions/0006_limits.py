"""Rate limits: the token behind each task, per-account limits, per-minute request counts.

Additive: a nullable column, an index and new tables; older processes ignore them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("token_id", sa.String(32), nullable=True))
    op.create_index("ix_tasks_token_status", "tasks", ["token_id", "status"])
    op.create_table(
        "account_limits",
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("requests_per_minute", sa.Integer, nullable=True),
        sa.Column("tasks_in_flight", sa.Integer, nullable=True),
    )
    op.create_table(
        "rate_windows",
        sa.Column("token_id", sa.String(32), primary_key=True),
        sa.Column("window", sa.BigInteger, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rate_windows")
    op.drop_table("account_limits")
    op.drop_index("ix_tasks_token_status", table_name="tasks")
    op.drop_column("tasks", "token_id")
