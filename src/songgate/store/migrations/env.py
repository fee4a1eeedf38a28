"""Alembic environment: songgate runs migrations on a connection it already holds."""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `songgate migrate`")

context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
