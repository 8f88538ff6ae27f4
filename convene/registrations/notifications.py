"""Emails about registrations, through an outbox.

`queue_notification` writes Notification rows in the same transaction as the status
change; after commit they are sent. A failing or slow mail server therefore never
blocks nor loses anything: the row stays pending and `send_pending_notifications`
(cron) tries again.

With the inline task backend (embedded mode) a change's emails are sent right after
its commit, in the request. With a task worker (production), changes do not queue a
task each: they ask for one delivery task, which sends every new email in batches
over one mail connection. While a delivery task is waiting, further changes need not
queue another: it has not started yet, so it will find their rows (they were
committed before the check). Each delivery starts a second after it is asked for, so
a registration rush costs the worker a few tasks a second, not one per email.
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

from convene.core.enums import Role

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
    FOCAL_POINT_NEW = "focal_point_new", _("New registration for your delegation")


def queue_notification(registration, event: str) -> list:
    """Record the emails one event sends and send them after commit. Call in a transaction."""
    return queue_notifications(registration, [event])


def queue_notifications(registration, events) -> list:
    """Record the emails of several events in one insert, sent by one task after commit.

    One task per change rather than per email: the worker's bookkeeping (claim, mark
    done) then costs the same for a registration whatever the number of its focal points.
    """
    from .models import Notification

    notifications = [
        Notification(registration=registration, event=event, recipient=email, language=language)
        for event in events
        for email, language in _recipients(registration, event)
    ]
    if not notifications:
        return []
    Notification.objects.bulk_create(notifications)
    ids = [notification.pk for notification in notifications]
    transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return notifications


def _recipients(registration, event: str) -> list[tuple[str, str]]:
    if event != Event.FOCAL_POINT_NEW:
        return [(registration.email, registration.language)]
    return list(
        registration.delegation.role_assignments.filter(
            role=Role.FOCAL_POINT, ends_on__isnull=True, user__is_active=True
        )
        .order_by("pk")
        .values_list("user__email", "user__language")
    )


# A delivery starts this long after it is asked for, to gather the emails of a busy
# second into one batch; a delegate gets their email a second later.
DELIVERY_GATHERING = timedelta(seconds=1)
# The delivery task this process queued last, and when it may start (a hint: if lost,
# one more task is queued).
_queued_delivery = {"id": None, "run_after": None}


def _enqueue(notification_ids: list[int]) -> None:
    from .tasks import deliver_notifications_task, send_notifications_task

    if not deliver_notifications_task.get_backend().supports_get_result:
        # Inline backend: send this change's emails now, and only those.
        send_notifications_task.enqueue(notification_ids)
        return
    if _delivery_waiting(deliver_notifications_task):
        return  # it has not started: it will read these rows, committed before this check
    run_after = timezone.now() + DELIVERY_GATHERING
    result = deliver_notifications_task.using(run_after=run_after).enqueue()
    _queued_delivery.update(id=result.id, run_after=run_after)


def _delivery_waiting(task) -> bool:
    """Whether the delivery this process queued last has not started yet."""
    from django_tasks import TaskResultStatus
    from django_tasks.exceptions import TaskResultDoesNotExist

    if _queued_delivery["id"] is None:
        return False
    # No worker starts a task before its time: until then no need to ask the database.
    # Half the gathering time is left as a margin for the clocks of other machines.
    if timezone.now() < _queued_delivery["run_after"] - DELIVERY_GATHERING / 2:
        return True
    try:
        return task.get_result(_queued_delivery["id"]).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


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


def deliver_notifications(*, batch: int = 100) -> int:
    """Send every email never tried yet, oldest first, in batches; returns how many were sent.

    Those that failed once are left to send_pending_notifications, so that a mail
    server that is down does not use up their attempts at every delivery.
    """
    from .models import Notification

    sent, after = 0, 0
    while True:
        ids = list(
            Notification.objects.filter(sent_at__isnull=True, attempts=0, pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return sent
        sent += send_notifications(ids)
        after = ids[-1]


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
