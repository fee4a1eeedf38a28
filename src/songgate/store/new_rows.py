"""A group of submits' charges and new rows in one statement on PostgreSQL.

The charges, the task rows, their clips and the charges' ledger rows are written by one
statement: each table's rows arrive as one array per column and are spread by
``unnest``, each table in a ``WITH`` part of the same statement, and the statement ends
by sending the new-task signal (``pg_notify``, delivered at commit). One round trip for
the whole group instead of one per table and one for the signal, with the same text
whatever the group's size (prepared once per connection), and no per-row work in the
driver. A clip's reference to its task is checked at the end of the statement, when both
are in.

The charges come as one total per account. The statement first locks those accounts'
balance rows, in the order of their ids (the order every writer locks them in: no
deadlocks), and writes only if every balance pays its total; otherwise it writes nothing
and says so, and the caller decides who is refused in a transaction of its own. Since
the statement is all or nothing, it may run alone, committed by itself: a group that
pays is then written in one round trip, ``BEGIN`` and ``COMMIT`` included.

SQLite writes in process, where a statement costs no round trip, and keeps its
multi-row inserts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, TextClause, text
from sqlalchemy.dialects import postgresql

from songgate.store.tables import balances, clips, ledger, tasks

_TABLES = (tasks, clips, ledger)
_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]


def _param(table: Table, column: str) -> str:
    return f"{table.name}_{column}"


def _array_type(table: Table, column: str) -> str:
    return f"{table.c[column].type.compile(dialect=_DIALECT)}[]"


def _unnest_insert(table: Table) -> str:
    names = [column.name for column in table.columns]
    arrays = ", ".join(f"CAST(:{_param(table, name)} AS {_array_type(table, name)})"
                       for name in names)
    return (f"new_{table.name} AS (INSERT INTO {table.name} ({', '.join(names)}) "
            f"SELECT * FROM unnest({arrays}) WHERE (SELECT every_one FROM paid))")


_CHARGES = (
    f"unnest(CAST(:charge_accounts AS {_array_type(balances, 'account_id')}), "
    f"CAST(:charge_amounts AS {_array_type(balances, 'balance')})) AS charge(account_id, amount)"
)

_INSERT_ALL: TextClause = text(
    "WITH held AS (SELECT balances.account_id, balances.balance FROM balances "
    f"JOIN {_CHARGES} ON balances.account_id = charge.account_id "
    "ORDER BY balances.account_id FOR UPDATE OF balances), "
    "paid AS (SELECT count(*) = cardinality(CAST(:charge_accounts AS "
    f"{_array_type(balances, 'account_id')})) AS every_one FROM held "
    f"JOIN {_CHARGES} ON held.account_id = charge.account_id "
    "AND held.balance >= charge.amount), "
    "taken AS (UPDATE balances SET balance = balances.balance - charge.amount "
    f"FROM {_CHARGES} WHERE balances.account_id = charge.account_id "
    "AND (SELECT every_one FROM paid)), "
    + ", ".join(_unnest_insert(table) for table in _TABLES)
    + " SELECT every_one, CASE WHEN every_one THEN pg_notify(:channel, '') END FROM paid"
)


def insert_new_rows(
    conn: Connection, *, charges: Mapping[str, int], task_rows: Sequence[Mapping[str, Any]],
    clip_rows: Sequence[Mapping[str, Any]], ledger_rows: Sequence[Mapping[str, Any]],
    channel: str,
) -> bool:
    """Take each account's charge (``account id -> amount``), insert every row given
    (each a value for every column of its table) and signal ``channel``, in one
    statement; or, when some balance cannot pay its charge, do nothing and return False.
    Each account id may appear once in ``charges``."""
    params: dict[str, Any] = {
        "channel": channel,
        "charge_accounts": list(charges), "charge_amounts": list(charges.values()),
    }
    for table, rows in ((tasks, task_rows), (clips, clip_rows), (ledger, ledger_rows)):
        for column in table.columns:
            params[_param(table, column.name)] = [row[column.name] for row in rows]
    return bool(conn.execute(_INSERT_ALL, params).scalar_one())
