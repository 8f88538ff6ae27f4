from django.db.models import Count, Q

from convene.core import permissions
from convene.meetings.enums import MeetingFormat
from convene.meetings.models import Meeting

from .enums import PLACE_HOLDING, DelegationRole, Participation, RegistrationStatus
from .models import Registration
from .permissions import can_view_registrations_of


def registrations_visible_to(user, *, meeting: Meeting):
    """A meeting's registrations a user may see: all for its managers, else their delegation's."""
    queryset = Registration.objects.filter(meeting=meeting).select_related("delegation")
    if can_view_registrations_of(user, meeting):
        return queryset
    return queryset.filter(delegation_id__in=permissions.focal_point_partner_ids(user))


def delegation_summary(meeting: Meeting, partner) -> dict:
    """Places held, pending endorsement, waiting and left for one delegation (one query).

    `remaining` is what the delegation's size leaves; `in_person_left` and `online_left`
    also count the meeting's seats in each mode (None: not limited; absent modes are
    left out). Registrations awaiting endorsement hold no place, so they count in none.
    """
    mine = Q(delegation=partner)
    holding = Q(status__in=PLACE_HOLDING)
    counts = Registration.objects.filter(meeting=meeting).aggregate(
        holding=Count("pk", filter=mine & holding),
        awaiting_endorsement=Count(
            "pk", filter=mine & Q(status=RegistrationStatus.AWAITING_FOCAL_POINT)
        ),
        waitlisted=Count("pk", filter=mine & Q(status=RegistrationStatus.WAITLISTED)),
        in_person_held=Count("pk", filter=holding & Q(participation=Participation.IN_PERSON)),
        online_held=Count("pk", filter=holding & Q(participation=Participation.ONLINE)),
    )
    remaining = (
        None
        if meeting.delegation_size is None
        else max(meeting.delegation_size - counts["holding"], 0)
    )
    modes = {
        "in_person_left": (
            meeting.accepts_in_person,
            meeting.in_person_capacity,
            counts.pop("in_person_held"),
        ),
        "online_left": (
            meeting.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID),
            meeting.online_capacity,
            counts.pop("online_held"),
        ),
    }
    left = {}
    for name, (accepted, capacity, held) in modes.items():
        if not accepted:
            continue
        limits = [
            limit
            for limit in (remaining, None if capacity is None else max(capacity - held, 0))
            if limit is not None
        ]
        left[name] = min(limits) if limits else None
    return {**counts, **left, "remaining": remaining, "size": meeting.delegation_size_label}


def places_held_against_limits(meeting: Meeting) -> dict[str, int]:
    """Places held under each of the meeting's limits (see meetings.signals): seats in
    each mode, and the most places and heads that one delegation holds. Two queries."""
    holding = Registration.objects.filter(meeting=meeting, status__in=PLACE_HOLDING)
    seats = holding.aggregate(
        in_person=Count("pk", filter=Q(participation=Participation.IN_PERSON)),
        online=Count("pk", filter=Q(participation=Participation.ONLINE)),
    )
    delegations = list(
        holding.filter(delegation__isnull=False)
        .order_by()
        .values("delegation")
        .annotate(places=Count("pk"), heads=Count("pk", filter=Q(role=DelegationRole.HEAD)))
        .values_list("places", "heads")
    )
    return {
        "in_person_capacity": seats["in_person"],
        "online_capacity": seats["online"],
        "delegation_size": max((places for places, _heads in delegations), default=0),
        "delegation_heads": max((heads for _places, heads in delegations), default=0),
    }


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


def registrations_for_export(queryset) -> list[Registration]:
    """The rows of an export, in the queryset's order, with what each row reads (one query)."""
    return list(queryset.select_related("meeting", "delegation"))


def delegation_registrations_for_export(user, *, meeting: Meeting, partner) -> list[Registration]:
    """A delegation's registrations to a meeting as its focal point exports them (one query)."""
    return registrations_for_export(
        registrations_visible_to(user, meeting=meeting)
        .filter(delegation=partner)
        .order_by("created_at", "id")
    )
