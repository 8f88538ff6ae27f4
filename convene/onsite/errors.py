from django.utils.translation import gettext

from convene.core.errors import TryAgainLater


class BadgeError(Exception):
    """A refused badge operation: machine `code`, translated `message`, and the form
    `field` at fault when there is one."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class FundingError(Exception):
    """A refused operation on a funded place: machine `code`, translated `message`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class FundingBusyError(FundingError, TryAgainLater):
    """The meeting's lock was not granted in time: nothing was saved; try again shortly."""

    def __init__(self):
        super().__init__("busy", gettext("Convene is very busy; try again in a moment."))


class PassportError(Exception):
    """Passport data refused: machine `code`, translated `message`, and the form `field`
    at fault when there is one.

    Codes: "not_offered", "not_asked", "cancelled", "rejected", "not_approved",
    "invalid" (field set), "forbidden"."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class VisaLetterError(Exception):
    """A refused visa letter operation: machine `code` and translated `message`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class TravelError(Exception):
    """A refused travel operation: machine `code`, translated `message`, and the form
    `field` at fault when there is one."""

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
