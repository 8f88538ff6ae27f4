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
