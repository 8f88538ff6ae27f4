"""Every write of the onsite app, but the generation of a batch (batches.py), which the
task worker runs."""

import datetime
import re
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop, ngettext

from convene.core.errors import TryAgainLater
from convene.core.locks import lock_row, row_locked
from convene.core.services import record_audit_entry
from convene.meetings.models import Meeting
from convene.registrations.enums import Event as RegistrationEvent
from convene.registrations.enums import Participation, RegistrationStatus, Source
from convene.registrations.errors import BusyError, RegistrationError
from convene.registrations.models import Registration
from convene.registrations.notifications import discard_unsent_notifications
from convene.registrations.services import (
    approve_registration,
    submit_registration,
)

from .enums import (
    BadgeLayout,
    CheckinOutcome,
    FundingStatus,
    OnsiteAuditAction,
    OnsiteEmailEvent,
    VisaLetterLanguage,
    VisaLetterStatus,
)
from .errors import (
    BadgeError,
    CheckinError,
    FundingBusyError,
    FundingError,
    PassportError,
    TravelError,
    VisaLetterError,
    WalkInError,
)
from .models import (
    Attendance,
    BadgeBatch,
    BadgePrint,
    CheckinDevice,
    CheckinScan,
    FundingRequest,
    OnsiteEmail,
    PassportDetails,
    TravelDetails,
    VisaLetter,
    VisaLetterSequence,
    VisaLetterSettings,
)
from .notifications import queue_delegate_email
from .passport_rules import normalise_nationality, normalise_passport_number, passport_errors
from .permissions import (
    can_change_travel,
    can_decide_funding,
    can_issue_visa_letters,
    can_manage_checkin_devices,
    can_print_badges,
    can_read_passport_data,
    can_register_walk_in,
    can_remind_travel,
    can_request_funding,
    can_use_checkin,
    can_view_attendance,
    can_view_logistics,
    can_view_visa_letters,
)
from .selectors import (
    FUNDING_COUNTED_STATUSES,
    expects_travel_details,
    granted_funded_places,
    is_funded,
    registrations_printed_before,
    registrations_without_travel,
    travel_details_of,
)
from .tasks import generate_badges_task, send_onsite_emails_task
from .tokens import TokenRefused, check_confirmation, read_confirmation_token, sha256_hex
from .travel import travel_problems, venue_day


def _lock_meeting(meeting: Meeting, *, busy: type[TryAgainLater] = TryAgainLater) -> None:
    """Hold the meeting's row until the transaction ends (prints of it queue behind), the
    wait bounded as every lock on a meeting is (`busy`, a TryAgainLater: 503)."""
    lock_row(Meeting.objects.only("pk"), meeting.pk, busy=busy)


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


# --- funded places ------------------------------------------------------------------------

F = FundingStatus

# The one state machine of a funding request. A refusal of a granted place is its
# withdrawal (a reason required, as for every refusal); the Secretariat may reconsider
# a refusal and grant, within the numbers; a focal point (or the delegate) may ask
# again after a refusal, which reopens the same request rather than adding one.
FUNDING_TRANSITIONS = {
    F.REQUESTED: {F.GRANTED, F.REFUSED},
    F.GRANTED: {F.REFUSED},
    F.REFUSED: {F.GRANTED, F.REQUESTED},
}

# What the delegate is told of a transition; asking (again) sends nothing: the asker
# knows, and the delegate hears of the decision.
FUNDING_EMAILS = {
    (F.REQUESTED, F.GRANTED): OnsiteEmailEvent.FUNDING_GRANTED,
    (F.REFUSED, F.GRANTED): OnsiteEmailEvent.FUNDING_GRANTED,
    (F.REQUESTED, F.REFUSED): OnsiteEmailEvent.FUNDING_REFUSED,
    (F.GRANTED, F.REFUSED): OnsiteEmailEvent.FUNDING_WITHDRAWN,
}


def funding_refusal(registration: Registration, *, meeting: Meeting | None = None):
    """Why `registration` cannot have a funded place (the meeting offers none, it has no
    delegation, it attends online, or it is cancelled, rejected or declined): a
    FundingError, or None. `meeting` is the registration's, when already read."""
    meeting = meeting or registration.meeting
    if not meeting.funded_places_per_delegation:
        return FundingError("no_funded_places", gettext("This meeting offers no funded places."))
    if registration.delegation_id is None:
        return FundingError(
            "no_delegation",
            gettext(
                "Funded places are for the delegations of partners; this registration has none."
            ),
        )
    if registration.participation != Participation.IN_PERSON:
        return FundingError(
            "not_in_person",
            gettext("Funded places cover the journey: they are for delegates attending in person."),
        )
    if registration.status not in FUNDING_COUNTED_STATUSES:
        return FundingError(
            "inactive",
            gettext("A cancelled, rejected or declined registration cannot have a funded place."),
        )
    return None


def may_request_funding(
    registration: Registration, funding: FundingRequest | None, *, actor, meeting: Meeting
) -> bool:
    """Whether `actor` (None: the delegate, through the personal link) may ask now for a
    funded place for `registration` of `meeting`, whose request is `funding` (None when
    it has none): what the pages offer, request_funding deciding. Reads nothing more."""
    if _requester_refusal(registration, actor, meeting=meeting):
        return False
    if funding_refusal(registration, meeting=meeting):
        return False
    return funding is None or funding.status == F.REFUSED


def _requester_refusal(
    registration: Registration, actor, *, meeting: Meeting | None = None
) -> FundingError | None:
    meeting = meeting or registration.meeting
    if actor is None:
        if meeting.delegates_may_request_funding:
            return None
        return FundingError(
            "forbidden",
            gettext("For this meeting, your delegation's focal point asks for funded places."),
        )
    if can_request_funding(actor, registration):
        return None
    return FundingError(
        "forbidden", gettext("You may not ask for a funded place for this registration.")
    )


def request_funding(registration: Registration, *, actor) -> FundingRequest:
    """Ask for a funded place for `registration`, on behalf of `actor`: the focal point of
    its delegation or the Secretariat, or None for the delegate on their personal page
    (only when the meeting lets delegates ask). Audited on the registration.

    After a refusal, asking again reopens the request (set_funding_status, to
    "requested"). Raises FundingError: "forbidden", "no_funded_places",
    "no_delegation", "not_in_person", "inactive", "already_requested",
    "already_granted", and FundingBusyError ("busy") when the meeting's lock is not
    granted in time."""
    refusal = _requester_refusal(registration, actor)
    if refusal:
        raise refusal
    with transaction.atomic():
        # Under the meeting's lock, so that a registration cancelled at the same moment
        # is seen as cancelled, and two askers at once make one request.
        _lock_meeting(registration.meeting, busy=FundingBusyError)
        registration = Registration.objects.select_related("meeting", "delegation").get(
            pk=registration.pk
        )
        refusal = funding_refusal(registration)
        if refusal:
            raise refusal
        funding = FundingRequest.objects.filter(registration=registration).first()
        if funding is None:
            funding = FundingRequest.objects.create(
                registration=registration, requested_by=_person(actor)
            )
            record_audit_entry(
                registration,
                actor=actor,
                action=OnsiteAuditAction.FUNDING_REQUESTED,
                to_state=F.REQUESTED.value,
            )
            return funding
        if funding.status == F.REQUESTED:
            raise FundingError(
                "already_requested",
                gettext("A funded place is already requested for this registration."),
            )
        if funding.status == F.GRANTED:
            raise FundingError(
                "already_granted",
                gettext("A funded place is already granted to this registration."),
            )
        return set_funding_status(funding, F.REQUESTED, actor=actor)


def set_funding_status(
    funding_request: FundingRequest, new_status: str, *, actor, reason: str = ""
) -> FundingRequest:
    """The one door for a funding request's status (FUNDING_TRANSITIONS).

    A decision (granted, refused) is the Secretariat's (can_decide_funding); asking
    again after a refusal ("requested") is the requester's (request_funding). Under the
    meeting's lock, a grant counts the delegation's granted places whose registration
    is still active and is refused beyond the meeting's funded places per delegation;
    a refusal (or the withdrawal of a grant) needs a reason. Saves with update_fields,
    writes the audit entry on the registration (who, from, to, why) and emails the
    delegate in their language after commit (FUNDING_EMAILS). Raises FundingError:
    "forbidden", "reason_required", "transition", "no_place_left", the refusals of
    funding_refusal (but for a refusal), and FundingBusyError ("busy")."""
    new_status = F(new_status)
    reason = reason.strip()
    registration = funding_request.registration
    if new_status == F.REQUESTED:
        refusal = _requester_refusal(registration, actor)
        if refusal:
            raise refusal
    elif not can_decide_funding(actor, registration.meeting):
        raise FundingError(
            "forbidden", gettext("Only the Secretariat grants or refuses funded places.")
        )
    if new_status == F.REFUSED and not reason:
        raise FundingError("reason_required", gettext("Give a reason: the delegate is told why."))
    with transaction.atomic():
        _lock_meeting(registration.meeting, busy=FundingBusyError)
        funding_request = (
            FundingRequest.objects.select_for_update(of=("self",))
            .select_related("registration__meeting", "registration__delegation")
            .get(pk=funding_request.pk)
        )
        registration = funding_request.registration
        meeting = registration.meeting
        old_status = F(funding_request.status)
        if new_status not in FUNDING_TRANSITIONS[old_status]:
            raise FundingError(
                "transition",
                gettext("A funding request cannot go from “%(old)s” to “%(new)s”.")
                % {"old": old_status.label, "new": new_status.label},
            )
        if new_status != F.REFUSED:
            refusal = funding_refusal(registration)
            if refusal:
                raise refusal
        if new_status == F.GRANTED:
            offered = meeting.funded_places_per_delegation
            if granted_funded_places(meeting, registration.delegation_id) >= offered:
                raise FundingError(
                    "no_place_left",
                    ngettext(
                        "%(delegation)s: the delegation's %(count)d funded place is "
                        "already granted.",
                        "%(delegation)s: the delegation's %(count)d funded places are "
                        "already granted.",
                        offered,
                    )
                    % {"delegation": registration.delegation.name, "count": offered},
                )
        funding_request.status = new_status
        if new_status == F.REQUESTED:
            funding_request.requested_by = _person(actor)
            funding_request.decided_by = None
            funding_request.decided_at = None
            funding_request.reason = ""
        else:
            funding_request.decided_by = _person(actor)
            funding_request.decided_at = timezone.now()
            funding_request.reason = reason
        funding_request.save(
            update_fields=[
                "status",
                "requested_by",
                "decided_by",
                "decided_at",
                "reason",
                "updated_at",
            ]
        )
        record_audit_entry(
            registration,
            actor=actor,
            action=OnsiteAuditAction.FUNDING_STATUS,
            from_state=old_status.value,
            to_state=new_status.value,
            reason=reason,
        )
        event = FUNDING_EMAILS.get((old_status, new_status))
        if event:
            queue_delegate_email(registration, event, reason=reason)
    return funding_request


def grant_funding(funding_request: FundingRequest, *, actor, note: str = "") -> FundingRequest:
    """Grant the funded place asked for (or reconsider a refusal), within the delegation's
    number; `note` optional, told to the delegate. See set_funding_status."""
    return set_funding_status(funding_request, F.GRANTED, actor=actor, reason=note)


def refuse_funding(funding_request: FundingRequest, *, actor, reason: str) -> FundingRequest:
    """Refuse the request, or withdraw the place granted; `reason` required, told to the
    delegate. See set_funding_status."""
    return set_funding_status(funding_request, F.REFUSED, actor=actor, reason=reason)


def _person(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


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


# --- visa support letters ----------------------------------------------------------------

# Stored in English (audit reasons of the system are), translated where they are shown.
REPLACED_REASON = gettext_noop("Replaced by a new letter.")
NO_LONGER_APPROVED_REASON = gettext_noop("The registration is no longer approved.")
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


def withdraw_visa_letters_of_unapproved(registration: Registration, *, actor) -> int:
    """Withdraw the valid letter of a registration that has just left "approved"
    (cancelled or rejected): a letter vouches for an approved
    delegate, and the consulate checking it must learn at once that it no longer does.
    Runs in the transaction of the status change (receivers.py), which already holds
    the meeting's lock; returns how many letters were withdrawn (0 or 1)."""
    letters = VisaLetter.objects.select_for_update().filter(
        registration=registration, status=VisaLetterStatus.VALID
    )
    withdrawn = 0
    for letter in letters:
        letter.registration = registration
        set_visa_letter_status(
            letter, VisaLetterStatus.WITHDRAWN, actor=actor, reason=NO_LONGER_APPROVED_REASON
        )
        withdrawn += 1
    return withdrawn


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
                    event=OnsiteEmailEvent.TRAVEL_REMINDER,
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


# --- Check-in at the door -----------------------------------------------------------

# A device's clock may be wrong; a scan said to be later than this ahead of the server's
# clock is taken as made on receipt.
CLOCK_SKEW = timedelta(minutes=5)
# What a QR code of Convene looks like (tokens.make_confirmation_token): "1.<ref>.<id>:<sig>".
# Anything else is not a Convene code at all, which the door says differently.
CONFIRMATION_TOKEN_SHAPE = re.compile(r"\A\d+\.[A-Za-z0-9]+\.\d+:[A-Za-z0-9_-]+\Z")


def new_checkin_token() -> str:
    # 256 random bits; only its SHA-256 is stored (tokens.sha256_hex).
    return secrets.token_urlsafe(32)


def _check_device(device: CheckinDevice) -> None:
    """The model's own checks (a name with invisible or control characters…) as the
    service's error, so that every caller answers a sentence rather than a 500."""
    try:
        device.full_clean()
    except ValidationError as refusal:
        raise CheckinError("invalid", " ".join(refusal.messages), field="name") from None


def add_checkin_device(meeting: Meeting, *, actor, name: str) -> CheckinDevice:
    """A device for `meeting`'s door, named by `actor` as they sign in to check-in
    (can_use_checkin). Audited on the device."""
    if not can_use_checkin(actor, meeting):
        raise CheckinError("forbidden", gettext("You do not check people in at this meeting."))
    name = " ".join(name.split())
    if not name:
        raise CheckinError("invalid", gettext("Give this device a name."), field="name")
    with transaction.atomic():
        device = CheckinDevice(meeting=meeting, name=name[:80], user=actor)
        _check_device(device)
        device.save()
        record_audit_entry(
            device, actor=actor, action=OnsiteAuditAction.CHECKIN_DEVICE_ADDED, to_state=device.name
        )
    return device


def issue_checkin_api_token(meeting: Meeting, *, actor, name: str) -> tuple[CheckinDevice, str]:
    """A device for a scanner that speaks the JSON API, and its token: returned once, in
    clear, and stored only as its hash (can_manage_checkin_devices)."""
    if not can_manage_checkin_devices(actor, meeting):
        raise CheckinError("forbidden", gettext("Only the Secretariat issues API tokens."))
    name = " ".join(name.split())
    if not name:
        raise CheckinError("invalid", gettext("Give this device a name."), field="name")
    token = new_checkin_token()
    with transaction.atomic():
        device = CheckinDevice(
            meeting=meeting, name=name[:80], user=actor, token_hash=sha256_hex(token)
        )
        _check_device(device)
        device.save()
        record_audit_entry(
            device, actor=actor, action=OnsiteAuditAction.CHECKIN_TOKEN_ISSUED, to_state=device.name
        )
    return device, token


def revoke_checkin_device(device: CheckinDevice, *, actor) -> CheckinDevice:
    """Refuse the device from now on: its page, its token, and whatever it still holds
    unsent (a lost phone's queue is not trusted). Revoking twice changes nothing."""
    if not can_manage_checkin_devices(actor, device.meeting):
        raise CheckinError("forbidden", gettext("Only the Secretariat revokes devices."))
    with transaction.atomic():
        updated = CheckinDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if updated:
            record_audit_entry(device, actor=actor, action=OnsiteAuditAction.CHECKIN_DEVICE_REVOKED)
    device.refresh_from_db()
    return device


def record_device_contact(device: CheckinDevice, *, queued_count: int | None = None) -> None:
    """The device spoke to the server now, holding `queued_count` check-ins unsent (None:
    it did not say). One UPDATE, no lock: the last contact wins."""
    values = {"last_seen_at": timezone.now()}
    if queued_count is not None:
        values["queued_count"] = max(0, min(int(queued_count), 1_000_000))
    CheckinDevice.objects.filter(pk=device.pk).update(**values)


@dataclass(frozen=True)
class CheckinAnswer:
    """What the door answers a scan: `outcome` (CheckinOutcome), the registration when
    the code named one of this meeting, the day's attendance when the person is in,
    and whether this was a replay of a scan already received (nothing changed)."""

    outcome: str
    scan: CheckinScan
    registration: Registration | None = None
    attendance: Attendance | None = None
    replayed: bool = False

    @property
    def admitted(self) -> bool:
        return self.outcome in (CheckinOutcome.WELCOME, CheckinOutcome.ALREADY_IN)


def _identify(meeting: Meeting, *, code: str, reference: str) -> tuple[Registration | None, str]:
    """The registration a scanned code or a searched reference names, and "" when it is
    admitted, else the refusal's CheckinOutcome."""
    if reference:
        registration = (
            Registration.objects.select_related("meeting", "delegation")
            .filter(meeting=meeting, reference=reference.strip().upper())
            .first()
        )
        if registration is None:
            return None, CheckinOutcome.UNKNOWN
        try:
            check_confirmation(registration, meeting=meeting)
        except TokenRefused as refusal:
            return registration, refusal.code
        return registration, ""
    code = (code or "").strip()
    if not CONFIRMATION_TOKEN_SHAPE.match(code):
        return None, CheckinOutcome.GARBAGE
    try:
        return read_confirmation_token(code, meeting=meeting), ""
    except TokenRefused as refusal:
        return None, refusal.code


def _plausible_scan_time(scanned_at: datetime.datetime | None, now: datetime.datetime):
    if scanned_at is None or timezone.is_naive(scanned_at) or scanned_at > now + CLOCK_SKEW:
        return now
    return scanned_at


def record_checkin(
    device: CheckinDevice,
    *,
    client_id,
    scanned_at: datetime.datetime | None = None,
    code: str = "",
    reference: str = "",
    actor=None,
) -> CheckinAnswer:
    """Check in whoever `code` (a scanned QR code) or `reference` (a search result
    tapped) names, at `device`'s meeting, on the venue's day of `scanned_at` (the
    device's clock; the server's when absent or ahead of it).

    Idempotent by (`device`, `client_id`): a scan received again answers as the first
    time and changes nothing. At most one Attendance per person and day, whatever the
    devices and their timing (the unique constraint decides a race); it keeps the
    earliest scan's time and device. Raises CheckinError("revoked") for a revoked
    device, ("forbidden") when `actor` may not check in at the meeting."""
    meeting = device.meeting
    if device.is_revoked:
        raise CheckinError("revoked", gettext("This device has been revoked."))
    if actor is not None and not can_use_checkin(actor, meeting):
        raise CheckinError("forbidden", gettext("You do not check people in at this meeting."))
    # No read before the writes: a scan is new, and its person not yet in, far more often
    # than not. The first try writes as if so, in one transaction; a unique constraint
    # refuses it otherwise (the person is in: one attendance per day; the scan was
    # received before: one per device and id), which rolls back all it wrote. The second
    # try reads what is there. Fewer round trips to the database is what keeps the door
    # fast when the machine is busy.
    now = timezone.now()
    scanned_at = _plausible_scan_time(scanned_at, now)
    registration, outcome = _identify(meeting, code=code, reference=reference)
    day = None
    if registration is not None and not outcome:
        day = venue_day(scanned_at, meeting)
        if not meeting.is_held_on(day):
            outcome, day = CheckinOutcome.NOT_TODAY, None
    scanned_by = actor if getattr(actor, "is_authenticated", False) else None

    def store_scan(outcome: str) -> CheckinScan:
        return CheckinScan.objects.create(
            device=device,
            client_id=client_id,
            registration=registration,
            outcome=outcome,
            scanned_at=scanned_at,
            scanned_by=scanned_by,
        )

    try:
        with transaction.atomic():
            attendance = None
            if day is not None:
                attendance = Attendance.objects.create(
                    registration=registration,
                    meeting_id=registration.meeting_id,
                    day=day,
                    checked_in_at=scanned_at,
                    device=device,
                    checked_in_by=scanned_by,
                )
                outcome = CheckinOutcome.WELCOME
            scan = store_scan(outcome)
        return CheckinAnswer(outcome, scan, registration=registration, attendance=attendance)
    except IntegrityError:
        pass
    try:
        # One transaction for the attendance and the scan: the same scan sent twice (at
        # once or later) makes one attendance and one scan row, and both answers are the
        # one that made them (the second waits on the first's rows, then reads them).
        with transaction.atomic():
            attendance = None
            if day is not None:
                attendance, created = _attend(
                    registration, day, scanned_at, device=device, actor=actor
                )
                outcome = CheckinOutcome.WELCOME if created else CheckinOutcome.ALREADY_IN
            scan = store_scan(outcome)
    except IntegrityError:
        # The same scan received again (a replayed queue, or a retry racing its
        # original): the one stored first answers both, and nothing else changed.
        earlier = _scan_answer(device, client_id)
        if earlier is None:
            raise
        return earlier
    return CheckinAnswer(outcome, scan, registration=registration, attendance=attendance)


def _attend(registration: Registration, day, scanned_at, *, device, actor):
    """The day's Attendance of `registration` and whether this scan made it. A scan made
    earlier than the one recorded (a queue sent late) moves the time back to it. Called
    inside record_checkin's transaction (get_or_create keeps its own savepoint for the
    insert that a concurrent one may beat)."""
    attendance, created = Attendance.objects.select_related("device").get_or_create(
        registration=registration,
        day=day,
        defaults={
            "meeting_id": registration.meeting_id,
            "checked_in_at": scanned_at,
            "device": device,
            "checked_in_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    if not created and scanned_at < attendance.checked_in_at:
        # Conditional: of two late scans, whichever is earlier stays, in any order.
        Attendance.objects.filter(pk=attendance.pk, checked_in_at__gt=scanned_at).update(
            checked_in_at=scanned_at, device=device
        )
        attendance.refresh_from_db()
    return attendance, created


def _scan_answer(device: CheckinDevice, client_id) -> CheckinAnswer | None:
    scan = (
        CheckinScan.objects.select_related("registration__delegation", "registration__meeting")
        .filter(device=device, client_id=client_id)
        .first()
    )
    if scan is None:
        return None
    attendance = None
    if scan.registration_id is not None and scan.outcome in (
        CheckinOutcome.WELCOME,
        CheckinOutcome.ALREADY_IN,
    ):
        day = venue_day(scan.scanned_at, device.meeting)
        attendance = (
            Attendance.objects.select_related("device")
            .filter(registration_id=scan.registration_id, day=day)
            .first()
        )
    return CheckinAnswer(
        scan.outcome, scan, registration=scan.registration, attendance=attendance, replayed=True
    )


# --- Attendance sheets ----------------------------------------------------------------


def record_attendance_sheet_download(
    meeting: Meeting, *, actor, day: datetime.date, rows: int
) -> None:
    """Audit that `actor` downloaded the attendance sheet of `day` (the names and
    functions of every delegate expected leave Convene), as the logistics export is.
    Raises CheckinError("forbidden")."""
    if not can_view_attendance(actor, meeting):
        raise CheckinError("forbidden", gettext("You may not read the attendance of this meeting."))
    record_audit_entry(
        meeting,
        actor=actor,
        action=OnsiteAuditAction.ATTENDANCE_SHEET_DOWNLOADED,
        from_state=day.isoformat(),
        to_state=str(rows),
    )


# --- walk-ins -----------------------------------------------------------------------


# The device a Secretariat officer's walk-ins are checked in with, one per officer and
# meeting: the door's log says "Desk (walk-ins)" rather than a phone's name. Both
# languages' names are looked for, so that switching language does not make a second.
WALK_IN_DEVICE_NAME = gettext_noop("Desk (walk-ins)")
# The delegate's "received" or "waiting list" email of the entry, superseded at once by
# the approval's: a walk-in gets one email, the approval with their confirmation.
SUPERSEDED_BY_APPROVAL = (RegistrationEvent.RECEIVED, RegistrationEvent.WAITLISTED)


def walk_in_device(meeting: Meeting, *, actor) -> CheckinDevice:
    """`actor`'s "Desk (walk-ins)" device at `meeting`: the one not revoked, else a new
    one (add_checkin_device, audited)."""
    names = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(gettext(WALK_IN_DEVICE_NAME))
    device = (
        CheckinDevice.objects.select_related("meeting")
        .filter(
            meeting=meeting,
            user=actor,
            name__in=names,
            token_hash__isnull=True,
            revoked_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if device is not None:
        return device
    return add_checkin_device(meeting, actor=actor, name=gettext(WALK_IN_DEVICE_NAME))


def register_walk_in(
    meeting: Meeting, *, actor, data: dict, check_in: bool = True, override_reason: str = ""
) -> Registration:
    """Register and approve at the desk, in one step, a person who turns up: `data` as
    forms.WalkInForm cleans it (the back-office entry's fields). The Secretariat only
    (can_register_walk_in).

    Entered as the Secretariat's source without a verification email
    (submit_registration), then approved through approve_registration, so the quotas
    apply: with no place free, RegistrationError "quota" comes back as WalkInError
    "quota" on the `override_reason` field, unless an `override_reason` is given, which
    is recorded (the one way over a quota). With `check_in`, today's attendance is
    recorded by reference with the actor's "Desk (walk-ins)" device (walk_in_device);
    outside the meeting's days the registration stands and no attendance is made.
    Audited WALK_IN_REGISTERED on the registration. One transaction: a refusal leaves
    nothing behind. The person gets the approval's email only (the entry's "received"
    or "waiting list" email is dropped before it leaves).
    Raises WalkInError ("forbidden", and the registration codes: "duplicate" on email,
    "ineligible", "delegation", "quota"...), BusyError (TryAgainLater) when the
    meeting's lock is not granted in time."""
    if not can_register_walk_in(actor, meeting):
        raise WalkInError(
            "forbidden", gettext("Only the Secretariat registers people at the desk.")
        )
    try:
        with transaction.atomic():
            registration = submit_registration(
                meeting, data=data, source=Source.SECRETARIAT, actor=actor
            )
            if registration.status != RegistrationStatus.APPROVED:
                registration = approve_registration(
                    registration, actor=actor, override_reason=override_reason
                )
                discard_unsent_notifications(registration, SUPERSEDED_BY_APPROVAL)
            record_audit_entry(
                registration, actor=actor, action=OnsiteAuditAction.WALK_IN_REGISTERED
            )
            if check_in:
                record_checkin(
                    walk_in_device(meeting, actor=actor),
                    client_id=uuid.uuid4(),
                    reference=registration.reference,
                    actor=actor,
                )
    except BusyError:
        raise
    except RegistrationError as error:
        raise WalkInError(error.code, error.message, field=error.field) from error
    return registration
