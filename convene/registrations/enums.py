from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy


class RegistrationStatus(models.TextChoices):
    AWAITING_VERIFICATION = "awaiting_verification", _("Awaiting email verification")
    AWAITING_FOCAL_POINT = "awaiting_focal_point", _("Awaiting the focal point")
    AWAITING_SECRETARIAT = "awaiting_secretariat", _("Awaiting the Secretariat")
    APPROVED = "approved", pgettext_lazy("registration status", "Approved")
    WAITLISTED = "waitlisted", _("On the waiting list")
    DECLINED = "declined", _("Declined by the focal point")
    REJECTED = "rejected", pgettext_lazy("registration status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


# A pending registration holds its place until decided (DOMAIN: nomination practice).
# One awaiting the focal point's endorsement holds none: strangers registering first
# must not fill a delegation ahead of the nominees its government sends. It takes a
# place (or goes to the waiting list) when endorsed.
PLACE_HOLDING = (
    RegistrationStatus.AWAITING_SECRETARIAT,
    RegistrationStatus.APPROVED,
)
# Statuses that block a second registration with the same email for the same meeting
# (in the order of the unique constraint's migration).
ACTIVE = (
    RegistrationStatus.AWAITING_VERIFICATION,
    RegistrationStatus.AWAITING_FOCAL_POINT,
    *PLACE_HOLDING,
    RegistrationStatus.WAITLISTED,
)


class Participation(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class DelegationRole(models.TextChoices):
    HEAD = "head", _("Head of delegation")
    MEMBER = "member", _("Member")
    EXPERT = "expert", _("Expert")


class LevelOfGovernment(models.TextChoices):
    NATIONAL = "national", _("National authority")
    REGIONAL = "regional", _("Regional authority")
    LOCAL = "local", _("Local authority")
    INTERNATIONAL = "international_organisation", _("International organisation")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ACADEMIA = "academia", _("Academia and research")
    OTHER = "other", _("Other")


class PersonTitle(models.TextChoices):
    MS = "ms", _("Ms")
    MR = "mr", _("Mr")
    DR = "dr", _("Dr")
    PROF = "prof", _("Prof.")
    HE = "he", _("H.E.")
    NONE = "", _("(none)")


class Source(models.TextChoices):
    PUBLIC_FORM = "form", _("Registration form")
    API = "api", _("API")
    FOCAL_POINT = "focal_point", _("Nominated by the focal point")
    SECRETARIAT = "secretariat", _("Entered by the Secretariat or the organisers")


# How a registration came, as the reason of its creation's audit entry: stored in English
# (gettext_noop) and translated when shown. A staff entry's own note replaces it.
SOURCE_REASONS = {
    Source.PUBLIC_FORM: gettext_noop("Registered with the form."),
    Source.API: gettext_noop("Registered through the API."),
    Source.FOCAL_POINT: gettext_noop("Nominated by the focal point."),
    Source.SECRETARIAT: gettext_noop("Entered by the Secretariat or the organisers."),
}


# What a registration email is about; each has its template in registrations/email/.
class Event(models.TextChoices):
    VERIFY = "verify", _("Verify your email address")
    RECEIVED = "received", _("Registration received")
    ENDORSED = "endorsed", _("Endorsed by the focal point")
    APPROVED = "approved", _("Registration approved")
    WAITLISTED = "waitlisted", _("On the waiting list")
    PROMOTED = "promoted", _("Promoted from the waiting list")
    DECLINED = "declined", _("Declined by the focal point")
    REJECTED = "rejected", _("Registration not accepted")
    CANCELLED = "cancelled", _("Registration cancelled")
    LINK = "link", _("Your personal link")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    FOCAL_POINT_NEW = "focal_point_new", _("New registration for your delegation")
    # From the waiting list to the focal point, whose endorsement it now awaits.
    FOCAL_POINT_AWAITING = "focal_point_awaiting", _("A registration awaits your endorsement")
    FOCAL_POINT_CANCELLED = "focal_point_cancelled", _("A delegate cancelled their registration")
    # Someone registered again with the address: its owner gets their existing link.
    ALREADY_REGISTERED = "already_registered", _("You are already registered")


class ExportFormat(models.TextChoices):
    CSV = "csv", _("CSV")
    XLSX = "xlsx", _("Excel (XLSX)")


# What the audit entries written by registrations record (registrations.audit says how
# each reads). The codes are stored: never rename one.
class RegistrationAuditAction(models.TextChoices):
    CREATED = "registration.created", _("Registration created")
    STATUS = "registration.status", _("Registration status changed")
    ENDORSED_ON_BEHALF = (
        "registration.endorsed_on_behalf",
        _("Endorsed on the focal point's behalf"),
    )
    PARTICIPATION = "registration.participation", _("Way of attending changed")
    UPDATED = "registration.updated", _("Registration details changed")
    EXPORTED = "registrations_exported", _("Registrations exported")
