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


# What the audit entries written by core record (see core.audit for how they read).
class AuditAction(models.TextChoices):
    SIGN_IN_LOCK_LIFTED = "sign_in_lock_lifted", _("Sign-in lock lifted")
    EMAIL_RESENT = "email_resent", _("Email resent")
