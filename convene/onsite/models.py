from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from convene.core.identifiers import random_upload_path
from convene.core.models import OutboxEmail, TimeStampedModel
from convene.core.validators import validate_single_line
from convene.meetings.models import Meeting
from convene.registrations.models import Registration

from .enums import BadgeBatchStatus, BadgeLayout, FundingStatus, MeansOfTravel, OnsiteEmailKind
from .validators import validate_travel_number


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

    Read only by the roles allowed to issue letters (onsite.permissions), every reading
    audited; erased some days after the meeting (the letters issued stay verifiable).
    """

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="passport",
        verbose_name=_("registration"),
    )
    date_of_birth = models.DateField(_("date of birth"))
    nationality = models.CharField(_("nationality"), max_length=100)
    passport_number = models.CharField(_("passport number"), max_length=20)
    issue_date = models.DateField(_("date of issue"))
    expiry_date = models.DateField(_("date of expiry"))

    class Meta:
        verbose_name = _("passport data")
        verbose_name_plural = _("passport data")

    def __str__(self):
        # Never the number: this string reaches logs and admin titles.
        return str(self.registration)


class FundingRequest(TimeStampedModel):
    """A request for a funded place (travel and accommodation) for one registration.

    `status` changes only through convene.onsite.services, which counts the delegation's
    granted places under the meeting's lock and writes the audit entry.
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

    def __str__(self):
        return f"{self.registration} · {self.get_status_display()}"

    @property
    def is_granted(self) -> bool:
        return self.status == FundingStatus.GRANTED


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


class OnsiteEmail(OutboxEmail):
    """An email of the onsite app to a delegate (the outbox): pending until `sent_at` is
    set. A travel reminder's row is also the record of when the delegate was reminded
    (the 24-hour rule of services.remind_travel_details reads it)."""

    event_kinds = OnsiteEmailKind

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="onsite_emails",
        verbose_name=_("registration"),
    )

    class Meta(OutboxEmail.Meta):
        verbose_name = _("on-site email")
        verbose_name_plural = _("on-site emails")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="onsite_email_pending",
            ),
            models.Index(fields=["registration", "event", "created_at"]),
        ]
