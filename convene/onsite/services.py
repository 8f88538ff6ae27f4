"""Every write of the onsite app, but the generation of a batch (batches.py), which the
task worker runs."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext

from convene.core.locks import lock_row
from convene.core.services import record_audit_entry
from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

from .enums import BadgeLayout, OnsiteAuditAction
from .errors import BadgeError
from .models import BadgeBatch, BadgePrint
from .permissions import can_print_badges
from .selectors import registrations_printed_before
from .tasks import generate_badges_task


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
