"""Every write of the onsite app, but the generation of a batch (batches.py), which the
task worker runs."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from convene.core.locks import lock_row
from convene.core.services import record_audit_entry
from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

from .enums import BadgeLayout, OnsiteAuditAction
from .errors import BadgeError, PassportError
from .models import BadgeBatch, BadgePrint, PassportDetails
from .passport_rules import normalise_nationality, normalise_passport_number, passport_errors
from .permissions import can_print_badges, can_read_passport_data
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


# --- passport data for visa support letters ----------------------------------------------

PASSPORT_FIELDS = ("date_of_birth", "nationality", "passport_number", "issue_date", "expiry_date")


def check_passport_entry(registration: Registration) -> None:
    """Raise PassportError unless the registration's delegate is asked for passport data:
    the meeting offers visa support letters, the delegate asked for one, and the
    registration is approved. The one rule for the personal page's section, the entry
    page and save_passport_details."""
    if registration.status == RegistrationStatus.CANCELLED:
        raise PassportError("cancelled", gettext("This registration has been cancelled."))
    if registration.status == RegistrationStatus.REJECTED:
        raise PassportError("rejected", gettext("This registration was rejected."))
    if not registration.meeting.offers_visa_letters:
        raise PassportError(
            "not_offered", gettext("This meeting does not offer visa support letters.")
        )
    if not registration.needs_visa_letter:
        raise PassportError(
            "not_asked",
            gettext("This registration did not ask for a visa support letter."),
        )
    if registration.status != RegistrationStatus.APPROVED:
        raise PassportError(
            "not_approved",
            gettext("Passport data is asked for once the registration is approved."),
        )


def save_passport_details(registration: Registration, *, data: dict, actor) -> PassportDetails:
    """Store (or replace: a correction) the passport data of `registration`, encrypted,
    with an audit entry on the registration that holds no passport value.

    `data` holds the PASSPORT_FIELDS, dates as dates; the number and the nationality are
    normalised here. `actor` is None for the delegate on their personal page. Raises
    PassportError: a code of check_passport_entry, or "invalid" with the field at fault
    (passport_rules.passport_errors, today in the server's time zone)."""
    check_passport_entry(registration)
    values = {field: data.get(field) for field in PASSPORT_FIELDS}
    values["passport_number"] = normalise_passport_number(values["passport_number"] or "")
    values["nationality"] = normalise_nationality(values["nationality"] or "")
    missing = [field for field in PASSPORT_FIELDS if values[field] in (None, "")]
    if missing:
        raise PassportError("invalid", gettext("This field is required."), field=missing[0])
    errors = passport_errors(values, meeting=registration.meeting, today=timezone.localdate())
    if errors:
        field, message = next(iter(errors.items()))
        raise PassportError("invalid", message, field=field)
    with transaction.atomic():
        # The registration's row orders a correction after a cancellation under way, and
        # two saves of one delegate (two tabs) one after the other.
        locked = lock_row(Registration.objects.select_related("meeting"), registration.pk)
        check_passport_entry(locked)
        details, created = PassportDetails.objects.update_or_create(
            registration=locked, defaults=values
        )
        record_audit_entry(
            locked,
            actor=actor,
            action=OnsiteAuditAction.PASSPORT_SAVED,
            to_state="received" if created else "corrected",
        )
    return details


def read_passport_details(registration: Registration, *, actor) -> PassportDetails | None:
    """The passport data of `registration` for `actor`, who may read it
    (can_read_passport_data; else PassportError "forbidden"), the reading audited on the
    registration; None when there is none (nothing to audit then)."""
    if not can_read_passport_data(actor, registration):
        raise PassportError("forbidden", gettext("You may not read this passport data."))
    details = PassportDetails.objects.filter(registration=registration).first()
    if details is None:
        return None
    record_audit_entry(registration, actor=actor, action=OnsiteAuditAction.PASSPORT_VIEWED)
    return details


@dataclass(frozen=True)
class ErasedPassport:
    """What an erasure names of each passport data erased: never a passport value."""

    registration_id: int
    reference: str
    meeting: str
    meeting_ended_on: datetime.date


def passport_data_due_for_erasure(*, now: datetime.datetime | None = None):
    """The PassportDetails of meetings whose last day ended more than
    PASSPORT_RETENTION_DAYS ago, oldest meeting first."""
    today = timezone.localdate(now or timezone.now())
    # Days are counted from the end of the meeting's last day: with 30 days kept, the data
    # of a meeting ending on 1 March is kept through 31 March and erased from 1 April.
    cutoff = today - datetime.timedelta(days=settings.PASSPORT_RETENTION_DAYS)
    return (
        PassportDetails.objects.filter(registration__meeting__ends_on__lt=cutoff)
        .select_related("registration__meeting")
        # Erasing decrypts nothing: it works, and lists, whatever the keys.
        .defer(*PASSPORT_FIELDS)
        .order_by("registration__meeting__ends_on", "registration__reference", "id")
    )


def erase_expired_passport_data(
    *, now: datetime.datetime | None = None, dry_run: bool = False, actor=None
) -> list[ErasedPassport]:
    """Delete the passport data kept past PASSPORT_RETENTION_DAYS after its meeting
    (passport_data_due_for_erasure), each erasure audited on its registration with
    `actor` (None: the task worker's daily job). Returns what was erased, or with
    `dry_run` what would be, erasing nothing. The letters already issued keep what they
    printed, so they stay verifiable."""
    with transaction.atomic():
        due = passport_data_due_for_erasure(now=now)
        if not dry_run:
            due = due.select_for_update(of=("self",))
        rows = list(due)
        erased = [
            ErasedPassport(
                registration_id=details.registration.pk,
                reference=details.registration.reference,
                meeting=str(details.registration.meeting),
                meeting_ended_on=details.registration.meeting.ends_on,
            )
            for details in rows
        ]
        if dry_run or not rows:
            return erased
        PassportDetails.objects.filter(pk__in=[details.pk for details in rows]).delete()
        for details in rows:
            record_audit_entry(
                details.registration,
                actor=actor,
                action=OnsiteAuditAction.PASSPORT_ERASED,
            )
    return erased
