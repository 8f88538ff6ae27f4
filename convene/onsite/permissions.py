"""Access decisions about the papers printed on site, built on the role reads of
convene.core.permissions and the meeting decisions of convene.meetings.permissions."""

from convene.meetings.permissions import can_manage_any_meeting, can_manage_meeting


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
