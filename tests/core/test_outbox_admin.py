"""The back-office lists of outbox emails (convene.core.admin.OutboxEmailAdmin): failed
ones shown to the Secretariat, resent from there; nobody else sees them."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from convene.core.models import AuditEntry
from convene.labels.models import ProposalEmail
from convene.registrations.models import Notification
from tests.factories.labels import LabelProposalFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory
from tests.html import parse

pytestmark = pytest.mark.django_db

NOTIFICATIONS = "/en/admin/registrations/notification/"
PROPOSAL_EMAILS = "/en/admin/labels/proposalemail/"


@pytest.fixture
def emails(db):
    """A pending, a failed and a sent registration email."""
    meeting = MeetingFactory()
    now = timezone.now()
    rows = {}
    for name, fields in {
        "pending": {},
        "failed": {"attempts": 10, "failed_at": now, "last_error": "SMTPError: 554 refused"},
        "sent": {"attempts": 1, "sent_at": now},
    }.items():
        registration = RegistrationFactory(meeting=meeting, email=f"{name}@example.org")
        rows[name] = Notification.objects.create(
            registration=registration,
            event="received",
            recipient=registration.email,
            language="en",
            **fields,
        )
    return rows


def _listed(response):
    return sorted(email.recipient for email in response.context["cl"].result_list)


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("state", "recipients"),
    [
        ("pending", ["pending@example.org"]),
        ("failed", ["failed@example.org"]),
        ("sent", ["sent@example.org"]),
        (None, ["failed@example.org", "pending@example.org", "sent@example.org"]),
    ],
)
def test_outbox_list_filters_by_state(client, secretariat_officer, emails, state, recipients):
    client.force_login(secretariat_officer)

    response = client.get(NOTIFICATIONS, {"state": state} if state else {})

    assert response.status_code == 200
    assert _listed(response) == recipients


def test_outbox_list_shows_the_state_and_last_error_in_french(client, secretariat_officer, emails):
    client.force_login(secretariat_officer)

    response = client.get("/fr/admin/registrations/notification/", {"state": "failed"})

    page = response.content.decode()
    assert response.status_code == 200
    assert ">En échec<" in page
    assert "SMTPError: 554 refused" in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("focal_point_senegal", 403), ("organiser", 403), ("outsider", 302)],  # outsider: sign-in
)
def test_outbox_list_refused_to_others_than_the_secretariat(
    client, request, emails, persona, status
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(NOTIFICATIONS)

    assert response.status_code == status
    assert "failed@example.org" not in response.content.decode()


def test_resend_action_sends_a_failed_email(client, secretariat_officer, emails):
    client.force_login(secretariat_officer)

    response = client.post(
        NOTIFICATIONS, {"action": "resend", "_selected_action": [emails["failed"].pk]}
    )

    failed = Notification.objects.get(pk=emails["failed"].pk)
    assert response.status_code == 302
    assert _messages(response) == ["1 email sent."]
    assert [message.to for message in mail.outbox] == [["failed@example.org"]]
    assert (failed.failed_at, failed.sent_at is not None, failed.attempts) == (None, True, 1)
    assert list(AuditEntry.objects.values_list("actor", "action")) == [
        (secretariat_officer.pk, "email_resent")
    ]


def test_resend_action_refuses_a_sent_email_in_french(client, secretariat_officer, emails):
    client.force_login(secretariat_officer)

    response = client.post(
        "/fr/admin/registrations/notification/",
        {"action": "resend", "_selected_action": [emails["failed"].pk, emails["sent"].pk]},
    )

    assert response.status_code == 302
    assert _messages(response) == [
        "Certains des courriels choisis ont déjà été envoyés (1)\u00a0: rien n'a été renvoyé."
    ]
    assert mail.outbox == []
    assert Notification.objects.get(pk=emails["failed"].pk).failed_at is not None


def test_proposal_email_list_resends_a_failed_email(client, secretariat_officer):
    failed = ProposalEmail.objects.create(
        proposal=LabelProposalFactory(),
        event="submitted",
        recipient="proposer@example.org",
        language="fr",
        attempts=10,
        failed_at=timezone.now(),
    )
    client.force_login(secretariat_officer)

    listed = client.get(PROPOSAL_EMAILS, {"state": "failed"})
    response = client.post(PROPOSAL_EMAILS, {"action": "resend", "_selected_action": [failed.pk]})

    assert _listed(listed) == ["proposer@example.org"]
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["proposer@example.org"]]
    assert ProposalEmail.objects.get(pk=failed.pk).failed_at is None


def test_outbox_list_queries_do_not_grow_with_the_rows(
    client, secretariat_officer, emails, django_assert_num_queries
):
    client.force_login(secretariat_officer)
    client.get(NOTIFICATIONS)  # sessions and roles warmed up
    for _ in range(10):
        registration = RegistrationFactory(meeting=emails["pending"].registration.meeting)
        Notification.objects.create(
            registration=registration, event="received", recipient=registration.email, language="en"
        )

    # The kinds of email are listed from their enum, not read from the rows.
    with django_assert_num_queries(6):
        response = client.get(NOTIFICATIONS)

    assert len(response.context["cl"].result_list) == 13


@pytest.mark.parametrize(
    ("language", "kinds"),
    [
        ("en", ["A registration awaits your endorsement", "Registration received"]),
        ("fr", ["Inscription reçue", "Une inscription attend votre aval"]),
    ],
)
def test_outbox_list_names_each_kind_of_email_in_the_page_language(
    client, secretariat_officer, emails, language, kinds
):
    emails["sent"].event = "focal_point_awaiting"
    emails["sent"].save(update_fields=["event"])
    client.force_login(secretariat_officer)

    page = parse(client.get(f"/{language}/admin/registrations/notification/", {"o": "2"}))

    assert sorted(set(page.texts("td.field-event_label"))) == kinds
    assert "focal_point_awaiting" not in page.select_one("#result_list").text


def test_outbox_list_filters_by_kind_named_in_words(client, secretariat_officer, emails):
    emails["sent"].event = "approved"
    emails["sent"].save(update_fields=["event"])
    client.force_login(secretariat_officer)

    response = client.get(NOTIFICATIONS, {"event": "approved"})
    filters = {
        str(spec.title): [choice["display"] for choice in spec.choices(response.context["cl"])]
        for spec in response.context["cl"].filter_specs
    }

    assert _listed(response) == ["sent@example.org"]
    assert filters["event"][:4] == [
        "All",
        "Verify your email address",
        "Registration received",
        "Endorsed by the focal point",
    ]


def test_outbox_email_page_names_its_kind_and_an_unknown_kind_generically(
    client, secretariat_officer, emails
):
    emails["failed"].event = "retired_kind"
    emails["failed"].save(update_fields=["event"])
    client.force_login(secretariat_officer)

    known = parse(client.get(f"{NOTIFICATIONS}{emails['pending'].pk}/change/"))
    unknown = parse(client.get(f"{NOTIFICATIONS}{emails['failed'].pk}/change/"))

    # (The field's row and its box both carry the field's class.)
    assert set(known.texts(".field-event_label .readonly")) == {"Registration received"}
    assert set(unknown.texts(".field-event_label .readonly")) == {"Other email"}
    assert known.select(".field-event") == []
    assert known.select_one(".breadcrumbs").text.endswith(
        "Registration received → pending@example.org"
    )


def test_proposal_email_list_names_the_kind_in_french(client, secretariat_officer):
    ProposalEmail.objects.create(
        proposal=LabelProposalFactory(),
        event="submitted",
        recipient="proposer@example.org",
        language="fr",
    )
    client.force_login(secretariat_officer)

    page = parse(client.get("/fr/admin/labels/proposalemail/"))

    assert page.texts("td.field-event_label") == ["La proposition a été soumise au Secrétariat."]
