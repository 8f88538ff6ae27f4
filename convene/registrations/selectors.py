from django.db.models import Count, Q

from convene.core import permissions
from convene.meetings.models import Meeting

from .enums import PLACE_HOLDING, RegistrationStatus
from .models import Registration


def registrations_visible_to(user, *, meeting: Meeting):
    """A meeting's registrations a user may see: all for its managers, else their delegation's."""
    queryset = Registration.objects.filter(meeting=meeting).select_related("delegation")
    if permissions.can_manage_meeting(user, meeting):
        return queryset
    return queryset.filter(delegation_id__in=permissions.focal_point_partner_ids(user))


def delegation_summary(meeting: Meeting, partner) -> dict:
    """Places taken and remaining for one delegation (None: not limited)."""
    counts = Registration.objects.filter(meeting=meeting, delegation=partner).aggregate(
        holding=Count("pk", filter=Q(status__in=PLACE_HOLDING)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
    remaining = (
        None
        if meeting.delegation_size is None
        else max(meeting.delegation_size - counts["holding"], 0)
    )
    return {**counts, "remaining": remaining, "size": meeting.delegation_size_label}


def meetings_for_focal_point(user):
    """Published meetings that take registrations, with this focal point's delegation counts."""
    partner_ids = permissions.focal_point_partner_ids(user)
    return (
        Meeting.objects.published()
        .annotate(
            delegation_count=Count(
                "registrations",
                filter=Q(registrations__delegation_id__in=partner_ids)
                & ~Q(registrations__status__in=[RegistrationStatus.CANCELLED]),
            ),
            awaiting_endorsement=Count(
                "registrations",
                filter=Q(registrations__delegation_id__in=partner_ids)
                & Q(registrations__status=RegistrationStatus.AWAITING_FOCAL_POINT),
            ),
        )
        .order_by("-starts_on")
    )
