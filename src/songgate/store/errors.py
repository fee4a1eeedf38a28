"""Which storage failures mean "the database cannot be reached right now", and where they
become songgate's :class:`~songgate.errors.ServiceUnavailable`.

Driver and pool exceptions stay inside the store: the database's connection helpers run
every statement under :func:`outages_as_unavailable`, so callers above the store see an
outage only as ``ServiceUnavailable`` (with the driver's exception as its cause) and never
need to know SQLAlchemy's or a driver's classes. Anything else a driver raises is a bug
(bad SQL, a constraint) and passes through unchanged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from songgate.errors import ServiceUnavailable

_UNAVAILABLE_TEXT = (
    "database is locked",  # SQLite: the busy timeout ran out
    "connection refused",
    "connection was closed",
    "connection is closed",
    "the database system is",  # PostgreSQL starting up or shutting down
    "terminating connection",
    "due to lock timeout",  # PostgreSQL: another session held a lock past lock_timeout
    "due to statement timeout",  # PostgreSQL: past statement_timeout
    "server closed the connection",
)

UNREACHABLE_MESSAGE = "the database is not reachable; try again"


class DatabaseBusy(Exception):
    """A write waited for its turn as long as SQLite's busy timeout allows, and gave up."""


# The classes an outage surfaces as (driver errors come wrapped in DBAPIError; the hot
# SQLite read path raises sqlite3's own), caught by class before is_unavailable tells
# outages from bugs.
_OUTAGE_CLASSES: tuple[type[Exception], ...] = (
    DBAPIError, PoolTimeout, DatabaseBusy, OSError, sqlite3.Error,
)

# Whatever a store call may raise when the database fails, outage or not (the readiness
# check counts any of them as "not ready").
STORAGE_ERRORS: tuple[type[Exception], ...] = (ServiceUnavailable, SQLAlchemyError, OSError)


def is_unavailable(error: BaseException) -> bool:
    """True for outages (down, restarting, unreachable, busy), False for bugs such as bad SQL."""
    if isinstance(error, PoolTimeout | ConnectionError | TimeoutError | DatabaseBusy):
        return True
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        return is_unavailable(error.orig) if error.orig is not None else False
    text = str(error).lower()
    return any(fragment in text for fragment in _UNAVAILABLE_TEXT) or (
        type(error).__module__.startswith("asyncpg")
        and type(error).__name__ in (
            "CannotConnectNowError", "ConnectionDoesNotExistError", "AdminShutdownError",
            "ConnectionFailureError", "InterfaceError",
        )
    )


@contextmanager
def outages_as_unavailable() -> Iterator[None]:
    """Raise an outage inside the block as :class:`ServiceUnavailable`, the cause chained."""
    try:
        yield
    except _OUTAGE_CLASSES as error:
        if not is_unavailable(error):
            raise
        raise ServiceUnavailable(UNREACHABLE_MESSAGE) from error


def raise_as_unavailable(error: Exception) -> NoReturn:
    """Raise ``error`` as :func:`outages_as_unavailable` would let it out (for a hot path
    that spares itself the context manager)."""
    if isinstance(error, _OUTAGE_CLASSES) and is_unavailable(error):
        raise ServiceUnavailable(UNREACHABLE_MESSAGE) from error
    raise error
