"""Bounded lock waits: a lock not granted in time becomes TryAgainLater, nothing is saved."""

import pytest
from django.db import OperationalError, connection, transaction
from psycopg.errors import LockNotAvailable, QueryCanceled

from convene.core import locks
from convene.core.errors import TryAgainLater
from convene.core.models import User
from convene.registrations.errors import BusyError, RegistrationError
from tests.factories.core import UserFactory

pytestmark = pytest.mark.django_db


def _operational_error(cause: Exception) -> OperationalError:
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as error:
        return error


def test_lock_wait_exceeded_for_postgresql_lock_not_available():
    assert locks.lock_wait_exceeded(_operational_error(LockNotAvailable("lock timeout")))


def test_lock_wait_exceeded_not_for_a_statement_cancelled_otherwise():
    assert not locks.lock_wait_exceeded(_operational_error(QueryCanceled("statement timeout")))


def test_lock_wait_exceeded_for_sqlite_busy_database_only_on_sqlite():
    locked = OperationalError("database is locked")

    assert locks.lock_wait_exceeded(locked) == (connection.vendor == "sqlite")


def test_row_locked_yields_the_row():
    user = UserFactory(email="kept@example.org")

    with locks.row_locked(User.objects.all(), user.pk) as locked:
        email = locked.email

    assert email == "kept@example.org"


def test_row_locked_turns_a_lock_timeout_into_the_busy_error_and_saves_nothing(monkeypatch):
    user = UserFactory(full_name="Before")

    with (
        pytest.raises(BusyError) as raised,
        locks.row_locked(User.objects.all(), user.pk, busy=BusyError) as locked,
    ):
        User.objects.filter(pk=locked.pk).update(full_name="After")
        raise _operational_error(LockNotAvailable("canceling statement due to lock timeout"))

    assert (raised.value.code, raised.value.message) == (
        "busy",
        "Convene is very busy; try again in a moment.",
    )
    assert isinstance(raised.value, RegistrationError)
    assert isinstance(raised.value, TryAgainLater)
    assert User.objects.get(pk=user.pk).full_name == "Before"


def test_row_locked_lets_other_database_errors_through():
    user = UserFactory()
    error = _operational_error(QueryCanceled("canceling statement due to statement timeout"))

    with pytest.raises(OperationalError) as raised, locks.row_locked(User.objects.all(), user.pk):
        raise error

    assert raised.value is error


def test_lock_row_in_a_transaction_raises_busy_when_the_wait_runs_out(monkeypatch):
    user = UserFactory()

    def lock_timeout():
        raise _operational_error(LockNotAvailable("canceling statement due to lock timeout"))

    monkeypatch.setattr(locks, "bound_lock_waits", lock_timeout)

    with pytest.raises(TryAgainLater) as raised, transaction.atomic():
        locks.lock_row(User.objects.all(), user.pk)

    assert raised.value.message == "Convene is very busy; try again in a moment."
