import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from convene.core.bilingual import Translated
from convene.core.encryption import EncryptedDateField, EncryptedTextField
from convene.core.identifiers import random_upload_path
from convene.core.models import OutboxEmail, TimeStampedModel
from convene.core.validators import validate_single_line
from convene.meetings.models import Meeting
from convene.registrations.models import Registration

from .enums import (
    BadgeBatchStatus,
    BadgeLayout,
    CheckinOutcome,
    FundingStatus,
    MeansOfTravel,
    OnsiteEmailEvent,
    VisaLetterLanguage,
    VisaLetterStatus,
)
from .validators import validate_letterhead, validate_travel_number


class BadgePrint(TimeStampedModel):
    """One print (or reprint) of badges: who, when (created_at), for which meeting, which
    registrations, in which layout, and why when any of them had been printed before.

    Written only by `convene.onsite.services.record_badge_print`, which decides whether
    the print is a reprint under the meeting's lock and writes the audit entry.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="badge_prints", verbose_name=_("meeting")
    )
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("printed by"),
    )
    registrations = models.ManyToManyField(
        Registration, related_name="badge_prints", verbose_name=_("registrations")
    )
    layout = models.CharField(_("layout"), max_length=2, choices=BadgeLayout.choices)
    badge_count = models.PositiveIntegerField(_("badges"))
    is_reprint = models.BooleanField(_("reprint"), default=False)
    reason = models.TextField(_("reason for the reprint"), blank=True)

    class Meta:
        verbose_name = _("badge print")
        verbose_name_plural = _("badge prints")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="onsite_badge_reprint_has_reason",
                condition=models.Q(is_reprint=False) | ~models.Q(reason=""),
                violation_error_message=_("A reprint needs a reason."),
            ),
            models.CheckConstraint(
                name="onsite_badge_print_counts_badges",
                condition=models.Q(badge_count__gte=1),
                violation_error_message=_("A print holds at least one badge."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.created_at:%Y-%m-%d %H:%M} · {self.badge_count}"


def badge_batch_path(batch, filename):
    return random_upload_path(f"badges/{batch.meeting_id}", filename)


class BadgeBatch(TimeStampedModel):
    """A bulk generation of badges by the task worker: its progress (`done` of `total`
    badges) for the page that asked, then its PDF, kept until the meeting's next batch.

    Created by `convene.onsite.services.request_badge_batch` with the print it logs;
    advanced only by `generate_badge_batch`.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="badge_batches", verbose_name=_("meeting")
    )
    badge_print = models.OneToOneField(
        BadgePrint, on_delete=models.PROTECT, related_name="batch", verbose_name=_("badge print")
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=BadgeBatchStatus.choices,
        default=BadgeBatchStatus.QUEUED,
    )
    done = models.PositiveIntegerField(_("badges generated"), default=0)
    total = models.PositiveIntegerField(_("badges"))
    file = models.FileField(_("file"), upload_to=badge_batch_path, blank=True, max_length=200)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("badge batch")
        verbose_name_plural = _("badge batches")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="onsite_badge_batch_done_within_total",
                condition=models.Q(done__lte=models.F("total")),
                violation_error_message=_("A batch cannot generate more badges than it holds."),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.done}/{self.total}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BadgeBatchStatus.DONE, BadgeBatchStatus.FAILED)


class PassportDetails(TimeStampedModel):
    """The passport data a delegate enters for a visa support letter.

    Every field is encrypted at rest (convene.core.encryption: the database holds Fernet
    tokens, the attributes read as str and date). Written only by
    onsite.services.save_passport_details; read only by the roles allowed to issue
    letters (onsite.permissions.can_read_passport_data), every reading audited; erased
    PASSPORT_RETENTION_DAYS after the meeting by erase_expired_passport_data (the letters
    issued stay verifiable). Never searched, sorted, listed or exported.
    """

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="passport",
        verbose_name=_("registration"),
    )
    date_of_birth = EncryptedDateField(_("date of birth"))
    nationality = EncryptedTextField(_("nationality"), max_length=100)
    passport_number = EncryptedTextField(_("passport number"), max_length=20)
    issue_date = EncryptedDateField(_("date of issue"))
    expiry_date = EncryptedDateField(_("date of expiry"))

    class Meta:
        verbose_name = _("passport data")
        verbose_name_plural = _("passport data")

    def __str__(self):
        # Never the number: this string reaches logs and admin titles.
        return str(self.registration)


class FundingRequest(TimeStampedModel):
    """A request for a funded place (travel and accommodation) for one registration.

    Created by `convene.onsite.services.request_funding`; `status` changes only through
    `convene.onsite.services.set_funding_status` (the one door, FUNDING_TRANSITIONS),
    which counts the delegation's granted places under the meeting's lock, writes the
    audit entry on the registration and emails the delegate. A grant counts against
    the delegation's places only while its registration is active: a cancelled or
    rejected registration frees its place without its request changing.
    """

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="funding",
        verbose_name=_("registration"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=FundingStatus.choices,
        default=FundingStatus.REQUESTED,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Empty when the delegate asked from their personal page."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("funding request")
        verbose_name_plural = _("funding requests")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="onsite_funding_refusal_has_reason",
                condition=~models.Q(status=FundingStatus.REFUSED) | ~models.Q(reason=""),
                violation_error_message=_("A refusal needs a reason."),
            ),
            models.CheckConstraint(
                name="onsite_funding_decision_is_dated",
                condition=models.Q(status=FundingStatus.REQUESTED)
                | models.Q(decided_at__isnull=False),
                violation_error_message=_("A decision on funding has a date."),
            ),
        ]

    def __str__(self):
        return f"{self.registration} · {self.get_status_display()}"

    @property
    def is_granted(self) -> bool:
        return self.status == FundingStatus.GRANTED


class OnsiteEmail(OutboxEmail):
    """An email owed about a registration's onsite matters (a funding decision), one
    per recipient: onsite's outbox (see OutboxEmail), sent by onsite.delivery.

    `reason` is the decision's reason as it was when the email was queued: a later
    change of mind sends its own email rather than rewriting this one.
    """

    event_kinds = OnsiteEmailEvent

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="onsite_emails",
        verbose_name=_("registration"),
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta(OutboxEmail.Meta):
        verbose_name = _("on-site email")
        verbose_name_plural = _("on-site emails")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="onsite_email_pending",
            ),
            # The 24-hour rule of the travel reminders reads a delegate's last reminder.
            models.Index(fields=["registration", "event", "created_at"]),
        ]


def letterhead_path(letter_settings, filename):
    return random_upload_path(f"letterheads/{letter_settings.meeting_id}", filename)


class VisaLetterSettings(TimeStampedModel):
    """What a meeting's visa support letters say beyond the delegate and the meeting: the
    letterhead, the issuing institution, the contact and the signatory.

    Written only by `convene.onsite.services.update_visa_letter_settings` (audited). A
    letter is issued only once the signatory is named in both languages' fields."""

    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.CASCADE,
        related_name="visa_letter_settings",
        verbose_name=_("meeting"),
    )
    letterhead = models.FileField(
        _("letterhead"),
        upload_to=letterhead_path,
        blank=True,
        max_length=200,
        validators=[validate_letterhead],
        help_text=_(
            "PNG or JPEG image printed across the top of the letter, at most 2 MB. Without "
            "it, the letter opens with the meeting's organisers in plain type."
        ),
    )
    institution_en = models.CharField(
        _("issuing institution (English)"),
        max_length=250,
        blank=True,
        validators=[validate_single_line],
    )
    institution_fr = models.CharField(
        _("issuing institution (French)"),
        max_length=250,
        blank=True,
        validators=[validate_single_line],
    )
    signatory_name = models.CharField(
        _("signatory's name"), max_length=200, blank=True, validators=[validate_single_line]
    )
    signatory_function_en = models.CharField(
        _("signatory's function (English)"),
        max_length=250,
        blank=True,
        validators=[validate_single_line],
    )
    signatory_function_fr = models.CharField(
        _("signatory's function (French)"),
        max_length=250,
        blank=True,
        validators=[validate_single_line],
    )
    signature_place_en = models.CharField(
        _("place of signature (English)"),
        max_length=120,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The city the letter is signed in, e.g. Brussels."),
    )
    signature_place_fr = models.CharField(
        _("place of signature (French)"),
        max_length=120,
        blank=True,
        validators=[validate_single_line],
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[validate_single_line]
    )

    institution = Translated()
    signatory_function = Translated()
    signature_place = Translated()

    class Meta:
        verbose_name = _("visa letter settings")
        verbose_name_plural = _("visa letter settings")

    def __str__(self):
        return str(self.meeting)

    @property
    def has_signatory(self) -> bool:
        return bool(
            self.signatory_name.strip()
            and self.signatory_function_en.strip()
            and self.signatory_function_fr.strip()
        )


class VisaLetterSequence(models.Model):
    """The last letter number given in a year. Its row is locked while a number is
    allocated, so numbers follow each other without a gap shared or a number reused."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("visa letter numbering")
        verbose_name_plural = _("visa letter numbering")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


def new_verification_code() -> str:
    # 192 random bits: the code is the only key to the public verification page.
    return secrets.token_urlsafe(24)


class VisaLetter(TimeStampedModel):
    """A visa support letter issued to an approved delegate, for the consulate of the
    meeting's host country, in the consulate's language.

    `status` changes only through `convene.onsite.services.set_visa_letter_status` (issue
    and withdrawal are audited). What the public verification page shows is copied here
    when the letter is issued (`holder_name`, the meeting's titles and dates), so the
    page answers the same after the passport data is erased or the meeting edited."""

    registration = models.ForeignKey(
        Registration,
        # A letter a consulate may still check is evidence: it outlives nothing it names.
        on_delete=models.PROTECT,
        related_name="visa_letters",
        verbose_name=_("registration"),
    )
    number = models.CharField(_("number"), max_length=20, unique=True)
    language = models.CharField(_("language"), max_length=2, choices=VisaLetterLanguage.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=VisaLetterStatus.choices,
        default=VisaLetterStatus.VALID,
    )
    verification_code = models.CharField(
        _("verification code"), max_length=64, unique=True, default=new_verification_code
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_on = models.DateField(_("date of the letter"))
    holder_name = models.CharField(_("name"), max_length=250)
    meeting_title_en = models.CharField(_("meeting (English)"), max_length=250)
    meeting_title_fr = models.CharField(_("meeting (French)"), max_length=250)
    meeting_starts_on = models.DateField(_("first day"))
    meeting_ends_on = models.DateField(_("last day"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    meeting_title = Translated()

    class Meta:
        verbose_name = _("visa support letter")
        verbose_name_plural = _("visa support letters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "registration",
                condition=models.Q(status=VisaLetterStatus.VALID),
                name="onsite_one_valid_visa_letter_per_registration",
                violation_error_message=_("This registration already has a valid letter."),
            ),
            models.CheckConstraint(
                name="onsite_visa_letter_withdrawal_recorded",
                condition=models.Q(
                    status=VisaLetterStatus.VALID,
                    withdrawn_at__isnull=True,
                    withdrawal_reason="",
                )
                | (
                    models.Q(status=VisaLetterStatus.WITHDRAWN, withdrawn_at__isnull=False)
                    & ~models.Q(withdrawal_reason="")
                ),
                violation_error_message=_("A withdrawn letter has its date and reason."),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == VisaLetterStatus.VALID

    def get_verification_url(self) -> str:
        """The public page's absolute address, as the QR code carries it."""
        # In the letter's language: the consulate lands on the page in the language it reads.
        with translation.override(self.language):
            path = reverse("onsite:verify_visa_letter", kwargs={"code": self.verification_code})
        return settings.SITE_URL + path


class TravelDetails(TimeStampedModel):
    """How an approved delegate attending in person comes and goes, and the hotel nights
    the Secretariat books: the follow-up form of the personal page.

    Written only by `convene.onsite.services.save_travel_details`, which checks the
    registration is approved and in person, validates the dates against the meeting's
    and writes the audit entry. Moments are stored in UTC and entered and shown at the
    venue (Meeting.tzinfo).
    """

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="travel",
        verbose_name=_("registration"),
    )
    arrival_at = models.DateTimeField(_("arrival"))
    departure_at = models.DateTimeField(_("departure"))
    means = models.CharField(_("means of travel"), max_length=8, choices=MeansOfTravel.choices)
    travel_number = models.CharField(
        _("flight or train number"),
        max_length=20,
        blank=True,
        validators=[validate_single_line, validate_travel_number],
    )
    arriving_at = models.CharField(
        _("arriving at"), max_length=120, blank=True, validators=[validate_single_line]
    )
    hotel_needed = models.BooleanField(_("hotel needed"), default=False)
    # Hotels book by night, from a check-in date to a check-out date: the nights follow.
    hotel_check_in = models.DateField(_("hotel check-in"), null=True, blank=True)
    hotel_check_out = models.DateField(_("hotel check-out"), null=True, blank=True)
    departure_city = models.CharField(
        _("departure city"), max_length=120, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("travel details")
        verbose_name_plural = _("travel details")
        constraints = [
            models.CheckConstraint(
                name="onsite_travel_departure_after_arrival",
                condition=models.Q(departure_at__gt=models.F("arrival_at")),
                violation_error_message=_("The departure must come after the arrival."),
            ),
            models.CheckConstraint(
                name="onsite_travel_hotel_nights_consistent",
                condition=(
                    models.Q(
                        hotel_needed=False,
                        hotel_check_in__isnull=True,
                        hotel_check_out__isnull=True,
                    )
                    | models.Q(
                        hotel_needed=True,
                        hotel_check_in__isnull=False,
                        hotel_check_out__gt=models.F("hotel_check_in"),
                    )
                ),
                violation_error_message=_(
                    "A hotel stay needs a check-in date and a later check-out date."
                ),
            ),
        ]

    def __str__(self):
        return str(self.registration)

    @property
    def nights(self) -> int:
        if not self.hotel_needed or not self.hotel_check_in or not self.hotel_check_out:
            return 0
        return (self.hotel_check_out - self.hotel_check_in).days


class CheckinDevice(TimeStampedModel):
    """A phone or scanner that checks people in at one meeting's door, named by the staff
    member holding it ("Desk 1, Marie's phone"). A browser device is made when staff
    name it on the check-in page (`user` is who did); a scanner of another make gets an
    API token in the back-office, kept here only as its SHA-256 (`token_hash`). Revoked
    devices are refused everything, their queued check-ins included: revoke a lost phone.

    Written only by convene.onsite.services (add, revoke, issue token, record contact)."""

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="checkin_devices",
        verbose_name=_("meeting"),
    )
    name = models.CharField(_("device name"), max_length=80, validators=[validate_single_line])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="checkin_devices",
        verbose_name=_("added by"),
    )
    token_hash = models.CharField(
        _("API token (hashed)"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    last_seen_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    # What the device said it still held unsent at its last contact.
    queued_count = models.PositiveIntegerField(_("check-ins waiting on the device"), default=0)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("check-in device")
        verbose_name_plural = _("check-in devices")
        ordering = ["meeting", "name", "id"]
        constraints = [
            models.CheckConstraint(
                name="onsite_checkin_device_revocation_recorded",
                condition=models.Q(revoked_at__isnull=True, revoked_by__isnull=True)
                | models.Q(revoked_at__isnull=False, revoked_by__isnull=False),
                violation_error_message=_("A revoked device has its date and who revoked it."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Attendance(models.Model):
    """A registration present at the meeting on one day: one row per person and day,
    whatever the number of scans and devices (the unique constraint holds it under
    concurrency). `checked_in_at` is the earliest scan's time among those received,
    and `device` the device that made it."""

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("registration"),
    )
    # The registration's meeting, copied so that the live figures count one table.
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("meeting")
    )
    day = models.DateField(_("day"))
    checked_in_at = models.DateTimeField(_("checked in"))
    device = models.ForeignKey(
        CheckinDevice,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("device"),
    )
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["day", "checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "registration",
                "day",
                name="onsite_one_attendance_per_person_and_day",
                violation_error_message=_("This person is already checked in on this day."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "day"], name="onsite_attendance_meeting_day")]

    def __str__(self):
        return f"{self.registration_id} {self.day}"


class CheckinScan(models.Model):
    """One scan or tap as a device sent it, under the id the device made for it
    (`client_id`): the same id sent again (a retry after a lost answer, a queue replayed)
    finds this row and gets the same answer, changing nothing. Kept as the door's log."""

    device = models.ForeignKey(
        CheckinDevice, on_delete=models.CASCADE, related_name="scans", verbose_name=_("device")
    )
    client_id = models.UUIDField(_("id made on the device"))
    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="checkin_scans",
        verbose_name=_("registration"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=CheckinOutcome.choices)
    scanned_at = models.DateTimeField(_("scanned"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("scanned by"),
    )

    class Meta:
        verbose_name = _("check-in scan")
        verbose_name_plural = _("check-in scans")
        ordering = ["-scanned_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                "device", "client_id", name="onsite_one_scan_per_device_and_client_id"
            ),
        ]

    def __str__(self):
        return f"{self.client_id} {self.outcome}"
