"""Every write of the onsite app, but the generation of a batch (batches.py), which the
task worker runs."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from convene.core.errors import TryAgainLater
from convene.core.locks import lock_row
from convene.core.services import record_audit_entry
from convene.meetings.models import Meeting
from convene.registrations.enums import RegistrationStatus
from convene.registrations.models import Registration

from .enums import BadgeLayout, OnsiteAuditAction, VisaLetterLanguage, VisaLetterStatus
from .errors import BadgeError, VisaLetterError
from .models import BadgeBatch, BadgePrint, VisaLetter, VisaLetterSequence, VisaLetterSettings
from .permissions import can_issue_visa_letters, can_print_badges, can_view_visa_letters
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


# --- visa support letters ----------------------------------------------------------------

# Stored in English (audit reasons of the system are), translated where they are shown.
REPLACED_REASON = gettext_noop("Replaced by a new letter.")
# What a letter's number starts with: "RP-2026-0042".
VISA_LETTER_NUMBER_PREFIX = "RP"


def _passport_of(registration: Registration):
    # Erased after the meeting, and entered by the delegate: often absent.
    return getattr(registration, "passport", None)


def _lock_registration(registration: Registration) -> Registration:
    """The meeting's lock, then the registration's row, read afresh: the order every
    decision on a registration takes, so a letter and a cancellation queue one behind the
    other and two letters for one person are issued one after the other."""
    _lock_meeting(registration.meeting)
    return lock_row(Registration.objects.select_related("meeting"), registration.pk)


def _valid_letter(registration: Registration) -> VisaLetter | None:
    return VisaLetter.objects.filter(
        registration=registration, status=VisaLetterStatus.VALID
    ).first()


def allocate_visa_letter_number(year: int) -> str:
    """The year's next number, "RP-2026-0042", under the lock of the year's sequence row:
    numbers are never given twice, nor reused once a letter is withdrawn. Call inside the
    transaction that creates the letter."""
    # A first letter of the year creates the row; one created meanwhile by another
    # transaction is waited for on the unique index, then read (get_or_create).
    created, _new = VisaLetterSequence.objects.get_or_create(year=year)
    sequence = lock_row(VisaLetterSequence.objects.all(), created.pk, busy=TryAgainLater)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{VISA_LETTER_NUMBER_PREFIX}-{year}-{sequence.last_number:04d}"


def visa_letter_settings_of(meeting: Meeting) -> VisaLetterSettings | None:
    return VisaLetterSettings.objects.filter(meeting=meeting).first()


def visa_letter_refusal(registration: Registration) -> VisaLetterError | None:
    """Why no letter can be issued for `registration` now (permission aside), or None:
    "not_offered", "no_signatory", "not_approved", "no_passport"."""
    meeting = registration.meeting
    if not meeting.offers_visa_letters:
        return VisaLetterError(
            "not_offered", gettext("This meeting does not offer visa support letters.")
        )
    if registration.status != RegistrationStatus.APPROVED:
        return VisaLetterError(
            "not_approved", gettext("Letters are issued for approved registrations only.")
        )
    if _passport_of(registration) is None:
        return VisaLetterError(
            "no_passport", gettext("The delegate has not entered their passport data yet.")
        )
    letter_settings = visa_letter_settings_of(meeting)
    if letter_settings is None or not letter_settings.has_signatory:
        return VisaLetterError(
            "no_signatory",
            gettext(
                "Name the signatory and their function in French and English in the "
                "meeting's letter settings before issuing a letter."
            ),
        )
    return None


def issue_visa_letter(registration: Registration, *, actor, language: str) -> VisaLetter:
    """Issue a visa support letter for `registration` in `language` (the consulate's:
    "fr" or "en"), with an audit entry on the registration.

    Only for an approved registration of a meeting offering letters, whose passport data
    is entered, once the meeting's letter settings name a signatory. A valid letter
    issued before is withdrawn in the same transaction (reason: replaced), under the
    meeting's and the registration's locks, so a registration never has two valid
    letters. Raises VisaLetterError: "forbidden", "language", "not_offered",
    "no_signatory", "not_approved", "no_passport"; TryAgainLater when a lock is busy."""
    meeting = registration.meeting
    if not can_issue_visa_letters(actor, meeting):
        raise VisaLetterError(
            "forbidden", gettext("You may not issue visa letters for this meeting.")
        )
    if language not in VisaLetterLanguage.values:
        raise VisaLetterError("language", gettext("A letter is written in French or in English."))
    with transaction.atomic():
        registration = _lock_registration(registration)
        meeting = registration.meeting
        refusal = visa_letter_refusal(registration)
        if refusal is not None:
            raise refusal
        previous = _valid_letter(registration)
        if previous is not None:
            set_visa_letter_status(
                previous, VisaLetterStatus.WITHDRAWN, actor=actor, reason=REPLACED_REASON
            )
        today = timezone.localdate()
        letter = VisaLetter.objects.create(
            registration=registration,
            number=allocate_visa_letter_number(today.year),
            language=language,
            issued_by=actor,
            issued_on=today,
            holder_name=registration.full_name,
            meeting_title_en=meeting.title_en or meeting.title_fr,
            meeting_title_fr=meeting.title_fr or meeting.title_en,
            meeting_starts_on=meeting.starts_on,
            meeting_ends_on=meeting.ends_on,
        )
        record_audit_entry(
            registration,
            actor=actor,
            action=OnsiteAuditAction.VISA_LETTER_ISSUED,
            from_state=language,
            to_state=letter.number,
        )
    return letter


# The transitions set_visa_letter_status allows: a withdrawn letter stays withdrawn (a
# new one is issued instead, with a new number).
VISA_LETTER_TRANSITIONS = {(VisaLetterStatus.VALID, VisaLetterStatus.WITHDRAWN)}


def set_visa_letter_status(
    letter: VisaLetter, new_status: str, *, actor, reason: str
) -> VisaLetter:
    """The one door of a letter's status: checks the transition, saves, and writes the
    audit entry on the registration (who, from, to, why). A withdrawal needs a reason.
    Call under the registration's lock (issue_visa_letter, withdraw_visa_letter).
    Raises VisaLetterError "transition", "reason_required"."""
    new_status = VisaLetterStatus(new_status)
    reason = reason.strip()
    if (letter.status, new_status) not in VISA_LETTER_TRANSITIONS:
        raise VisaLetterError("transition", gettext("This letter has already been withdrawn."))
    if not reason:
        raise VisaLetterError("reason_required", gettext("Say why the letter is withdrawn."))
    letter.status = new_status
    letter.withdrawn_at = timezone.now()
    letter.withdrawn_by = actor if getattr(actor, "is_authenticated", False) else None
    letter.withdrawal_reason = reason
    letter.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    record_audit_entry(
        letter.registration,
        actor=actor,
        action=OnsiteAuditAction.VISA_LETTER_WITHDRAWN,
        from_state=letter.number,
        to_state=new_status.value,
        reason=reason,
    )
    return letter


def withdraw_visa_letter(letter: VisaLetter, *, actor, reason: str) -> VisaLetter:
    """Withdraw a valid letter: its verification page says "withdrawn" from now on.
    Raises VisaLetterError "forbidden", "transition", "reason_required"."""
    if not can_issue_visa_letters(actor, letter.registration.meeting):
        raise VisaLetterError(
            "forbidden", gettext("You may not withdraw visa letters for this meeting.")
        )
    if not reason.strip():
        raise VisaLetterError("reason_required", gettext("Say why the letter is withdrawn."))
    with transaction.atomic():
        _lock_registration(letter.registration)
        letter = VisaLetter.objects.select_related("registration").get(pk=letter.pk)
        return set_visa_letter_status(
            letter, VisaLetterStatus.WITHDRAWN, actor=actor, reason=reason
        )


def record_visa_letter_download(letter: VisaLetter, *, actor) -> None:
    """Log that `actor` downloaded the letter's PDF, a reading of the passport data it
    prints. Raises VisaLetterError "forbidden"."""
    if not can_view_visa_letters(actor, letter.registration.meeting):
        raise VisaLetterError("forbidden", gettext("You may not read this letter."))
    record_audit_entry(
        letter.registration,
        actor=actor,
        action=OnsiteAuditAction.VISA_LETTER_DOWNLOADED,
        to_state=letter.number,
    )


def save_visa_letter_settings(letter_settings: VisaLetterSettings, *, actor) -> VisaLetterSettings:
    """Save a meeting's letter settings (the back-office form's), with an audit entry on
    the meeting. Raises VisaLetterError "forbidden"."""
    if not can_issue_visa_letters(actor, letter_settings.meeting):
        raise VisaLetterError(
            "forbidden", gettext("You may not change the letters of this meeting.")
        )
    with transaction.atomic():
        letter_settings.save()
        record_audit_entry(
            letter_settings.meeting,
            actor=actor,
            action=OnsiteAuditAction.VISA_LETTER_SETTINGS_CHANGED,
        )
    return letter_settings
