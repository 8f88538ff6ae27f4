"""Proposal emails: each transition and comment reaches the proposer, the lead partner's focal
point and the Secretariat, each in their own language, after commit."""

import datetime

import pytest
from django.core import mail

from convene.labels import services
from convene.labels.enums import DecidingBody, ProposalStatus
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
