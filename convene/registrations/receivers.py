"""What registrations do when something else changes."""

from convene.meetings.enums import MeetingStatus
from convene.meetings.models import Meeting
from convene.meetings.signals import meeting_status_changed

from .services import notify_delegates_of_cancellation


def _meeting_status_changed(sender, meeting, new_status, **kwargs):
    if new_status == MeetingStatus.CANCELLED:
        notify_delegates_of_cancellation(meeting)


def connect_signals() -> None:
    meeting_status_changed.connect(
        _meeting_status_changed, sender=Meeting, dispatch_uid="registrations-meeting-cancelled"
    )
