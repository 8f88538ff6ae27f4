"""Emails about registrations, through an outbox: the queueing, called by the services.

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

Rendering and sending, what the tasks run, is in delivery.py, which imports nothing of
this module.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from convene.dialogues.cached_reads import focal_point_addresses

from .enums import Event
from .models import Notification
from .tasks import deliver_notifications_task, send_notifications_task


def queue_notification(registration, event: str) -> list:
    """Record the emails one event sends and send them after commit. Call in a transaction."""
    return queue_notifications(registration, [event])


def queue_notifications(registration, events) -> list:
    """Record the emails of several events in one insert; they leave after commit (see
    _enqueue). Call in a transaction."""
    return _queue(
        [
            Notification(registration=registration, event=event, recipient=email, language=language)
            for event in events
            for email, language in _recipients(registration, event)
        ]
    )


def discard_unsent_notifications(registration, events) -> int:
    """Drop the person's emails of `events` not yet sent, when a later step of the same
    transaction supersedes them (a desk entry approved at once gets the approval's email
    only). Call inside the transaction that queued them: uncommitted, no worker has
    claimed them. Returns how many were dropped."""
    deleted, _by_model = Notification.objects.filter(
        registration=registration,
        recipient=registration.email,
        event__in=list(events),
        sent_at__isnull=True,
    ).delete()
    return deleted


def queue_notification_to_each(registrations, event: str) -> list:
    """One email per registration, to its delegate, in one insert. Call in a transaction."""
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
    if not notifications:
        return []
    Notification.objects.bulk_create(notifications)
    ids = [notification.pk for notification in notifications]
    transaction.on_commit(lambda: _enqueue(ids), robust=True)
    return notifications


# Sent to the current focal points of the registration's delegation, not to the delegate.
FOCAL_POINT_EVENTS = {
    Event.FOCAL_POINT_NEW,
    Event.FOCAL_POINT_AWAITING,
    Event.FOCAL_POINT_CANCELLED,
}


def _recipients(registration, event: str) -> list[tuple[str, str]]:
    if event not in FOCAL_POINT_EVENTS:
        return [(registration.email, registration.language)]
    if registration.delegation_id is None:
        return []
    return focal_point_addresses(registration.delegation_id)


# A delivery starts this long after it is asked for, to gather the emails of a busy
# second into one batch; a delegate gets their email a second later.
DELIVERY_GATHERING = timedelta(seconds=1)
# Left before a delivery's start time, for the clocks of the worker's machine.
CLOCK_MARGIN = timedelta(milliseconds=250)
# When the delivery this process queued last may start.
_queued_delivery = {"run_after": None}


def _enqueue(notification_ids: list[int]) -> None:
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
