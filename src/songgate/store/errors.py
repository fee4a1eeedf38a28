"""Which storage failures mean "the database cannot be reached right now"."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

_UNAVAILABLE_TEXT = (
    "database is locked",  # SQLite: the busy timeout ran out
    "connection refused",
    "connection was closed",
    "connection is closed",
    "the database system is",  # PostgreSQL starting up or shutting down
    "terminating connection",
    "server closed the connection",
)


class DatabaseBusy(Exception):
    """A write waited for its turn as long as SQLite's busy timeout allows, and gave up."""


# The classes an outage surfaces as (driver errors come wrapped in DBAPIError), for code
# that must catch outages by class before telling them from bugs with is_unavailable.
OUTAGE_CLASSES: tuple[type[Exception], ...] = (DBAPIError, PoolTimeout, DatabaseBusy, OSError)


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
