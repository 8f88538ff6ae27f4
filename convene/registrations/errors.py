from django.utils.translation import gettext

from convene.core.errors import TryAgainLater


class RegistrationError(Exception):
    """A refused registration operation.

    `code` is stable for machines (API, tests); `message` is translated for people;
    `field` names the form field at fault, when there is one.
    """

    def __init__(self, code: str, message: str, *, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class BusyError(RegistrationError, TryAgainLater):
    """The meeting's lock was not granted in time: nothing was saved; try again shortly."""

    def __init__(self):
        super().__init__("busy", gettext("Convene is very busy; try again in a moment."))
