"""A meeting's places changed while delegates register, on PostgreSQL.

Each test runs the calls from threads released together (one database connection per
thread). The capacity service counts the places held and writes the new limit under
the meeting's row lock, the lock registrations take to count places: the control test
removes it from the capacity service and the limit then ends below the places held.
A raised limit gives its places to the waiting list under that same lock: the control
test moves the promotion after the commit, and newcomers then overtake those waiting.
"""

import time
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.utils import timezone

from convene.meetings import services as meeting_services
from convene.meetings.enums import ApprovalMode, MeetingFormat
from convene.meetings.errors import MeetingError
from convene.meetings.models import Meeting
from convene.registrations import receivers as registration_receivers
from convene.registrations import services as registration_services
from convene.registrations.enums import PLACE_HOLDING, RegistrationStatus
from convene.registrations.models import Registration
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory, registration_data
from tests.locking import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

DELEGATIONS = ["SN", "FR", "ML", "NE", "BE", "ES"]


@pytest.fixture
def open_meeting(reference_data, settings):
    """First come, first served, 10 seats, two of them taken."""
    settings.REGISTRATION_RATE_LIMIT = "off"
    meeting = MeetingFactory(
        dialogue=reference_data,
        published=True,
        format=MeetingFormat.IN_PERSON,
        approval_mode=ApprovalMode.FIRST_COME,
        email_verification_required=False,
        in_person_capacity=10,
        registration_opens_at=timezone.now() - timezone.timedelta(days=1),
        registration_closes_at=timezone.now() + timezone.timedelta(days=10),
    )
    RegistrationFactory.create_batch(2, meeting=meeting, status=RegistrationStatus.APPROVED)
    return meeting


@pytest.fixture
def slow_capacity_check(monkeypatch):
    """The capacity service pauses between counting the places held and saving."""
    original = meeting_services.limits_below_places_held

    def slow(meeting, limits):
        refusals = original(meeting, limits)
        time.sleep(0.5)
        return refusals

    monkeypatch.setattr(meeting_services, "limits_below_places_held", slow)


def _lower_and_register(meeting, officer) -> list:
    partners = {partner.code: partner for partner in meeting.dialogue.partners.all()}
    registrations = [
        lambda code=code, index=index: registration_services.submit_registration(
            meeting,
            data=registration_data(meeting, partners[code], email=f"rush{index}@example.org"),
        )
        for index, code in enumerate(DELEGATIONS)
    ]
    lower = lambda: meeting_services.update_meeting_capacities(  # noqa: E731
        meeting, actor=officer, in_person_capacity=4
    )
    return race([lower, *registrations], stagger=0.1)  # the capacity change counts first


def _held(meeting) -> int:
    return Registration.objects.filter(meeting=meeting, status__in=PLACE_HOLDING).count()


def test_lowering_places_during_a_rush_never_leaves_more_held_than_the_limit(
    open_meeting, secretariat_officer, slow_capacity_check
):
    results = _lower_and_register(open_meeting, secretariat_officer)

    assert [type(result) for result in results] == [Meeting] + [Registration] * 6
    assert Meeting.objects.get(pk=open_meeting.pk).in_person_capacity == 4
    assert _held(open_meeting) == 4
    assert (
        Registration.objects.filter(
            meeting=open_meeting, status=RegistrationStatus.WAITLISTED
        ).count()
        == 4
    )


def test_lowering_places_without_the_lock_leaves_more_held_than_the_limit(
    open_meeting, secretariat_officer, slow_capacity_check, monkeypatch
):
    """Control: without the capacity service's lock, the same race ends overbooked."""

    @contextmanager
    def unlocked(queryset, pk, **kwargs):
        with transaction.atomic():
            yield queryset.get(pk=pk)

    monkeypatch.setattr(meeting_services, "row_locked", unlocked)

    results = _lower_and_register(open_meeting, secretariat_officer)

    assert not any(isinstance(result, MeetingError) for result in results)
    assert Meeting.objects.get(pk=open_meeting.pk).in_person_capacity == 4
    assert _held(open_meeting) > 4


@pytest.fixture
def full_meeting(open_meeting):
    """Two seats, both taken; three waiting in order."""
    open_meeting.in_person_capacity = 2
    open_meeting.save()
    start = timezone.now() - timezone.timedelta(hours=1)
    for index in (1, 2, 3):
        RegistrationFactory(
            meeting=open_meeting,
            email=f"wait{index}@example.org",
            status=RegistrationStatus.WAITLISTED,
            waitlisted_at=start + timezone.timedelta(minutes=index),
        )
    return open_meeting


def _raise_and_register(meeting, officer) -> list:
    partners = {partner.code: partner for partner in meeting.dialogue.partners.all()}
    registrations = [
        lambda code=code, index=index: registration_services.submit_registration(
            meeting,
            data=registration_data(meeting, partners[code], email=f"rush{index}@example.org"),
        )
        for index, code in enumerate(DELEGATIONS)
    ]
    raise_ = lambda: meeting_services.update_meeting_capacities(  # noqa: E731
        meeting, actor=officer, in_person_capacity=4
    )
    return race([raise_, *registrations], stagger=0.1)


def _statuses_of(meeting, prefix) -> dict[str, str]:
    return dict(
        Registration.objects.filter(meeting=meeting, email__startswith=prefix).values_list(
            "email", "status"
        )
    )


def test_raising_places_during_a_rush_gives_them_to_those_waiting_in_order(
    full_meeting, secretariat_officer, slow_capacity_check
):
    results = _raise_and_register(full_meeting, secretariat_officer)

    assert [type(result) for result in results] == [Meeting] + [Registration] * 6
    assert _held(full_meeting) == 4
    assert _statuses_of(full_meeting, "wait") == {
        "wait1@example.org": RegistrationStatus.APPROVED,
        "wait2@example.org": RegistrationStatus.APPROVED,
        "wait3@example.org": RegistrationStatus.WAITLISTED,
    }
    assert set(_statuses_of(full_meeting, "rush").values()) == {RegistrationStatus.WAITLISTED}


def test_raising_places_with_the_promotion_after_the_lock_lets_newcomers_overtake(
    full_meeting, secretariat_officer, slow_capacity_check, monkeypatch
):
    """Control: promoting once the capacity change has committed (and released the
    lock) lets the newcomers waiting for the lock take the raised places first."""

    def promote_after_commit(meeting, *, actor):
        def promote():
            time.sleep(0.3)
            with registration_services.meeting_locked(meeting) as locked:
                registration_services.promote_from_waiting_list(locked, actor=actor)

        transaction.on_commit(promote)

    monkeypatch.setattr(registration_receivers, "promote_from_waiting_list", promote_after_commit)

    _raise_and_register(full_meeting, secretariat_officer)

    assert _held(full_meeting) == 4
    assert _statuses_of(full_meeting, "wait") == {
        "wait1@example.org": RegistrationStatus.WAITLISTED,
        "wait2@example.org": RegistrationStatus.WAITLISTED,
        "wait3@example.org": RegistrationStatus.WAITLISTED,
    }
