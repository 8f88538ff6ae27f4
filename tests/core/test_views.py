"""The health check the load balancer polls."""

import datetime
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from convene.core import views
from convene.core.outbox import registered_outboxes
from convene.registrations.models import Notification
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory
from tests.html import page_title, parse

pytestmark = pytest.mark.django_db


def test_healthz_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "outbox": {"pending": 0, "failed": 0, "oldest_pending_age_seconds": 0},
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_503_when_the_database_raises(client, caplog):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server gone")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
    assert [record.getMessage() for record in caplog.records] == [
        "Health check: database unreachable",
        "Service Unavailable: /healthz",
    ]


def test_healthz_refuses_post(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET"


def test_healthz_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz")

    assert response.status_code == 200
    assert client.get("/en/").status_code == 301


@pytest.mark.postgres
def test_healthz_statements_give_up_after_two_seconds():
    started = time.monotonic()

    with (
        pytest.raises(OperationalError) as raised,
        views._statements_bounded(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT pg_sleep(10)")

    assert 2 <= time.monotonic() - started < 4
    assert raised.value.__cause__.sqlstate == "57014"  # query_canceled


def test_healthz_reports_the_outbox_backlog_in_one_query_per_outbox(
    client, django_assert_num_queries, monkeypatch
):
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now - datetime.timedelta(seconds=42))
    registration = RegistrationFactory(meeting=MeetingFactory())
    for failed_at in (None, None, timezone.now()):
        Notification.objects.create(
            registration=registration,
            event="received",
            recipient=registration.email,
            language="en",
            failed_at=failed_at,
        )
    monkeypatch.setattr(timezone, "now", lambda: now)

    # SELECT 1, then one aggregate per outbox (registration, proposal and onsite emails);
    # on PostgreSQL inside a savepoint that bounds the statements' time.
    queries = 1 + len(registered_outboxes())
    bound = 3 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(queries + bound):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["outbox"] == {
        "pending": 2,
        "failed": 1,
        "oldest_pending_age_seconds": 42,
    }


# --- Password reset ---

RESET = "/en/account/password-reset/"


def _reset_link(message) -> str:
    return next(line for line in message.body.splitlines() if "/account/password-reset/" in line)


@pytest.fixture
def french_officer(db):
    from tests.factories.core import UserFactory

    return UserFactory(
        email="agent@secretariat.example.org", language="fr", is_staff=True, password="old one"
    )


def test_password_reset_sends_the_link_in_the_account_language(client, french_officer, mailoutbox):
    response = client.post(RESET, {"email": "Agent@Secretariat.example.org"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/en/account/password-reset/sent/"
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["agent@secretariat.example.org"], "Convene : choisissez un nouveau mot de passe")
    ]
    assert _reset_link(mailoutbox[0]).startswith("http://127.0.0.1:8000/fr/account/password-reset/")
    assert "probablement vous, a demandé" in mailoutbox[0].body


def test_password_reset_answers_alike_for_an_unknown_address(client, french_officer, mailoutbox):
    known = client.post(RESET, {"email": "agent@secretariat.example.org"})
    unknown = client.post(RESET, {"email": "nobody@example.org"})

    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code,
        unknown.headers["Location"],
    )
    assert len(mailoutbox) == 1
    assert client.get(known.headers["Location"]).content == (
        client.get(unknown.headers["Location"]).content
    )


def test_password_reset_link_sets_a_new_password(client, french_officer, mailoutbox):
    client.post(RESET, {"email": "agent@secretariat.example.org"})
    link = _reset_link(mailoutbox[0]).removeprefix("http://127.0.0.1:8000")

    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/fr/account/password-reset/done/"
    french_officer.refresh_from_db()
    assert french_officer.check_password("a brand new passphrase") is True
    assert "Mot de passe modifié" in client.get(response.headers["Location"]).content.decode()


def test_password_reset_limited_per_client_address(client, settings, mailoutbox):
    from tests.factories.core import UserFactory

    settings.PASSWORD_RESET_RATE_LIMIT = "3/h"
    for index in range(4):
        UserFactory(email=f"person{index}@example.org", password="some passphrase")

    statuses = [
        client.post(RESET, {"email": f"person{index}@example.org"}).status_code
        for index in range(4)
    ]

    assert statuses == [302, 302, 302, 429]
    assert len(mailoutbox) == 3


def test_password_reset_limited_per_email_from_any_address(
    client, settings, french_officer, mailoutbox
):
    settings.PASSWORD_RESET_RATE_LIMIT = "2/h"

    responses = [
        client.post(RESET, {"email": "agent@secretariat.example.org"}, REMOTE_ADDR=address)
        for address in ("192.0.2.1", "192.0.2.2", "192.0.2.3")
    ]
    unknown = client.post(RESET, {"email": "nobody@example.org"}, REMOTE_ADDR="192.0.2.4")

    assert [r.status_code for r in responses] == [302, 302, 429]
    assert unknown.status_code == 302
    assert len(mailoutbox) == 2
    assert "Too many password reset requests" in responses[2].content.decode()


def test_password_reset_limit_off(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT = "off"

    statuses = {client.post(RESET, {"email": "x@example.org"}).status_code for _ in range(8)}

    assert statuses == {302}


def test_password_reset_page_in_french(client):
    response = client.get("/fr/account/password-reset/")

    assert response.status_code == 200
    assert "Mot de passe oublié" in response.content.decode()


# --- the page title after a refused submit (WCAG 3.3.1) ---------------------------------------


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Error: Forgotten password"), ("fr", "Erreur\u00a0: Mot de passe oublié")],
)
def test_password_reset_refused_address_title_starts_with_error(client, language, title):
    response = client.post(f"/{language}/account/password-reset/", {"email": "not-an-address"})

    assert parse(response).texts("#form-errors li") == [
        {
            "en": "Email: Enter a valid email address.",
            "fr": "Courriel : Saisissez une adresse e-mail valide.",
        }[language]
    ]
    assert page_title(response) == title


def test_password_reset_page_not_yet_sent_title_has_no_error(client):
    assert page_title(client.get(RESET)) == "Forgotten password"


@pytest.mark.parametrize(
    ("language", "title", "refused_title", "mismatch"),
    [
        (
            "en",
            "Choose a new password",
            "Error: Choose a new password",
            "New password confirmation: The two password fields didn\u2019t match.",
        ),
        (
            "fr",
            "Choisir un nouveau mot de passe",
            "Erreur\u00a0: Choisir un nouveau mot de passe",
            "Confirmation du nouveau mot de passe : Les deux mots de passe ne correspondent pas.",
        ),
    ],
)
def test_password_reset_confirm_refused_title_starts_with_error(
    client, french_officer, mailoutbox, language, title, refused_title, mismatch
):
    client.post(RESET, {"email": "agent@secretariat.example.org"})
    link = _reset_link(mailoutbox[0]).removeprefix("http://127.0.0.1:8000")
    form_page = client.get(link.replace("/fr/", f"/{language}/", 1), follow=True)

    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "another passphrase"},
    )

    assert parse(response).texts("#form-errors li") == [mismatch]
    assert (page_title(form_page), page_title(response)) == (title, refused_title)


# --- Access denied ---


@pytest.mark.parametrize(
    ("language", "heading", "explanation"),
    [
        (
            "en",
            "Access denied",
            "Your account may not open this page. If your work needs it, ask the Secretariat.",
        ),
        (
            "fr",
            "Accès refusé",
            "Votre compte ne permet pas d'ouvrir cette page. "
            "Si votre travail l'exige, adressez-vous au Secrétariat.",
        ),
    ],
)
def test_access_denied_page_in_the_page_language(client, organiser, language, heading, explanation):
    # The outbox is the Secretariat's: an organiser is refused it.
    client.force_login(organiser)

    response = client.get(f"/{language}/admin/registrations/notification/")

    page = parse(response)
    assert response.status_code == 403
    assert page.select_one("html").attrs["lang"] == language
    assert page.select_one("h1").text == heading
    assert page.texts("main p")[0] == explanation


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "The form could not be sent"), ("fr", "Le formulaire n'a pas pu être envoyé")],
)
def test_form_refused_for_its_security_token_explains_in_the_page_language(
    demo_data, language, heading
):
    # A form sent without its CSRF cookie (cookies blocked, or a stale page): the site's
    # page in the visitor's language, not Django's bare "403 Forbidden".
    client = Client(enforce_csrf_checks=True)

    response = client.post(f"/{language}/meetings/example-workshop/register/", {})

    page = parse(response)
    assert response.status_code == 403
    assert page.select_one("html").attrs["lang"] == language
    assert page_title(response) == heading
    assert page.select_one("h1").text == heading
