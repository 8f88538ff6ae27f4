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
