"""Access decisions about registrations, built on the role reads of convene.core.permissions
and the meeting decisions of convene.meetings.permissions.

Each predicate answers for a signed-in person. A delegate acts on their own registration
through its signed personal link, which the views check instead (tokens.py).
"""

from convene.core import permissions as roles
from convene.meetings.permissions import can_manage_any_meeting, can_manage_meeting


def _is_delegations_focal_point(user, registration) -> bool:
    return registration.delegation_id is not None and roles.is_focal_point_of(
        user, registration.delegation
    )


def can_view_registrations_of(user, meeting) -> bool:
    """Every registration of the meeting, not only a delegation's."""
    return can_manage_meeting(user, meeting)


def can_manage_any_registrations(user) -> bool:
    """Open the back-office's list of registrations (scoped to the meetings managed)."""
    return can_manage_any_meeting(user)


def can_export_registrations(user, meeting=None) -> bool:
    """Download the back-office's list of registrations as a spreadsheet.

    Without a meeting: the list as a whole, which the back-office scopes to the meetings
    the user manages. With one: every registration of that meeting.
    """
    if meeting is None:
        return can_manage_any_registrations(user)
    return can_view_registrations_of(user, meeting)


def can_export_delegation_registrations(user, partner) -> bool:
    """Download a delegation's registrations from the focal point's page: its focal point."""
    return partner is not None and roles.is_focal_point_of(user, partner)


def can_view_registration(user, registration) -> bool:
    """The meeting's managers, and the focal point of the registration's delegation."""
    return can_manage_meeting(user, registration.meeting) or _is_delegations_focal_point(
        user, registration
    )


def can_download_attachment(user, registration) -> bool:
    """The nominating document (a note verbale) is read by whoever reads the registration."""
    return can_view_registration(user, registration)


def can_change_registration(user, registration) -> bool:
    """Edit the registration's details in the back-office."""
    return can_manage_meeting(user, registration.meeting)


def can_enter_registration(user, meeting) -> bool:
    """Register someone on the Secretariat's or organisers' word, at any time."""
    return can_manage_meeting(user, meeting)


def can_enter_any_registration(user) -> bool:
    """Whether the back-office offers to enter registrations: for some meeting at least
    (which meetings: can_enter_registration)."""
    return can_manage_any_meeting(user)


def can_nominate_for(user, partner) -> bool:
    """Nominate a delegate of `partner` (None: no delegation, which no focal point speaks for)."""
    return partner is not None and roles.is_focal_point_of(user, partner)


def can_use_focal_point_pages(user) -> bool:
    """The delegation pages are for focal points; other staff work in the back-office."""
    return bool(roles.focal_point_partner_ids(user))


def can_endorse_registration(user, registration) -> bool:
    """The endorsement speaks for the delegation's government: its focal point only."""
    return _is_delegations_focal_point(user, registration)


def can_endorse_registration_on_behalf(user, registration=None) -> bool:
    """The Secretariat stands in for a delegation without a focal point, or one on leave.

    Not the meeting's organisers: the endorsement speaks for a government. Without a
    registration: whether the back-office offers the action at all.
    """
    return roles.is_secretariat(user)


def can_decline_registration(user, registration) -> bool:
    """Declining is the focal point's refusal, the counterpart of endorsing."""
    return _is_delegations_focal_point(user, registration)


def can_approve_registration(user, registration) -> bool:
    return can_manage_meeting(user, registration.meeting)


def can_waitlist_registration(user, registration) -> bool:
    return can_manage_meeting(user, registration.meeting)


def can_reject_registration(user, registration) -> bool:
    return can_manage_meeting(user, registration.meeting)


def can_cancel_registration(user, registration) -> bool:
    """The meeting's managers, and the focal point for their delegation (a delegate
    cancels through the personal link instead)."""
    return can_manage_meeting(user, registration.meeting) or _is_delegations_focal_point(
        user, registration
    )
