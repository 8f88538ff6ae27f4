"""Every write of the onsite app, but the generation of a batch (batches.py), which the
task worker runs."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from convene.core.locks import lock_row, row_locked
from convene.core.services import record_audit_entry
from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

from .enums import BadgeLayout, OnsiteAuditAction, OnsiteEmailKind
from .errors import BadgeError, TravelError
from .models import BadgeBatch, BadgePrint, OnsiteEmail, TravelDetails
from .permissions import can_change_travel, can_print_badges, can_remind_travel, can_view_logistics
from .selectors import (
    expects_travel_details,
    is_funded,
    registrations_printed_before,
    registrations_without_travel,
    travel_details_of,
)
from .tasks import generate_badges_task, send_onsite_emails_task
from .travel import travel_problems


def _lock_meeting(meeting: Meeting) -> None:
    """Hold the meeting's row until the transaction ends (prints of it queue behind), the
    wait bounded as every lock on a meeting is (TryAgainLater: "busy", 503)."""
    lock_row(Meeting.objects.only("pk"), meeting.pk)


def record_badge_print(
    meeting: Meeting,
    *,
    registrations: Sequence[Registration],
    actor,
    layout: str,
    reason: str = "",
) -> BadgePrint:
    """Log that `actor` printed the badges of `registrations` (all approved, all of
    `meeting`) in `layout`, with an audit entry on the meeting.

    A reprint (any of them printed before) needs a reason. The meeting's row is locked
    while earlier prints are read, so that two people printing the same badges at once
    cannot both pass as a first print. Raises BadgeError: "forbidden", "empty",
    "other_meeting", "not_approved", "reason_required" (field "reason")."""
    if not can_print_badges(actor, meeting):
        raise BadgeError("forbidden", gettext("You may not print badges for this meeting."))
    layout = BadgeLayout(layout)
    registrations = list(registrations)
    if not registrations:
        raise BadgeError("empty", gettext("No approved registration matches these filters."))
    if any(registration.meeting_id != meeting.pk for registration in registrations):
        raise BadgeError("other_meeting", gettext("Some of these badges are for another meeting."))
    if any(registration.status != RegistrationStatus.APPROVED for registration in registrations):
        raise BadgeError(
            "not_approved", gettext("Badges are printed for approved registrations only.")
        )
    reason = reason.strip()
    with transaction.atomic():
        _lock_meeting(meeting)
        is_reprint = bool(registrations_printed_before(registrations))
        if is_reprint and not reason:
            raise BadgeError(
                "reason_required",
                gettext("Some of these badges were printed before: say why they are reprinted."),
                field="reason",
            )
        badge_print = BadgePrint.objects.create(
            meeting=meeting,
            printed_by=actor,
            layout=layout,
            badge_count=len(registrations),
            is_reprint=is_reprint,
            reason=reason if is_reprint else "",
        )
        badge_print.registrations.set(registrations)
        record_audit_entry(
            meeting,
            actor=actor,
            action=OnsiteAuditAction.BADGES_PRINTED,
            from_state=layout.value,
            to_state=str(len(registrations)),
            reason=badge_print.reason,
        )
    return badge_print


def request_badge_batch(
    meeting: Meeting,
    *,
    registrations: Sequence[Registration],
    actor,
    layout: str,
    reason: str = "",
) -> BadgeBatch:
    """Log the print (record_badge_print, whose refusals it raises) and queue its
    generation by the task worker after the commit; the batch reports its progress."""
    with transaction.atomic():
        badge_print = record_badge_print(
            meeting, registrations=registrations, actor=actor, layout=layout, reason=reason
        )
        batch = BadgeBatch.objects.create(
            meeting=meeting, badge_print=badge_print, total=badge_print.badge_count
        )
        transaction.on_commit(lambda: generate_badges_task.enqueue(batch.pk), robust=True)
    return batch


# What the follow-up form writes: every other field of TravelDetails is the service's.
TRAVEL_FIELDS = (
    "arrival_at",
    "departure_at",
    "means",
    "travel_number",
    "arriving_at",
    "hotel_needed",
    "hotel_check_in",
    "hotel_check_out",
    "departure_city",
)


def save_travel_details(registration: Registration, *, data: dict, actor=None) -> TravelDetails:
    """Create or change the travel details of `registration` from `data` (TRAVEL_FIELDS;
    other keys are ignored, missing ones keep their value), audited on the registration
    with the names of the fields changed (not their values: they are personal data).

    Without `actor` (or an anonymous one) the delegate writes, through the personal link;
    staff must be allowed to change travel for the meeting. The registration's row is
    locked while its status is checked, so that a cancellation at the same moment cannot
    let details in after it. Hotel dates are dropped when no hotel is needed. Raises
    TravelError: "forbidden", "not_approved", "meeting_cancelled", "not_in_person",
    "invalid" (with the field at fault); TryAgainLater when the lock is not granted in
    time.
    """
    by_staff = getattr(actor, "is_authenticated", False)
    if by_staff and not can_change_travel(actor, registration.meeting):
        raise TravelError("forbidden", gettext("You may not change these travel details."))
    with row_locked(Registration.objects.select_related("meeting"), registration.pk) as current:
        if current.status != RegistrationStatus.APPROVED:
            raise TravelError(
                "not_approved",
                gettext("Travel details are asked once the registration is approved."),
            )
        if current.meeting.is_cancelled:
            raise TravelError(
                "meeting_cancelled",
                gettext("This meeting is cancelled: no travel details are needed."),
            )
        if not expects_travel_details(current):
            raise TravelError(
                "not_in_person",
                gettext("Travel details are asked only of those who attend in person."),
            )
        details = travel_details_of(current) or TravelDetails(registration=current)
        values = {name: getattr(details, name) for name in TRAVEL_FIELDS}
        values.update({name: data[name] for name in TRAVEL_FIELDS if name in data})
        if not values["hotel_needed"]:
            values["hotel_check_in"] = values["hotel_check_out"] = None
        for name in ("travel_number", "arriving_at", "departure_city"):
            values[name] = (values[name] or "").strip()
        is_new = details.pk is None
        changed = [
            name for name in TRAVEL_FIELDS if is_new or getattr(details, name) != values[name]
        ]
        if not changed:
            return details
        for name in changed:
            setattr(details, name, values[name])
        _check_travel(details, meeting=current.meeting, funded=is_funded(current))
        details.save()
        record_audit_entry(
            current,
            actor=actor,
            action=OnsiteAuditAction.TRAVEL_SAVED,
            from_state="" if is_new else "saved",
            to_state="saved",
            reason=", ".join(changed),
        )
    return details


def _check_travel(details: TravelDetails, *, meeting: Meeting, funded: bool) -> None:
    problems = travel_problems(
        {name: getattr(details, name) for name in TRAVEL_FIELDS}, meeting=meeting, funded=funded
    )
    try:
        details.full_clean(exclude=["registration"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, " ".join(messages))
    if problems:
        field, message = next(iter(problems.items()))
        raise TravelError("invalid", message, field=None if field == "__all__" else field)


# A delegate reminded less than this long ago is not reminded again: two officers
# pressing the button on the same morning send one email, not two.
REMINDER_INTERVAL = timedelta(hours=24)


@dataclass(frozen=True)
class TravelReminders:
    """What remind_travel_details did: emails queued, and people skipped because they
    were reminded less than REMINDER_INTERVAL ago."""

    queued: int
    skipped_recent: int


def remind_travel_details(meeting: Meeting, *, actor) -> TravelReminders:
    """Email every approved in-person delegate of `meeting` who has not given their travel
    details a reminder with their personal link, in their language, through the outbox
    (sent after commit); one audit entry on the meeting with the count.

    Those reminded less than REMINDER_INTERVAL ago are skipped: the meeting's row is
    locked while the last reminders are read and the new ones written, so that two
    officers pressing at once remind each delegate once. Raises TravelError:
    "forbidden", "nobody" (everyone answered), "recent" (all were just reminded).
    """
    if not can_remind_travel(actor, meeting):
        raise TravelError("forbidden", gettext("You may not remind the delegates of this meeting."))
    with transaction.atomic():
        _lock_meeting(meeting)
        waiting = list(registrations_without_travel(meeting))
        if not waiting:
            raise TravelError(
                "nobody",
                gettext("Every delegate has given their travel details: nobody to remind."),
            )
        cutoff = timezone.now() - REMINDER_INTERVAL
        due = [r for r in waiting if r.last_reminded_at is None or r.last_reminded_at <= cutoff]
        skipped = len(waiting) - len(due)
        if not due:
            raise TravelError(
                "recent",
                ngettext(
                    "%(count)d delegate has not answered and was reminded less than 24 "
                    "hours ago: nobody was reminded again.",
                    "%(count)d delegates have not answered and were all reminded less than "
                    "24 hours ago: nobody was reminded again.",
                    skipped,
                )
                % {"count": skipped},
            )
        emails = OnsiteEmail.objects.bulk_create(
            [
                OnsiteEmail(
                    registration=registration,
                    event=OnsiteEmailKind.TRAVEL_REMINDER,
                    recipient=registration.email,
                    language=registration.language,
                )
                for registration in due
            ]
        )
        record_audit_entry(
            meeting,
            actor=actor,
            action=OnsiteAuditAction.TRAVEL_REMINDED,
            from_state=str(skipped),
            to_state=str(len(due)),
        )
        ids = [email.pk for email in emails]
        transaction.on_commit(lambda: send_onsite_emails_task.enqueue(ids), robust=True)
    return TravelReminders(queued=len(due), skipped_recent=skipped)


def record_logistics_export(meeting: Meeting, *, actor, file_format: str, rows: int) -> None:
    """Audit that `actor` downloaded the meeting's logistics list (personal data leaves
    Convene). Raises TravelError("forbidden")."""
    if not can_view_logistics(actor, meeting):
        raise TravelError("forbidden", gettext("You may not read the logistics of this meeting."))
    record_audit_entry(
        meeting,
        actor=actor,
        action=OnsiteAuditAction.LOGISTICS_EXPORTED,
        from_state=file_format,
        to_state=str(rows),
    )
