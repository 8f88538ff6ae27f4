"""A cancelled meeting tells its delegates; nothing else about registrations changes."""

import pytest
from django.core import mail

from convene.meetings.enums import MeetingStatus
from convene.meetings.errors import MeetingError
from convene.meetings.services import set_meeting_status
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Notification, Registration
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

S = RegistrationStatus


@pytest.fixture
def registrations(meeting, senegal):
    """One registration in each status, the waitlisted one in French."""
    return {
        status: RegistrationFactory(
            meeting=meeting,
            delegation=senegal,
            status=status,
            email=f"{status}@example.org",
            language="fr" if status == S.WAITLISTED else "en",
        )
        for status in S
    }


def test_cancelling_a_meeting_emails_everyone_still_registered_in_their_language(
    meeting, registrations, secretariat_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_meeting_status(
            meeting, MeetingStatus.CANCELLED, actor=secretariat_officer, reason="Venue lost"
        )

    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        ("approved@example.org", "Meeting cancelled: Dakar workshop"),
        ("awaiting_focal_point@example.org", "Meeting cancelled: Dakar workshop"),
        ("awaiting_secretariat@example.org", "Meeting cancelled: Dakar workshop"),
        ("awaiting_verification@example.org", "Meeting cancelled: Dakar workshop"),
        ("waitlisted@example.org", "Réunion annulée\xa0: Atelier de Dakar"),
    ]
    # Registrations stay as they were: the meeting may come back.
    assert {r.email: r.status for r in Registration.objects.all()} == {
        f"{status}@example.org": status for status in S
    }


def test_cancellation_email_in_english_says_what_to_do(
    meeting, registrations, secretariat_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_meeting_status(meeting, MeetingStatus.CANCELLED, actor=secretariat_officer)

    body = next(m.body for m in mail.outbox if m.to == ["approved@example.org"])
    lines = body.splitlines()
    assert lines[2:5] == [
        "The meeting “Dakar workshop” is cancelled. If it is held at another date, the "
        "Secretariat will let you know.",
        "If you booked travel or accommodation for it, remember to cancel those bookings.",
        "",
    ]
    assert f"Reference: {registrations[S.APPROVED].reference}" in lines


def test_cancellation_email_in_french(
    meeting, registrations, secretariat_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_meeting_status(meeting, MeetingStatus.CANCELLED, actor=secretariat_officer)

    body = next(m.body for m in mail.outbox if m.to == ["waitlisted@example.org"])
    assert body.splitlines()[2:4] == [
        "La réunion «\xa0Atelier de Dakar\xa0» est annulée. Si elle se tient à une autre "
        "date, le Secrétariat vous en informera.",
        "Si vous aviez réservé un voyage ou un hébergement pour cette réunion, pensez à "
        "annuler ces réservations.",
    ]


def test_cancellation_refused_emails_nobody(meeting, registrations, focal_point_senegal):
    with pytest.raises(MeetingError):
        set_meeting_status(meeting, MeetingStatus.CANCELLED, actor=focal_point_senegal)

    assert Notification.objects.count() == 0


def test_withdrawing_a_meeting_to_draft_emails_nobody(
    meeting, registrations, secretariat_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_meeting_status(meeting, MeetingStatus.DRAFT, actor=secretariat_officer)

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_cancelling_a_meeting_without_registrations_emails_nobody(
    meeting, secretariat_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        set_meeting_status(meeting, MeetingStatus.CANCELLED, actor=secretariat_officer)

    assert Notification.objects.count() == 0
    assert mail.outbox == []
