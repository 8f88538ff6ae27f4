from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.core.enums import Language
from convene.core.identifiers import random_reference, random_upload_path
from convene.core.models import OutboxEmail, TimeStampedModel
from convene.core.validators import validate_single_line
from convene.dialogues.models import Partner
from convene.meetings.enums import Category
from convene.meetings.models import Meeting

from .enums import (
    ACTIVE,
    DelegationRole,
    Event,
    LevelOfGovernment,
    Participation,
    PersonTitle,
    RegistrationStatus,
    Source,
)


def new_reference() -> str:
    return random_reference(8)


def attachment_path(registration, filename):
    return random_upload_path(f"registrations/{registration.meeting_id}", filename)


class Registration(TimeStampedModel):
    """A person's registration to a meeting, for a delegation or an invited category.

    `status` changes only through `convene.registrations.services.set_registration_status`
    (and the services built on it), which checks the transition, holds the meeting's
    lock while places are counted, writes the audit entry and queues the emails.

    `search_text` is the names, email, institution and reference without accents or
    case (services.registration_search_text, kept by the services that write them), so
    that the back-office finds "Traoré" from "traore" on every database. The
    delegation's names are not copied in: a partner renamed in the back-office is found
    by its new name at once (selectors.search_registrations matches them as they are).
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("meeting")
    )
    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_reference)
    status = models.CharField(
        _("status"),
        max_length=24,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.AWAITING_VERIFICATION,
    )
    category = models.CharField(_("represents"), max_length=24, choices=Category.choices)
    delegation = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("delegation"),
    )
    title = models.CharField(
        _("title"), max_length=8, choices=PersonTitle.choices, blank=True, default=""
    )
    first_name = models.CharField(
        _("first name(s) as in the passport"), max_length=100, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("last name as in the passport"), max_length=100, validators=[validate_single_line]
    )
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=20, validators=[validate_single_line])
    institution = models.CharField(
        _("institution"), max_length=200, validators=[validate_single_line]
    )
    function = models.CharField(_("function"), max_length=200, validators=[validate_single_line])
    level_of_government = models.CharField(
        _("level of government"), max_length=32, choices=LevelOfGovernment.choices
    )
    role = models.CharField(
        _("role in the delegation"),
        max_length=8,
        choices=DelegationRole.choices,
        default=DelegationRole.MEMBER,
    )
    participation = models.CharField(
        _("participation"),
        max_length=12,
        choices=Participation.choices,
        default=Participation.IN_PERSON,
    )
    days = models.JSONField(_("days attended"), default=list, blank=True)
    language = models.CharField(
        _("language for emails and documents"),
        max_length=2,
        choices=Language.choices,
        default=Language.EN,
    )
    dietary_needs = models.CharField(
        _("dietary needs"), max_length=300, blank=True, validators=[validate_single_line]
    )
    accessibility_needs = models.CharField(
        _("accessibility needs"), max_length=300, blank=True, validators=[validate_single_line]
    )
    needs_visa_letter = models.BooleanField(_("needs a visa support letter"), default=False)
    consent_processing = models.BooleanField(_("consents to the processing of personal data"))
    consent_participant_list = models.BooleanField(
        _("agrees to appear on the participant list"), default=False
    )
    attachment = models.FileField(
        _("attachment"), upload_to=attachment_path, blank=True, max_length=200
    )
    source = models.CharField(
        _("entered through"), max_length=12, choices=Source.choices, default=Source.PUBLIC_FORM
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    endorsed_at = models.DateTimeField(_("endorsed by the focal point"), null=True, blank=True)
    # Order on the waiting list: when the registration started waiting.
    waitlisted_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    # Put on the list by the Secretariat: not promoted automatically when a place frees.
    waitlisted_by_decision = models.BooleanField(_("waitlisted by decision"), default=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    quota_override_reason = models.TextField(_("quota override reason"), blank=True)
    # Bumped to invalidate every personal link sent before (new link requested).
    link_version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "meeting",
                condition=models.Q(status__in=ACTIVE),
                name="registrations_one_active_per_email_and_meeting",
                violation_error_message=_(
                    "This email address already has a registration for this meeting."
                ),
            ),
            models.CheckConstraint(
                name="registrations_consent_given",
                condition=models.Q(consent_processing=True),
                violation_error_message=_(
                    "Consent to the processing of personal data is required."
                ),
            ),
            models.CheckConstraint(
                name="registrations_partner_categories_have_delegation",
                condition=(
                    models.Q(
                        category__in=[
                            Category.PARTNER_COUNTRY,
                            Category.PARTNER_ORGANISATION,
                            Category.OBSERVER,
                        ],
                        delegation__isnull=False,
                    )
                    | models.Q(
                        category__in=[
                            Category.LOCAL_AUTHORITY,
                            Category.CIVIL_SOCIETY,
                            Category.RESEARCH,
                            Category.PRESS,
                        ],
                        delegation__isnull=True,
                    )
                ),
                violation_error_message=_(
                    "A partner's delegate names the partner; an invited participant does not."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["meeting", "status", "participation"]),
            models.Index(fields=["meeting", "delegation", "status"]),
            models.Index(fields=["meeting", "waitlisted_at", "id"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.full_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def display_name(self) -> str:
        return " ".join(
            part
            for part in (self.get_title_display() if self.title else "", self.full_name)
            if part
        )

    def get_admin_url(self):
        return reverse("admin:registrations_registration_change", args=[self.pk])


class Notification(OutboxEmail):
    """An email owed about a registration (the outbox). Pending until `sent_at` is set."""

    event_kinds = Event

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="notifications"
    )

    class Meta(OutboxEmail.Meta):
        verbose_name = pgettext_lazy("message", "email")
        verbose_name_plural = pgettext_lazy("message", "emails")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="registrations_notif_pending",
            )
        ]
