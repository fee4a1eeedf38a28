"""Credits: a balance per account and the ledger of every change to it.

Additive: older processes ignore the new tables (and charge nothing).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "balances",
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("balance", sa.BigInteger, nullable=False),
        sa.CheckConstraint("balance >= 0", name="ck_balances_not_negative"),
    )
    op.create_table(
        "ledger",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("task_id", sa.String(64), nullable=True),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_ledger_account_created", "ledger", ["account_id", "created_at"])
    op.create_index("ix_ledger_task_reason", "ledger", ["task_id", "reason"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_ledger_task_reason", table_name="ledger")
    op.drop_index("ix_ledger_account_created", table_name="ledger")
    op.drop_table("ledger")
    op.drop_table("balances")
