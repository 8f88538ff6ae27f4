"""Access decisions about the papers printed on site, built on the role reads of
convene.core.permissions and the meeting decisions of convene.meetings.permissions."""

from convene.core import permissions as roles
from convene.meetings.permissions import can_check_in, can_manage_any_meeting, can_manage_meeting


def can_print_badges(user, meeting) -> bool:
    """Print or reprint a meeting's badges: the Secretariat for every meeting, organisers
    for theirs. Check-in staff read badges, they do not make them (a badge opens the
    door); focal points never see other delegations' people."""
    return can_manage_meeting(user, meeting)


def can_print_any_badges(user) -> bool:
    """Whether the back-office offers badges at all (which meetings: can_print_badges)."""
    return can_manage_any_meeting(user)


def can_view_badge_prints(user) -> bool:
    """The print log, scoped to the meetings the user prints for."""
    return can_manage_any_meeting(user)


def can_request_funding(user, registration) -> bool:
    """Ask for a funded place for `registration`: the focal point of its delegation, and
    the Secretariat. A delegate asks through the personal link when the meeting lets
    them (services.request_funding with no actor); organisers do not ask on a
    government's behalf."""
    if roles.is_secretariat(user):
        return True
    return registration.delegation_id is not None and roles.is_focal_point_of(
        user, registration.delegation
    )


def can_decide_funding(user, meeting) -> bool:
    """Grant, refuse or withdraw a funded place: the Secretariat, who hold the budget.
    Organisers of a host country see the requests but do not spend it."""
    return roles.is_secretariat(user)


def can_decide_any_funding(user) -> bool:
    """Whether the back-office offers to decide at all, as the list's bulk grant (which
    meetings: can_decide_funding)."""
    return roles.is_secretariat(user)


def can_view_funding(user, meeting) -> bool:
    """The back-office's list of a meeting's funding requests: its managers (the
    Secretariat and its organisers). A focal point sees their delegation's on their page."""
    return can_manage_meeting(user, meeting)


def can_view_any_funding(user) -> bool:
    """Whether the back-office offers the funding list at all (which meetings:
    can_view_funding)."""
    return can_manage_any_meeting(user)


def can_read_passport_data(user, registration) -> bool:
    """Read a registration's passport data (each reading audited): the roles that issue
    visa support letters, that is the Secretariat for every meeting and the organisers
    for theirs. Never focal points, not even of the delegate's own delegation (they name
    delegates, they do not write to consulates), never check-in staff, never a delegate
    through the back-office."""
    return can_manage_meeting(user, registration.meeting)


def can_issue_visa_letters(user, meeting) -> bool:
    """Issue, withdraw and configure a meeting's visa support letters: the Secretariat for
    every meeting, organisers for theirs. Check-in staff and focal points never: a letter
    engages its signatory before a consulate."""
    return can_manage_meeting(user, meeting)


def can_issue_any_visa_letters(user) -> bool:
    """Whether the back-office offers visa letters at all (which meetings: the above)."""
    return can_manage_any_meeting(user)


def can_view_visa_letters(user, meeting) -> bool:
    """A meeting's letters, their list and their PDF (which shows passport data): those
    who issue them, and nobody else."""
    return can_issue_visa_letters(user, meeting)


def can_view_visa_letter(user, letter) -> bool:
    return can_view_visa_letters(user, letter.registration.meeting)


def can_view_logistics(user, meeting) -> bool:
    """A meeting's travel and logistics page and its export: the Secretariat, which books
    the hotels and funded tickets, and the meeting's organisers. Check-in staff work at
    the door and focal points speak for one delegation: the list names every delegate's
    flights and hotel nights, so neither sees it."""
    return can_manage_meeting(user, meeting)


def can_view_any_logistics(user) -> bool:
    """Whether the back-office offers travel and logistics at all (which meetings:
    can_view_logistics)."""
    return can_manage_any_meeting(user)


def can_remind_travel(user, meeting) -> bool:
    """Email the delegates who have not given their travel details: those who read the
    list of them."""
    return can_view_logistics(user, meeting)


def can_change_travel(user, meeting) -> bool:
    """Enter or correct a delegate's travel details for them (the delegate does it from
    the personal page, with no account)."""
    return can_manage_meeting(user, meeting)


def can_use_checkin(user, meeting) -> bool:
    """Open a meeting's check-in page, name a device for it, download its roster and
    check people in: its check-in staff and organisers, and the Secretariat. Nothing
    more: the roster they hold says name, delegation and reference, never passport,
    travel or contact data, and it gives no export."""
    return can_check_in(user, meeting)


def can_use_any_checkin(user) -> bool:
    """Whether to offer check-in at all (which meetings: can_use_checkin)."""
    return roles.is_secretariat(user) or bool(roles.checkin_meeting_ids(user))


def can_manage_checkin_devices(user, meeting) -> bool:
    """See a meeting's check-in devices (last contact, check-ins waiting on them),
    revoke one and issue API tokens for scanners: the Secretariat, who answers for
    the door's data."""
    return roles.is_secretariat(user)


def can_register_walk_in(user, meeting) -> bool:
    """Register and approve at the desk, in one step, a person who turns up unregistered:
    the Secretariat only. Check-in staff admit the approved; they do not approve."""
    return roles.is_secretariat(user)


def can_view_attendance(user, meeting) -> bool:
    """The live figures of who is present and the attendance sheets (names of every
    delegate present, by delegation): the Secretariat and the meeting's organisers.
    Check-in staff see one answer at a time, never the lists."""
    return can_manage_meeting(user, meeting)


def can_view_any_attendance(user) -> bool:
    return can_manage_any_meeting(user)


def can_manage_any_checkin_devices(user) -> bool:
    """Whether to offer the list of check-in devices and the door's log at all (which
    meetings: can_manage_checkin_devices): the Secretariat."""
    return roles.is_secretariat(user)
