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


class Category(models.TextChoices):
    """Whom a delegate represents; the meeting says which categories may register."""

    PARTNER_COUNTRY = "partner_country", _("A partner country")
    PARTNER_ORGANISATION = "partner_organisation", _("A partner organisation")
    OBSERVER = "observer", _("An observer country or organisation")
    LOCAL_AUTHORITY = "local_authority", _("A local authority (invited)")
    CIVIL_SOCIETY = "civil_society", _("Civil society (invited)")
    RESEARCH = "research", _("Research and academia (invited)")
    PRESS = "press", _("The press (invited)")


PARTNER_CATEGORIES = (
    Category.PARTNER_COUNTRY.value,
    Category.PARTNER_ORGANISATION.value,
    Category.OBSERVER.value,
)
INVITED_CATEGORIES = (
    Category.LOCAL_AUTHORITY.value,
    Category.CIVIL_SOCIETY.value,
    Category.RESEARCH.value,
    Category.PRESS.value,
)
CATEGORY_VALUES = tuple(category.value for category in Category)


class ApprovalMode(models.TextChoices):
    FIRST_COME = "first_come", _("Approved in order of arrival while places remain")
    MANUAL = "manual", _("Decided by the Secretariat")


# What the audit entries written by meetings record (meetings.audit says how each reads).
# The codes are stored: never rename one.
class MeetingAuditAction(models.TextChoices):
    STATUS = "meeting.status", _("Meeting status changed")
    CAPACITY = "meeting.capacity", _("Places changed")
