"""Two senders never send the same email: several workers sending the same rows at once,
on PostgreSQL. The control removes the claim and must send emails twice, which shows
that the first test would catch a missing claim."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

from convene.core import outbox
from convene.registrations import delivery
from convene.registrations.models import Notification
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SENDERS = 4


class SlowRecordingBackend(BaseEmailBackend):
    """A mail server taking 50 ms a message; notes every recipient it accepted."""

    accepted = []
    lock = threading.Lock()

    def send_messages(self, email_messages):
        threading.Event().wait(0.05)
        with type(self).lock:
            type(self).accepted.extend(message.to[0] for message in email_messages)
        return len(email_messages)


@pytest.fixture
def emails(settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox_concurrency.SlowRecordingBackend"
    SlowRecordingBackend.accepted = []
    meeting = MeetingFactory()
    rows = []
    for index in range(12):
        registration = RegistrationFactory(meeting=meeting, email=f"rush{index}@example.org")
        rows.append(
            Notification.objects.create(
                registration=registration,
                event="received",
                recipient=registration.email,
                language="en",
            )
        )
    return rows


def _send_at_once(ids, *, stagger: float) -> list[int]:
    """Every sender sends the same rows, released together, the n-th `stagger` * n
    seconds late (after the first sender's claim, while it still sends); returns what
    each sent."""
    barrier = threading.Barrier(SENDERS)

    def sender(index):
        try:
            barrier.wait()
            threading.Event().wait(stagger * index)
            return delivery.send_notifications(ids)
        finally:
            connection.close()

    with ThreadPoolExecutor(SENDERS) as pool:
        return list(pool.map(sender, range(SENDERS)))


@pytest.mark.parametrize("stagger", [0, 0.1])
def test_senders_at_once_send_each_email_once(emails, stagger):
    counts = _send_at_once([row.pk for row in emails], stagger=stagger)

    assert sum(counts) == 12
    assert sorted(SlowRecordingBackend.accepted) == sorted(row.recipient for row in emails)
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_senders_without_the_claim_send_emails_twice(emails, monkeypatch):
    """Control: when a sender does not respect another's claim, emails go out twice."""
    monkeypatch.setattr(
        outbox, "sendable", lambda queryset, now=None: queryset.filter(sent_at__isnull=True)
    )

    _send_at_once([row.pk for row in emails], stagger=0.1)

    assert len(SlowRecordingBackend.accepted) > 12
