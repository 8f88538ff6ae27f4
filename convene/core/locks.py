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
def row_locked(queryset, pk, *, busy: type[TryAgainLater] = TryAgainLater):
    """Open a transaction, lock the row `pk` of `queryset` in it and yield the row.

    Every lock wait in the block is bounded (bound_lock_waits); one that runs out rolls
    the block back and raises `busy`, a TryAgainLater, instead of a database error.
    """
    try:
        with transaction.atomic():
            bound_lock_waits()
            yield queryset.select_for_update().get(pk=pk)
    except OperationalError as error:
        if lock_wait_exceeded(error):
            raise busy() from error
        raise
