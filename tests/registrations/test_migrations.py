"""Registrations written before `search_text` existed are found by the back-office's
search once the database is migrated."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from convene.registrations.models import Registration
from tests.factories.registrations import RegistrationFactory

BEFORE_SEARCH_TEXT = [("registrations", "0003_outbox_retries")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def before_search_text(transactional_db):
    """The registrations table as it was before the field; migrated to the latest state
    afterwards, whatever the test did, so that the next test finds the current schema."""
    yield
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_search_text_is_filled_for_registrations_written_before_it(
    make_meeting, senegal, before_search_text
):
    meeting = make_meeting()
    written = [
        RegistrationFactory(
            meeting=meeting,
            delegation=senegal,
            first_name=first_name,
            last_name=last_name,
            email=email,
            institution="Ministère de l'Intérieur",
        )
        for first_name, last_name, email in [
            ("Aïssatou", "Traoré", "A.Traore@example.org"),
            ("Éric", "Ngom", "eric.ngom@example.org"),
        ]
    ]

    _migrate(BEFORE_SEARCH_TEXT)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    stored = dict(Registration.objects.values_list("pk", "search_text"))
    assert stored == {
        written[0].pk: "aissatou traore a.traore@example.org ministere de l'interieur "
        f"{written[0].reference.lower()}",
        written[1].pk: "eric ngom eric.ngom@example.org ministere de l'interieur "
        f"{written[1].reference.lower()}",
    }
