"""Index (account_id, id) so a batch fetch seeks each id within the account.

Without it SQLite may walk all of an account's tasks through
ix_tasks_account_submit for `account_id = ? AND id IN (...)`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tasks_account_id", "tasks", ["account_id", "id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_tasks_account_id", "tasks")
