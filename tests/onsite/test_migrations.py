"""Passport data entered before its columns were encrypted is encrypted in place by the
migration, and decrypted back if the migration is reversed."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from convene.core.encryption import TOKEN_PREFIX
from convene.onsite.models import PassportDetails
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory

BEFORE_ENCRYPTION = [("onsite", "0004_funding_decisions_and_emails")]
COLUMNS = ("date_of_birth", "nationality", "passport_number", "issue_date", "expiry_date")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _raw_rows():
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(COLUMNS)} FROM onsite_passportdetails ORDER BY id"  # noqa: S608
        )
        return [[str(value) for value in row] for row in cursor.fetchall()]


@pytest.fixture
def before_encryption(transactional_db):
    """The onsite tables as 0003 left them; migrated to the latest state afterwards,
    whatever the test did, so that the next test finds the current schema."""
    _migrate(BEFORE_ENCRYPTION)
    yield
    _migrate(_latest())


def test_migration_encrypts_the_rows_in_clear_and_its_reverse_decrypts_them(
    reference_data, before_encryption
):
    registration = RegistrationFactory(meeting=MeetingFactory(dialogue=reference_data))
    names = ", ".join(("created_at", "updated_at", "registration_id", *COLUMNS))
    insert = f"INSERT INTO onsite_passportdetails ({names}) VALUES ({', '.join(['%s'] * 8)})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            insert,
            [
                datetime.datetime(2031, 6, 1, tzinfo=datetime.UTC),
                datetime.datetime(2031, 6, 1, tzinfo=datetime.UTC),
                registration.pk,
                datetime.date(1985, 3, 14),
                "Senegalese",
                "A01234567",
                datetime.date(2024, 6, 1),
                datetime.date(2034, 5, 31),
            ],
        )

    _migrate(_latest())

    (row,) = _raw_rows()
    assert all(value.startswith(TOKEN_PREFIX) for value in row)
    stored = PassportDetails.objects.get(registration=registration)
    assert [getattr(stored, column) for column in COLUMNS] == [
        datetime.date(1985, 3, 14),
        "Senegalese",
        "A01234567",
        datetime.date(2024, 6, 1),
        datetime.date(2034, 5, 31),
    ]

    _migrate(BEFORE_ENCRYPTION)

    assert _raw_rows() == [["1985-03-14", "Senegalese", "A01234567", "2024-06-01", "2034-05-31"]]
