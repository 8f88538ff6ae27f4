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
    FUNDING_REQUESTED = "onsite.funding_requested", _("Funded place requested")
    FUNDING_STATUS = "onsite.funding_status", _("Funding decision")
    # On the registration; never with any passport value (the audit is read widely).
    PASSPORT_SAVED = "onsite.passport_saved", _("Passport data received")
    PASSPORT_VIEWED = "onsite.passport_viewed", _("Passport data viewed")
    PASSPORT_ERASED = "onsite.passport_erased", _("Passport data erased")
    VISA_LETTER_ISSUED = "onsite.visa_letter_issued", _("Visa support letter issued")
    VISA_LETTER_WITHDRAWN = "onsite.visa_letter_withdrawn", _("Visa support letter withdrawn")
    # A download shows the passport data printed in the letter: logged as a reading of it.
    VISA_LETTER_DOWNLOADED = "onsite.visa_letter_downloaded", _("Visa support letter downloaded")
    VISA_LETTER_SETTINGS_CHANGED = (
        "onsite.visa_letter_settings_changed",
        _("Visa letter settings changed"),
    )
    TRAVEL_SAVED = "onsite.travel_saved", _("Travel details saved")
    TRAVEL_REMINDED = "onsite.travel_reminded", _("Reminded to give travel details")
    LOGISTICS_EXPORTED = "onsite.logistics_exported", _("Logistics list exported")
    # On the check-in device: named (created), revoked, given an API token.
    CHECKIN_DEVICE_ADDED = "onsite.checkin_device_added", _("Check-in device added")
    CHECKIN_DEVICE_REVOKED = "onsite.checkin_device_revoked", _("Check-in device revoked")
    CHECKIN_TOKEN_ISSUED = "onsite.checkin_token_issued", _("Check-in API token issued")
    # On the registration: a person registered and approved at the desk in one step.
    WALK_IN_REGISTERED = "onsite.walk_in_registered", _("Registered at the desk")
    # On the meeting: a day's attendance sheet (names of every delegate) left Convene.
    ATTENDANCE_SHEET_DOWNLOADED = (
        "onsite.attendance_sheet_downloaded",
        _("Attendance sheet downloaded"),
    )


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


# What an email of onsite's outbox (OnsiteEmail) is about; each has its template in
# onsite/email/. The codes are stored: never rename one.
class OnsiteEmailEvent(models.TextChoices):
    FUNDING_GRANTED = "funding_granted", _("Funded place granted")
    FUNDING_REFUSED = "funding_refused", _("Funding request refused")
    FUNDING_WITHDRAWN = "funding_withdrawn", _("Funded place withdrawn")
    TRAVEL_REMINDER = "travel_reminder", _("Your travel details, please")


class VisaLetterStatus(models.TextChoices):
    """A letter's state; changes only through onsite.services.set_visa_letter_status."""

    VALID = "valid", pgettext_lazy("visa letter status", "Valid")
    WITHDRAWN = "withdrawn", pgettext_lazy("visa letter status", "Withdrawn")


class VisaLetterLanguage(models.TextChoices):
    """The consulate's language, which the letter is written in."""

    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class MeansOfTravel(models.TextChoices):
    FLIGHT = "flight", pgettext_lazy("means of travel", "Flight")
    TRAIN = "train", pgettext_lazy("means of travel", "Train")
    ROAD = "road", pgettext_lazy("means of travel", "Road")
    OTHER = "other", pgettext_lazy("means of travel", "Other")


class CheckinOutcome(models.TextChoices):
    """What one scan or tap at the door answered. The codes are stored on CheckinScan
    and sent to the devices: never rename one. The refusals reuse the codes of
    tokens.TokenRefused, plus "garbage" (not a Convene code at all) and "not_today"."""

    WELCOME = "welcome", pgettext_lazy("check-in outcome", "Welcome")
    ALREADY_IN = "already_in", pgettext_lazy("check-in outcome", "Already checked in")
    NOT_APPROVED = "not_approved", pgettext_lazy("check-in outcome", "Not approved")
    REJECTED = "rejected", pgettext_lazy("check-in outcome", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("check-in outcome", "Cancelled")
    OTHER_MEETING = "other_meeting", pgettext_lazy("check-in outcome", "Another meeting")
    UNKNOWN = "unknown", pgettext_lazy("check-in outcome", "Unknown code")
    TAMPERED = "tampered", pgettext_lazy("check-in outcome", "Altered code")
    GARBAGE = "garbage", pgettext_lazy("check-in outcome", "Not a Convene code")
    NOT_TODAY = "not_today", pgettext_lazy("check-in outcome", "Not a day of the meeting")


# The outcomes that admit the bearer (the others are refusals shown in red).
ADMITTED_OUTCOMES = frozenset({CheckinOutcome.WELCOME, CheckinOutcome.ALREADY_IN})
