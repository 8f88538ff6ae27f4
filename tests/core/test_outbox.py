"""The outbox: one email marked sent at a time under a claim, retries with backoff,
failure shown and resent, the backlog /healthz reports."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone, translation

from convene.core import outbox
from convene.core.models import AuditEntry
from convene.labels.models import ProposalEmail
from convene.registrations import delivery
from convene.registrations.models import Notification
from tests.factories.labels import LabelProposalFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


class HangingUpBackend(BaseEmailBackend):
    """A mail server that hangs up on every message."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class Killed(BaseException):
    """The process stopped by a signal in the middle of a send."""


class KilledAfterThreeBackend(locmem.EmailBackend):
    """Accepts three messages, then the process is stopped while sending the fourth."""

    def send_messages(self, email_messages):
        if len(mail.outbox) == 3:
            raise Killed
        return super().send_messages(email_messages)


class WatchingBackend(locmem.EmailBackend):
    """Notes, as each message goes out, how long each row is held."""

    seen = []

    def send_messages(self, email_messages):
        held = Notification.objects.order_by("pk").values_list("claimed_until", flat=True)
        type(self).seen.append(list(held))
        return super().send_messages(email_messages)


@pytest.fixture
def frozen_now(monkeypatch):
    """timezone.now() answers `clock["now"]`, which a test moves forward."""
    clock = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return clock


@pytest.fixture
def meeting(db):
    return MeetingFactory(title_en="Dakar workshop")


def _pending(meeting, count=1, **fields):
    """Pending emails to `count` delegates, as their registrations queued them."""
    rows = []
    for _ in range(count):
        registration = RegistrationFactory(meeting=meeting)
        rows.append(
            Notification.objects.create(
                registration=registration,
                event="received",
                recipient=registration.email,
                language="en",
                **fields,
            )
        )
    return rows


def _states():
    return list(
        Notification.objects.order_by("pk").values_list(
            "attempts", "sent_at", "next_attempt_at", "failed_at", "claimed_until"
        )
    )


# --- the retry schedule ---------------------------------------------------------------------


def test_retry_delay_doubles_from_a_minute_up_to_an_hour():
    delays = [outbox.retry_delay(attempts) for attempts in range(1, 11)]

    assert [delay / timedelta(minutes=1) for delay in delays] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
        60,
        60,
    ]


def test_failed_try_waits_for_its_next_attempt(meeting, settings, frozen_now):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.HangingUpBackend"
    [row] = _pending(meeting, attempts=2)

    count = delivery.send_notifications([row.pk])

    assert count == 0
    assert _states() == [(3, None, NOW + timedelta(minutes=4), None, None)]
    assert outbox.retry_ids(Notification, limit=10) == []
    frozen_now["now"] = NOW + timedelta(minutes=4)
    assert outbox.retry_ids(Notification, limit=10) == [row.pk]


def test_last_failed_attempt_marks_the_email_failed(meeting, settings, frozen_now):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.HangingUpBackend"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    [row] = _pending(meeting, attempts=2)

    delivery.send_notifications([row.pk])

    assert _states() == [(3, None, None, NOW, None)]
    frozen_now["now"] = NOW + timedelta(days=1)
    assert outbox.retry_ids(Notification, limit=10) == []


def test_send_due_emails_retries_the_due_ones_of_every_outbox(meeting, frozen_now):
    due = _pending(meeting, attempts=1, next_attempt_at=NOW)[0]
    later = _pending(meeting, attempts=1, next_attempt_at=NOW + timedelta(seconds=1))[0]
    _pending(meeting, attempts=10, failed_at=NOW)
    proposal_email = ProposalEmail.objects.create(
        proposal=LabelProposalFactory(),
        event="submitted",
        recipient="secretariat@example.org",
        language="en",
    )

    count = outbox.send_due_emails()

    assert count == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [due.recipient, "secretariat@example.org"]
    )
    assert Notification.objects.get(pk=later.pk).sent_at is None
    assert ProposalEmail.objects.get(pk=proposal_email.pk).sent_at == NOW


# --- one email at a time, under a claim -----------------------------------------------------


def test_stopped_after_the_third_of_ten_emails_marks_exactly_three_sent(meeting, settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.KilledAfterThreeBackend"
    rows = _pending(meeting, 10)

    with pytest.raises(Killed):
        delivery.send_notifications([row.pk for row in rows])

    sent = Notification.objects.filter(sent_at__isnull=False)
    assert sorted(sent.values_list("pk", flat=True)) == [row.pk for row in rows[:3]]
    # The other seven are pending, none held: they need not wait for the lease.
    assert list(
        Notification.objects.filter(sent_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "attempts", "claimed_until")
    ) == [(row.pk, 0, None) for row in rows[3:]]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send_due_emails() == 7
    assert sorted(message.to[0] for message in mail.outbox) == sorted(row.recipient for row in rows)


def test_killed_sender_leaves_its_claimed_emails_to_others_after_the_lease(
    meeting, settings, monkeypatch, frozen_now
):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.KilledAfterThreeBackend"
    # Killed outright (SIGKILL): no clean-up runs, the claims stay.
    monkeypatch.setattr(outbox, "_release", lambda model, ids: None)
    rows = _pending(meeting, 10)
    with pytest.raises(Killed):
        delivery.send_notifications([row.pk for row in rows])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    during_the_lease = outbox.send_due_emails()
    frozen_now["now"] = NOW + outbox.CLAIM_LEASE + timedelta(seconds=1)
    after_it = outbox.send_due_emails()

    assert (during_the_lease, after_it) == (0, 7)
    assert len(mail.outbox) == 10
    assert Notification.objects.filter(sent_at__isnull=True).count() == 0


def test_an_email_another_sender_holds_is_not_sent_twice(meeting, frozen_now):
    [held] = _pending(meeting, claimed_until=NOW + timedelta(minutes=5))

    count = delivery.send_notifications([held.pk])

    assert count == 0
    assert mail.outbox == []
    assert _states() == [(0, None, None, None, NOW + timedelta(minutes=5))]


def test_sending_claims_the_rows_for_the_lease_while_it_sends(meeting, settings, frozen_now):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.WatchingBackend"
    WatchingBackend.seen = []
    rows = _pending(meeting, 2)

    delivery.send_notifications([row.pk for row in rows])

    lease = NOW + outbox.CLAIM_LEASE
    assert WatchingBackend.seen == [[lease, lease], [None, lease]]
    assert _states() == [(1, NOW, None, None, None), (1, NOW, None, None, None)]


# --- resend ---------------------------------------------------------------------------------


def test_resend_sends_a_failed_email_and_audits_it(meeting, secretariat_officer, frozen_now):
    [failed] = _pending(meeting, attempts=10, failed_at=NOW, last_error="SMTPError: down")

    count = outbox.resend_outbox_emails(Notification, [failed.pk], actor=secretariat_officer)

    assert count == 1
    assert [message.to for message in mail.outbox] == [[failed.recipient]]
    assert _states() == [(1, NOW, None, None, None)]
    assert list(
        AuditEntry.objects.values_list("actor", "action", "object_id", "from_state", "to_state")
    ) == [(secretariat_officer.pk, "email_resent", str(failed.pk), "failed", "pending")]


def test_resend_that_fails_again_gets_a_fresh_round_of_attempts(
    meeting, secretariat_officer, settings, frozen_now
):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.HangingUpBackend"
    [failed] = _pending(meeting, attempts=10, failed_at=NOW)

    count = outbox.resend_outbox_emails(Notification, [failed.pk], actor=secretariat_officer)

    assert count == 0
    assert _states() == [(1, None, NOW + timedelta(minutes=1), None, None)]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Some of the selected emails were already sent (1): nothing was resent."),
        (
            "fr",
            "Certains des courriels choisis ont déjà été envoyés (1)\u00a0: rien n'a été renvoyé.",
        ),
    ],
)
def test_resend_refuses_an_email_already_sent(
    meeting, secretariat_officer, language, message, frozen_now
):
    [failed] = _pending(meeting, attempts=10, failed_at=NOW)
    [sent] = _pending(meeting, attempts=1, sent_at=NOW)

    with translation.override(language), pytest.raises(outbox.OutboxError) as refused:
        outbox.resend_outbox_emails(Notification, [failed.pk, sent.pk], actor=secretariat_officer)

    assert (refused.value.code, refused.value.message) == ("already_sent", message)
    assert mail.outbox == []
    assert _states() == [(10, None, None, NOW, None), (1, NOW, None, None, None)]
    assert AuditEntry.objects.count() == 0


def test_resend_refused_to_a_focal_point(meeting, focal_point_senegal, frozen_now):
    [failed] = _pending(meeting, attempts=10, failed_at=NOW)

    with pytest.raises(outbox.OutboxError) as refused:
        outbox.resend_outbox_emails(Notification, [failed.pk], actor=focal_point_senegal)

    assert refused.value.code == "forbidden"
    assert _states() == [(10, None, None, NOW, None)]


# --- the backlog ----------------------------------------------------------------------------


def test_outbox_backlog_counts_pending_and_failed_emails_of_every_outbox(meeting, frozen_now):
    frozen_now["now"] = NOW - timedelta(seconds=90)
    _pending(meeting)  # the oldest pending
    frozen_now["now"] = NOW - timedelta(hours=5)
    _pending(meeting, attempts=10, failed_at=NOW)  # older, but failed: not pending
    frozen_now["now"] = NOW
    _pending(meeting, attempts=1, sent_at=NOW)
    ProposalEmail.objects.create(
        proposal=LabelProposalFactory(), event="submitted", recipient="a@example.org", language="en"
    )

    assert outbox.outbox_backlog() == {
        "pending": 2,
        "failed": 1,
        "oldest_pending_age_seconds": 90,
    }


def test_send_due_emails_stops_the_round_when_a_whole_batch_fails(meeting, settings):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.HangingUpBackend"
    rows = _pending(meeting, 5)

    count = outbox.send_due_emails(batch=2)

    assert count == 0
    assert [row.attempts for row in Notification.objects.order_by("pk")] == [1, 1, 0, 0, 0]
    assert outbox.retry_ids(Notification, limit=10) == [row.pk for row in rows[2:]]


# --- attachments ----------------------------------------------------------------------------


def test_rendered_attachments_go_with_the_email(meeting):
    (row,) = _pending(meeting)

    def render(notification):
        return "Subject", "Body", [("note.pdf", b"%PDF-1.7", "application/pdf")]

    assert outbox.send_outbox_emails(Notification, [row.pk], render=render) == 1

    (message,) = mail.outbox
    assert message.attachments == [("note.pdf", b"%PDF-1.7", "application/pdf")]


def test_email_rendered_without_attachments_has_none(meeting):
    (row,) = _pending(meeting)

    assert outbox.send_outbox_emails(Notification, [row.pk], render=lambda n: ("S", "B")) == 1

    assert mail.outbox[0].attachments == []
