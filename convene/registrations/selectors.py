from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from convene.core import permissions
from convene.meetings.models import Meeting

from . import services
from .enums import PLACE_HOLDING, DelegationRole, Participation, RegistrationStatus
from .models import Registration
from .permissions import can_view_registrations_of


def registrations_visible_to(user, *, meeting: Meeting):
    """A meeting's registrations a user may see: all for its managers, else their delegation's."""
    queryset = Registration.objects.filter(meeting=meeting).select_related("delegation")
    if can_view_registrations_of(user, meeting):
        return queryset
    return queryset.filter(delegation_id__in=permissions.focal_point_partner_ids(user))


def focal_point_delegation(user, meeting: Meeting):
    """The partner whose delegation `user` speaks for at `meeting` (the first by name when
    they are the focal point of several), or None."""
    return (
        meeting.dialogue.partners.filter(pk__in=permissions.focal_point_partner_ids(user))
        .order_by("name_en", "pk")
        .first()
    )


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
        **_seats_held_counts(),
    )
    remaining = (
        None
        if meeting.delegation_size is None
        else max(meeting.delegation_size - counts["holding"], 0)
    )
    seats = _seats_left(seat_limits(meeting), {mode: counts.pop(mode) for mode in Participation})
    left = {}
    for mode, seats_left in seats.items():
        limits = [limit for limit in (remaining, seats_left) if limit is not None]
        left[f"{mode}_left"] = min(limits) if limits else None
    return {**counts, **left, "remaining": remaining, "size": meeting.delegation_size_label}


def places_held_against_limits(meeting: Meeting) -> dict[str, int]:
    """Places held under each of the meeting's limits (see meetings.signals): seats in
    each mode, and the most places and heads that one delegation holds. Two queries."""
    holding = Registration.objects.filter(meeting=meeting, status__in=PLACE_HOLDING)
    seats = holding.aggregate(**_seats_held_counts())
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


def waiting_list_position(registration: Registration) -> int | None:
    """The registration's place on the waiting list, from 1; None when not waiting for a
    place (not waitlisted, or put there by the Secretariat's decision, which keeps it off
    automatic promotion).

    The order is promote_from_waiting_list's: waitlisted_at, then id. Only those waiting
    for the same way of attending count ahead: a freed seat in one mode goes to the first
    who fits it, so someone waiting for the other mode is not ahead. Neither is a
    position a promise: a freed delegation place goes to the first waiting member of that
    delegation, whoever waits before them. One query.
    """
    if (
        registration.status != RegistrationStatus.WAITLISTED
        or registration.waitlisted_by_decision
        or registration.waitlisted_at is None  # only rows written outside the services
    ):
        return None
    ahead = Registration.objects.filter(
        meeting_id=registration.meeting_id,
        status=RegistrationStatus.WAITLISTED,
        waitlisted_by_decision=False,
        participation=registration.participation,
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, id__lt=registration.pk)
    )
    return ahead.count() + 1


def waitlist_reason(registration: Registration) -> str:
    """Why a waitlisted registration waits, as a sentence in the active language; "" when
    it is not waitlisted or nothing keeps it from a place any more (its promotion is on
    its way).

    Read now, from the places held (place_problem, outside the meeting's lock: a display,
    not a decision), so the reason follows the meeting's limits as they change; a
    registration put on the list by decision says so. The partner's name is in the active
    language and opens the sentence, before a colon: French would otherwise need the
    country's article ("du Sénégal", "de la France", "des Pays-Bas", "d'Égypte").
    """
    if registration.status != RegistrationStatus.WAITLISTED:
        return ""
    if registration.waitlisted_by_decision:
        return gettext("The Secretariat placed your registration on the waiting list.")
    meeting = registration.meeting
    problem = services.place_problem(meeting, registration)
    if problem == "capacity":
        if registration.participation == Participation.IN_PERSON:
            count = meeting.in_person_capacity
            message = ngettext(
                "The meeting's %(count)s in-person place is taken.",
                "All %(count)s in-person places at the meeting are taken.",
                count,
            )
        else:
            count = meeting.online_capacity
            message = ngettext(
                "The meeting's %(count)s online place is taken.",
                "All %(count)s online places at the meeting are taken.",
                count,
            )
        return message % {"count": count}
    partner = registration.delegation.name if registration.delegation_id else ""
    if problem == "delegation":
        count = meeting.delegation_size
        message = ngettext(
            "%(partner)s: the delegation's %(count)s place is taken.",
            "%(partner)s: all %(count)s places of the delegation are taken.",
            count,
        )
        return message % {"partner": partner, "count": count}
    if problem == "heads":
        count = meeting.delegation_heads
        message = ngettext(
            "%(partner)s: the delegation's %(count)s place for a head of delegation is taken.",
            "%(partner)s: all %(count)s places for heads of delegation are taken.",
            count,
        )
        return message % {"partner": partner, "count": count}
    return ""


def places_left(meeting: Meeting) -> dict[str, int]:
    """Seats left in each way of attending the meeting offers with a limit: keys
    "in_person" and "online", absent when the mode is not offered or not limited.
    Registrations awaiting endorsement hold no place, so they are not counted. One query,
    none when nothing is limited."""
    limits = {mode: limit for mode, limit in seat_limits(meeting).items() if limit is not None}
    if not limits:
        return {}
    held = Registration.objects.filter(meeting=meeting, status__in=PLACE_HOLDING).aggregate(
        **_seats_held_counts(limits)
    )
    return _seats_left(limits, held)


def seat_limits(meeting: Meeting) -> dict[str, int | None]:
    """Each way of attending the meeting offers, with its limit on seats (None: none)."""
    limits = {}
    if meeting.accepts_in_person:
        limits[Participation.IN_PERSON] = meeting.in_person_capacity
    if meeting.accepts_online:
        limits[Participation.ONLINE] = meeting.online_capacity
    return limits


def _seats_held_counts(modes=tuple(Participation)) -> dict:
    """Aggregates counting the seats held in each of `modes`, keyed by the mode, over a
    queryset of registrations that hold a place (or filtered so, around them)."""
    holding = Q(status__in=PLACE_HOLDING)
    return {mode: Count("pk", filter=holding & Q(participation=mode)) for mode in modes}


def _seats_left(limits: dict, held: dict) -> dict[str, int | None]:
    return {
        mode: None if limit is None else max(limit - held[mode], 0)
        for mode, limit in limits.items()
    }
