"""Row locks whose wait is bounded, so that a transaction holding a lock for long
cannot stall every worker (and the health check) behind it.

On PostgreSQL the wait is bounded by `lock_timeout`, set for the rest of the
transaction; on SQLite, where a writer locks the whole database, by the connection's
busy timeout (settings: DATABASES OPTIONS "timeout").
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

from .errors import TryAgainLater

# PostgreSQL's lock_not_available, raised when lock_timeout runs out.
LOCK_NOT_AVAILABLE = "55P03"


def lock_wait_exceeded(error: OperationalError) -> bool:
    """Whether `error` says a lock was not granted in time (and nothing else went wrong)."""
    if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    return connection.vendor == "sqlite" and "locked" in str(error)


def bound_lock_waits() -> None:
    """In the current transaction, wait at most MEETING_LOCK_TIMEOUT_SECONDS for any lock."""
    if connection.vendor != "postgresql":
        return
    milliseconds = max(1, round(settings.MEETING_LOCK_TIMEOUT_SECONDS * 1000))
    with connection.cursor() as cursor:
        # set_config(..., true) is SET LOCAL: it ends with the transaction, so a pooled
        # connection does not carry it into the next request.
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])


@contextmanager
def busy_when_locked_out(busy: type[TryAgainLater] = TryAgainLater):
    """Turn a lock wait that runs out in the block into `busy`, a TryAgainLater."""
    try:
        yield
    except OperationalError as error:
        if lock_wait_exceeded(error):
            raise busy() from error
        raise


def lock_row(queryset, pk, *, busy: type[TryAgainLater] = TryAgainLater):
    """Lock the row `pk` of `queryset` for the rest of the current transaction; return it.

    Every later lock wait of the transaction is bounded too (bound_lock_waits). Raises
    `busy` when the lock is not granted in time; the transaction must then be rolled back.
    """
    with busy_when_locked_out(busy):
        bound_lock_waits()
        return queryset.select_for_update().get(pk=pk)


@contextmanager
def row_locked(queryset, pk, *, busy: type[TryAgainLater] = TryAgainLater):
    """Open a transaction, lock the row `pk` of `queryset` in it and yield the row.

    A lock wait in the block that runs out (or, on SQLite, the wait for the database's
    write lock as the transaction begins) rolls the block back and raises `busy`.
    """
    with busy_when_locked_out(busy), transaction.atomic():
        yield lock_row(queryset, pk, busy=busy)
