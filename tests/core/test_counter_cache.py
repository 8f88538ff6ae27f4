"""The shared counter cache: rate-limit counts that every app process reads and raises."""

import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import caches
from django.db import connection

from convene.core.counter_cache import CounterDatabaseCache
from convene.core.models import CacheCounter


@pytest.fixture
def counters():
    return CounterDatabaseCache(None, {})


@pytest.mark.django_db
def test_ratelimit_cache_is_the_counter_table_without_redis():
    assert isinstance(caches["ratelimit"], CounterDatabaseCache)


@pytest.mark.django_db
def test_add_refuses_a_counter_that_exists(counters):
    first = counters.add("client", 1, 60)
    second = counters.add("client", 5, 60)

    assert (first, second) == (True, False)
    assert counters.get("client") == 1


@pytest.mark.django_db
def test_incr_adds_to_the_stored_value(counters):
    counters.add("client", 1, 60)

    values = [counters.incr("client"), counters.incr("client", 3)]

    assert values == [2, 5]
    assert counters.get("client") == 5


@pytest.mark.django_db
def test_incr_of_a_missing_counter_raises_value_error(counters):
    with pytest.raises(ValueError):
        counters.incr("nobody")


@pytest.mark.django_db
def test_expired_counter_reads_as_absent_and_starts_again(counters):
    counters.add("client", 7, 60)
    CacheCounter.objects.update(expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))

    absent = counters.get("client", "absent")
    with pytest.raises(ValueError):
        counters.incr("client")
    added = counters.add("client", 1, 60)

    assert (absent, added, counters.get("client")) == ("absent", True, 1)
    assert CacheCounter.objects.count() == 1


@pytest.mark.django_db
def test_add_removes_every_expired_counter(counters):
    counters.add("old-a", 1, 60)
    counters.add("old-b", 1, 60)
    CacheCounter.objects.update(expires_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))

    counters.add("new", 1, 60)

    assert list(CacheCounter.objects.values_list("value", flat=True)) == [1]
    assert counters.has_key("new") is True


@pytest.mark.django_db
def test_counter_without_timeout_never_expires(counters):
    counters.set("forever", 3, None)

    assert CacheCounter.objects.get().expires_at is None
    assert counters.get("forever") == 3


@pytest.mark.django_db
def test_counter_cache_refuses_what_is_not_a_whole_number(counters):
    with pytest.raises(TypeError):
        counters.set("page", "<html>")


@pytest.mark.django_db
def test_clear_and_delete_remove_counters(counters):
    counters.add("a", 1, 60)
    counters.add("b", 1, 60)

    deleted = counters.delete("a")
    counters.clear()

    assert deleted is True
    assert CacheCounter.objects.count() == 0


# --- concurrency, on PostgreSQL ------------------------------------------------------------

THREADS = 8
INCREMENTS = 25


def _increment_from_threads(increment) -> None:
    """Run `increment` INCREMENTS times in each of THREADS threads released together."""
    barrier = threading.Barrier(THREADS)

    def work():
        try:
            barrier.wait(timeout=30)
            for _ in range(INCREMENTS):
                increment()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for future in [pool.submit(work) for _ in range(THREADS)]:
            future.result()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_incr_from_many_threads_loses_no_count(counters):
    counters.add("client", 0, 600)

    _increment_from_threads(lambda: counters.incr("client"))

    assert counters.get("client") == THREADS * INCREMENTS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_read_then_write_from_many_threads_loses_counts(counters):
    """Control: the read-then-write increment of Django's DatabaseCache loses counts, so
    the test above would catch an `incr` that is not one UPDATE."""
    counters.add("client", 0, 600)

    def naive_increment():
        value = counters.get("client")
        time.sleep(0.001)  # another thread reads the same value meanwhile
        counters.set("client", value + 1, 600)

    _increment_from_threads(naive_increment)

    assert counters.get("client") < THREADS * INCREMENTS
