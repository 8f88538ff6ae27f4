"""The health check the load balancer polls."""

import time
from unittest import mock

import pytest
from django.db import OperationalError, connection

from convene.core import views

pytestmark = pytest.mark.django_db


def test_healthz_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
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
