from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("meeting status", "Draft")
    PUBLISHED = "published", pgettext_lazy("meeting status", "Published")
    CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid (in person or by video-conference)")


class MeetingKind(models.TextChoices):
    THEMATIC = "thematic", _("Thematic meeting")
    SENIOR_OFFICIALS = "senior_officials", _("Senior officials' meeting")
    STEERING_COMMITTEE = "steering_committee", _("Steering Committee meeting")
    MINISTERIAL = "ministerial", _("Ministerial conference")
    WORKSHOP = "workshop", _("Workshop")
    WEBINAR = "webinar", _("Webinar")
    TRAINING = "training", _("Training")
    STUDY_VISIT = "study_visit", _("Study visit")


class RegistrationWindow(models.TextChoices):
    """Where a meeting stands with respect to its registration dates."""

    NOT_SCHEDULED = "not_scheduled", _("Registration dates not yet announced")
    NOT_YET_OPEN = "not_yet_open", _("Registration not yet open")
    OPEN = "open", _("Registration open")
    CLOSED = "closed", _("Registration closed")
