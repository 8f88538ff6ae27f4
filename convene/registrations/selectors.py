from django.db.models import Count, Q
from django.utils.translation import gettext, ngettext

from convene.core import permissions
from convene.core.search import normalise_for_search
from convene.dialogues.models import Partner
from convene.meetings.enums import INVITED_CATEGORIES, MeetingStatus
from convene.meetings.models import Meeting

from . import services
from .enums import PLACE_HOLDING, DelegationRole, Participation, RegistrationStatus
from .models import Registration
from .permissions import (
    can_approve_registration,
    can_endorse_registration_on_behalf,
    can_enter_registration,
    can_reject_registration,
    can_view_registrations_of,
    can_waitlist_registration,
)


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

    `remaining` is what the delegation's size leaves, of which `kept_for_heads` only a
    head of delegation may take ("1+1": 0 when heads are not limited apart);
    `in_person_left` and `online_left` also count the meeting's seats in each mode
    (None: not limited; absent modes are left out). Registrations awaiting endorsement
    hold no place, so they count in none.
    """
    mine = Q(delegation=partner)
    holding = Q(status__in=PLACE_HOLDING)
    counts = Registration.objects.filter(meeting=meeting).aggregate(
        holding=Count("pk", filter=mine & holding),
        heads=Count("pk", filter=mine & holding & Q(role=DelegationRole.HEAD)),
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
    heads = counts.pop("heads")
    kept_for_heads = 0
    if remaining is not None and meeting.delegation_heads is not None:
        kept_for_heads = min(max(meeting.delegation_heads - heads, 0), remaining)
    seats = _seats_left(seat_limits(meeting), {mode: counts.pop(mode) for mode in Participation})
    left = {}
    for mode, seats_left in seats.items():
        limits = [limit for limit in (remaining, seats_left) if limit is not None]
        left[f"{mode}_left"] = min(limits) if limits else None
    return {
        **counts,
        **left,
        "remaining": remaining,
        "kept_for_heads": kept_for_heads,
        "size": meeting.delegation_size_label,
    }


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


def meetings_open_to_entry(user):
    """The meetings `user` may enter registrations for (can_enter_registration), latest
    first. Cancelled meetings are left out: the person would be emailed about a meeting
    that will not take place."""
    candidates = Meeting.objects.exclude(status=MeetingStatus.CANCELLED).order_by(
        "-starts_on", "pk"
    )
    allowed = [
        meeting.pk for meeting in candidates.only("pk") if can_enter_registration(user, meeting)
    ]
    return candidates.filter(pk__in=allowed)


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
    """The rows of an export, in the queryset's order, with what each row reads: its
    meeting, delegation and place on the waiting list, as the list shows it (two queries
    at most)."""
    registrations = list(queryset.select_related("meeting", "delegation"))
    positions = waiting_list_positions(registrations)
    for registration in registrations:
        registration.listed_waiting_position = positions.get(registration.pk)
    return registrations


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


def waiting_list_positions(registrations) -> dict[int, int]:
    """{registration id: place on its waiting list} for those of `registrations` that
    wait for a place, as waiting_list_position reads each; the others are left out.

    For a page of the back-office's list: one query for any number of rows (none when
    no row waits), reading the waiting lists of the rows' meetings in
    promote_from_waiting_list's order and counting per meeting and way of attending.
    """
    waiting = {
        registration.pk
        for registration in registrations
        if registration.status == RegistrationStatus.WAITLISTED
        and not registration.waitlisted_by_decision
        and registration.waitlisted_at is not None
    }
    if not waiting:
        return {}
    meetings = {registration.meeting_id for registration in registrations}
    queue = (
        Registration.objects.filter(
            meeting_id__in=meetings,
            status=RegistrationStatus.WAITLISTED,
            waitlisted_by_decision=False,
            waitlisted_at__isnull=False,
        )
        .order_by("meeting_id", "participation", "waitlisted_at", "id")
        .values_list("pk", "meeting_id", "participation")
    )
    positions, ahead = {}, {}
    for pk, meeting_id, participation in queue:
        line = (meeting_id, participation)
        ahead[line] = ahead.get(line, 0) + 1
        if pk in waiting:
            positions[pk] = ahead[line]
    return positions


def search_registrations(registrations, query: str):
    """`registrations` where every word of `query` appears, ignoring accents and case, in
    the names, email, institution or reference (`search_text`) or in the delegation's
    name in English or French.

    The partners' names are read as they are now (one query, a few dozen rows) rather
    than copied onto each registration, so a partner renamed in the back-office is
    found by its new name at once. Words are matched inside words ("sene" finds
    Senegal), alike on SQLite and PostgreSQL.
    """
    words = normalise_for_search(query).split()
    if not words:
        return registrations
    names = {
        pk: normalise_for_search(f"{name_en} {name_fr}")
        for pk, name_en, name_fr in Partner.objects.values_list("pk", "name_en", "name_fr")
    }
    for word in words:
        partners = [pk for pk, name in names.items() if word in name]
        registrations = registrations.filter(
            Q(search_text__contains=word) | Q(delegation_id__in=partners)
        )
    return registrations


# The decisions of the registration's page, each with its predicate; in the order shown.
DECISIONS = {
    "approve": can_approve_registration,
    "approve_over_quota": can_approve_registration,
    "waitlist": can_waitlist_registration,
    "reject": can_reject_registration,
    "endorse_on_behalf": can_endorse_registration_on_behalf,
}


def decisions_open_to(user, registration: Registration) -> list[str]:
    """The decisions (keys of DECISIONS) `user` may take on `registration` now: allowed
    by their predicate and by the state machine, as the service would find them.

    A display, read without the meeting's lock: each service checks again under it.
    "approve_over_quota" is offered instead of "approve" when approving would take a
    place that is not free (a registration without one, place_problem: one query).
    """
    status = RegistrationStatus(registration.status)
    onward = services.ALLOWED_TRANSITIONS[status]
    S = RegistrationStatus
    possible = {
        # Awaiting the focal point: the Secretariat endorses on their behalf first.
        "approve": S.APPROVED in onward and status != S.AWAITING_FOCAL_POINT,
        "waitlist": S.WAITLISTED in onward,
        "reject": S.REJECTED in onward,
        "endorse_on_behalf": status == S.AWAITING_FOCAL_POINT,
    }
    decisions = [
        name
        for name, allowed in DECISIONS.items()
        if possible.get(name) and allowed(user, registration)
    ]
    over_quota = (
        "approve" in decisions
        and status not in PLACE_HOLDING
        and services.place_problem(registration.meeting, registration) is not None
    )
    if over_quota:
        decisions[decisions.index("approve")] = "approve_over_quota"
    return decisions


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
    if problem == "others":
        count = meeting.delegation_size - meeting.delegation_heads
        message = ngettext(
            "%(partner)s: the delegation's %(count)s place for a member or an expert is taken.",
            "%(partner)s: all %(count)s places for members and experts are taken.",
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


def endorsement_note(meeting: Meeting) -> str:
    """What the meeting page and the form say of the focal point's endorsement, to those
    it concerns: invited participants (INVITED_CATEGORIES) hold a place without it, as
    services._awaits_endorsement decides, so a meeting open to them says so."""
    if not meeting.focal_point_endorsement_required:
        return ""
    categories = set(meeting.eligible_categories or [])
    if categories and categories <= set(INVITED_CATEGORIES):
        return ""
    if categories & set(INVITED_CATEGORIES):
        return gettext(
            "Unless you come as an invited participant, your focal point must endorse your "
            "registration before it can hold a place."
        )
    return gettext("Your focal point must endorse your registration before it can hold a place.")
