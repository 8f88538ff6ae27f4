"""Access decisions about meetings, built on the role reads of convene.core.permissions."""

from convene.core import permissions as roles


def can_manage_meeting(user, meeting) -> bool:
    """Edit the meeting, its programme and its registrations."""
    return roles.is_secretariat(user) or meeting.pk in roles.managed_meeting_ids(user)


def can_manage_any_meeting(user) -> bool:
    """Open the back-office's lists of meetings' programmes and registrations to change."""
    return roles.is_secretariat(user) or bool(roles.managed_meeting_ids(user))


def can_create_meeting(user) -> bool:
    return roles.is_secretariat(user)


def can_publish_meeting(user, meeting) -> bool:
    """Publish, withdraw or cancel. Publication speaks for the Dialogue, so it stays with
    the Secretariat; `meeting` None asks about meetings in general (the list's actions)."""
    return roles.is_secretariat(user)


def can_check_in(user, meeting) -> bool:
    return roles.is_secretariat(user) or meeting.pk in roles.checkin_meeting_ids(user)


def can_view_meeting(user, meeting) -> bool:
    """The public sees published meetings; staff who manage a draft may preview it."""
    return meeting.is_public or can_manage_meeting(user, meeting)


def can_view_meeting_in_back_office(user, meeting) -> bool:
    """Staff of a meeting read it all; focal points read what is published."""
    return can_check_in(user, meeting) or (
        bool(roles.focal_point_partner_ids(user)) and meeting.is_published
    )


def can_read_staff_notes(user, meeting) -> bool:
    """The internal note is the Secretariat's and the organisers' working space: focal
    points and check-in staff, who read the meeting in the back-office, do not see it.
    `meeting` None is a meeting being created, which only the Secretariat does."""
    if meeting is None:
        return can_create_meeting(user)
    return can_manage_meeting(user, meeting)
