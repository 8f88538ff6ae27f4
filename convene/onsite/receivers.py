"""What this app answers to the signals of the apps below it."""

from convene.registrations.enums import Event
from convene.registrations.signals import email_attachments_requested

from .confirmation import confirmation_filename, confirmation_pdf
from .tokens import TokenRefused


def attach_confirmation(sender, *, registration, event, **kwargs) -> list[tuple]:
    """The approval email carries the confirmation PDF; none when the registration is no
    longer approved by the time the email is rendered (cancelled meanwhile)."""
    if event != Event.APPROVED:
        return []
    try:
        content = confirmation_pdf(registration)
    except TokenRefused:
        return []
    return [(confirmation_filename(registration), content, "application/pdf")]


def connect_signals() -> None:
    email_attachments_requested.connect(attach_confirmation, dispatch_uid="onsite-confirmation")
