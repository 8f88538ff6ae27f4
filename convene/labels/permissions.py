"""Access decisions about label proposals and good practices."""

from convene.core import permissions

from .enums import PracticeStatus


def can_download_practice_attachment(user, practice) -> bool:
    """A published practice's attachment is public, like the practice. Before that, it is
    read by the Secretariat, who moderates it, and the focal point of the partner it was
    submitted for."""
    if practice.status == PracticeStatus.PUBLISHED:
        return True
    return permissions.is_secretariat(user) or permissions.is_focal_point_of(user, practice.partner)
