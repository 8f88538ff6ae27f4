from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BadgeCategory(models.TextChoices):
    """What a badge says its bearer is, as a word and a colour band (badges.py maps the
    registration to it). The words are short: they are printed in capitals on the band."""

    DELEGATION = "delegation", pgettext_lazy("badge category", "Delegation")
    OBSERVER = "observer", pgettext_lazy("badge category", "Observer")
    ORGANISER = "organiser", pgettext_lazy("badge category", "Organiser")
    SECRETARIAT = "secretariat", pgettext_lazy("badge category", "Secretariat")
    PRESS = "press", pgettext_lazy("badge category", "Press")
    STAFF = "staff", pgettext_lazy("badge category", "Staff")


class BadgeLayout(models.TextChoices):
    A6 = "a6", pgettext_lazy("badge layout", "A6, one badge per page")
    A4 = "a4", pgettext_lazy("badge layout", "A4, four badges per sheet with crop marks")


# What the audit entries written by onsite record (onsite.audit says how each reads).
# The codes are stored: never rename one.
class OnsiteAuditAction(models.TextChoices):
    BADGES_PRINTED = "onsite.badges_printed", _("Badges printed")
    TRAVEL_SAVED = "onsite.travel_saved", _("Travel details saved")
    TRAVEL_REMINDED = "onsite.travel_reminded", _("Reminded to give travel details")
    LOGISTICS_EXPORTED = "onsite.logistics_exported", _("Logistics list exported")


class BadgeBatchStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("badge batch status", "Waiting for the task worker")
    RUNNING = "running", pgettext_lazy("badge batch status", "Being generated")
    DONE = "done", pgettext_lazy("badge batch status", "Ready")
    FAILED = "failed", pgettext_lazy("badge batch status", "Failed")


class FundingStatus(models.TextChoices):
    """A request for a funded place; changes only through onsite.services (one door)."""

    REQUESTED = "requested", pgettext_lazy("funding status", "Requested")
    GRANTED = "granted", pgettext_lazy("funding status", "Granted")
    REFUSED = "refused", pgettext_lazy("funding status", "Refused")


class MeansOfTravel(models.TextChoices):
    FLIGHT = "flight", pgettext_lazy("means of travel", "Flight")
    TRAIN = "train", pgettext_lazy("means of travel", "Train")
    ROAD = "road", pgettext_lazy("means of travel", "Road")
    OTHER = "other", pgettext_lazy("means of travel", "Other")


# The kinds of email the onsite outbox sends (OnsiteEmail.event). Stored: never rename one.
class OnsiteEmailKind(models.TextChoices):
    TRAVEL_REMINDER = "travel_reminder", _("Your travel details, please")
