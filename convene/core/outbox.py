"""Sending the rows of an outbox (see OutboxEmail), for every app that keeps one.

Each app registers its outbox once (`register_outbox`, from its AppConfig.ready): the
worker's housekeeping retries every registered outbox, /healthz counts their backlog
and the Secretariat resends failed emails, without this module importing those apps.

A row's life: pending (sent_at and failed_at empty) → claimed by one sender for
CLAIM_LEASE → sent (sent_at, committed as soon as the mail server accepted it) or,
after a failed try, pending again until next_attempt_at (backoff) → failed once
OUTBOX_MAX_ATTEMPTS tries have failed (failed_at), until the Secretariat resends it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext

from . import permissions
from .enums import AuditAction
from .services import record_audit_entry

logger = logging.getLogger(__name__)

# How long a sender holds the rows it took. Longer than a batch takes to send (a batch
# of 100 at the mail server's 20-second timeout each would be far beyond any real
# batch); a sender killed mid-batch leaves its rows to others once the lease is over.
CLAIM_LEASE = timedelta(minutes=10)
# Wait after the first failed try, doubled after each further one, up to RETRY_MAX_DELAY:
# with the default 10 attempts, tries go on for about four hours, so an outage of the
# mail server of an hour or two loses nothing.
RETRY_FIRST_DELAY = timedelta(minutes=1)
RETRY_MAX_DELAY = timedelta(hours=1)


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


def retry_delay(attempts: int) -> timedelta:
    """How long an email waits after its `attempts`-th failed try (1, 2, 4 … 60 minutes)."""
    return min(RETRY_FIRST_DELAY * 2 ** max(attempts - 1, 0), RETRY_MAX_DELAY)


class OutboxError(Exception):
    """A refused operation on outbox emails: machine `code`, translated `message`."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Outbox:
    model_label: str
    # send(ids) -> how many were sent: send_outbox_emails with the app's rendering.
    send: Callable[[list[int]], int]

    @property
    def model(self):
        return apps.get_model(self.model_label)


_outboxes: dict[str, Outbox] = {}


def register_outbox(model_label: str, *, send: Callable[[list[int]], int]) -> None:
    """Make an outbox model ("app_label.Model") known to housekeeping, /healthz and resend."""
    _outboxes[model_label.lower()] = Outbox(model_label.lower(), send)


def registered_outboxes() -> list[Outbox]:
    return [_outboxes[label] for label in sorted(_outboxes)]


def outbox_for(model) -> Outbox:
    return _outboxes[model._meta.label_lower]


def _unclaimed(now) -> Q:
    return Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)


def sendable(queryset, *, now=None):
    """Rows of `queryset` still pending, not failed and held by no sender."""
    now = now or timezone.now()
    return queryset.filter(_unclaimed(now), sent_at__isnull=True, failed_at__isnull=True)


def send_outbox_emails(model, ids, *, render, related=()) -> int:
    """Send those of the given rows of `model` still pending and not held by another
    sender; returns how many were sent.

    `render(row)` gives (subject, body) in the row's language, or (subject, body,
    attachments) with attachments as (filename, content, mimetype) tuples; `related` is passed to
    select_related for what it reads. The rows are first claimed for CLAIM_LEASE in a
    short transaction, so that two workers never send the same row. Each email is then
    marked sent as soon as the mail server accepted it: a process killed mid-batch
    sends again at most the one email in flight, and its other rows wait for the end of
    the lease. One mail connection serves the batch; a message the server refuses waits
    for its next attempt (see retry_delay) without holding back the others.
    """
    now = timezone.now()
    with transaction.atomic():
        pending = list(
            sendable(model.objects.select_for_update(skip_locked=True, of=("self",)), now=now)
            .select_related(*related)
            .filter(pk__in=list(ids))
            .order_by("pk")
        )
        if not pending:
            return 0
        model.objects.filter(pk__in=[row.pk for row in pending]).update(
            claimed_until=now + CLAIM_LEASE
        )
    sent = 0
    unfinished = {row.pk for row in pending}
    try:
        connection = get_connection()
        try:
            connection.open()
        except Exception as error:  # the mail server is down: every email of the batch waits
            for row in pending:
                _record_failure(row, error)
                unfinished.discard(row.pk)
            return 0
        sent = _send_claimed(model, pending, connection, render, unfinished)
    finally:
        if unfinished:  # interrupted (a stop signal): the rest need not wait for the lease
            _release(model, unfinished)
    return sent


def _send_claimed(model, pending, connection, render, unfinished: set) -> int:
    sent = 0
    try:
        for row in pending:
            try:
                subject, body, *attachments = render(row)
                EmailMessage(
                    subject=subject.replace("\n", " "),
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[row.recipient],
                    connection=connection,
                    attachments=attachments[0] if attachments else None,
                ).send()
            except Exception as error:
                _record_failure(row, error)
            else:
                model.objects.filter(pk=row.pk).update(
                    sent_at=timezone.now(),
                    attempts=F("attempts") + 1,
                    claimed_until=None,
                    next_attempt_at=None,
                )
                sent += 1
            unfinished.discard(row.pk)
    finally:
        try:
            connection.close()
        except Exception as error:  # what was sent is sent; a failing goodbye changes nothing
            logger.warning("Mail connection not closed cleanly: %s", error)
    return sent


def retry_ids(model, *, limit: int) -> list[int]:
    """Rows pending whose next attempt is due and that no sender holds, oldest first."""
    now = timezone.now()
    return list(
        sendable(model.objects.all(), now=now)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def send_due_emails(*, limit: int = 500, batch: int = 50) -> int:
    """Retry, in every registered outbox, the emails whose next attempt is due; returns
    how many were sent. The task worker calls it periodically; cron is a backstop."""
    sent = 0
    for outbox in registered_outboxes():
        ids = retry_ids(outbox.model, limit=limit)
        for start in range(0, len(ids), batch):
            sent_now = outbox.send(ids[start : start + batch])
            sent += sent_now
            if not sent_now:
                # The mail server refuses or is away: the rest stays due for the next
                # round rather than holding the worker for a timeout per batch.
                break
    return sent


def outbox_backlog() -> dict:
    """Pending and failed emails of every registered outbox, and the age in seconds of
    the oldest pending one (0 when none): one query per outbox, on the index of pending
    rows."""
    now = timezone.now()
    pending = failed = 0
    oldest = None
    for outbox in registered_outboxes():
        counts = outbox.model.objects.filter(sent_at__isnull=True).aggregate(
            pending=Count("pk", filter=Q(failed_at__isnull=True)),
            failed=Count("pk", filter=Q(failed_at__isnull=False)),
            oldest=Min("created_at", filter=Q(failed_at__isnull=True)),
        )
        pending += counts["pending"]
        failed += counts["failed"]
        if counts["oldest"] is not None and (oldest is None or counts["oldest"] < oldest):
            oldest = counts["oldest"]
    age = max(int((now - oldest).total_seconds()), 0) if oldest else 0
    return {"pending": pending, "failed": failed, "oldest_pending_age_seconds": age}


def resend_outbox_emails(model, ids, *, actor) -> int:
    """Send again, now, the given emails of `model` that are pending or failed; returns
    how many the mail server accepted.

    Each gets a fresh round of attempts: one that fails again waits for the worker's
    retries. Audited per email with the actor. Refused (nothing changes) when the actor
    may not resend emails or when one of them was already sent.
    """
    if not permissions.can_resend_email(actor):
        raise OutboxError("forbidden", gettext("You may not resend emails."))
    ids = list(ids)
    with transaction.atomic():
        rows = list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        already_sent = [row for row in rows if row.sent_at is not None]
        if already_sent:
            raise OutboxError(
                "already_sent",
                gettext(
                    "Some of the selected emails were already sent (%(count)d): nothing was resent."
                )
                % {"count": len(already_sent)},
            )
        for row in rows:
            record_audit_entry(
                row,
                actor=actor,
                action=AuditAction.EMAIL_RESENT,
                from_state="failed" if row.failed_at else "pending",
                to_state="pending",
                reason=row.last_error,
            )
        # A row a sender holds right now keeps its claim: that sender sends it.
        model.objects.filter(pk__in=[row.pk for row in rows]).update(
            attempts=0, failed_at=None, next_attempt_at=None
        )
    return outbox_for(model).send([row.pk for row in rows])


def _release(model, ids) -> None:
    try:
        model.objects.filter(pk__in=list(ids), sent_at__isnull=True).update(claimed_until=None)
    except DatabaseError as error:  # the lease ends by itself
        logger.warning("Claim on %s %s not released: %s", model.__name__, sorted(ids), error)


def _record_failure(row, error: Exception) -> None:
    now = timezone.now()
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    row.claimed_until = None
    if row.attempts >= max_attempts():
        row.failed_at, row.next_attempt_at = now, None
        logger.error("%s %s failed for good: %s", type(row).__name__, row.pk, row.last_error)
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
        logger.warning("%s %s not sent: %s", type(row).__name__, row.pk, row.last_error)
    row.save(
        update_fields=["attempts", "last_error", "claimed_until", "failed_at", "next_attempt_at"]
    )
