from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PracticeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting moderation")
    PUBLISHED = "published", pgettext_lazy("good practice status", "Published")
    REJECTED = "rejected", pgettext_lazy("good practice status", "Not published")


# What the audit entries written by practices record (practices.audit says how each
# reads). The codes are stored: never rename one.
class PracticeAuditAction(models.TextChoices):
    CREATED = "practice.created", _("Good practice submitted")
    STATUS = "practice.status", _("Good practice status changed")
