"""Emails about registrations, through an outbox.

`queue_notification` writes Notification rows in the same transaction as the status
change; after commit they are sent. A failing or slow mail server therefore never
blocks nor loses anything: the row stays pending and `send_pending_notifications`
(cron) tries again.

With the inline task backend (embedded mode) a change's emails are sent right after
its commit, in the request. With a task worker (production), changes do not queue a
task each: a process queues one delivery task, to start a second later, which sends
every new email in batches over one mail connection. Until that task's start time
comes near, the process's further changes queue nothing: no worker starts a task before
its time, so it will read their rows, committed before. A registration rush thus costs
the worker about one task a second per app process, not one per email.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from convene.dialogues.cached_reads import focal_point_addresses

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


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
    """Send those of the given notifications still pending; returns how many were sent.

    Safe to call twice and from several workers: each row is locked while its email
    goes out (another worker skips it), and a sent one is never sent again. One mail
    connection serves the batch; a message the server refuses stays pending with its
    error, without holding back the others.
    """
    from .models import Notification

    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("registration__meeting", "registration__delegation")
            .filter(pk__in=list(notification_ids), sent_at__isnull=True)
            .order_by("pk")
        )
        if not pending:
            return 0
        sent = []
        connection = get_connection()
        try:
            connection.open()
        except Exception as error:  # the mail server is down: every email of the batch waits
            for notification in pending:
                _record_failure(notification, error)
            return 0
        try:
            for notification in pending:
                try:
                    subject, body = render_notification(notification)
                    EmailMessage(
                        subject=subject.replace("\n", " "),
                        body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[notification.recipient],
                        connection=connection,
                    ).send()
                except Exception as error:
                    _record_failure(notification, error)
                else:
                    sent.append(notification.pk)
        finally:
            try:
                connection.close()
            except Exception as error:  # what was sent is sent; a failing goodbye changes nothing
                logger.warning("Mail connection not closed cleanly: %s", error)
        if sent:
            Notification.objects.filter(pk__in=sent).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1
            )
    return len(sent)


def deliver_notifications(*, batch: int = 100, limit: int = 5000) -> int:
    """Send the emails waiting when it starts and never tried yet, oldest first, in
    batches; returns how many were sent.

    Emails queued after it started are left to the delivery their change asked for
    (see _enqueue): sending them here too would split a rush into many small batches.
    Those that failed once are left to send_pending_notifications, so that a mail
    server that is down does not use up their attempts at every delivery.
    """
    from .models import Notification

    sent = 0
    while True:
        ids = list(
            Notification.objects.filter(sent_at__isnull=True, attempts=0)
            .order_by("pk")
            .values_list("pk", flat=True)[:limit]
        )
        for start in range(0, len(ids), batch):
            sent += send_notifications(ids[start : start + batch])
        if len(ids) < limit:
            return sent


def _record_failure(notification, error: Exception) -> None:
    notification.attempts += 1
    notification.last_error = f"{type(error).__name__}: {error}"[:500]
    notification.save(update_fields=["attempts", "last_error"])
    logger.warning("Notification %s not sent: %s", notification.pk, notification.last_error)


def send_pending_notifications(*, limit: int = 500, batch: int = 50) -> int:
    """Retry what is pending (oldest first); returns how many were sent."""
    from .models import Notification

    pending = list(
        Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(send_notifications(pending[i : i + batch]) for i in range(0, len(pending), batch))
