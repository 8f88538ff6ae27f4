"""Passport data encrypted at rest: never in clear in the database, loud on wrong keys,
rotated by a command."""

import datetime
import io

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection

from convene.core import encryption
from convene.onsite.models import PassportDetails
from tests.conftest import PASSPORT_OTHER_KEY, PASSPORT_TEST_KEY
from tests.factories.meetings import MeetingFactory
from tests.factories.onsite import PassportDetailsFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

NEW_KEY = "2vnhQRYCc0zoCNtgf30hc_NigQ8MXQtpVQsBEuLaw9g="
COLUMNS = ("date_of_birth", "nationality", "passport_number", "issue_date", "expiry_date")


@pytest.fixture
def passport(reference_data):
    meeting = MeetingFactory(dialogue=reference_data)
    return PassportDetailsFactory(
        registration=RegistrationFactory(meeting=meeting),
        date_of_birth=datetime.date(1985, 3, 14),
        nationality="Senegalese",
        passport_number="A01234567",
        issue_date=datetime.date(2022, 6, 1),
        expiry_date=datetime.date(2032, 5, 31),
    )


def _raw_row(pk) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(COLUMNS)} FROM onsite_passportdetails WHERE id = %s",  # noqa: S608
            [pk],
        )
        return dict(zip(COLUMNS, cursor.fetchone(), strict=True))


def test_passport_columns_hold_only_tokens_when_saved(passport):
    row = _raw_row(passport.pk)

    assert all(value.startswith(encryption.TOKEN_PREFIX) for value in row.values())
    assert "A01234567" not in row["passport_number"]
    assert "Senegalese" not in row["nationality"]
    assert "1985" not in row["date_of_birth"]


def test_passport_fields_read_back_as_str_and_date(passport):
    stored = PassportDetails.objects.get(pk=passport.pk)

    assert (
        stored.date_of_birth,
        stored.nationality,
        stored.passport_number,
        stored.issue_date,
        stored.expiry_date,
    ) == (
        datetime.date(1985, 3, 14),
        "Senegalese",
        "A01234567",
        datetime.date(2022, 6, 1),
        datetime.date(2032, 5, 31),
    )


def test_passport_tokens_differ_when_the_same_value_is_saved_twice(passport, reference_data):
    other = PassportDetailsFactory(
        registration=RegistrationFactory(meeting=passport.registration.meeting),
        passport_number="A01234567",
    )

    assert _raw_row(passport.pk)["passport_number"] != _raw_row(other.pk)["passport_number"]


def test_encrypted_field_refuses_lookups_but_isnull(passport):
    with pytest.raises(FieldError):
        list(PassportDetails.objects.filter(passport_number="A01234567"))

    assert list(PassportDetails.objects.filter(passport_number__isnull=False)) == [passport]


def test_read_with_a_wrong_key_raises_and_never_reads_empty(passport, settings):
    settings.PASSPORT_DATA_KEYS = [PASSPORT_OTHER_KEY]

    with pytest.raises(encryption.UndecryptableValue, match="cannot be decrypted"):
        PassportDetails.objects.get(pk=passport.pk)


def test_start_with_a_wrong_key_fails_loudly(passport, settings):
    settings.PASSPORT_DATA_KEYS = [PASSPORT_OTHER_KEY]

    with pytest.raises(ImproperlyConfigured, match="does not decrypt the stored rows"):
        encryption.verify_encrypted_data()
    with pytest.raises(SystemCheckError, match=r"convene\.E101"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(ImproperlyConfigured, match="does not decrypt the stored rows"):
        call_command("run_task_worker", run_for=0.01, stdout=io.StringIO())


def test_start_with_the_right_key_passes(passport):
    encryption.verify_encrypted_data()

    assert encryption.stored_data_problems() == []


def test_start_with_a_clear_value_stored_fails(passport):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE onsite_passportdetails SET passport_number = %s WHERE id = %s",
            ["A01234567", passport.pk],
        )

    assert encryption.stored_data_problems() == [
        "onsite.PassportDetails: the latest row holds a value that is not encrypted."
    ]


def test_configured_keys_refuse_a_malformed_key(settings):
    settings.PASSPORT_DATA_KEYS = [PASSPORT_TEST_KEY, "not-a-key"]

    with pytest.raises(ImproperlyConfigured, match="key number 2 is not a Fernet key"):
        encryption.configured_keys()


def test_start_without_keys_in_production_fails(settings, monkeypatch):
    settings.PASSPORT_DATA_KEYS = []
    monkeypatch.setattr(encryption, "is_production", lambda: True)

    with pytest.raises(ImproperlyConfigured, match="PASSPORT_DATA_KEYS is not set"):
        encryption.verify_encrypted_data()
    assert [error.id for error in encryption.check_keys_configured()] == ["convene.E102"]


def test_start_without_keys_in_development_passes(settings, monkeypatch):
    settings.PASSPORT_DATA_KEYS = []
    monkeypatch.setattr(encryption, "is_production", lambda: False)

    encryption.verify_encrypted_data()

    assert encryption.check_keys_configured() == []


def test_write_without_keys_raises(settings, reference_data):
    settings.PASSPORT_DATA_KEYS = []
    registration = RegistrationFactory(meeting=MeetingFactory(dialogue=reference_data))

    with pytest.raises(ImproperlyConfigured, match="PASSPORT_DATA_KEYS is not set"):
        PassportDetailsFactory(registration=registration)


def test_rotation_re_encrypts_every_row_with_the_first_key(passport, settings):
    second = PassportDetailsFactory(
        registration=RegistrationFactory(meeting=passport.registration.meeting),
        passport_number="B7654321",
    )
    before = {pk: _raw_row(pk) for pk in (passport.pk, second.pk)}
    settings.PASSPORT_DATA_KEYS = [NEW_KEY, PASSPORT_TEST_KEY]
    out = io.StringIO()

    call_command("rotate_passport_keys", stdout=out)

    assert out.getvalue() == (
        "onsite.PassportDetails: 2 row(s) re-encrypted with the first key, 0 already under it.\n"
    )
    after = {pk: _raw_row(pk) for pk in (passport.pk, second.pk)}
    for pk in (passport.pk, second.pk):
        assert all(after[pk][column] != before[pk][column] for column in COLUMNS)
    settings.PASSPORT_DATA_KEYS = [NEW_KEY]
    assert sorted(PassportDetails.objects.values_list("passport_number", flat=True)) == [
        "A01234567",
        "B7654321",
    ]
    assert PassportDetails.objects.get(pk=passport.pk).expiry_date == datetime.date(2032, 5, 31)


def test_rotation_run_twice_re_encrypts_nothing_the_second_time(passport, settings):
    settings.PASSPORT_DATA_KEYS = [NEW_KEY, PASSPORT_TEST_KEY]
    call_command("rotate_passport_keys", stdout=io.StringIO())
    rotated = _raw_row(passport.pk)
    out = io.StringIO()

    call_command("rotate_passport_keys", stdout=out)

    assert out.getvalue() == (
        "onsite.PassportDetails: 0 row(s) re-encrypted with the first key, 1 already under it.\n"
    )
    assert _raw_row(passport.pk) == rotated


def test_rotation_without_the_old_key_fails_and_rewrites_nothing(passport, settings):
    before = _raw_row(passport.pk)
    settings.PASSPORT_DATA_KEYS = [NEW_KEY]

    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("rotate_passport_keys", stdout=io.StringIO())

    assert _raw_row(passport.pk) == before
