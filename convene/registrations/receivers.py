"""What registrations do when something else changes."""

from convene.meetings.enums import MeetingStatus
from convene.meetings.models import Meeting
from convene.meetings.signals import (
    limits_changed,
    meeting_status_changed,
    places_held_requested,
)

from .selectors import places_held_against_limits
from .services import notify_delegates_of_cancellation, promote_from_waiting_list


def _meeting_status_changed(sender, meeting, new_status, **kwargs):
    if new_status == MeetingStatus.CANCELLED:
        notify_delegates_of_cancellation(meeting)


def _places_held_requested(sender, meeting, **kwargs):
    return places_held_against_limits(meeting)


def _limits_changed(sender, meeting, actor, **kwargs):
    # Under the meeting's lock, held by the capacity service: see limits_changed.
    promote_from_waiting_list(meeting, actor=actor)


def connect_signals() -> None:
    meeting_status_changed.connect(
        _meeting_status_changed, sender=Meeting, dispatch_uid="registrations-meeting-cancelled"
    )
    places_held_requested.connect(
        _places_held_requested, sender=Meeting, dispatch_uid="registrations-places-held"
    )
    limits_changed.connect(
        _limits_changed, sender=Meeting, dispatch_uid="registrations-waiting-list-promoted"
    )
