"""Sending the rows of an outbox (see OutboxEmail), for every app that keeps one."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

# Tries before an email is left for someone to look at (its last error says why).
MAX_ATTEMPTS = 8


def send_outbox_emails(model, ids, *, render, related=()) -> int:
    """Send those of the given rows of `model` still pending; returns how many were sent.

    `render(row)` gives (subject, body) in the row's language; `related` is passed to
    select_related for what it reads. Safe to call twice and from several workers: each
    row is locked while its email goes out (another worker skips it), and a sent one is
    never sent again. One mail connection serves the batch; a message the server refuses
    stays pending with its error, without holding back the others.
    """
    with transaction.atomic():
        pending = list(
            model.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(*related)
            .filter(pk__in=list(ids), sent_at__isnull=True)
            .order_by("pk")
        )
        if not pending:
            return 0
        sent = []
        connection = get_connection()
        try:
            connection.open()
        except Exception as error:  # the mail server is down: every email of the batch waits
            for row in pending:
                _record_failure(row, error)
            return 0
        try:
            for row in pending:
                try:
                    subject, body = render(row)
                    EmailMessage(
                        subject=subject.replace("\n", " "),
                        body=body,
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[row.recipient],
                        connection=connection,
                    ).send()
                except Exception as error:
                    _record_failure(row, error)
                else:
                    sent.append(row.pk)
        finally:
            try:
                connection.close()
            except Exception as error:  # what was sent is sent; a failing goodbye changes nothing
                logger.warning("Mail connection not closed cleanly: %s", error)
        if sent:
            model.objects.filter(pk__in=sent).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1
            )
    return len(sent)


def retry_ids(model, *, limit: int) -> list[int]:
    """Rows still pending that have tries left, oldest first."""
    return list(
        model.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _record_failure(row, error: Exception) -> None:
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:500]
    row.save(update_fields=["attempts", "last_error"])
    logger.warning("%s %s not sent: %s", type(row).__name__, row.pk, row.last_error)
