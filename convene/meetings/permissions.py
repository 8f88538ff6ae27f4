"""Access decisions about meetings, built on the role reads of convene.core.permissions."""

from convene.core.permissions import can_create_meeting, can_manage_meeting


def can_read_staff_notes(user, meeting) -> bool:
    """The internal note is the Secretariat's and the organisers' working space: focal
    points and check-in staff, who read the meeting in the back-office, do not see it.
    `meeting` None is a meeting being created, which only the Secretariat does."""
    if meeting is None:
        return can_create_meeting(user)
    return can_manage_meeting(user, meeting)
