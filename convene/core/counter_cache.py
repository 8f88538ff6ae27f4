"""A cache backend for counters shared by every app process, kept in the database.

Rate limits must count a client once across all gunicorn workers and app servers. The
per-process memory cache counts per worker (three workers let three times the limit
through), and Django's DatabaseCache reads then writes on `incr`, so two workers
incrementing at once both write the same number. Here `add` is one INSERT that the
primary key refuses when the counter exists, and `incr` is one `UPDATE … SET value =
value + n`, which the database applies atomically: on PostgreSQL the row lock
serialises concurrent increments, on SQLite the write lock does.

Only whole numbers are stored; the rate limits need nothing else. With REDIS_URL set,
Redis plays this role instead (config/settings.py).
"""

import datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connections, router, transaction
from django.db.models import F, Q
from django.utils import timezone


def _counters():
    # Imported late: cache backends can be built before the app registry is ready.
    from convene.core.models import CacheCounter

    return CacheCounter


class CounterDatabaseCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)

    def _db(self) -> str:
        return router.db_for_write(_counters())

    def _expires_at(self, timeout) -> datetime.datetime | None:
        seconds = self.get_backend_timeout(timeout)
        if seconds is None:
            return None
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)

    def _live(self, key: str):
        now = timezone.now()
        return (
            _counters()
            .objects.using(self._db())
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), key=key)
        )

    @staticmethod
    def _whole_number(value) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError("The counter cache stores whole numbers only.")
        return value

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        value = self._whole_number(value)
        counters = _counters()
        db = self._db()
        connection = connections[db]
        table = connection.ops.quote_name(counters._meta.db_table)
        expires_at = connection.ops.adapt_datetimefield_value(self._expires_at(timeout))
        with transaction.atomic(using=db):
            # Expired counters go first: this key's, so that it can start again, and
            # every other, so that the table holds only live windows.
            counters.objects.using(db).filter(expires_at__lte=timezone.now()).delete()
            # The rate limits call `add` on every request, and mostly find the counter
            # there: ON CONFLICT refuses it without an error (no failed statement in the
            # server's log, no savepoint), on PostgreSQL and SQLite alike.
            key_column, value_column, expiry_column = (
                connection.ops.quote_name(name) for name in ("key", "value", "expires_at")
            )
            # Only quoted names of the model's own table are formatted in; values are
            # parameters.
            insert = (
                f"INSERT INTO {table} ({key_column}, {value_column}, {expiry_column}) "  # noqa: S608
                f"VALUES (%s, %s, %s) ON CONFLICT ({key_column}) DO NOTHING"
            )
            with connection.cursor() as cursor:
                cursor.execute(insert, [key, value, expires_at])
                return cursor.rowcount == 1

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        value = self._live(key).values_list("value", flat=True).first()
        return default if value is None else value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> None:
        key = self.make_and_validate_key(key, version=version)
        value = self._whole_number(value)
        _counters().objects.using(self._db()).update_or_create(
            key=key, defaults={"value": value, "expires_at": self._expires_at(timeout)}
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return bool(self._live(key).update(expires_at=self._expires_at(timeout)))

    def incr(self, key, delta=1, version=None) -> int:
        """Add `delta` in one UPDATE and return the new value; ValueError if absent."""
        key = self.make_and_validate_key(key, version=version)
        db = self._db()
        with transaction.atomic(using=db):
            if not self._live(key).update(value=F("value") + delta):
                raise ValueError(f"Key '{key}' not found")
            # The UPDATE holds the row until commit: no other increment lands in between.
            return _counters().objects.using(db).values_list("value", flat=True).get(key=key)

    def delete(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        deleted, _ = _counters().objects.using(self._db()).filter(key=key).delete()
        return bool(deleted)

    def has_key(self, key, version=None) -> bool:
        key = self.make_and_validate_key(key, version=version)
        return self._live(key).exists()

    def clear(self) -> None:
        _counters().objects.using(self._db()).all().delete()
