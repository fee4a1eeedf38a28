"""Task row versions: a number that grows with every change of a task's TaskDto.

A poll can then check that a TaskDto it keeps in memory is still the row's by reading
the version from a narrow index instead of the row (:mod:`songgate.store.dto_cache`).
On SQLite, where those polls run, the index holds the id and the version alone (a kept
TaskDto knows its account and action, which never change, and a row whose version is
the kept one's is as unfinished as when it was read), and a trigger bumps the version
of any row whose TaskDto is written without it, so a process of the previous release,
which knows no versions, cannot leave a kept TaskDto looking current. PostgreSQL keeps
the column (its writers bump it too) without the index or trigger: its polls read the
rows.

Additive: a NOT NULL column with a default (0), an index and a trigger on SQLite.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

BUMP_TRIGGER = (
    "CREATE TRIGGER tasks_version_follows_dto AFTER UPDATE OF dto ON tasks FOR EACH ROW "
    "WHEN NEW.version = OLD.version "
    "BEGIN UPDATE tasks SET version = OLD.version + 1 WHERE rowid = NEW.rowid; END"
)


def upgrade() -> None:
    op.add_column("tasks", sa.Column("version", sa.Integer, nullable=False,
                                     server_default="0"))
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_tasks_fetch", "tasks",
                        ["id", "version"])
        op.execute(BUMP_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER tasks_version_follows_dto")
        op.drop_index("ix_tasks_fetch", "tasks")
    op.drop_column("tasks", "version")
