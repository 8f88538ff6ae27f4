"""record_checkin and the device services: every answer, idempotency, the earliest scan."""

import datetime
import uuid

import pytest

from convene.onsite.enums import CheckinOutcome
from convene.onsite.errors import CheckinError
from convene.onsite.models import Attendance, CheckinDevice, CheckinScan
from convene.onsite.services import issue_checkin_api_token, record_checkin, revoke_checkin_device
from convene.onsite.tokens import make_confirmation_token
from convene.registrations.enums import RegistrationStatus
from tests.factories.core import CheckinRoleFactory, SecretariatRoleFactory
from tests.factories.onsite import CheckinDeviceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_the_day")]


def at_venue(meeting, day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=meeting.tzinfo)


@pytest.fixture
def device(meeting):
    staff = CheckinRoleFactory(meeting=meeting).user
    return CheckinDeviceFactory(meeting=meeting, name="Desk 1", user=staff)


def scan(device, registration=None, *, code=None, hour=9, minute=12, client_id=None, **kw):
    meeting = device.meeting
    return record_checkin(
        device,
        client_id=client_id or uuid.uuid4(),
        scanned_at=at_venue(meeting, meeting.starts_on, hour, minute),
        code=code if code is not None else make_confirmation_token(registration),
        **kw,
    )


def test_record_checkin_welcomes_an_approved_delegate_once(device, make_registration):
    registration = make_registration()

    answer = scan(device, registration)

    assert answer.outcome == CheckinOutcome.WELCOME
    attendance = Attendance.objects.get()
    assert (attendance.registration, attendance.day, attendance.device) == (
        registration,
        device.meeting.starts_on,
        device,
    )
    assert attendance.checked_in_at == at_venue(device.meeting, device.meeting.starts_on, 9, 12)


def test_record_checkin_again_answers_already_in(device, make_registration):
    registration = make_registration()
    scan(device, registration)

    answer = scan(device, registration, hour=10)

    assert answer.outcome == CheckinOutcome.ALREADY_IN
    assert Attendance.objects.count() == 1


def test_record_checkin_replayed_changes_nothing(device, make_registration):
    registration = make_registration()
    client_id = uuid.uuid4()
    first = scan(device, registration, client_id=client_id)

    again = scan(device, registration, client_id=client_id, hour=11)

    assert (again.outcome, again.replayed, again.scan.pk) == (
        CheckinOutcome.WELCOME,
        True,
        first.scan.pk,
    )
    assert (Attendance.objects.count(), CheckinScan.objects.count()) == (1, 1)


def test_record_checkin_keeps_the_earliest_scan(device, meeting, make_registration):
    registration = make_registration()
    other = CheckinDeviceFactory(meeting=meeting, name="Desk 2")
    scan(device, registration, hour=10)

    answer = scan(other, registration, hour=9, minute=5)

    attendance = Attendance.objects.get()
    assert answer.outcome == CheckinOutcome.ALREADY_IN
    assert (attendance.checked_in_at, attendance.device) == (
        at_venue(meeting, meeting.starts_on, 9, 5),
        other,
    )


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (RegistrationStatus.CANCELLED, CheckinOutcome.CANCELLED),
        (RegistrationStatus.REJECTED, CheckinOutcome.REJECTED),
        (RegistrationStatus.AWAITING_SECRETARIAT, CheckinOutcome.NOT_APPROVED),
    ],
)
def test_record_checkin_refuses_a_registration_not_approved(
    device, make_registration, status, outcome
):
    registration = make_registration(status=status)

    answer = scan(device, registration)

    assert answer.outcome == outcome
    assert Attendance.objects.count() == 0


def test_record_checkin_refuses_another_meetings_code(device, other_meeting, make_registration):
    registration = make_registration(meeting=other_meeting)

    assert scan(device, registration).outcome == CheckinOutcome.OTHER_MEETING


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("https://example.org/", CheckinOutcome.GARBAGE),
        ("", CheckinOutcome.GARBAGE),
        ("1.AWA2031X.1:forgedsignature", CheckinOutcome.TAMPERED),
    ],
)
def test_record_checkin_refuses_codes_not_convene_s(device, code, outcome):
    assert scan(device, code=code).outcome == outcome


def test_record_checkin_refuses_a_day_outside_the_meeting(device, make_registration):
    registration = make_registration()
    meeting = device.meeting

    answer = record_checkin(
        device,
        client_id=uuid.uuid4(),
        scanned_at=at_venue(meeting, meeting.starts_on - datetime.timedelta(days=1), 9),
        code=make_confirmation_token(registration),
    )

    assert answer.outcome == CheckinOutcome.NOT_TODAY


def test_record_checkin_by_reference(device, make_registration):
    registration = make_registration()

    answer = scan(device, code="", reference=registration.reference.lower())

    assert (answer.outcome, answer.registration) == (CheckinOutcome.WELCOME, registration)


def test_record_checkin_refused_on_a_revoked_device(device, make_registration):
    registration = make_registration()
    revoke_checkin_device(device, actor=SecretariatRoleFactory().user)

    with pytest.raises(CheckinError) as refused:
        scan(device, registration)

    assert refused.value.code == "revoked"


def test_record_checkin_takes_a_clock_ahead_as_now(device, make_registration, on_the_day):
    registration = make_registration()
    future = on_the_day + datetime.timedelta(hours=2)

    answer = record_checkin(
        device,
        client_id=uuid.uuid4(),
        scanned_at=future,
        code=make_confirmation_token(registration),
    )

    assert (answer.outcome, answer.scan.scanned_at) == (CheckinOutcome.WELCOME, on_the_day)


def test_issue_checkin_api_token_refuses_invisible_characters_as_a_checkin_error(meeting):
    officer = SecretariatRoleFactory().user

    with pytest.raises(CheckinError) as refused:
        issue_checkin_api_token(meeting, actor=officer, name="Scanner\u200b2")

    assert (refused.value.code, refused.value.field) == ("invalid", "name")
    assert CheckinDevice.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Unknown: no registration has this code or reference."),
        ("fr", "Inconnu : aucune inscription n\u2019a ce code ou cette référence."),
    ],
)
def test_an_unknown_reference_is_told_in_the_page_s_language(device, language, expected):
    from django.utils import translation

    from convene.onsite.checkin import checkin_message

    answer = scan(device, code="", reference="NOPE1234")

    with translation.override(language):
        assert (answer.outcome, checkin_message(answer)) == (CheckinOutcome.UNKNOWN, expected)
