"""Reads of the onsite app used in more than one place."""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils.translation import gettext

from convene.core import permissions as roles
from convene.dialogues.models import Partner
from convene.dialogues.selectors import partners_by_name
from convene.meetings.enums import Category
from convene.meetings.models import Meeting
from convene.registrations.enums import ACTIVE, LevelOfGovernment, Participation, RegistrationStatus
from convene.registrations.models import Registration

from .badges import badge_category, staff_badges
from .enums import FundingStatus, OnsiteEmailEvent, VisaLetterStatus
from .models import (
    Attendance,
    BadgePrint,
    FundingRequest,
    PassportDetails,
    TravelDetails,
    VisaLetter,
)


def registrations_printed_before(registrations: Sequence[Registration]) -> set[int]:
    """The ids of those among `registrations` whose badge was printed already."""
    return set(
        BadgePrint.registrations.through.objects.filter(
            registration_id__in=[registration.pk for registration in registrations]
        ).values_list("registration_id", flat=True)
    )


def arrival_day(registration: Registration) -> datetime.date | None:
    """The first day the registration attends (its days are ISO dates), None if it names none."""
    days = sorted(registration.days or [])
    return datetime.date.fromisoformat(days[0]) if days else None


def print_order(registration: Registration) -> tuple:
    """Delegations by name, people by last then first name; invited participants last,
    by institution. Badges are laid out on the table by delegation."""
    return (
        registration.delegation is None,
        registration.delegation.name_en if registration.delegation else registration.institution,
        registration.last_name.casefold(),
        registration.first_name.casefold(),
        registration.pk,
    )


def registrations_for_badges(
    meeting: Meeting,
    *,
    delegation=None,
    category: str = "",
    arrival: datetime.date | None = None,
    registration_ids: Sequence[int] = (),
) -> list[Registration]:
    """The meeting's approved registrations that get a badge, filtered, in print order
    (delegation, then last and first name; invited participants last).

    `category` is a BadgeCategory value; `arrival` the first day attended."""
    queryset = Registration.objects.filter(
        meeting=meeting, status=RegistrationStatus.APPROVED
    ).select_related("meeting__dialogue", "delegation")
    if delegation is not None:
        queryset = queryset.filter(delegation=delegation)
    if registration_ids:
        queryset = queryset.filter(pk__in=registration_ids)
    registrations = sorted(queryset, key=print_order)
    if arrival is not None:
        registrations = [r for r in registrations if arrival_day(r) == arrival]
    if category:
        staff = staff_badges(registrations)
        registrations = [r for r in registrations if badge_category(r, staff) == category]
    return registrations


def managed_by(user, queryset, *, meeting: str):
    """`queryset` as `user` manages it: whole for the Secretariat, else the rows whose
    meeting (the lookup `meeting`, "pk" for meetings themselves) they organise. The
    scope of every onsite list; the predicates of permissions.py decide the same."""
    if roles.is_secretariat(user):
        return queryset
    return queryset.filter(**{f"{meeting}__in": roles.managed_meeting_ids(user)})


def badge_prints_visible_to(user):
    """The print log of the meetings `user` prints badges for (permissions.can_print_badges)."""
    queryset = BadgePrint.objects.select_related("meeting", "printed_by")
    return managed_by(user, queryset, meeting="meeting")


def meetings_for_badges(user):
    """The meetings `user` prints badges for, latest first."""
    queryset = Meeting.objects.order_by("-starts_on", "-id")
    return managed_by(user, queryset, meeting="pk")


# A granted place counts against its delegation while its registration is active
# (pending, waitlisted or approved): cancelling or rejecting the registration frees it.
FUNDING_COUNTED_STATUSES = ACTIVE


def granted_funded_places(meeting: Meeting, delegation_id: int) -> int:
    """How many of the delegation's funded places at `meeting` are granted and counted."""
    return FundingRequest.objects.filter(
        status=FundingStatus.GRANTED,
        registration__meeting=meeting,
        registration__delegation_id=delegation_id,
        registration__status__in=FUNDING_COUNTED_STATUSES,
    ).count()


def funding_counts(meeting: Meeting, delegation_id: int) -> dict:
    """{"granted", "offered"} of the delegation's funded places at `meeting` ("offered"
    is None when the meeting offers none)."""
    return {
        "granted": granted_funded_places(meeting, delegation_id),
        "offered": meeting.funded_places_per_delegation,
    }


def funding_by_delegation(meeting: Meeting) -> list[dict]:
    """Per delegation with a request at `meeting`: its partner, how many places are
    granted (counted), requested and refused, and how many the meeting offers; by name."""
    requests = FundingRequest.objects.filter(registration__meeting=meeting)
    rows = (
        requests.values("registration__delegation_id")
        .annotate(
            granted=Count(
                "pk",
                filter=Q(
                    status=FundingStatus.GRANTED,
                    registration__status__in=FUNDING_COUNTED_STATUSES,
                ),
            ),
            requested=Count("pk", filter=Q(status=FundingStatus.REQUESTED)),
            refused=Count("pk", filter=Q(status=FundingStatus.REFUSED)),
        )
        .order_by()
    )
    counts = {row["registration__delegation_id"]: row for row in rows}
    return [
        {
            "partner": partner,
            "granted": counts[partner.pk]["granted"],
            "requested": counts[partner.pk]["requested"],
            "refused": counts[partner.pk]["refused"],
            "offered": meeting.funded_places_per_delegation,
        }
        for partner in partners_by_name(Partner.objects.filter(pk__in=counts))
    ]


def funding_requests_visible_to(user):
    """The funding requests of the meetings `user` manages (permissions.can_view_funding)."""
    queryset = FundingRequest.objects.select_related(
        "registration__meeting", "registration__delegation", "decided_by", "requested_by"
    )
    return managed_by(user, queryset, meeting="registration__meeting")


def meetings_with_funded_places(user):
    """The meetings offering funded places whose requests `user` sees, latest first."""
    queryset = Meeting.objects.filter(funded_places_per_delegation__gt=0).order_by(
        "-starts_on", "-id"
    )
    return managed_by(user, queryset, meeting="pk")


def passport_receipt(registration: Registration) -> dict | None:
    """What the delegate is shown of the passport data they sent: when it was received
    and the last two characters of the number, never the whole number (the personal link
    travels by email). None when nothing was sent."""
    details = (
        PassportDetails.objects.filter(registration=registration)
        .only("id", "updated_at", "passport_number")
        .first()
    )
    if details is None:
        return None
    return {"received_at": details.updated_at, "number_ending": details.passport_number[-2:]}


# The verification codes new_verification_code makes (URL-safe base64), at most as long
# as the field: anything else is unknown without a query.
VERIFICATION_CODE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def visa_letter_for_verification(code: str) -> VisaLetter | None:
    """The letter with this public verification code, or None."""
    if not VERIFICATION_CODE.fullmatch(code or ""):
        return None
    return VisaLetter.objects.filter(verification_code=code).first()


def visa_letters_visible_to(user):
    """The letters of the meetings `user` issues letters for (can_view_visa_letters)."""
    queryset = VisaLetter.objects.select_related(
        "registration__meeting", "registration__delegation", "issued_by"
    )
    return managed_by(user, queryset, meeting="registration__meeting")


def registration_letters(registration: Registration) -> list[VisaLetter]:
    """A registration's letters, latest first, with who issued them."""
    return list(
        VisaLetter.objects.filter(registration=registration).select_related(
            "issued_by", "withdrawn_by"
        )
    )


def delegates_waiting_for_letters(meeting: Meeting) -> list[Registration]:
    """The meeting's approved registrations that asked for a letter and have no valid one,
    by delegation then name; `has_passport` says whether the passport data is entered."""
    valid = VisaLetter.objects.filter(registration=OuterRef("pk"), status=VisaLetterStatus.VALID)
    queryset = (
        Registration.objects.filter(
            meeting=meeting, status=RegistrationStatus.APPROVED, needs_visa_letter=True
        )
        .exclude(Exists(valid))
        .annotate(has_passport=Exists(PassportDetails.objects.filter(registration=OuterRef("pk"))))
        .select_related("delegation")
    )
    return sorted(queryset, key=print_order)


def meetings_for_visa_letters(user):
    """The meetings offering letters that `user` issues letters for, latest first."""
    queryset = Meeting.objects.filter(offers_visa_letters=True).order_by("-starts_on", "-id")
    return managed_by(user, queryset, meeting="pk")


def is_funded(registration: Registration) -> bool:
    """Whether the registration has a funded place: a funding request that was granted.
    Select or prefetch `funding` with a list of them (one query each otherwise)."""
    try:
        funding = registration.funding
    except ObjectDoesNotExist:
        return False
    return funding.is_granted


def travel_details_of(registration: Registration) -> TravelDetails | None:
    """The registration's travel details, None before the delegate gave them."""
    try:
        return registration.travel
    except ObjectDoesNotExist:
        return None


def expects_travel_details(registration: Registration) -> bool:
    """Only an approved registration attending in person gives travel details, and only
    while its meeting is not cancelled."""
    return (
        registration.status == RegistrationStatus.APPROVED
        and registration.participation == Participation.IN_PERSON
        and not registration.meeting.is_cancelled
    )


def travelling_registrations(meeting: Meeting):
    """The meeting's approved registrations attending in person, with their travel
    details, funding and the moment they were last reminded (`last_reminded_at`), by
    delegation then name."""
    return (
        Registration.objects.filter(
            meeting=meeting,
            status=RegistrationStatus.APPROVED,
            participation=Participation.IN_PERSON,
        )
        .select_related("meeting", "delegation", "travel", "funding")
        .annotate(
            last_reminded_at=Max(
                "onsite_emails__created_at",
                filter=Q(onsite_emails__event=OnsiteEmailEvent.TRAVEL_REMINDER),
            )
        )
        .order_by("delegation__name_en", "last_name", "first_name", "pk")
    )


def registrations_without_travel(meeting: Meeting):
    """Those of travelling_registrations who have not given their travel details."""
    return travelling_registrations(meeting).filter(travel__isnull=True)


@dataclass(frozen=True)
class TravelOverview:
    """A meeting's travelling registrations (travelling_registrations), and those of
    them who have not given their travel details."""

    registrations: list[Registration]

    @property
    def expected(self) -> int:
        return len(self.registrations)

    @property
    def missing(self) -> list[Registration]:
        return [r for r in self.registrations if travel_details_of(r) is None]

    @property
    def filled(self) -> int:
        return self.expected - len(self.missing)


def travel_overview(meeting: Meeting) -> TravelOverview:
    """One query: who is expected to give travel details, who did, who did not."""
    return TravelOverview(list(travelling_registrations(meeting)))


def meetings_for_logistics(user):
    """The meetings whose travel and logistics `user` reads (permissions.can_view_logistics),
    latest first."""
    return meetings_for_badges(user)


# --- Attendance: live figures, sheets, certificates ---------------------------------


@dataclass(frozen=True)
class AttendanceRow:
    """One line of the live figures: who (a delegation, a category, a level of
    government), how many are present that day and how many were expected."""

    label: str
    present: int
    expected: int

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.expected) if self.expected else 0


@dataclass(frozen=True)
class AttendanceFigures:
    """Present against expected on one day of a meeting. Expected are the approved
    registrations attending in person; present are those of them checked in that day
    (a registration cancelled after its check-in no longer counts)."""

    meeting: Meeting
    day: datetime.date
    total: AttendanceRow
    by_delegation: list[AttendanceRow]
    by_category: list[AttendanceRow]
    by_level: list[AttendanceRow]


def expected_in_person(meeting: Meeting):
    """The approved in-person registrations of `meeting`: whom the door expects."""
    return Registration.objects.filter(
        meeting=meeting,
        status=RegistrationStatus.APPROVED,
        participation=Participation.IN_PERSON,
    )


def _present_on(day: datetime.date):
    return Exists(Attendance.objects.filter(registration=OuterRef("pk"), day=day))


def attendance_figures(meeting: Meeting, day: datetime.date) -> AttendanceFigures:
    """The live figures of `day`, in total, by delegation (in name order, in the active
    language; those without a delegation last), by category and by level of government
    (in the order of their choices; only those with someone expected). One query,
    whatever the number of delegations."""
    rows = list(
        expected_in_person(meeting)
        .select_related("delegation")
        .annotate(present=_present_on(day))
        .only("pk", "category", "level_of_government", "delegation")
    )

    def row(label, members) -> AttendanceRow:
        return AttendanceRow(
            label=str(label),
            present=sum(1 for member in members if member.present),
            expected=len(members),
        )

    by_delegation = [row(label, members) for label, members in _by_delegation(rows)]
    by_category = [
        row(choice.label, members)
        for choice in Category
        if (members := [r for r in rows if r.category == choice.value])
    ]
    by_level = [
        row(choice.label, members)
        for choice in LevelOfGovernment
        if (members := [r for r in rows if r.level_of_government == choice.value])
    ]
    return AttendanceFigures(
        meeting=meeting,
        day=day,
        total=row(gettext("All delegates"), rows),
        by_delegation=by_delegation,
        by_category=by_category,
        by_level=by_level,
    )


@dataclass(frozen=True)
class SheetDelegation:
    """One delegation's block of an attendance sheet, with (registration, attendance or
    None) pairs in name order."""

    name: str
    delegates: list[tuple[Registration, object]]


def attendance_sheet(meeting: Meeting, day: datetime.date) -> list[SheetDelegation]:
    """The expected in-person delegates of `meeting` by delegation (delegations in name
    order, those without one last), each with their attendance of `day` if any. Two
    queries whatever the size."""
    registrations = list(
        expected_in_person(meeting)
        .select_related("delegation")
        .order_by("last_name", "first_name", "id")
    )
    attendances = {
        attendance.registration_id: attendance
        for attendance in Attendance.objects.filter(meeting=meeting, day=day)
    }
    return [
        SheetDelegation(label, [(r, attendances.get(r.pk)) for r in members])
        for label, members in _by_delegation(registrations)
    ]


def _by_delegation(registrations: list[Registration]) -> list[tuple[str, list[Registration]]]:
    """`registrations` (their delegation selected) grouped by delegation: (name, members)
    with the delegations in name order in the active language, those without one last
    under "Without a delegation"; members keep their order."""
    groups: dict[int, list[Registration]] = {}
    partners: dict[int, Partner] = {}
    without = []
    for registration in registrations:
        if registration.delegation_id is None:
            without.append(registration)
        else:
            partners[registration.delegation_id] = registration.delegation
            groups.setdefault(registration.delegation_id, []).append(registration)
    grouped = [
        (partner.name, groups[partner.pk]) for partner in partners_by_name(partners.values())
    ]
    if without:
        grouped.append((gettext("Without a delegation"), without))
    return grouped


def days_attended(registration: Registration) -> list[datetime.date]:
    """The days `registration` was checked in, in order (one Attendance per day: a
    constraint)."""
    return list(
        Attendance.objects.filter(registration=registration)
        .order_by("day")
        .values_list("day", flat=True)
    )


# --- The door: which meetings to offer a user --------------------------------------

# How many meetings the back-office's home page offers at most (the next ones first).
DOOR_MEETINGS_OFFERED = 5


def meetings_at_the_door(user, *, today: datetime.date) -> list[Meeting]:
    """The meetings not yet ended whose check-in page `user` may open
    (permissions.can_use_checkin: the Secretariat for every one, check-in staff and
    organisers for theirs), soonest first, at most DOOR_MEETINGS_OFFERED."""
    meetings = Meeting.objects.filter(ends_on__gte=today)
    if not roles.is_secretariat(user):
        meetings = meetings.filter(pk__in=roles.checkin_meeting_ids(user))
    return list(meetings.order_by("starts_on", "pk")[:DOOR_MEETINGS_OFFERED])
