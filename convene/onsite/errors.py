from django.utils.translation import gettext

from convene.core.errors import TryAgainLater


class OnsiteError(Exception):
    """A refused onsite operation: machine `code`, translated `message`, and the form
    `field` at fault when there is one (None: the operation as a whole). Each part of
    the app raises its own subclass, so a view catches only what its service raises."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class BadgeError(OnsiteError):
    """A refused badge operation."""


class FundingError(OnsiteError):
    """A refused operation on a funded place."""


class FundingBusyError(FundingError, TryAgainLater):
    """The meeting's lock was not granted in time: nothing was saved; try again shortly."""

    def __init__(self):
        super().__init__("busy", gettext("Convene is very busy; try again in a moment."))


class PassportError(OnsiteError):
    """Passport data refused. Codes: "not_offered", "not_asked", "cancelled", "rejected",
    "not_approved", "invalid" (field set), "forbidden"."""


class VisaLetterError(OnsiteError):
    """A refused visa letter operation."""


class TravelError(OnsiteError):
    """A refused travel operation."""


class CheckinError(OnsiteError):
    """A refused check-in operation (not a scan's answer, which is a CheckinOutcome).
    Codes: "revoked" (the device), "other_meeting" (device of another meeting),
    "forbidden", "invalid" (field set)."""


class WalkInError(OnsiteError):
    """A refused walk-in registration at the desk."""
