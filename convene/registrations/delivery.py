"""Emails about registrations: rendering and sending, what the tasks and the worker run.

The rows come from the queueing in notifications.py, inside the transaction of each
change; this module reads them from the outbox (convene.core.outbox) and never queues.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from convene.core.outbox import retry_ids, send_outbox_emails, sendable

from .enums import Event
from .models import Notification
from .signals import email_attachments_requested
from .tokens import VERIFY_SALT, make_token


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_notification(notification) -> tuple[str, str, list[tuple]]:
    """(subject, body, attachments) in the recipient's language; the attachments are
    what the apps above answer to email_attachments_requested (the confirmation PDF of an
    approval)."""
    registration = notification.registration
    meeting = registration.meeting
    with translation.override(notification.language):
        personal_url = absolute_url(
            reverse("registrations:personal", kwargs={"token": make_token(registration)})
        )
        context = {
            "registration": registration,
            "meeting": meeting,
            "personal_url": personal_url,
            "meeting_url": absolute_url(meeting.get_absolute_url()),
            "verify_url": absolute_url(
                reverse(
                    "registrations:verify",
                    kwargs={"token": make_token(registration, salt=VERIFY_SALT)},
                )
            ),
            "focal_point_url": absolute_url(
                reverse("registrations:focal_point_meeting", kwargs={"slug": meeting.slug})
            ),
        }
        subject = gettext("%(event)s: %(meeting)s") % {
            "event": Event(notification.event).label,
            "meeting": meeting.title,
        }
        body = render_to_string(f"registrations/email/{notification.event}.txt", context)
    attachments = [
        attachment
        for _receiver, answer in email_attachments_requested.send(
            sender=Notification, registration=registration, event=Event(notification.event)
        )
        for attachment in answer or ()
    ]
    return subject, body, attachments


def send_notification(notification_id: int) -> bool:
    """Send one pending notification; True when sent. Safe to call twice."""
    return send_notifications([notification_id]) == 1


def send_notifications(notification_ids) -> int:
    """Send those of the given notifications still pending; returns how many were sent
    (see convene.core.outbox.send_outbox_emails)."""
    return send_outbox_emails(
        Notification,
        notification_ids,
        render=render_notification,
        related=("registration__meeting", "registration__delegation"),
    )


def deliver_notifications(*, batch: int = 100, limit: int = 5000) -> int:
    """Send the emails waiting when it starts and never tried yet, oldest first, in
    batches; returns how many were sent.

    Emails queued after it started are left to the delivery their change asked for
    (see notifications._enqueue): sending them here too would split a rush into many small batches.
    Those that failed once are left to the retries (convene.core.outbox.send_due_emails),
    so that a mail server that is down does not use up their attempts at every delivery;
    those another sender holds are left to it.
    """
    sent = 0
    while True:
        ids = list(
            sendable(Notification.objects.filter(attempts=0))
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        for start in range(0, len(ids), batch):
            sent += send_notifications(ids[start : start + batch])
        if len(ids) < limit:
            return sent


def send_pending_notifications(*, limit: int = 500, batch: int = 50) -> int:
    """Retry what is pending and due (oldest first); returns how many were sent."""
    pending = retry_ids(Notification, limit=limit)
    return sum(send_notifications(pending[i : i + batch]) for i in range(0, len(pending), batch))
