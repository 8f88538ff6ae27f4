"""Check-in at one door from several devices at once, on PostgreSQL.

Each race runs its calls from threads released together by a barrier, each with its
own database connection, as two app processes would. Each new attendance is held
uncommitted for a moment, so that the other call's insert meets it and must wait for
its transaction to end. The control test drops the unique constraint on (registration,
day) inside the test database: the same race then makes two attendances, which shows
that the constraint is what keeps one.
"""

import datetime
import time
import uuid

import pytest
from django.db import connection
from django.db.models.signals import post_save

from convene.onsite.checkin import answer_payload
from convene.onsite.models import Attendance, CheckinScan
from convene.onsite.services import record_checkin
from convene.onsite.tokens import make_confirmation_token
from tests.factories.core import CheckinRoleFactory
from tests.factories.onsite import CheckinDeviceFactory
from tests.locking import race

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("on_the_day"),
]

CONSTRAINT = "onsite_one_attendance_per_person_and_day"


@pytest.fixture
def slow_attendance_commit():
    """Hold each new attendance uncommitted for a moment after its insert, so that the
    other call's insert meets it uncommitted and must wait for the first to end."""

    def hold(sender, **kwargs):
        time.sleep(0.3)

    post_save.connect(hold, sender=Attendance, dispatch_uid="slow_attendance_commit")
    yield
    post_save.disconnect(sender=Attendance, dispatch_uid="slow_attendance_commit")


@pytest.fixture
def devices(meeting):
    staff = CheckinRoleFactory(meeting=meeting).user
    return [
        CheckinDeviceFactory(meeting=meeting, name=name, user=staff)
        for name in ("Desk 1", "Desk 2")
    ]


@pytest.fixture
def without_the_constraint():
    """The unique constraint (an index: it is declared with expressions) dropped for
    the test, put back afterwards (the test's rows
    are flushed first, so that putting it back cannot fail on them)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {CONSTRAINT}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM onsite_attendance")
        cursor.execute(
            f"CREATE UNIQUE INDEX {CONSTRAINT} ON onsite_attendance (registration_id, day)"
        )


def _at_nine_twelve(meeting) -> datetime.datetime:
    return datetime.datetime.combine(meeting.starts_on, datetime.time(9, 12), tzinfo=meeting.tzinfo)


def _scan(device, registration, *, client_id=None):
    meeting = device.meeting
    code = make_confirmation_token(registration)

    def call():
        answer = record_checkin(
            device,
            client_id=client_id or uuid.uuid4(),
            scanned_at=_at_nine_twelve(meeting),
            code=code,
        )
        return answer_payload(answer)

    return call


def test_two_devices_checking_in_one_person_at_the_same_second_make_one_attendance(
    devices, make_registration, slow_attendance_commit
):
    registration = make_registration()

    answers = race([_scan(device, registration) for device in devices])

    assert sorted(answer["outcome"] for answer in answers) == ["already_in", "welcome"]
    attendance = Attendance.objects.get()
    assert (attendance.registration_id, attendance.day) == (
        registration.pk,
        registration.meeting.starts_on,
    )
    assert attendance.checked_in_at == _at_nine_twelve(registration.meeting)
    welcomed_by = devices[[a["outcome"] for a in answers].index("welcome")]
    assert attendance.device_id == welcomed_by.pk
    assert sorted(CheckinScan.objects.values_list("outcome", flat=True)) == [
        "already_in",
        "welcome",
    ]


def test_one_scan_sent_twice_at_once_is_recorded_once_and_answered_alike(
    devices, make_registration, slow_attendance_commit
):
    registration = make_registration()
    client_id = uuid.uuid4()
    scan = _scan(devices[0], registration, client_id=client_id)

    answers = race([scan, scan])

    # The one that waited on the other's rows reads its answer back: the same answer,
    # marked as a replay.
    assert sorted(answer["replayed"] for answer in answers) == [False, True]
    first, second = ({**answer, "replayed": None} for answer in answers)
    assert first == second
    assert first["outcome"] == "welcome"
    assert CheckinScan.objects.get().client_id == client_id
    assert Attendance.objects.count() == 1


def test_control_without_the_unique_constraint_the_race_makes_two_attendances(
    devices, make_registration, slow_attendance_commit, without_the_constraint
):
    registration = make_registration()

    answers = race([_scan(device, registration) for device in devices])

    assert [answer["outcome"] for answer in answers] == ["welcome", "welcome"]
    assert Attendance.objects.filter(registration=registration).count() == 2
