from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from convene.core.encryption import EncryptedDateField, EncryptedTextField
from convene.core.identifiers import random_upload_path
from convene.core.models import OutboxEmail, TimeStampedModel
from convene.meetings.models import Meeting
from convene.registrations.models import Registration

from .enums import BadgeBatchStatus, BadgeLayout, FundingStatus, OnsiteEmailEvent


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
            )
        ]
