"""The test environment itself: CI must really run on PostgreSQL when it says so."""

import pytest
from django.db import connection


@pytest.mark.postgres
def test_database_is_postgresql_when_required():
    assert connection.vendor == "postgresql"
