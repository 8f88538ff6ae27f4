"""The health check the load balancer polls."""

import datetime
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from convene.core import views
from convene.registrations.models import Notification
from tests.factories.meetings import MeetingFactory
from tests.factories.registrations import RegistrationFactory

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


def test_healthz_reports_the_outbox_backlog_in_three_queries(
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

    # SELECT 1, then one aggregate per outbox (registration and proposal emails); on
    # PostgreSQL inside a savepoint that bounds the statements' time.
    bound = 3 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(3 + bound):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["outbox"] == {
        "pending": 2,
        "failed": 1,
        "oldest_pending_age_seconds": 42,
    }
