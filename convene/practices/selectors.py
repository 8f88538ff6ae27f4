"""Reads of good practices, each in a fixed number of queries."""

from convene.core import permissions
from convene.core.search import normalise_for_search
from convene.dialogues.models import Partner
from convene.meetings.models import Meeting

from .enums import PracticeStatus
from .models import GoodPractice


def published_practices(dialogue, *, filters: dict | None = None, query: str = ""):
    """Published good practices, latest first, searched and filtered.

    `query`: every word must appear in the title or summary, ignoring accents and case
    (compared with `search_text`, normalised the same way, so both databases agree).
    `filters`: `domain`, `objective`, `partner`, `region` (of the partner), `year` (of
    the meeting) and `level` (of government).
    """

    filters = filters or {}
    practices = GoodPractice.objects.filter(
        meeting__dialogue=dialogue, status=PracticeStatus.PUBLISHED
    )
    for word in normalise_for_search(query).split():
        practices = practices.filter(search_text__contains=word)
    if filters.get("domain"):
        practices = practices.filter(domain=filters["domain"])
    if filters.get("objective"):
        practices = practices.filter(objective=filters["objective"])
    if filters.get("partner"):
        practices = practices.filter(partner=filters["partner"])
    if filters.get("region"):
        practices = practices.filter(partner__region=filters["region"])
    if filters.get("year"):
        practices = practices.filter(meeting__starts_on__year=filters["year"])
    if filters.get("level"):
        practices = practices.filter(level_of_government=filters["level"])
    return practices.select_related(
        "partner", "meeting", "domain__action_plan", "objective"
    ).order_by("-published_at", "-id")


def practice_years(dialogue) -> list[int]:
    """Years of the meetings with published practices, latest first."""
    dates = Meeting.objects.filter(
        dialogue=dialogue, good_practices__status=PracticeStatus.PUBLISHED
    ).dates("starts_on", "year", order="DESC")
    return [day.year for day in dates]


def practice_partners(meeting, *, actor=None, registration=None) -> list[Partner]:
    """The partners a person may share a good practice for, at this meeting.

    A delegate of a delegation: that delegation. An invited delegate (no delegation) and
    the Secretariat: any current partner. A focal point: the partners they represent.
    """
    current = Partner.objects.filter(dialogue_id=meeting.dialogue_id, left_on__isnull=True)
    if registration is not None:
        if registration.delegation_id:
            return list(Partner.objects.filter(pk=registration.delegation_id))
        return list(current)
    if actor is None:
        return []
    if permissions.is_secretariat(actor):
        return list(current)
    return list(current.filter(pk__in=permissions.focal_point_partner_ids(actor)))


def published_practice(pk: int) -> GoodPractice | None:
    return (
        GoodPractice.objects.filter(pk=pk, status=PracticeStatus.PUBLISHED)
        .select_related("partner", "meeting", "session", "domain__action_plan", "objective")
        .first()
    )


def practices_for_meeting_page(meeting) -> list[GoodPractice]:
    """The meeting's published practices, in one query."""
    return list(
        GoodPractice.objects.filter(meeting=meeting, status=PracticeStatus.PUBLISHED)
        .select_related("partner", "session")
        .order_by("title", "id")
    )
