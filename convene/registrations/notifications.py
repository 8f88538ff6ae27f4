"""Emails about registrations, through an outbox.

`queue_notification` writes Notification rows in the same transaction as the status
change; after commit they are sent. A failing or slow mail server therefore never
blocks nor loses anything: the row stays pending and the task worker tries again
with a growing wait (`send_pending_notifications` from cron is a backstop); one whose
attempts ran out is shown to the Secretariat, who can resend it (convene.core.outbox).

With the inline task backend (embedded mode) a change's emails are sent right after
its commit, in the request. With a task worker (production), changes do not queue a
task each: a process queues one delivery task, to start a second later, which sends
every new email in batches over one mail connection. Until that task's start time
comes near, the process's further changes queue nothing: no worker starts a task before
its time, so it will read their rows, committed before. A registration rush thus costs
the worker about one task a second per app process, not one per email.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convene.core.outbox import retry_ids, send_outbox_emails, sendable
from convene.dialogues.cached_reads import focal_point_addresses


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
    # Someone registered again with the address: its owner gets their existing link.
    ALREADY_REGISTERED = "already_registered", _("You are already registered")


def queue_notification(registration, event: str) -> list:
    """Record the emails one event sends and send them after commit. Call in a transaction."""
    return queue_notifications(registration, [event])


def queue_notifications(registration, events) -> list:
    """Record the emails of several events in one insert; they leave after commit (see
    _enqueue). Call in a transaction."""
    from .models import Notification

    return _queue(
        [
            Notification(registration=registration, event=event, recipient=email, language=language)
            for event in events
            for email, language in _recipients(registration, event)
        ]
    )


def queue_notification_to_each(registrations, event: str) -> list:
    """One email per registration, to its delegate, in one insert. Call in a transaction."""
    from .models import Notification

    return _queue(
        [
            Notification(
                registration=registration,
                event=event,
                recipient=registration.email,
                language=registration.language,
            )
            for registration in registrations
        ]
    )


def _queue(notifications: list) -> list:
    from .models import Notification

    if not notifications:
        return []
    Notification.objects.bulk_create(notifications)
    ids = [notification.pk for notification in notifications]
    transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return notifications


def _recipients(registration, event: str) -> list[tuple[str, str]]:
    if event != Event.FOCAL_POINT_NEW:
        return [(registration.email, registration.language)]
    return focal_point_addresses(registration.delegation_id)


# A delivery starts this long after it is asked for, to gather the emails of a busy
# second into one batch; a delegate gets their email a second later.
DELIVERY_GATHERING = timedelta(seconds=1)
# Left before a delivery's start time, for the clocks of the worker's machine.
CLOCK_MARGIN = timedelta(milliseconds=250)
# When the delivery this process queued last may start.
_queued_delivery = {"run_after": None}


def _enqueue(notification_ids: list[int]) -> None:
    from .tasks import deliver_notifications_task, send_notifications_task

    if not deliver_notifications_task.get_backend().supports_defer:
        # Inline backend: send this change's emails now, and only those.
        send_notifications_task.enqueue(notification_ids)
        return
    now = timezone.now()
    waiting_until = _queued_delivery["run_after"]
    if waiting_until is not None and now < waiting_until - CLOCK_MARGIN:
        return  # that delivery has not started: it will read these rows, committed before
    run_after = now + DELIVERY_GATHERING
    deliver_notifications_task.using(run_after=run_after).enqueue()
    _queued_delivery["run_after"] = run_after


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def render_notification(notification) -> tuple[str, str]:
    """(subject, body) in the recipient's language."""
    from .tokens import VERIFY_SALT, make_token

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
    return subject, body


def send_notification(notification_id: int) -> bool:
    """Send one pending notification; True when sent. Safe to call twice."""
    return send_notifications([notification_id]) == 1


def send_notifications(notification_ids) -> int:
    """Send those of the given notifications still pending; returns how many were sent
    (see convene.core.outbox.send_outbox_emails)."""
    from .models import Notification

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
    (see _enqueue): sending them here too would split a rush into many small batches.
    Those that failed once are left to the retries (convene.core.outbox.send_due_emails),
    so that a mail server that is down does not use up their attempts at every delivery;
    those another sender holds are left to it.
    """
    from .models import Notification

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
    from .models import Notification

    pending = retry_ids(Notification, limit=limit)
    return sum(send_notifications(pending[i : i + batch]) for i in range(0, len(pending), batch))
