"""A database briefly away, read-only or restarting answers 503 with Retry-After, never 500."""

import datetime
import socket
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, InternalError, OperationalError, ProgrammingError, connection
from django.test import Client, RequestFactory
from django.utils import timezone
from psycopg.errors import AdminShutdown, LockNotAvailable, ReadOnlySqlTransaction

from convene.core.views import server_error
from convene.registrations.models import Registration
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import form_data
from tests.html import parse

pytestmark = pytest.mark.django_db

UNAVAILABLE_EN = "Convene is unavailable for a moment; try again in a few seconds."
UNAVAILABLE_FR = "Convene est indisponible pour un instant ; réessayez dans quelques secondes."


def _wrapped(django_error, cause: Exception):
    """`django_error` as Django raises it: from the driver's exception."""
    try:
        raise django_error(str(cause)) from cause
    except django_error as error:
        return error


UNAVAILABLE = {
    "connection refused": OperationalError("connection refused"),
    "server closed the connection": OperationalError("server closed the connection unexpectedly"),
    "connection already closed": InterfaceError("connection already closed"),
    "admin shutdown": _wrapped(OperationalError, AdminShutdown("terminating connection")),
    "read-only": _wrapped(
        InternalError, ReadOnlySqlTransaction("cannot execute INSERT in a read-only transaction")
    ),
}


def _home_raising(error):
    return mock.patch("convene.meetings.views.current_dialogue", side_effect=error)


@pytest.mark.parametrize("error", UNAVAILABLE.values(), ids=UNAVAILABLE.keys())
def test_page_while_the_database_is_unavailable_answers_503(error, client):
    with _home_raising(error):
        response = client.get("/en/")

    page = parse(response)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert page.select_one("h1").text == "Try again in a moment"
    assert page.texts("main p")[0] == UNAVAILABLE_EN


def test_page_while_the_database_is_unavailable_answers_in_french(client):
    with _home_raising(OperationalError("connection refused")):
        response = client.get("/fr/")

    page = parse(response)
    assert response.status_code == 503
    assert page.select_one("h1").text == "Réessayez dans un instant"
    assert page.texts("main p")[0] == UNAVAILABLE_FR


@pytest.mark.parametrize("error", UNAVAILABLE.values(), ids=UNAVAILABLE.keys())
def test_api_while_the_database_is_unavailable_answers_503_json(error, client, reference_data):
    with mock.patch("convene.api.registrations.meeting_for_registration", side_effect=error):
        response = client.post(
            "/api/v1/meetings/any/registrations/", "{}", content_type="application/json"
        )

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {"non_field_errors": [UNAVAILABLE_EN], "code": "unavailable"}


def test_page_with_a_lock_wait_run_out_answers_503_busy(client):
    lock_timeout = _wrapped(OperationalError, LockNotAvailable("canceling statement"))

    with _home_raising(lock_timeout):
        response = client.get("/fr/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert parse(response).texts("main p")[0] == (
        "Convene est très sollicité ; réessayez dans un instant."
    )


def test_page_with_a_broken_query_still_answers_500():
    client = Client(raise_request_exception=False)

    with _home_raising(ProgrammingError("column does not exist")):
        response = client.get("/en/")

    assert response.status_code == 500
    assert parse(response).select_one("h1").text == "Something went wrong"
    assert not response.has_header("Retry-After")


def test_session_not_saved_after_the_view_answers_503(client, settings):
    """The database goes away between the view and the session's save (a later middleware)."""
    settings.SESSION_SAVE_EVERY_REQUEST = True
    session = client.session
    session["seen"] = True
    session.save()
    client.raise_request_exception = False
    unavailable = OperationalError("server closed the connection unexpectedly")

    with mock.patch.object(SessionStore, "save", side_effect=unavailable):
        response = client.get("/en/")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert parse(response).texts("main p")[0] == UNAVAILABLE_EN


def test_server_error_page_reads_nothing_from_the_database(django_assert_num_queries):
    request = RequestFactory().get("/en/")

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    assert parse(response).select_one("h1").text == "Something went wrong"


def test_healthz_503_carries_retry_after(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server gone")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"


# --- real faults on PostgreSQL ----------------------------------------------------------------


@pytest.fixture
def closed_port():
    """A local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_page_with_the_database_server_gone_answers_503(closed_port, client):
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
    try:
        response = client.get("/en/")
        health = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.update(original)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert parse(response).texts("main p")[0] == UNAVAILABLE_EN
    assert (health.status_code, health["Retry-After"]) == (503, "5")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_form_post_to_a_read_only_database_answers_503_and_saves_nothing(reference_data, client):
    meeting = MeetingFactory(
        dialogue=reference_data,
        published=True,
        registration_opens_at=timezone.now() - datetime.timedelta(days=1),
        registration_closes_at=timezone.now() + datetime.timedelta(days=30),
        email_verification_required=False,
    )
    senegal = reference_data.partners.get(code="SN")
    with connection.cursor() as cursor:
        # As a standby, or a primary being failed over, refuses writes.
        cursor.execute("SET default_transaction_read_only = on")
    try:
        response = client.post(
            f"/en/meetings/{meeting.slug}/register/", form_data(meeting, senegal)
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET default_transaction_read_only = off")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert parse(response).texts("main p")[0] == UNAVAILABLE_EN
    assert Registration.objects.count() == 0
