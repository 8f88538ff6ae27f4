"""A key rotation and a delegate's correction at the same moment on PostgreSQL: the
correction is kept. The control test removes the rotation's row locks, and then the
rotation writes back the value it read, losing the correction."""

import datetime
import threading
import time

import pytest
from django.db import connection

from convene.core import encryption
from convene.onsite import services
from convene.onsite.models import PassportDetails
from convene.registrations.enums import RegistrationStatus
from tests.conftest import PASSPORT_TEST_KEY
from tests.factories.meetings import MeetingFactory
from tests.factories.onsite import PassportDetailsFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NEW_KEY = "2vnhQRYCc0zoCNtgf30hc_NigQ8MXQtpVQsBEuLaw9g="


@pytest.fixture
def delegate(reference_data):
    meeting = MeetingFactory(
        dialogue=reference_data,
        offers_visa_letters=True,
        starts_on=datetime.date(2031, 9, 1),
        ends_on=datetime.date(2031, 9, 2),
    )
    registration = RegistrationFactory(
        meeting=meeting, status=RegistrationStatus.APPROVED, needs_visa_letter=True
    )
    PassportDetailsFactory(registration=registration, passport_number="OLD12345")
    return registration


@pytest.fixture
def slow_rotation(monkeypatch, settings):
    """Keys "new,old", and a rotation that takes its time between reading and writing."""
    settings.PASSPORT_DATA_KEYS = [NEW_KEY, PASSPORT_TEST_KEY]
    rotate = encryption.rotate_token
    read = threading.Event()

    def rotate_slowly(token):
        read.set()
        time.sleep(0.5)
        return rotate(token)

    monkeypatch.setattr(encryption, "rotate_token", rotate_slowly)
    return read


def _rotate_while_correcting(registration, read) -> None:
    def rotate():
        try:
            encryption.rotate_stored_data()
        finally:
            connection.close()

    rotation = threading.Thread(target=rotate)
    rotation.start()
    try:
        assert read.wait(timeout=30)
        data = {
            "date_of_birth": datetime.date(1985, 3, 14),
            "nationality": "Senegalese",
            "passport_number": "NEW98765",
            "issue_date": datetime.date(2024, 6, 1),
            "expiry_date": datetime.date(2034, 5, 31),
        }
        services.save_passport_details(registration, data=data, actor=None)
    finally:
        rotation.join(timeout=30)


def test_a_correction_during_a_rotation_is_kept(delegate, slow_rotation):
    _rotate_while_correcting(delegate, slow_rotation)

    assert PassportDetails.objects.get(registration=delegate).passport_number == "NEW98765"


def test_without_the_rotations_lock_the_correction_is_lost(delegate, slow_rotation, monkeypatch):
    monkeypatch.setattr(encryption, "_row_lock_clause", lambda connection: "")

    _rotate_while_correcting(delegate, slow_rotation)

    assert PassportDetails.objects.get(registration=delegate).passport_number == "OLD12345"
