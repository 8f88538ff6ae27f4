from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Secretariat officer")
    ORGANISER = "organiser", _("Meeting organiser")
    FOCAL_POINT = "focal_point", _("National focal point")
    CHECKIN = "checkin", pgettext_lazy("role", "Check-in staff")


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")
