from django.utils.translation import gettext

# Seconds a client is asked to wait (Retry-After) when Convene answers 503.
RETRY_AFTER_SECONDS = 5


class TryAgainLater(Exception):
    """Convene cannot do this now but will in a moment: a lock is held too long.

    Answered with 503 and Retry-After (see convene.core.database_unavailable); nothing
    was saved, so the client may send the same request again.
    """

    def __init__(self, message: str | None = None):
        message = message or gettext("Convene is very busy; try again in a moment.")
        super().__init__(message)
        self.message = message
