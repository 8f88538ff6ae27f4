"""Walk-ins keep the quotas under concurrency on PostgreSQL: two people of a delegation
with one place left, registered at two desks at the same moment, make one approved
registration checked in, and one refusal that leaves nothing behind. The control test
reads the meeting without its lock and then both are approved, which shows the first
would catch a missing lock."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from convene.meetings.models import Meeting
from convene.onsite.errors import WalkInError
from convene.onsite.forms import WalkInForm
from convene.onsite.models import Attendance
from convene.onsite.services import register_walk_in
from convene.registrations import services as registration_services
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("on_the_day"),
]


def _data(meeting, partner, email):
    form = WalkInForm(
        {
            "category": "partner_country",
            "delegation": str(partner.pk),
            "first_name": "Moussa",
            "last_name": "Sow",
            "email": email,
            "phone": "+221 77 765 43 21",
            "institution": "Ministry of the Interior",
            "function": "Border police officer",
            "level_of_government": "national",
            "role": "member",
            "language": "fr",
            "participation": "in_person",
            "days": ["2031-09-01"],
        },
        meeting=meeting,
    )
    assert form.is_valid(), form.errors
    return form.registration_data()


@pytest.fixture
def slow_count(monkeypatch):
    """Widen the window between counting the delegation's places and taking one."""
    count = registration_services.place_problem

    def count_slowly(meeting, registration):
        found = count(meeting, registration)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(registration_services, "place_problem", count_slowly)


def _two_walk_ins_at_once(meeting, senegal, actor) -> list[str]:
    meeting.delegation_size = 1
    meeting.save(update_fields=["delegation_size"])
    people = [
        _data(meeting, senegal, "moussa.sow@example.org"),
        _data(meeting, senegal, "fatou.ba@example.org"),
    ]
    barrier = threading.Barrier(len(people))

    def walk_in(data):
        try:
            barrier.wait(timeout=30)
            register_walk_in(meeting, actor=actor, data=data)
            return "approved"
        except WalkInError as error:
            return error.code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return sorted(pool.map(walk_in, people))


def test_two_walk_ins_for_the_last_place_make_one_registration(
    meeting, senegal, secretariat_officer, slow_count
):
    results = _two_walk_ins_at_once(meeting, senegal, secretariat_officer)

    assert results == ["approved", "quota"]
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.APPROVED
    assert list(Attendance.objects.values_list("registration_id", flat=True)) == [registration.pk]


def test_control_without_the_meetings_lock_both_are_approved(
    meeting, senegal, secretariat_officer, slow_count, monkeypatch
):
    # The lock read without FOR UPDATE: each counts before the other's insert commits.
    monkeypatch.setattr(
        registration_services,
        "lock_meeting",
        lambda meeting: Meeting.objects.only(*registration_services.PLACE_RULES).get(pk=meeting.pk),
    )

    results = _two_walk_ins_at_once(meeting, senegal, secretariat_officer)

    assert results == ["approved", "approved"]
    assert Registration.objects.filter(status=RegistrationStatus.APPROVED).count() == 2
