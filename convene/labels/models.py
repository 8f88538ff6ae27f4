from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from convene.core.bilingual import Translated
from convene.core.identifiers import random_reference, random_upload_path
from convene.core.models import OutboxEmail, TimeStampedModel
from convene.core.validators import validate_single_line
from convene.dialogues.models import Dialogue, Domain, Objective, Partner
from convene.meetings.models import Meeting

from .enums import ActivityFormat, ActivityType, DecidingBody, ProposalEvent, ProposalStatus


def new_proposal_reference() -> str:
    return random_reference(6, prefix="L-")


def proposal_file_path(proposal, filename):
    return random_upload_path("proposals", filename)


class LabelProposal(TimeStampedModel):
    """A partner's proposal of an activity for the Dialogue's label.

    `status` changes only through `convene.labels.services.set_proposal_status` (and the
    services built on it), which checks the transition and the actor, writes the audit
    entry and queues the emails.
    """

    # Fields whose English and French versions must both be filled to submit.
    BILINGUAL_REQUIRED = ("title", "description")

    dialogue = models.ForeignKey(
        Dialogue,
        on_delete=models.PROTECT,
        related_name="label_proposals",
        verbose_name=_("dialogue"),
    )
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_proposal_reference
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    title_en = models.CharField(
        _("title (English)"), max_length=250, blank=True, validators=[validate_single_line]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=250, blank=True, validators=[validate_single_line]
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    activity_type = models.CharField(
        _("type of activity"),
        max_length=16,
        choices=ActivityType.choices,
        default=ActivityType.MEETING,
    )
    lead_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="led_proposals",
        verbose_name=_("lead partner"),
    )
    co_organisers = models.ManyToManyField(
        Partner,
        blank=True,
        related_name="co_organised_proposals",
        verbose_name=_("co-organising partners"),
    )
    starts_on = models.DateField(_("proposed first day"), null=True, blank=True)
    ends_on = models.DateField(_("proposed last day"), null=True, blank=True)
    format = models.CharField(
        _("format"), max_length=12, choices=ActivityFormat.choices, default=ActivityFormat.IN_PERSON
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("City and country."),
        validators=[validate_single_line],
    )
    expected_participants = models.PositiveIntegerField(
        _("expected participants"), null=True, blank=True
    )
    participant_profile = models.TextField(_("profile of the participants"), blank=True)
    objectives_and_results = models.TextField(_("objectives and expected results"), blank=True)
    domains = models.ManyToManyField(
        Domain, blank=True, related_name="label_proposals", verbose_name=_("action-plan domains")
    )
    objectives = models.ManyToManyField(
        Objective,
        blank=True,
        related_name="label_proposals",
        verbose_name=_("action-plan objectives"),
    )
    funded_by_lead_partner = models.BooleanField(_("funded by the lead partner"), default=True)
    support_expertise = models.BooleanField(
        _("expertise requested from the Secretariat"), default=False
    )
    support_logistics = models.BooleanField(
        _("logistics requested from the Secretariat"), default=False
    )
    support_funds = models.BooleanField(_("funds requested from the Secretariat"), default=False)
    support_details = models.TextField(_("details of the support requested"), blank=True)
    concept_note = models.FileField(_("concept note"), upload_to=proposal_file_path, blank=True)
    draft_agenda = models.FileField(_("draft agenda"), upload_to=proposal_file_path, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # The Secretariat's review checklist.
    check_alignment = models.BooleanField(_("aligned with the action plan"), default=False)
    check_partner_led = models.BooleanField(_("partner-led and partner-funded"), default=False)
    check_relevance = models.BooleanField(_("relevant to the Dialogue"), default=False)
    check_feasibility = models.BooleanField(_("feasible"), default=False)
    # The decision.
    decided_by = models.CharField(
        _("deciding body"), max_length=24, choices=DecidingBody.choices, blank=True
    )
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)
    decision_reference = models.CharField(
        _("reference of the decision"),
        max_length=120,
        blank=True,
        validators=[validate_single_line],
    )
    meeting = models.OneToOneField(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="label_proposal",
        verbose_name=_("meeting"),
    )

    title = Translated()
    description = Translated()

    class Meta:
        verbose_name = _("label proposal")
        verbose_name_plural = _("label proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="labels_proposal_ends_after_start",
                condition=models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                violation_error_message=_("The last day cannot be before the first day."),
            ),
            models.CheckConstraint(
                name="labels_proposal_decision_recorded",
                condition=~models.Q(
                    status__in=[ProposalStatus.LABELLED, ProposalStatus.NOT_LABELLED]
                )
                | (~models.Q(decided_by="") & models.Q(decided_on__isnull=False)),
                violation_error_message=_("A decision names its deciding body and date."),
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_on"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("labels:proposal", kwargs={"reference": self.reference})

    @property
    def year(self):
        return self.starts_on.year if self.starts_on else None

    @property
    def checklist_complete(self) -> bool:
        return all(
            (
                self.check_alignment,
                self.check_partner_led,
                self.check_relevance,
                self.check_feasibility,
            )
        )


class ProposalComment(models.Model):
    """A message between the Secretariat and the proposer, on the proposal."""

    proposal = models.ForeignKey(LabelProposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.proposal.reference} · {self.author}"


class ProposalEmail(OutboxEmail):
    """An email owed about a proposal, one per recipient (see OutboxEmail).

    A mail server that is down loses nothing: send_pending_notifications tries again.
    """

    event_kinds = ProposalEvent

    proposal = models.ForeignKey(LabelProposal, on_delete=models.CASCADE, related_name="emails")
    reason = models.TextField(_("reason"), blank=True)

    class Meta(OutboxEmail.Meta):
        verbose_name = _("proposal email")
        verbose_name_plural = _("proposal emails")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="labels_email_pending",
            )
        ]
