"""Proposal emails: each transition and comment reaches the proposer, the lead partner's focal
point and the Secretariat, each in their own language, after commit."""

import datetime
from io import StringIO
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from convene.labels import delivery, services
from convene.labels.enums import DecidingBody, ProposalStatus
from convene.labels.models import ProposalEmail
from tests.factories.core import SecretariatRoleFactory
from tests.labels.proposal_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

P = ProposalStatus
FR = "focal.point@fr.example.org"
SECRETARIAT = "officer@secretariat.example.org"


@pytest.fixture
def people(focal_point_france, focal_point_senegal, secretariat_officer):
    """France's focal point reads French; the Secretariat officer English."""
    focal_point_france.language = "fr"
    focal_point_france.save()
    return focal_point_france, secretariat_officer


def _sent():
    return sorted((message.to[0], message.subject) for message in mail.outbox)


@pytest.mark.parametrize(
    ("old", "new", "actor", "english", "french"),
    [
        (
            P.DRAFT,
            P.SUBMITTED,
            0,
            "The proposal was submitted to the Secretariat.",
            "La proposition a été soumise au Secrétariat.",
        ),
        (
            P.SUBMITTED,
            P.UNDER_REVIEW,
            1,
            "The Secretariat is reviewing the proposal.",
            "Le Secrétariat examine la proposition.",
        ),
        (
            P.UNDER_REVIEW,
            P.RECOMMENDED,
            1,
            "The Secretariat recommends the proposal for the label.",
            "Le Secrétariat recommande la proposition pour le label.",
        ),
        (
            P.RECOMMENDED,
            P.LABELLED,
            1,
            "The activity received the label of the Dialogue.",
            "L'activité a reçu le label du Dialogue.",
        ),
        (
            P.UNDER_REVIEW,
            P.NOT_LABELLED,
            1,
            "The activity did not receive the label.",
            "L'activité n'a pas reçu le label.",
        ),
        (
            P.SUBMITTED,
            P.WITHDRAWN,
            0,
            "The proposal was withdrawn.",
            "La proposition a été retirée.",
        ),
    ],
)
def test_each_transition_emails_proposer_and_secretariat_in_their_language(
    make_proposal, people, sent, old, new, actor, english, french
):
    proposal = make_proposal(
        status=old,
        title_en="Border workshop",
        title_fr="Atelier frontières",
        decided_by=DecidingBody.STEERING_COMMITTEE,
        decided_on=datetime.date(2026, 1, 15),
    )

    with sent():
        services.set_proposal_status(proposal, new, actor=people[actor])

    assert _sent() == [
        (FR, f"Atelier frontières\u00a0: {french}"),
        (SECRETARIAT, f"Border workshop: {english}"),
    ]


def test_request_changes_email_carries_the_comment_in_the_body(make_proposal, people, sent):
    proposal = make_proposal(status=P.UNDER_REVIEW, title_fr="Atelier frontières")

    with sent():
        services.request_changes(proposal, comment="Add the draft agenda.", actor=people[1])

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == [FR, SECRETARIAT]
    french = by_recipient[FR]
    assert french.subject == (
        "Atelier frontières\u00a0: Le Secrétariat demande des modifications à la proposition."
    )
    assert "Add the draft agenda." in french.body
    assert f"http://127.0.0.1:8000/fr/proposals/{proposal.reference}/" in french.body
    assert f"http://127.0.0.1:8000/en/proposals/{proposal.reference}/" in (
        by_recipient[SECRETARIAT].body
    )


def test_a_comment_is_emailed_too(make_proposal, people, sent):
    proposal = make_proposal(status=P.SUBMITTED, title_en="Border workshop")

    with sent():
        services.add_comment(proposal, body="Is the venue confirmed?", actor=people[1])

    assert [message.to for message in mail.outbox if message.to == [SECRETARIAT]] == [[SECRETARIAT]]
    assert _sent()[1] == (
        SECRETARIAT,
        "Border workshop: A new comment was written on the proposal.",
    )


def test_another_partners_focal_point_gets_no_email(
    make_proposal, people, focal_point_senegal, sent
):
    proposal = make_proposal(status=P.DRAFT)

    with sent():
        services.set_proposal_status(proposal, P.SUBMITTED, actor=people[0])

    assert focal_point_senegal.email not in {message.to[0] for message in mail.outbox}


def test_every_current_secretariat_officer_is_told(make_proposal, people, sent):
    SecretariatRoleFactory(user__email="second@secretariat.example.org", user__language="fr")
    proposal = make_proposal(status=P.DRAFT)

    with sent():
        services.set_proposal_status(proposal, P.SUBMITTED, actor=people[0])

    assert sorted(message.to[0] for message in mail.outbox) == [
        FR,
        SECRETARIAT,
        "second@secretariat.example.org",
    ]


def test_a_refused_transition_sends_nothing(make_proposal, people, sent):
    proposal = make_proposal(status=P.DRAFT)

    with sent(), pytest.raises(services.LabelError):
        services.set_proposal_status(proposal, P.LABELLED, actor=people[1])

    assert mail.outbox == []


# --- the outbox ---------------------------------------------------------------------------


class FailingBackend(BaseEmailBackend):
    """A mail server that hangs up."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


def _outbox():
    return list(
        ProposalEmail.objects.order_by("recipient").values_list(
            "event", "recipient", "language", "sent_at", "attempts", "last_error"
        )
    )


def test_proposal_emails_are_recorded_with_the_change_and_sent_after_it(
    make_proposal, people, django_capture_on_commit_callbacks
):
    proposal = make_proposal(status=P.DRAFT)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.set_proposal_status(proposal, P.SUBMITTED, actor=people[0])

    assert _outbox() == [
        ("submitted", FR, "fr", None, 0, ""),
        ("submitted", SECRETARIAT, "en", None, 0, ""),
    ]
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert sorted(message.to[0] for message in mail.outbox) == [FR, SECRETARIAT]
    assert [(row[1], row[3] is not None, row[4]) for row in _outbox()] == [
        (FR, True, 1),
        (SECRETARIAT, True, 1),
    ]


def test_failing_mail_server_keeps_the_proposal_emails_for_the_retry(
    make_proposal, people, settings, sent
):
    settings.EMAIL_BACKEND = "tests.labels.test_proposal_notifications.FailingBackend"
    proposal = make_proposal(status=P.DRAFT)
    with sent():
        services.set_proposal_status(proposal, P.SUBMITTED, actor=people[0])
    error = "SMTPServerDisconnected: Connection unexpectedly closed"
    assert _outbox() == [
        ("submitted", FR, "fr", None, 1, error),
        ("submitted", SECRETARIAT, "en", None, 1, error),
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ProposalEmail.objects.update(next_attempt_at=timezone.now())  # their retry is due
    out = StringIO()

    call_command("send_pending_notifications", stdout=out)

    assert out.getvalue() == "2 pending email(s) sent.\n"
    assert sorted(message.to[0] for message in mail.outbox) == [FR, SECRETARIAT]
    assert ProposalEmail.objects.filter(sent_at__isnull=True).count() == 0


def test_send_proposal_emails_twice_sends_once(make_proposal, people):
    proposal = make_proposal(status=P.DRAFT)
    services.set_proposal_status(proposal, P.SUBMITTED, actor=people[0])  # not committed
    ids = list(ProposalEmail.objects.values_list("pk", flat=True))

    first = delivery.send_proposal_emails(ids)
    second = delivery.send_proposal_emails(ids)

    assert (first, second) == (2, 0)
    assert len(mail.outbox) == 2


def test_a_refused_transition_records_no_email(make_proposal, people):
    proposal = make_proposal(status=P.DRAFT)

    with pytest.raises(services.LabelError):
        services.set_proposal_status(proposal, P.LABELLED, actor=people[1])

    assert ProposalEmail.objects.count() == 0


def test_a_comment_is_recorded_with_its_emails(make_proposal, people):
    proposal = make_proposal(status=P.SUBMITTED)

    services.add_comment(proposal, body="Is the venue confirmed?", actor=people[1])

    assert list(
        ProposalEmail.objects.order_by("recipient").values_list("event", "recipient", "reason")
    ) == [
        ("comment", FR, "Is the venue confirmed?"),
        ("comment", SECRETARIAT, "Is the venue confirmed?"),
    ]


def test_proposal_email_quotes_the_title_and_the_comment_as_typed(make_proposal, people, sent):
    proposal = make_proposal(
        status=P.SUBMITTED,
        title_en="Labelled. Click http://evil.example",
        title_fr="Labellisé. Cliquez http://evil.example",
    )

    with sent():
        services.add_comment(
            proposal,
            body="The label is granted.\nConfirm at http://evil.example/pay",
            actor=people[0],
        )

    body = next(message.body for message in mail.outbox if message.to == [SECRETARIAT])
    assert [line for line in body.split("\n") if "evil.example" in line] == [
        "    > Labelled. Click http://evil.example",
        "    > Confirm at http://evil.example/pay",
    ]
    assert body.split("\n")[:8] == [
        "A new comment was written on the proposal.",
        "",
        f"Proposal: {proposal.reference}",
        "Title, as typed by the proposer:",
        "    > Labelled. Click http://evil.example",
        "Lead partner: France",
        "Status: Submitted",
        "",
    ]


def test_secretariat_officer_with_a_future_end_date_is_told(make_proposal, people, sent):
    # Current until that date, as for permissions: an officer on a fixed-term contract.
    SecretariatRoleFactory(
        user__email="fixed-term@secretariat.example.org",
        ends_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    SecretariatRoleFactory(
        user__email="former@secretariat.example.org",
        starts_on=timezone.localdate() - datetime.timedelta(days=90),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    proposal = make_proposal(status=P.DRAFT)

    with sent():
        services.set_proposal_status(proposal, P.SUBMITTED, actor=people[0])

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [FR, "fixed-term@secretariat.example.org", SECRETARIAT]
    )
