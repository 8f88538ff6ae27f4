import itertools

from django.db.models import Prefetch, Q
from django.utils import timezone

from convene.core import permissions
from convene.dialogues.models import Objective

from .enums import MeetingStatus
from .models import Meeting, Session, Speaker


def public_meetings(dialogue, *, today=None) -> tuple[list[Meeting], list[Meeting]]:
    """Published meetings split into (upcoming soonest first, past latest first)."""
    today = today or timezone.localdate()
    meetings = (
        Meeting.objects.public()
        .filter(dialogue=dialogue)
        .select_related("host_country")
        .prefetch_related("lead_partners")
    )
    upcoming = list(meetings.filter(ends_on__gte=today).order_by("starts_on", "id"))
    past = list(meetings.filter(ends_on__lt=today).order_by("-starts_on", "-id"))
    return upcoming, past


def meeting_for_page(slug: str):
    """The meeting with everything its page shows, in a fixed number of queries."""
    return (
        Meeting.objects.select_related("dialogue", "host_country")
        .prefetch_related(
            "lead_partners",
            "domains__action_plan",
            Prefetch(
                "objectives",
                queryset=Objective.objects.select_related("domain__action_plan").order_by(
                    "domain__number", "position", "number"
                ),
            ),
            Prefetch(
                "sessions",
                queryset=Session.objects.order_by(
                    "day", "start_time", "end_time", "id"
                ).prefetch_related(
                    Prefetch("speakers", queryset=Speaker.objects.order_by("position", "id"))
                ),
            ),
        )
        .filter(slug=slug)
        .first()
    )


# What taking a registration reads from its meeting: visibility, window, eligibility,
# the form's choices and the place rules. Not the texts of its page.
REGISTRATION_FIELDS = (
    "dialogue_id",
    "slug",
    "status",
    "published_at",
    "starts_on",
    "ends_on",
    "time_zone",
    "format",
    "in_person_capacity",
    "online_capacity",
    "delegation_size",
    "delegation_heads",
    "registration_opens_at",
    "registration_closes_at",
    "eligible_categories",
    "approval_mode",
    "focal_point_endorsement_required",
    "email_verification_required",
    "attachment_required",
    "attachment_label_en",
    "attachment_label_fr",
)


def meeting_for_registration(slug: str) -> Meeting | None:
    """The meeting a registration is for, without its page's texts (read on every one)."""
    return Meeting.objects.only(*REGISTRATION_FIELDS).filter(slug=slug).first()


def programme_by_day(meeting: Meeting) -> list[tuple]:
    """[(day, [sessions])] in order, from the prefetched sessions."""
    sessions = sorted(meeting.sessions.all(), key=lambda s: (s.day, s.start_time, s.end_time, s.pk))
    return [(day, list(group)) for day, group in itertools.groupby(sessions, key=lambda s: s.day)]


def alignment(meeting: Meeting) -> list[tuple]:
    """[(domain, [objectives])] the meeting serves, domains named alone included."""
    by_domain = {}
    for domain in meeting.domains.all():
        by_domain.setdefault(domain, [])
    for objective in meeting.objectives.all():
        by_domain.setdefault(objective.domain, []).append(objective)
    return sorted(
        by_domain.items(),
        key=lambda item: (-item[0].action_plan.start_year, item[0].number),
    )


def meetings_visible_to(user):
    """Meetings a back-office user may read (as permissions.can_view_meeting_in_back_office)."""
    if permissions.is_secretariat(user):
        return Meeting.objects.all()
    visible = Q(pk__in=permissions.checkin_meeting_ids(user))
    if permissions.focal_point_partner_ids(user):
        visible |= Q(status=MeetingStatus.PUBLISHED)
    return Meeting.objects.filter(visible)
