"""Emails of onsite's outbox: rendering and sending, what the task and the worker run.

The rows come from the queueing in notifications.py, inside the transaction of each
change; this module reads them from the outbox (convene.core.outbox) and never queues.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from convene.core.outbox import send_outbox_emails
from convene.registrations.tokens import make_token

from .enums import OnsiteEmailEvent
from .models import OnsiteEmail


def render_onsite_email(email) -> tuple[str, str]:
    """(subject, body) in the recipient's language."""
    registration = email.registration
    meeting = registration.meeting
    with translation.override(email.language):
        token = make_token(registration)
        personal_url = settings.SITE_URL + reverse(
            "registrations:personal", kwargs={"token": token}
        )
        travel_url = settings.SITE_URL + reverse("onsite:travel", kwargs={"token": token})
        subject = gettext("%(event)s: %(meeting)s") % {
            "event": OnsiteEmailEvent(email.event).label,
            "meeting": meeting.title,
        }
        body = render_to_string(
            f"onsite/email/{email.event}.txt",
            {
                "registration": registration,
                "meeting": meeting,
                "reason": email.reason,
                "personal_url": personal_url,
                "travel_url": travel_url,
            },
        )
    return subject, body


def send_onsite_emails(email_ids) -> int:
    """Send those of the given emails still pending; returns how many were sent (see
    convene.core.outbox.send_outbox_emails)."""
    return send_outbox_emails(
        OnsiteEmail,
        email_ids,
        render=render_onsite_email,
        related=("registration__meeting", "registration__delegation"),
    )
