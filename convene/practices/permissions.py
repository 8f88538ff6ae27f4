"""Access decisions about good practices."""

from convene.core import permissions
from convene.dialogues.models import Partner
from convene.registrations.enums import RegistrationStatus

from .enums import PracticeStatus


def can_share_practice(user, meeting, *, partner=None, registration=None) -> bool:
    """Whether a good practice from `meeting` may be shared for `partner` (for some partner
    when `partner` is None).

    Through an approved registration at the meeting: a delegate of a delegation shares for
    that delegation, an invited delegate (no delegation) for any current partner. Signed
    in: the Secretariat for any current partner, a focal point for the current partners
    they represent.
    """
    if registration is not None:
        if registration.meeting_id != meeting.pk:
            return False
        if registration.status != RegistrationStatus.APPROVED:
            return False
        if registration.delegation_id:
            return partner is None or partner.pk == registration.delegation_id
        return partner is None or _is_current_partner(partner, meeting)
    if user is None:
        return False
    if permissions.is_secretariat(user):
        return partner is None or _is_current_partner(partner, meeting)
    partner_ids = permissions.focal_point_partner_ids(user)
    if partner is None:
        return _current_partners(meeting).filter(pk__in=partner_ids).exists()
    return partner.pk in partner_ids and _is_current_partner(partner, meeting)


def _current_partners(meeting):
    return Partner.objects.filter(dialogue_id=meeting.dialogue_id, left_on__isnull=True)


def _is_current_partner(partner, meeting) -> bool:
    return partner.dialogue_id == meeting.dialogue_id and partner.left_on is None


def can_download_practice_attachment(user, practice) -> bool:
    """A published practice's attachment is public, like the practice. Before that, it is
    read by the Secretariat, who moderates it, and the focal point of the partner it was
    submitted for."""
    if practice.status == PracticeStatus.PUBLISHED:
        return True
    return permissions.is_secretariat(user) or permissions.is_focal_point_of(user, practice.partner)


def can_moderate_practice(user) -> bool:
    """The Secretariat publishes or declines good practices."""
    return permissions.is_secretariat(user)
