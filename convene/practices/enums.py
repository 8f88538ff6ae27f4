from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PracticeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting moderation")
    PUBLISHED = "published", pgettext_lazy("good practice status", "Published")
    REJECTED = "rejected", pgettext_lazy("good practice status", "Not published")
