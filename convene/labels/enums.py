from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal status", "Submitted")
    UNDER_REVIEW = "under_review", _("Under review by the Secretariat")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    RECOMMENDED = "recommended", _("Recommended for the label")
    LABELLED = "labelled", pgettext_lazy("proposal status", "Labelled")
    NOT_LABELLED = "not_labelled", _("Not labelled")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal status", "Withdrawn")


class ProposalEvent(models.TextChoices):
    """What a proposal email is about: a transition (the status it reached) or a comment.
    The label is the sentence the email says it with."""

    SUBMITTED = "submitted", _("The proposal was submitted to the Secretariat.")
    UNDER_REVIEW = "under_review", _("The Secretariat is reviewing the proposal.")
    CHANGES_REQUESTED = "changes_requested", _("The Secretariat asks for changes to the proposal.")
    RECOMMENDED = "recommended", _("The Secretariat recommends the proposal for the label.")
    LABELLED = "labelled", _("The activity received the label of the Dialogue.")
    NOT_LABELLED = "not_labelled", _("The activity did not receive the label.")
    WITHDRAWN = "withdrawn", _("The proposal was withdrawn.")
    COMMENT = "comment", _("A new comment was written on the proposal.")


# Where the proposer may still edit the proposal.
EDITABLE_BY_PROPOSER = (ProposalStatus.DRAFT, ProposalStatus.CHANGES_REQUESTED)


class ActivityType(models.TextChoices):
    MEETING = "meeting", pgettext_lazy("activity type", "Meeting")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    TRAINING = "training", _("Training")
    STUDY_VISIT = "study_visit", _("Study visit")
    OTHER = "other", pgettext_lazy("activity type", "Other")


class ActivityFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class DecidingBody(models.TextChoices):
    STEERING_COMMITTEE = "steering_committee", _("Steering Committee")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials' meeting")
    CHAIR = "chair", _("Chair of the Dialogue")
    OTHER = "other", pgettext_lazy("deciding body", "Other")


# What the audit entries written by labels record (labels.audit says how each reads).
# The codes are stored: never rename one.
class ProposalAuditAction(models.TextChoices):
    CREATED = "proposal.created", _("Proposal created")
    STATUS = "proposal.status", _("Proposal status changed")
    UPDATED = "proposal.updated", _("Details changed")
    CHECKLIST = "proposal.checklist", _("Review checklist recorded")
    MEETING_CREATED = "proposal.meeting_created", _("Meeting created")
    IMPORTED = "proposal.imported", _("Labelling record imported")
