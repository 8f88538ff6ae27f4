"""The test environment itself: CI must really run on PostgreSQL when it says so."""

import os

import pytest
from django.db import connection


@pytest.mark.postgres
def test_database_is_postgresql_when_required():
    assert connection.vendor == "postgresql"


def test_require_postgres_matches_the_database():
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        assert connection.vendor == "postgresql"
    else:
        assert connection.vendor in {"sqlite", "postgresql"}
