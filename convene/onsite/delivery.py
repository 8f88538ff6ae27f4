"""Emails of the onsite app: rendering and sending the rows of its outbox (OnsiteEmail),
what the task and the worker's retries run (convene.core.outbox)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from convene.core.outbox import send_outbox_emails
from convene.registrations.delivery import absolute_url
from convene.registrations.tokens import make_token

from .enums import OnsiteEmailKind
from .models import OnsiteEmail


def render_onsite_email(email: OnsiteEmail) -> tuple[str, str]:
    """(subject, body) in the recipient's language, with the delegate's personal links."""
    registration = email.registration
    meeting = registration.meeting
    with translation.override(email.language):
        token = make_token(registration)
        context = {
            "registration": registration,
            "meeting": meeting,
            "personal_url": absolute_url(
                reverse("registrations:personal", kwargs={"token": token})
            ),
            "travel_url": absolute_url(reverse("onsite:travel", kwargs={"token": token})),
        }
        subject = gettext("%(event)s: %(meeting)s") % {
            "event": OnsiteEmailKind(email.event).label,
            "meeting": meeting.title,
        }
        body = render_to_string(f"onsite/email/{email.event}.txt", context)
    return subject, body


def send_onsite_emails(ids) -> int:
    """Send those of the given emails still pending; how many were sent."""
    return send_outbox_emails(
        OnsiteEmail,
        ids,
        render=render_onsite_email,
        related=("registration__meeting", "registration__delegation"),
    )
