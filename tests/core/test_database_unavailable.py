"""A database briefly away, read-only or restarting answers 503 with Retry-After, never 500."""

from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, InternalError, OperationalError, ProgrammingError, connection
from django.test import Client, RequestFactory
from psycopg.errors import AdminShutdown, ReadOnlySqlTransaction

from convene.core.views import server_error
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
