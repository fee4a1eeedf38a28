"""A group of submits' new rows in one statement on PostgreSQL.

The task rows, their clips and their charges' ledger rows are inserted by one
statement: each table's rows arrive as one array per column and are spread by
``unnest``, each table in a ``WITH`` part of the same statement, and the statement
ends by sending the new-task signal (``pg_notify``, delivered at commit). One round
trip for the whole group instead of one per table and one for the signal, with the
same text whatever the group's size (prepared once per connection), and no per-row
work in the driver. A clip's reference to its task is checked at the end of the
statement, when both are in.

SQLite writes in process, where a statement costs no round trip, and keeps its
multi-row inserts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, TextClause, text
from sqlalchemy.dialects import postgresql

from songgate.store.tables import clips, ledger, tasks

_TABLES = (tasks, clips, ledger)
_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def _param(table: Table, column: str) -> str:
    return f"{table.name}_{column}"


def _unnest_insert(table: Table) -> str:
    names = [column.name for column in table.columns]
    arrays = ", ".join(
        f"CAST(:{_param(table, column.name)} AS {column.type.compile(dialect=_DIALECT)}[])"
        for column in table.columns)
    return (f"new_{table.name} AS (INSERT INTO {table.name} ({', '.join(names)}) "
            f"SELECT * FROM unnest({arrays}))")


_INSERT_ALL: TextClause = text(
    "WITH " + ", ".join(_unnest_insert(table) for table in _TABLES)
    + " SELECT pg_notify(:channel, '')"
)


def insert_new_rows(
    conn: Connection, *, task_rows: Sequence[Mapping[str, Any]],
    clip_rows: Sequence[Mapping[str, Any]], ledger_rows: Sequence[Mapping[str, Any]],
    channel: str,
) -> None:
    """Insert every row given (each a value for every column of its table) and signal
    ``channel``, in one statement."""
    params: dict[str, Any] = {"channel": channel}
    for table, rows in ((tasks, task_rows), (clips, clip_rows), (ledger, ledger_rows)):
        for column in table.columns:
            params[_param(table, column.name)] = [row[column.name] for row in rows]
    conn.execute(_INSERT_ALL, params)
