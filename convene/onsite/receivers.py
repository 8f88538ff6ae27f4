"""What this app answers to the signals of the apps below it."""

from convene.registrations.enums import Event, RegistrationStatus
from convene.registrations.signals import email_attachments_requested, registration_status_changed

from .confirmation import confirmation_filename, confirmation_pdf
from .services import withdraw_visa_letters_of_unapproved
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


def withdraw_letters_when_unapproved(
    sender, *, registration, old_status, new_status, actor, **kwargs
) -> None:
    """A registration leaving "approved" takes its valid visa letter with it, in the same
    transaction (services.withdraw_visa_letters_of_unapproved)."""
    if old_status == RegistrationStatus.APPROVED and new_status != RegistrationStatus.APPROVED:
        withdraw_visa_letters_of_unapproved(registration, actor=actor)


def connect_signals() -> None:
    email_attachments_requested.connect(attach_confirmation, dispatch_uid="onsite-confirmation")
    registration_status_changed.connect(
        withdraw_letters_when_unapproved, dispatch_uid="onsite-withdraw-letters"
    )
