"""Task row versions in the order of their changes (SQLite), read as a feed of changes.

Every change of a task's TaskDto now gives its row a version above every other row's: a
trigger sets it to the table's highest version plus one, and SQLite writes one
transaction at a time, so a later commit's versions are always higher. A process that
keeps unfinished TaskDtos (:mod:`songgate.store.dto_cache`) then learns which of them
changed since it last looked from one read of the newest versions, at the right edge of
an index on (version, id), whatever the size of the table, instead of a walk down an
index per kept TaskDto.

The trigger fires on writes of ``dto`` or ``version``, so it has the last word whatever
else runs: the writers' own ``version + 1`` (which PostgreSQL keeps), and migration
0010's trigger, which bumps a row by one when a process of an earlier release writes its
TaskDto without a version. ``ix_tasks_fetch`` stays for processes of the 0010 release,
which check kept TaskDtos one id at a time (their check stays exact: every change still
moves a row's version).

Additive: an index and a trigger, on SQLite alone (PostgreSQL's polls read the rows).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ORDERED_TRIGGER = (
    "CREATE TRIGGER tasks_version_orders_changes AFTER UPDATE OF dto, version ON tasks "
    "FOR EACH ROW BEGIN UPDATE tasks SET version = (SELECT max(version) FROM tasks) + 1 "
    "WHERE rowid = NEW.rowid; END"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.create_index("ix_tasks_changes", "tasks", ["version", "id"])
        op.execute(ORDERED_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER tasks_version_orders_changes")
        op.drop_index("ix_tasks_changes", "tasks")
